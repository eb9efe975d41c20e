/**
 * <webdreamer-player>: the live engine, embedded in any page. Transport controls, parameter
 * sliders that move live nodes, a level meter and a transport readout, around one
 * RealtimeEngineClient (an engine that plays live, picked by the bootstrapper) in an AudioWorklet.
 *
 * How it meets the engine (docs/architecture.md, "Threads and planes"), through the RealtimeEngineClient
 * interface only:
 * - The engine starts on the first Play click: browsers let an AudioContext make sound only after
 *   a user gesture, and a page embedding the player should not pay for an engine nobody plays.
 *   A RealtimeEngineController (realtime-engine-controller.ts) owns the engine's life: start,
 *   fault and restart, closing it when the element leaves the page, and the frame loop.
 * - The readout and the meter read the transport block and the meter block once per animation
 *   frame, without a message (a latest-value mailbox); nothing in that loop allocates.
 * - Slider moves reach the engine through a ParameterSender: one call in flight per parameter,
 *   the newest value wins.
 * - An engine fault becomes a message and a "Restart engine" button (onFault + restart()).
 * - Without cross-origin isolation it still plays, over the message-port data plane, and says so.
 *
 * @example
 * import "./webdreamer-player"; // registers <webdreamer-player>
 * const player = document.createElement("webdreamer-player");
 * player.label = "My patch";
 * player.loopEndBeats = 16; // or, in HTML: <webdreamer-player loop-end-beats="16">
 * document.body.append(player);
 */
import { html, LitElement, type PropertyValues } from "lit";

import type { RealtimeEngineClient } from "../api/realtime-client";
import {
  createTransportSnapshot,
  type DataPlaneTransport,
  type MeterReading,
  type TransportSnapshot,
} from "../api/realtime-readings";
import type { GraphDescriptorInput } from "../contracts/graph-descriptor";
import { checkCapabilities, type EngineCapabilities } from "./capabilities";
import { demoControls, demoGraph, type ParameterControl } from "./demo-graph";
import { engineBaseUrl } from "./engine-base-url";
import { controlKey, graphTempo, graphValue, withControlValues } from "./graph-controls";
import type { LevelMeter } from "./level-meter";
import { LevelMeterController } from "./level-meter-controller";
import { ParameterSender } from "./parameter-sender";
import { findReadoutFields, playerDisplay, playerDropouts } from "./player-display";
import { type PlayerStatus, playerHeader } from "./player-header";
import { playerMeter } from "./player-meter";
import { errorNotice, faultNotice, type Notice, playerNotice, unsupportedNotice } from "./player-notice";
import { playerSliders } from "./player-sliders";
import { playerStyles } from "./player-styles";
import { MAX_TEMPO_BPM, MIN_TEMPO_BPM, transportBar } from "./player-transport-bar";
import { RealtimeEngineController } from "./realtime-engine-controller";
import { valueAtPosition } from "./slider-scale";
import { type LoopBeats, TransportReadout } from "./transport-readout";

export type { PlayerStatus } from "./player-header";
export { MAX_TEMPO_BPM, MIN_TEMPO_BPM } from "./player-transport-bar";

/** Tempo changes from the input glide over this long, so a jump is heard as a ramp. */
export const TEMPO_RAMP_SECONDS = 0.5;

/** Detail of the `webdreamer-parameter` event: a value the live engine accepted. */
export interface ParameterChangeDetail {
  node: string;
  param: string;
  value: number;
}

const FAILED_TEXT = { start: "The engine could not start", restart: "The engine could not restart" } as const;

