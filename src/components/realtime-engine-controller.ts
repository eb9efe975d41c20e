/**
 * RealtimeEngineController: the life of one live engine inside a Lit element, as a Lit
 * ReactiveController. The element decides when to play and what to load; this controller owns the
 * engine itself:
 * - start(): makes the AudioContext synchronously inside the user gesture that called it (browsers
 *   let a context sound only then), creates the engine through an injectable factory, resumes the
 *   context and lets the element load it;
 * - prepare(): the same ahead of any gesture (the element's `preload`), in a context kept suspended,
 *   so the first Play only resumes it: start() and resume() do that inside the gesture;
 * - a generation counter, bumped when the element leaves the page, so an engine that finishes
 *   starting after that is closed instead of kept;
 * - fault listening, and restart() after a fault;
 * - closing the engine and its AudioContext when the element leaves the page, so the page gets its
 *   audio device back;
 * - the animation-frame loop that reads the transport block and the meter block (a latest-value
 *   mailbox, no message) and hands both to the element. Nothing in that loop allocates.
 *
 * It reaches the engine through the RealtimeEngineClient interface only (docs/architecture.md,
 * "Threads and planes").
 *
 * @example
 * import { LitElement } from "lit";
 * class MyPlayer extends LitElement {
 *   private readonly realtime = new RealtimeEngineController(this, {
 *     attach: () => {},
 *     load: (engine) => engine.loadGraph(graph),
 *     ready: () => {},
 *     restarted: (engine) => engine.play(),
 *     fault: (message) => console.warn(message),
 *     failed: (error) => console.error(error),
 *     frame: (state) => readout.show(state),
 *   });
 * }
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";

import type { RealtimeEngineClient } from "../api/realtime-client";
import type { MeterReading, TransportSnapshot } from "../api/realtime-readings";
import { createRealtimeEngine } from "../create-browser-engine";

/** What start() hands the factory beside the AudioContext: how the element wants its engine made. */
export interface EngineStartOptions {
  /**
   * The folder engine.wasm, the worklet, the engine Worker and libfaust are fetched from (a CDN, say);
   * default: beside the engine's own modules.
   */
  baseUrl?: string | URL;
}

/**
 * Creates a live engine playing in `context` (which the controller made and owns).
 * @example
 * import { createRealtimeEngine } from "../create-browser-engine";
 * const factory: RealtimeEngineFactory = (options) => createRealtimeEngine(options);
 */
export type RealtimeEngineFactory = (
  options: EngineStartOptions & { context: AudioContext },
) => Promise<RealtimeEngineClient>;

/** What the controller hands back to the element as the engine's life goes on. */
export interface RealtimeEngineHooks {
  /** A new engine, its context maybe still suspended: wire up what sends to it. */
  attach(engine: RealtimeEngineClient): void;
  /**
   * Load what the engine plays: its context runs (start()) or is suspended (prepare(); the engine
   * takes a graph all the same). The engine counts as started once this resolves.
   */
  load(engine: RealtimeEngineClient): Promise<void>;
  /** The engine started and the frame loop runs. */
  ready(engine: RealtimeEngineClient): void;
  /** The engine restarted after a fault; the controller still reports "starting" until this resolves. */
  restarted(engine: RealtimeEngineClient): Promise<void>;
  /** The engine trapped (a fault inside engine.wasm): it outputs silence until restart(). */
  fault(message: string): void;
  /**
   * start() or restart() failed. Called while the controller still reports "starting", so the host
   * never renders a moment that is neither starting nor failed.
   */
  failed(error: unknown, during: "start" | "restart"): void;
  /**
   * Once per animation frame while an engine runs: the latest transport snapshot and meter reading
   * (the same objects every frame; copy what you keep). Must not allocate.
   */
  frame(state: TransportSnapshot, meters: MeterReading, now: number): void;
}

export interface RealtimeEngineControllerOptions {
  /** How an engine is made; default createRealtimeEngine (the browser's composition root). */
  createEngine?: RealtimeEngineFactory;
}

/**
 * Closes the engine, then the AudioContext the controller made for it. Errors are dropped: this
 * runs when the element is going away or a start failed, and nobody can act on them.
 */
async function closeEngine(engine: RealtimeEngineClient): Promise<void> {
  await engine.close().catch(() => {});
  await engine.context.close().catch(() => {});
}