/**
 * The live engine in a page: Play/Pause, Stop, Loop and tempo, one slider per control, a level
 * meter, the transport readout and the dropout counters, around one engine playing in an
 * AudioWorklet. The engine starts on the first Play (browsers let audio start only after a user
 * gesture) and closes when the element leaves the page. docs/player.md has the whole story.
 *
 * @summary An embeddable real-time player for a webdreamer graph.
 *
 * @fires {CustomEvent<{ dataPlane: "shared_memory" | "message_port" }>} webdreamer-ready - The engine started and loaded the graph (after the first Play). `dataPlane` says how the page reads it: "shared_memory" when the page is cross-origin isolated, "message_port" otherwise.
 * @fires {CustomEvent<{ status: PlayerStatus }>} webdreamer-statuschange - The `status` property changed; `detail.status` is its new value.
 * @fires {CustomEvent<{ node: string; param: string; value: number }>} webdreamer-parameter - The live engine accepted a slider's value for one parameter of one node (the newest value, when the slider moved faster than the engine answered).
 * @fires {CustomEvent<{ message: string }>} webdreamer-fault - engine.wasm trapped and now outputs silence; the player shows a "Restart engine" button. `message` is the trap's.
 *
 * @cssprop [--wd-surface=#171b21] - The panel's background (light palette: #ffffff).
 * @cssprop [--wd-surface-raised=#212731] - Buttons and the data-plane badge (light: #f2f4f7).
 * @cssprop [--wd-display=#0c0f13] - The readout's and the tempo input's background (light: #f5f7fa).
 * @cssprop [--wd-border=rgb(255 255 255 / 0.08)] - Borders and dividers (light: rgb(16 24 40 / 0.12)).
 * @cssprop [--wd-fg=#e8ecf1] - Text and the slider thumbs (light: #101828).
 * @cssprop [--wd-muted=#8e9aac] - Captions, the status line and the meter's scale (light: #5b6779).
 * @cssprop [--wd-accent=#5ad1a4] - The Play button, the playing status, the bar:beat readout, slider fills and the pressed Loop button (light: #0b7d58).
 * @cssprop [--wd-accent-fg=#052219] - Text on the accent colour: the Play button's label (light: #ffffff).
 * @cssprop [--wd-danger=#ff7b84] - Faults and errors: the status, the notice and the Restart button (light: #c8323c).
 * @cssprop [--wd-warn=#f5c26b] - The message-port badge and dropout counters above zero (light: #a86400).
 * @cssprop [--wd-focus=#8ab4ff] - The keyboard focus ring (light: #2f6fec).
 * @cssprop [--wd-shadow=0 1px 0 rgb(255 255 255 / 0.04) inset, 0 12px 32px rgb(0 0 0 / 0.35)] - The panel's box-shadow (light: 0 1px 2px rgb(16 24 40 / 0.06), 0 12px 32px rgb(16 24 40 / 0.08)).
 * @cssprop [--wd-radius=16px] - The panel's corner radius.
 * @cssprop [--wd-font=system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif] - The font family of the text.
 * @cssprop [--wd-mono=ui-monospace, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace] - The font family of the numbers: readouts, the tempo input, slider values.
 * @cssprop [--wd-meter-track=#0a0c10] - The meter's empty track and the sliders' unfilled track (light: #e3e7ed).
 * @cssprop [--wd-meter-low=#45c98d] - Meter bars below -18 dBFS (light: #1fa971). The meter's canvas reads the --wd-meter-* properties when it is first drawn and when the theme or the colour scheme changes.
 * @cssprop [--wd-meter-mid=#e9c46a] - Meter bars from -18 to -6 dBFS (light: #d9a520).
 * @cssprop [--wd-meter-high=#ff6b6b] - Meter bars near 0 dBFS, and the hold tick at full scale (light: #e5484d).
 * @cssprop [--wd-meter-hold=#e8ecf1] - The meter's peak-hold tick (light: #101828).
 *
 * @csspart base - The panel around everything: background, border, radius, padding, shadow.
 * @csspart header - The name, the status line and the data-plane badge.
 * @csspart notice - What went wrong or what the browser lacks, with Restart or Dismiss (present only then).
 * @csspart transport - The Play/Pause, Stop and Loop buttons and the tempo input.
 * @csspart display - The readout: bar:beat, time, tempo and loop.
 * @csspart meter - The level meter: channel labels, canvas and dB scale.
 * @csspart sliders - The parameter sliders, one row per control.
 * @csspart dropouts - The dropout counters: ring overflows, late and bad commands, underruns, NaN/Inf samples.
 */
export class WebdreamerPlayer extends LitElement {
  static override styles = playerStyles;

  static override properties = {
    graph: { attribute: false },
    controls: { attribute: false },
    label: { type: String },
    loopStartBeats: { type: Number, attribute: "loop-start-beats" },
    loopEndBeats: { type: Number, attribute: "loop-end-beats" },
    beatsPerBar: { type: Number, attribute: "beats-per-bar" },
    theme: { type: String, reflect: true },
    baseUrl: { type: String, attribute: "base-url" },
    preload: { type: String },
    notice: { state: true },
    transportStatus: { state: true },
    loopEnabled: { state: true },
    tempo: { state: true },
    values: { state: true },
  };

  /**
   * The graph the engine plays, a GraphDescriptor (docs/contracts.md): `{ version: "v1alpha", nodes,
   * output, tempo?, ppqn?, extensions? }`, each node `{ name, node_id, inputs?, params?, automation?,
   * midi?, buffers?, capture?, extensions? }`. A property only, no attribute. Setting it while
   * playing loads it at once; the transport keeps its position. Default: demoGraph().
   * @example
   * player.graph = { version: "v1alpha", nodes: [{ name: "osc", node_id: "builtin:oscillator" }], output: "osc" };
   */
  declare graph: GraphDescriptorInput;

  /**
   * The sliders, one per `{ node, param, label, min, max, step, scale?, unit? }`: each moves the
   * parameter `param` of the node named `node` in `graph`, from `min` to `max` in steps of `step`, on
   * a "linear" (default) or "log" scale, labelled `label` and showing its value with `unit`. A
   * property only, no attribute. Default: demoControls().
   * @example
   * player.controls = [{ node: "osc", param: "frequency", label: "Pitch", min: 55, max: 880, step: 1, scale: "log", unit: "Hz" }];
   */
  declare controls: ParameterControl[];

  /**
   * The player's name, shown in its header and used as its accessible name.
   * @example
   * player.label = "Bass patch"; // in HTML: <webdreamer-player label="Bass patch">
   */
  declare label: string;

  /**
   * Loop region start, in beats (quarter notes) from the start (attribute `loop-start-beats`).
   * @example
   * player.loopStartBeats = 4; // the loop starts at bar 2 in 4/4
   */
  declare loopStartBeats: number;

  /**
   * Loop region end, in beats (attribute `loop-end-beats`); default 8, two bars of 4/4.
   * @example
   * player.loopEndBeats = 16; // in HTML: <webdreamer-player loop-end-beats="16">
   */
  declare loopEndBeats: number;

  /**
   * Beats per bar for the bars:beats readout (attribute `beats-per-bar`); default 4.
   * @example
   * player.beatsPerBar = 3; // in HTML: <webdreamer-player beats-per-bar="3">
   */
  declare beatsPerBar: number;

  /**
   * "light" or "dark" forces a palette; unset follows prefers-color-scheme.
   * @example
   * player.theme = "light"; // in HTML: <webdreamer-player theme="light">
   */
  declare theme: "light" | "dark" | undefined;

  /**
   * The folder the engine's files (engine.wasm, the worklet, the engine Worker, libfaust) are
   * fetched from, for pages that serve them from a CDN (attribute `base-url`). Relative URLs resolve
   * against the page, as `src` does; "…/dist" means the folder dist/. Read when the engine starts,
   * on the first Play. Unset: the engine's default, beside its own modules.
   * @example
   * player.baseUrl = "https://cdn.example/webdreamer/0.1.0/dist/"; // in HTML: <webdreamer-player base-url="…">
   */
  declare baseUrl: string | undefined;

  /**
   * "auto": the engine starts as soon as the page is idle, silent, in an AudioContext kept suspended
   * (browsers let sound start only from a gesture), and loads the graph; Play then only resumes it,
   * so the first sound comes without the engine's start (docs/player.md, "Starting before the first Play"). It costs the
   * page the engine's threads and memory before anyone plays. "none" (the default): the engine
   * starts on the first Play. As `<audio preload>`, a hint read when the player is on the page.
   * @example
   * player.preload = "auto"; // in HTML: <webdreamer-player preload="auto">
   */
  declare preload: "none" | "auto" | undefined;

  // Reactive internal state (declared so Lit's accessors are not shadowed by class fields).
  declare private notice: Notice | null;
  declare private transportStatus: "playing" | "paused" | "stopped";
  declare private loopEnabled: boolean;
  declare private tempo: number;
  declare private values: Map<string, number>;

  private readonly capabilities: EngineCapabilities;
  private readonly realtime = new RealtimeEngineController(this, {
    attach: (engine) => this.attachSender(engine),
    load: (engine) => this.loadInto(engine),
    ready: (engine) => this.emit("webdreamer-ready", { dataPlane: engine.dataPlane }),
    restarted: async (engine) => {
      if (this.wantsToPlay) await engine.play();
    },
    fault: (message) => {
      this.notice = faultNotice(message);
      this.emit("webdreamer-fault", { message });
    },
    failed: (error, during) => {
      this.notice = errorNotice(error, FAILED_TEXT[during]);
    },
    frame: (state, meters, now) => this.showFrame(state, meters, now),
  });
  private readonly meterView = new LevelMeterController(this);
  private readout: TransportReadout | null = null;
  private sender: ParameterSender | null = null;
  /** The transport state shown before the engine starts (never written by an engine). */
  private readonly idleState = createTransportSnapshot();
  /** Whether the user asked to play: a restart after a fault resumes only then. */
  private wantsToPlay = false;
  private lastStatus: PlayerStatus | null = null;