export class RealtimeEngineController implements ReactiveController {
  /**
   * How start() makes an engine. Tests and embedders may replace it before the first start.
   * @example
   * import { createRealtimeEngine } from "../create-browser-engine";
   * realtime.createEngine = ({ context }) => createRealtimeEngine({ context, connect: false });
   */
  createEngine: RealtimeEngineFactory;

  private running: RealtimeEngineClient | null = null;
  private isStarting = false;
  private reading: MeterReading | null = null;
  /** Bumped when the host disconnects, so an engine that finishes starting after that closes. */
  private generation = 0;
  private frameRequest = 0;
  private removeFaultListener: (() => void) | null = null;
  /** prepare()'s engine on its way, and its context (a Play meanwhile resumes it in its gesture). */
  private preparing: { context: AudioContext; engine: Promise<RealtimeEngineClient | null> } | null = null;

  /**
   * @example
   * import { LitElement } from "lit";
   * class MyPlayer extends LitElement {
   *   private readonly realtime = new RealtimeEngineController(this, hooks);
   * }
   */
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly hooks: RealtimeEngineHooks,
    options: RealtimeEngineControllerOptions = {},
  ) {
    this.createEngine = options.createEngine ?? createRealtimeEngine;
    host.addController(this);
  }

  /**
   * The started engine: null before start() finishes and after the host leaves the page.
   * @example
   * const state = realtime.engine?.readTransport();
   */
  get engine(): RealtimeEngineClient | null {
    return this.running;
  }

  /**
   * True while an engine starts or restarts.
   * @example
   * button.disabled = realtime.starting; // the Play button
   */
  get starting(): boolean {
    return this.isStarting;
  }

  hostDisconnected(): void {
    cancelAnimationFrame(this.frameRequest);
    this.frameRequest = 0;
    this.generation++;
    this.removeFaultListener?.();
    this.removeFaultListener = null;
    const engine = this.running;
    this.setRunning(null);
    if (engine) void closeEngine(engine);
  }

  /**
   * Starts an engine. Call it synchronously inside a user gesture: the AudioContext is made before
   * the first await. Resolves to the engine, or null when it is already starting, when the host
   * left the page meanwhile, or when the start failed (hooks.failed was told why). `options` reach
   * the factory as they are.
   * @example
   * button.addEventListener("click", async () => (await realtime.start())?.play());
   * const fromCdn = await realtime.start({ baseUrl: "https://cdn.example/webdreamer/" });
   */
  async start(options: EngineStartOptions = {}): Promise<RealtimeEngineClient | null> {
    if (this.isStarting) return null;
    if (this.running) return this.resume(this.running);
    const preparing = this.preparing;
    if (preparing) {
      // Pressed while prepare() works: its context resumes inside this gesture, its engine is the one.
      const resumed = preparing.context.resume().catch(() => {});
      const prepared = await preparing.engine;
      await resumed;
      if (prepared) return prepared;
      // It failed quietly: a start of its own says why (the page has had its gesture, so the new
      // context may sound though made after an await).
      if (this.running || this.isStarting) return this.running;
    }
    const generation = this.generation;
    this.setStarting(true);
    let context: AudioContext | null = null;
    let engine: RealtimeEngineClient | null = null;
    try {
      // Created here, synchronously inside the gesture that called start(), so the browser lets it
      // sound; the controller owns it and closes it with the engine.
      context = new AudioContext({ latencyHint: "interactive" });
      engine = await this.createEngine({ ...options, context });
      if (generation !== this.generation) {
        await closeEngine(engine);
        return null;
      }
      const started = engine;
      if (!(await this.bringUp(started, generation, true))) {
        // The host left the page while the context resumed or the graph loaded: this engine was
        // never handed out, so nobody else would close it.
        this.removeFaultListener?.();
        this.removeFaultListener = null;
        await closeEngine(started);
        return null;
      }
      return started;
    } catch (error) {
      this.hooks.failed(error, "start");
      this.removeFaultListener?.();
      this.removeFaultListener = null;
      if (engine) await closeEngine(engine);
      else await context?.close().catch(() => {});
      return null;
    } finally {
      this.setStarting(false);
    }
  }

  /**
   * Prepares an engine before any gesture, so that the first Play only resumes its context: made in
   * an AudioContext kept suspended (browsers let a context sound only after a gesture; one allowed to
   * run at once is suspended too, so it renders nothing while it waits), loaded by hooks.load, then
   * the engine, as start() leaves it but silent. start() and resume() resume its context inside the
   * Play's gesture. A failure is not reported (nobody asked to play): the next start() makes an
   * engine of its own and says why if it fails too. Resolves to the engine, or null.
   * @example
   * requestIdleCallback(() => void realtime.prepare()); // the player's preload="auto"
   */
  prepare(options: EngineStartOptions = {}): Promise<RealtimeEngineClient | null> {
    if (this.running || this.isStarting) return Promise.resolve(this.running);
    if (this.preparing) return this.preparing.engine;
    let context: AudioContext;
    try {
      context = new AudioContext({ latencyHint: "interactive" });
    } catch {
      return Promise.resolve(null);
    }
    const engine = this.prepareIn(context, options).finally(() => {
      this.preparing = null;
    });
    this.preparing = { context, engine };
    return engine;
  }

  /**
   * Resumes the context of `engine` (the one this controller runs) when it is suspended: call it
   * synchronously inside the user gesture, before any await. Resolves to the engine.
   * @example
   * const engine = realtime.engine;
   * if (engine) button.addEventListener("click", async () => (await realtime.resume(engine)).play());
   */
  async resume(engine: RealtimeEngineClient): Promise<RealtimeEngineClient> {
    if (engine.context.state !== "running") await engine.context.resume();
    return engine;
  }

  /**
   * What start() and prepare() do with a new engine: listen for faults, wire it up, resume its
   * context first when `resume` (inside start()'s gesture), load it; then it is the running engine,
   * its frames read and hooks.ready told. False when the host left the page meanwhile: the caller
   * closes it (nobody else holds it).
   */
  private async bringUp(engine: RealtimeEngineClient, generation: number, resume: boolean): Promise<boolean> {
    this.removeFaultListener = engine.onFault((message) => this.hooks.fault(message));
    this.reading = engine.createMeterReading();
    this.hooks.attach(engine);
    if (resume && engine.context.state !== "running") await engine.context.resume();
    await this.hooks.load(engine);
    if (generation !== this.generation) return false;
    this.setRunning(engine);
    this.startFrames();
    this.hooks.ready(engine);
    return true;
  }

  private async prepareIn(
    context: AudioContext,
    options: EngineStartOptions,
  ): Promise<RealtimeEngineClient | null> {
    const generation = this.generation;
    let engine: RealtimeEngineClient | null = null;
    try {
      if (context.state === "running") await context.suspend();
      engine = await this.createEngine({ ...options, context });
      if (generation !== this.generation) throw new Error("the host left the page");
      const prepared = engine;
      if (!(await this.bringUp(prepared, generation, false))) throw new Error("the host left the page");
      return prepared;
    } catch {
      this.removeFaultListener?.();
      this.removeFaultListener = null;
      if (engine) await closeEngine(engine);
      else await context.close().catch(() => {});
      return null;
    }
  }

  /**
   * Restarts the engine after a fault (same graph, same position), then runs hooks.restarted.
   * @example
   * button.addEventListener("click", () => realtime.restart()); // the "Restart engine" button
   */
  async restart(): Promise<void> {
    const engine = this.running;
    if (!engine) return;
    this.setStarting(true);
    try {
      await engine.restart();
      await this.hooks.restarted(engine);
    } catch (error) {
      this.hooks.failed(error, "restart");
    } finally {
      this.setStarting(false);
    }
  }

  // Both render the host again only on a change, as a Lit state property would.
  private setRunning(engine: RealtimeEngineClient | null): void {
    if (engine === this.running) return;
    this.running = engine;
    this.host.requestUpdate();
  }

  private setStarting(starting: boolean): void {
    if (starting === this.isStarting) return;
    this.isStarting = starting;
    this.host.requestUpdate();
  }

  // ---- the animation frame loop ----

  private startFrames(): void {
    cancelAnimationFrame(this.frameRequest);
    this.frameRequest = requestAnimationFrame(this.onFrame);
  }

  /** Once per frame: read both blocks and hand them over. Allocates nothing. */
  private readonly onFrame = (now: number): void => {
    const engine = this.running;
    const reading = this.reading;
    if (!engine || !reading) return;
    this.frameRequest = requestAnimationFrame(this.onFrame);
    const state = engine.readTransport();
    // A false read means the writer was mid-write: the previous reading is still a good frame.
    engine.readMeters(reading);
    this.hooks.frame(state, reading, now);
  };
}