  constructor() {
    super();
    this.graph = demoGraph();
    this.controls = demoControls();
    this.label = "webdreamer";
    this.loopStartBeats = 0;
    this.loopEndBeats = 8;
    this.beatsPerBar = 4;
    this.theme = undefined;
    this.baseUrl = undefined;
    this.preload = undefined;
    this.transportStatus = "stopped";
    this.loopEnabled = false;
    this.tempo = graphTempo(this.graph);
    this.values = new Map();
    this.capabilities = checkCapabilities();
    this.notice = unsupportedNotice(this.capabilities.missing);
  }

  /**
   * The running engine, or null before the first Play and after the element leaves the page. For
   * tests and pages that drive the engine beyond the player's controls.
   * @example
   * const state = await player.engine?.getTransportState();
   */
  get engine(): RealtimeEngineClient | null {
    return this.realtime.engine;
  }

  /**
   * What the player is doing (its status line).
   * @example
   * if (player.status === "fault") console.warn("the engine trapped");
   */
  get status(): PlayerStatus {
    if (this.notice?.kind === "unsupported") return "unsupported";
    if (this.notice?.kind === "fault") return "fault";
    if (this.realtime.starting) return "starting";
    if (!this.realtime.engine) return this.notice ? "error" : "idle";
    return this.transportStatus;
  }

  /**
   * The meter as drawn: displayed peak, RMS and hold per channel (linear), after the ballistics.
   * @example
   * const loudest = Math.max(...(player.meter?.peak ?? [0]));
   */
  get meter(): LevelMeter | null {
    return this.meterView.meter;
  }

  /**
   * Starts the engine if needed (browsers require a user gesture for sound) and plays.
   * @example
   * button.addEventListener("click", () => player.play());
   */
  async play(): Promise<void> {
    this.wantsToPlay = true;
    // Both called before any await, inside the user's gesture: a preloaded engine's context resumes,
    // a new engine's context is made there.
    const running = this.realtime.engine;
    const engine = running ? await this.realtime.resume(running) : await this.startEngine();
    if (!engine) return;
    await this.call(() => engine.play());
  }

  /**
   * Stops playback and keeps the position.
   * @example
   * await player.pause();
   */
  async pause(): Promise<void> {
    this.wantsToPlay = false;
    const engine = this.realtime.engine;
    if (engine) await this.call(() => engine.pause());
  }

  /**
   * Stops playback and returns to the start.
   * @example
   * await player.stop();
   */
  async stop(): Promise<void> {
    this.wantsToPlay = false;
    const engine = this.realtime.engine;
    if (engine) await this.call(() => engine.stop());
  }

  override connectedCallback(): void {
    // The meter's controller (run by super) watches its canvas again and resets it.
    super.connectedCallback();
    // Back on a page after a removal: the old engine is gone, show a player about to start.
    if (this.hasUpdated) this.showIdleState();
    if (this.hasUpdated && this.preload === "auto") this.preloadWhenIdle();
  }

  override disconnectedCallback(): void {
    // The controllers (run by super) stop the frames, close the engine and stop watching the canvas.
    super.disconnectedCallback();
    this.sender = null;
    this.wantsToPlay = false;
    this.transportStatus = "stopped";
    if (this.notice?.kind !== "unsupported") this.notice = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("graph")) this.tempo = graphTempo(this.graph);
    if (changed.has("graph") || changed.has("controls")) {
      // A new graph resets every slider to its value; new controls keep the values of old ones.
      const keep = changed.has("graph") ? new Map<string, number>() : this.values;
      this.values = new Map(
        this.controls.map((c) => [controlKey(c), keep.get(controlKey(c)) ?? graphValue(this.graph, c)]),
      );
    }
    if (!(this.beatsPerBar >= 1)) this.beatsPerBar = 4;
    if (!(this.loopStartBeats >= 0)) this.loopStartBeats = 0;
    if (!(this.loopEndBeats > this.loopStartBeats))
      this.loopEndBeats = this.loopStartBeats + this.beatsPerBar;
  }

  protected override firstUpdated(): void {
    const root = this.renderRoot;
    this.readout = new TransportReadout(findReadoutFields(root), this.beatsPerBar, this.loopBeats());
    this.meterView.attach(root.querySelector("canvas") as HTMLCanvasElement);
    this.showIdleState();
  }

  protected override updated(changed: PropertyValues<this>): void {
    const status = this.status;
    if (status !== this.lastStatus) {
      this.lastStatus = status;
      this.emit("webdreamer-statuschange", { status });
    }
    if (changed.has("theme")) this.meterView.refreshColors();
    if (changed.has("beatsPerBar") || changed.has("loopStartBeats") || changed.has("loopEndBeats")) {
      this.readout?.configure(this.beatsPerBar, this.loopBeats());
      if (this.loopEnabled) void this.applyLoop();
    }
    const engine = this.realtime.engine;
    if (changed.has("graph") && changed.get("graph") !== undefined && engine && !this.realtime.starting) {
      void this.call(() => this.loadInto(engine));
    }
    if (!engine) this.showIdleState();
    if (changed.has("preload") && this.preload === "auto") this.preloadWhenIdle();
  }

  /** preload="auto": prepares the engine once the page is idle (no engine yet, nothing wrong). */
  private preloadWhenIdle(): void {
    const prepare = () => {
      if (this.preload !== "auto" || !this.isConnected || this.realtime.engine || this.status !== "idle")
        return;
      let baseUrl: URL | undefined;
      try {
        baseUrl = engineBaseUrl(this.baseUrl, document.baseURI);
      } catch {
        return; // The first Play reports it (startEngine).
      }
      void this.realtime.prepare(baseUrl ? { baseUrl } : {});
    };
    if (typeof requestIdleCallback === "function") requestIdleCallback(prepare, { timeout: 2000 });
    else setTimeout(prepare, 0);
  }

  protected override render() {
    const status = this.status;
    const unsupported = status === "unsupported";
    const engine = this.realtime.engine;
    const plane: DataPlaneTransport =
      engine?.dataPlane ?? (this.capabilities.isolated ? "shared_memory" : "message_port");
    return html`
      <section class="player" part="base" aria-label=${this.label}>
        ${playerHeader({ label: this.label, status, plane })}
        ${playerNotice(this.notice, { restart: this.onRestartClick, dismiss: this.onDismissClick })}
        ${transportBar(
          {
            playing: engine !== null && this.transportStatus === "playing",
            playDisabled: unsupported || this.realtime.starting || status === "fault",
            stopDisabled: !engine,
            unsupported,
            loopEnabled: this.loopEnabled,
            tempo: this.tempo,
          },
          {
            playOrPause: this.onPlayClick,
            stop: this.onStopClick,
            toggleLoop: this.onLoopClick,
            changeTempo: this.onTempoChange,
          },
        )}
        ${playerDisplay()}
        ${playerMeter()}
        ${playerSliders({ controls: this.controls, values: this.values, disabled: unsupported }, this.onSliderInput)}
        ${playerDropouts()}
      </section>
    `;
  }

  // ---- user actions ----

  private readonly onPlayClick = (): void => {
    if (this.realtime.engine && this.transportStatus === "playing") void this.pause();
    else void this.play();
  };

  private readonly onStopClick = (): void => {
    void this.stop();
  };

  private readonly onDismissClick = (): void => {
    this.notice = null;
  };

  private readonly onLoopClick = (): void => {
    this.loopEnabled = !this.loopEnabled;
    void this.applyLoop();
  };

  /**
   * Ramps the transport's tempo (setTempo), which moves the bars:beats clock and the loop. Note:
   * the engine places a graph's beat-timed automation and MIDI at the graph's own tempo when it
   * loads it, so a live tempo change does not (yet) move those.
   */
  private readonly onTempoChange = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    const bpm = Number.parseFloat(input.value);
    if (!Number.isFinite(bpm)) {
      input.value = String(this.tempo);
      return;
    }
    this.tempo = Math.min(MAX_TEMPO_BPM, Math.max(MIN_TEMPO_BPM, Math.round(bpm * 10) / 10));
    input.value = String(this.tempo);
    const engine = this.realtime.engine;
    if (!engine) {
      this.showIdleState();
      return;
    }
    void this.call(async () => {
      await engine.setTempo(this.tempo, { rampSeconds: TEMPO_RAMP_SECONDS });
      // The loop is set in beats: at the new tempo its seconds move.
      if (this.loopEnabled) await this.applyLoop();
    });
  };

  private readonly onSliderInput = (control: ParameterControl, event: Event): void => {
    const position = Number((event.target as HTMLInputElement).value);
    const value = valueAtPosition(control, position);
    this.values = new Map(this.values).set(controlKey(control), value);
    this.sender?.send(control.node, control.param, value);
  };

  private readonly onRestartClick = async (): Promise<void> => {
    if (!this.realtime.engine) return;
    this.notice = null;
    await this.realtime.restart();
  };

  // ---- engine ----

  private async startEngine(): Promise<RealtimeEngineClient | null> {
    if (this.realtime.starting || this.status === "unsupported") return null;
    this.notice = null;
    let baseUrl: URL | undefined;
    try {
      baseUrl = engineBaseUrl(this.baseUrl, document.baseURI);
    } catch (error) {
      this.notice = errorNotice(error, FAILED_TEXT.start);
      return null;
    }
    // Called synchronously from play(), so start() makes the AudioContext inside the user's click.
    return this.realtime.start(baseUrl ? { baseUrl } : {});
  }

  /** Slider moves reach a new engine through its own sender: one call in flight per parameter. */
  private attachSender(engine: RealtimeEngineClient): void {
    this.sender = new ParameterSender((node, param, value) => engine.setParameter(node, param, value), {
      applied: (node, param, value) => this.emit("webdreamer-parameter", { node, param, value }),
      failed: (error, node, param) => {
        this.notice = errorNotice(error, `${node}.${param}`);
      },
    });
  }

  /** Loads the graph with the sliders' values, then the tempo and loop the controls show. */
  private async loadInto(engine: RealtimeEngineClient): Promise<void> {
    await engine.loadGraph(withControlValues(this.graph, this.controls, this.values));
    await engine.setTempo(this.tempo);
    await this.applyLoop(engine);
  }

  private loopBeats(): LoopBeats {
    return { startBeats: this.loopStartBeats, endBeats: this.loopEndBeats };
  }

  /**
   * Sends the loop toggle's state. The engine's loop is in seconds; the player's in beats, turned
   * into seconds at the tempo the input shows. Turning the loop on past its end jumps back to its
   * start, as a person pressing Loop expects to hear the loop.
   */
  private async applyLoop(engine = this.realtime.engine): Promise<void> {
    if (!engine) return;
    if (!this.loopEnabled) {
      await this.call(() => engine.setLoop(null));
      return;
    }
    const secondsPerBeat = 60 / this.tempo;
    const start = this.loopStartBeats * secondsPerBeat;
    const end = this.loopEndBeats * secondsPerBeat;
    await this.call(async () => {
      await engine.setLoop({ start_seconds: start, end_seconds: end });
      if (engine.readTransport().positionSeconds >= end) await engine.seek(start);
    });
  }

  /** Runs an engine call; a rejection becomes the notice (an EngineError names code and field). */
  private async call(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      if (this.realtime.engine || this.realtime.starting) this.notice = errorNotice(error);
    }
  }

  // ---- what each frame shows ----

  /** Called by the controller once per frame: write what changed. Allocates nothing. */
  private showFrame(state: TransportSnapshot, meters: MeterReading, now: number): void {
    this.readout?.show(state);
    const status = state.running ? "playing" : state.positionFrames > 0 ? "paused" : "stopped";
    if (status !== this.transportStatus) this.transportStatus = status;
    this.meterView.show(meters, now);
  }

  /** Before the engine starts: position zero at the input's tempo and the loop the toggle shows. */
  private showIdleState(): void {
    const idle = this.idleState;
    idle.tempoBpm = this.tempo;
    idle.loopEnabled = this.loopEnabled;
    // With a "sample rate" of 1 the loop's frames are its seconds.
    idle.sampleRate = 1;
    idle.loopStartFrames = (this.loopStartBeats * 60) / this.tempo;
    idle.loopEndFrames = (this.loopEndBeats * 60) / this.tempo;
    this.readout?.show(idle);
  }

  private emit<T>(type: string, detail: T): void {
    /** @ignore The manifest's analyzer cannot read a name passed in: the class's @fires tags name each event. */
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "webdreamer-player": WebdreamerPlayer;
  }
  interface HTMLElementEventMap {
    "webdreamer-parameter": CustomEvent<ParameterChangeDetail>;
    "webdreamer-fault": CustomEvent<{ message: string }>;
    "webdreamer-ready": CustomEvent<{ dataPlane: DataPlaneTransport }>;
    "webdreamer-statuschange": CustomEvent<{ status: PlayerStatus }>;
  }
}

if (!customElements.get("webdreamer-player")) customElements.define("webdreamer-player", WebdreamerPlayer);
