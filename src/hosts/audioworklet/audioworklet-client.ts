/**
 * AudioWorkletEngineClient: the EngineClient of the real-time AudioWorklet host (a
 * RealtimeEngineClient, src/api/realtime-client.ts).
 *
 * Three threads (docs/architecture.md, "Threads and planes"):
 * - this client, on the main thread: it calls the engine Worker over Comlink (control plane) and
 *   reads the transport state and the meters from shared memory without any message;
 * - the engine Worker (AudioWorkletEngineHost, WorkletDriver): validates every request, compiles
 *   graphs for the worklet, writes commands into the command ring, drains captures, renders offline;
 * - the audio thread (EngineProcessor): drains the command ring at each quantum start, renders,
 *   publishes the transport block and meters, fills the capture ring.
 *
 * Without cross-origin isolation the same objects run over MessagePorts (`dataPlane` says which).
 */
import * as Comlink from "comlink";
import {
  getParameterCommand,
  monitoringFlag,
  sendMidiCommand,
  setParameterCommand,
} from "../../api/call-validation";
import { type Clock, systemClock } from "../../api/clock";
import type {
  EngineClient,
  RenderCallOptions,
  ScheduleAutomationOptions,
  SendMidiOptions,
  SetParameterOptions,
} from "../../api/engine-client";
import type { HostContext } from "../../api/host-factory";
import type { MidiRecording } from "../../api/midi-recording";
import type { ParameterReading, RealtimeEngineClient } from "../../api/realtime-client";
import {
  createTransportSnapshot,
  type DataPlaneTransport,
  type MeterReading,
  type TransportSnapshot,
} from "../../api/realtime-readings";
import { CONTRACT_VERSION } from "../../contracts/common";
import { EngineError } from "../../contracts/errors";
import {
  type AutomationInput,
  type GraphDescriptor,
  type GraphDescriptorInput,
  GraphDescriptorSchema,
  type MidiEventInput,
} from "../../contracts/graph-descriptor";
import { checkGraph } from "../../contracts/graph-semantics";
import type { LiveMidiMessageInput } from "../../contracts/live-midi";
import type { RenderRequestInput, RenderResult } from "../../contracts/render";
import type { TransportState } from "../../contracts/transport-state";
import { parseContract } from "../../contracts/validate";
import { WAM_NODE_PREFIX } from "../../contracts/wam-node";
import { createDataPlane } from "../../dataplane/data-plane";
import type { MeterBlock } from "../../dataplane/meter-block";
import type { TransportBlock } from "../../dataplane/transport-block";
import type { MainToWorkletMessage } from "../../protocol/main-to-worklet";
import type { AudioWorkletHostApi } from "../../protocol/main-worker";
import type { TypedPort } from "../../protocol/typed-port";
import type { WorkletToMainMessage } from "../../protocol/worklet-to-main";
import type { WamScanOptions } from "../../wam/wam-roots";
import { type EngineAssets, engineAssets } from "../assets/engine-assets";
import { RemoteEngineClient } from "../worker/remote-client";
import { startEngineWorker } from "../worker/start-engine-worker";
import type { WorkerEngineClientOptions } from "../worker/worker-client";
import { createEngineWorklet, type EngineWorklet, loadEngineModule } from "./engine-worklet";
import { LiveInputPort } from "./live-input-port";
import { NODE_METER_CHANNELS } from "./node-meter-tap";
import { measureWamCost } from "./wam-cost-meter";
import { LiveWamGraph } from "./wam-live-graph";
import { renderWamLive } from "./wam-live-render";
import { renderWithWams } from "./wam-offline-render";
import { yieldTask } from "./yield-task";

/** True when an (unvalidated) request's graph has a WAM node ("wam:<identifier>"). */
function requestHasWamNodes(request: RenderRequestInput): boolean {
  return hasWamNodes((request as { node_graph?: { nodes?: unknown } } | null)?.node_graph);
}

/** True when an (unvalidated) graph has a WAM node. */
function hasWamNodes(graph: { nodes?: unknown } | null | undefined): boolean {
  const nodes = graph?.nodes;
  return (
    Array.isArray(nodes) &&
    nodes.some(
      (node) =>
        typeof (node as { node_id?: unknown })?.node_id === "string" &&
        (node as { node_id: string }).node_id.startsWith(WAM_NODE_PREFIX),
    )
  );
}

export interface AudioWorkletEngineClientOptions extends WorkerEngineClientOptions {
  /** The context to play in; default a new interactive AudioContext (at `sampleRate` if given). */
  context?: AudioContext;
  /** Connect the engine's output to the context's destination (default true). */
  connect?: boolean;
  /**
   * Measure each WAM plugin's resource_estimate at discovery (wam-cost-meter.ts): 8 to 17 s a plugin
   * on a loaded 2-core machine, one at a time, so off by default (then resource_estimate is null). A
   * page that is not cross-origin isolated cannot measure (its audio-thread clock is too coarse).
   * Default false.
   */
  measureWamResources?: boolean;
}

/** How long a transport call waits for the audio thread to apply it (a suspended context never will). */
const APPLY_TIMEOUT_MS = 250;

let sessions = 0;

export class AudioWorkletEngineClient
  extends RemoteEngineClient<AudioWorkletHostApi>
  implements RealtimeEngineClient
{
  readonly host = "audioworklet" as const;
  private readonly snapshot: TransportSnapshot = createTransportSnapshot();
  private readonly clock: Clock;
  private readonly faults = new EventTarget();
  private sessionId: string;
  private restarting: Promise<void> | null = null;
  private wamGraph: LiveWamGraph | null = null;
  /** Frames the graph playing is late by (its nodes' latency; 0 for a WAM graph's return graph). */
  private playingLatencyFrames = 0;
  private readonly measureWamResources: boolean;

  private constructor(
    worker: Worker,
    remote: Comlink.Remote<AudioWorkletHostApi>,
    options: AudioWorkletEngineClientOptions,
    /** The AudioContext the engine plays in. */
    readonly context: AudioContext,
    /** The AudioWorkletNode running the engine (connect it anywhere). */
    readonly node: AudioWorkletNode,
    /** The node's port, typed by the main <-> worklet protocol. */
    private readonly port: TypedPort<MainToWorkletMessage, WorkletToMainMessage>,
    /** How state, meters and commands move: "shared_memory" or the "message_port" fallback. */
    readonly dataPlane: DataPlaneTransport,
    private readonly transportBlock: TransportBlock,
    private readonly meterBlock: MeterBlock,
    /** The meters of the nodes a graph names in extensions.meters (node-meter-tap.ts). */
    private readonly nodeMeterBlock: MeterBlock,
    /** True when start() created the context, so close() closes it too. */
    private readonly ownsContext: boolean,
    /** Where engine.wasm and the worklet module are (stage nodes of WAM graphs load them too). */
    private readonly assets: EngineAssets,
    /** The engine node's live audio input: connect a source, measure its latency, record takes. */
    readonly liveInput: LiveInputPort,
  ) {
    super(worker, remote, options);
    this.clock = options.clock ?? systemClock;
    this.measureWamResources = options.measureWamResources === true;
    this.sessionId = `realtime-${++sessions}`;
    port.onmessage = (event) => {
      if (liveInput.handleMessage(event.data)) return;
      if (event.data.type === "fault") {
        this.faults.dispatchEvent(new CustomEvent("fault", { detail: event.data.message }));
      }
    };
  }

  /** WAM roots' plugins are described in the context the engine plays in (their host group's). */
  protected override wamScanContext(): BaseAudioContext {
    return this.context;
  }

  /** WAM roots' plugins are measured against builtin:gain at discovery (wam-cost-meter.ts). */
  protected override wamCostMeter(): WamScanOptions["measureCost"] {
    if (!this.measureWamResources) return undefined;
    return (Plugin, descriptor) =>
      measureWamCost(Plugin, {
        sampleRate: this.context.sampleRate,
        takesInput: (descriptor.extensions.input_channels ?? 0) > 0,
        assets: this.assets,
      });
  }

  /**
   * Starts the engine in an AudioWorklet (and its engine Worker) and resolves when both run.
   * @example
   * const engine = await AudioWorkletEngineClient.start();
   * await engine.loadGraph(graph);
   * await engine.play();
   */
  static async start(options: AudioWorkletEngineClientOptions = {}): Promise<AudioWorkletEngineClient> {
    const context =
      options.context ??
      new AudioContext({
        latencyHint: "interactive",
        ...(options.sampleRate ? { sampleRate: options.sampleRate } : {}),
      });
    const assets = engineAssets(options.baseUrl);
    // engine.wasm is compiled once, for both; the Worker starts at the same time as the worklet (it
    // loads its script while the module compiles), not after it: the two starts overlap.
    const module = loadEngineModule(assets.engineWasm);
    const workerStarted = startEngineWorker<AudioWorkletHostApi>(
      { ...options, sampleRate: context.sampleRate },
      "realtime",
      module,
    );
    let worklet: EngineWorklet;
    try {
      worklet = await createEngineWorklet(context, { followCommands: true, outputChannels: 2, assets });
    } catch (error) {
      workerStarted.then(({ worker }) => worker.terminate()).catch(() => undefined);
      throw error;
    }
    const { node, port } = worklet;
    if (options.connect !== false) node.connect(context.destination);
    const plane = createDataPlane({ isolated: globalThis.crossOriginIsolated === true });
    const transport = plane.createTransportBlock();
    const meters = plane.createMeterBlock(2);
    const nodeMeters = plane.createMeterBlock(NODE_METER_CHANNELS);
    port.postMessage(
      {
        type: "connect-blocks",
        transport: transport.remote,
        meters: meters.remote,
        nodeMeters: nodeMeters.remote,
      },
      [...transport.transfer, ...meters.transfer, ...nodeMeters.transfer],
    );
    const { worker, remote } = await workerStarted;
    const channel = new MessageChannel();
    port.postMessage({ type: "connect-control", port: channel.port1 }, [channel.port1]);
    await remote.attachWorklet(Comlink.transfer(channel.port2, [channel.port2]));
    return new AudioWorkletEngineClient(
      worker,
      remote,
      options,
      context,
      node,
      port,
      plane.transport,
      transport.local,
      meters.local,
      nodeMeters.local,
      options.context === undefined,
      assets,
      new LiveInputPort(context, node, port, plane),
    );
  }

  /**
   * The latest transport snapshot, read from shared memory without a message (microseconds): for
   * a UI's animation frame. Returns the same object each time; copy what you keep.
   * @example
   * const { positionSeconds, tempoBpm, lateCommands } = engine.readTransport();
   */
  readTransport(): TransportSnapshot {
    this.transportBlock.read(this.snapshot);
    return this.snapshot;
  }

  /**
   * The latest level meters (peak and RMS per channel, newest quantum and a short window).
   * @example
   * const reading = engine.createMeterReading();
   * requestAnimationFrame(function draw() { engine.readMeters(reading); paint(reading.windowPeak); requestAnimationFrame(draw); });
   */
  readMeters(into: MeterReading): boolean {
    return this.meterBlock.read(into);
  }

  /** A reusable reading for readMeters(). @example const reading = engine.createMeterReading(); */
  createMeterReading(): MeterReading {
    return this.meterBlock.createReading();
  }

  /**
   * The latest meters of the nodes the playing graph names in `extensions.meters`, two channels a
   * node in that order (node k: channels 2k and 2k + 1), read like readMeters.
   * @example
   * const reading = engine.createNodeMeterReading();
   * engine.readNodeMeters(reading); // reading.windowPeak[2 * k] is node k's left peak
   */
  readNodeMeters(into: MeterReading): boolean {
    return this.nodeMeterBlock.read(into);
  }

  /** A reusable reading for readNodeMeters(). @example const reading = engine.createNodeMeterReading(); */
  createNodeMeterReading(): MeterReading {
    return this.nodeMeterBlock.createReading();
  }

  /**
   * Calls `listener` once per engine fault (a trap inside engine.wasm): the node then outputs
   * silence until restart(). Returns a function that removes the listener.
   * @example
   * engine.onFault((message) => { console.warn(message); void engine.restart(); });
   */
  onFault(listener: (message: string) => void): () => void {
    const handler = (event: Event) => listener(String((event as CustomEvent).detail));
    this.faults.addEventListener("fault", handler);
    return () => this.faults.removeEventListener("fault", handler);
  }

  /**
   * Restarts the engine after a fault with the same graph and buffers; the transport keeps its
   * position. The session id changes.
   * @example
   * await engine.restart();
   */
  restart(): Promise<void> {
    this.ensureOpen();
    this.restarting ??= new Promise<void>((resolve) => {
      const previous = this.port.onmessage;
      this.port.onmessage = (event) => {
        if (event.data.type === "restarted") {
          this.port.onmessage = previous;
          resolve();
        } else previous?.(event);
      };
      this.port.postMessage({ type: "restart" });
    }).finally(() => {
      this.restarting = null;
      this.sessionId = `realtime-${++sessions}`;
    });
    return this.restarting;
  }

  /** Test hook: make the engine trap inside its next quantum (see restart()). @example engine.trapForTesting(); */
  trapForTesting(): void {
    this.port.postMessage({ type: "trap-for-testing" });
  }

  /**
   * From the transport block, without a message.
   * @example
   * const { position_seconds, extensions } = await engine.getTransportState();
   */
  override async getTransportState(): Promise<TransportState> {
    this.ensureOpen();
    const s = this.readTransport();
    return {
      version: CONTRACT_VERSION,
      session_id: this.sessionId,
      running: s.running,
      position_seconds: s.positionSeconds,
      sample_rate: this.context.sampleRate,
      buffer_size_frames: s.quantumFrames || 128,
      tempo_bpm: s.tempoBpm > 0 ? s.tempoBpm : 120,
      last_update_iso8601: new Date(this.clock.now()).toISOString(),
      extensions: {
        position_beats: s.positionBeats,
        loop: s.loopEnabled
          ? {
              start_seconds: s.loopStartFrames / this.context.sampleRate,
              end_seconds: s.loopEndFrames / this.context.sampleRate,
            }
          : null,
        dropouts: {
          underruns: s.underruns,
          ring_overflows: s.ringOverflows,
          late_commands: s.lateCommands,
          bad_commands: s.badCommands,
          dropped_commands: s.droppedCommands,
        },
        non_finite_samples: s.nonFiniteSamples,
        data_plane: this.dataPlane,
        // A WAM graph's output is late by its WAM path's compensation delay (docs/wam.md).
        ...(this.wamGraph ? { wam: { latency_frames: this.wamGraph.latencyFrames } } : {}),
        // A graph whose nodes add latency plays late by it (docs/processors.md, "Latency compensation").
        ...(this.playingLatencyFrames > 0 ? { latency_frames: this.playingLatencyFrames } : {}),
      },
    };
  }

  /**
   * Renders like every client; a graph with WAM nodes renders offline here, on the main thread, in an
   * OfflineAudioContext (wam-offline-render.ts; docs/wam.md, "Hosting").
   * @example
   * const result = await engine.render(request);
   */
  override async render(request: RenderRequestInput, options: RenderCallOptions = {}): Promise<RenderResult> {
    // `?.` on the request too: a call with no request at all is refused by the contract check, not here.
    const live = (request as { options?: { offline?: boolean } } | null)?.options?.offline === false;
    if (!requestHasWamNodes(request)) {
      if (!live) return super.render(request, options);
      // The render put the held transport back between two quanta; the state getTransportState reads
      // is published by the next quantum: wait for it, so a caller never reads the render's own state.
      return this.afterQuanta(() => super.render(request, options));
    }
    this.ensureOpen();
    if (live) {
      // Real time: play the WAM graph (kept when it plays already) and capture what returns into the
      // primary, its output and stems, each trimmed by its path's latency (wam-live-render.ts).
      return this.afterQuanta(() =>
        renderWamLive(request, options, {
          live: () => this.wamGraph,
          loadGraph: (graph, stems, recorded) => this.loadWamGraph(graph, stems, recorded),
          renderReturn: (returning, callOptions) => super.render(returning, callOptions),
          readBuffer: (handle) => this.readBuffer(handle),
          uploadBuffer: (channels, sampleRate) => this.uploadBuffer(channels, sampleRate),
          releaseBuffer: (handle) => this.releaseBuffer(handle),
        }),
      );
    }
    return renderWithWams(request, {
      compileStages: (graphs, sampleRate, root) =>
        this.call((remote) => remote.compileStages(graphs, sampleRate, root)),
      uploadBuffer: (channels, sampleRate) => this.uploadBuffer(channels, sampleRate),
      renderEngine: (engineRequest) => super.render(engineRequest),
      releaseBuffer: (handle) => this.releaseBuffer(handle),
      assets: this.assets,
      policy: this.wamPolicy,
    });
  }

  /**
   * Plays `graph`; a graph with WAM nodes plays through stages and WAM instances around the engine
   * (wam-live-graph.ts; docs/wam.md, "Hosting"). A graph that is refused, or whose WAM node does not
   * load (its module, its instance), rejects naming the node and why, and what played plays on.
   * @example
   * await engine.loadGraph(graph);
   */
  override async loadGraph(graph: GraphDescriptorInput): Promise<void> {
    if (!hasWamNodes(graph as { nodes?: unknown })) {
      await super.loadGraph(graph);
      this.endWamGraph();
      this.playingLatencyFrames = await this.call((remote) => remote.playingLatencyFrames());
      return;
    }
    await this.loadWamGraph(graph, []);
  }

  /**
   * Plays `graph` (with WAM nodes) around the primary, which also receives the output of the nodes
   * `stems` names (a live render's captures: wam-live-graph.ts, returnGraph).
   */
  private async loadWamGraph(
    graph: GraphDescriptorInput,
    stems: readonly string[],
    recorded: readonly string[] = [],
  ): Promise<void> {
    this.ensureOpen();
    const root = "load_graph.graph";
    const parsed = parseContract(GraphDescriptorSchema, graph, root);
    checkGraph(parsed, { rootLabel: root });
    // Everything that can fail (stages compiled, plugins loaded and created) happens beside the graph
    // playing; only then does the primary turn to the new graph's return.
    const next = await LiveWamGraph.build(
      parsed,
      {
        context: this.context,
        primary: this.node,
        port: this.port,
        compileStages: (graphs, sampleRate, at, compileOptions) =>
          this.call((remote) => remote.compileStages(graphs, sampleRate, at, compileOptions)),
        playStages: (graphs, sampleRate, at, compileOptions) =>
          this.call((remote) => remote.playStages(graphs, sampleRate, at, compileOptions)),
        assets: this.assets,
        policy: this.wamPolicy,
      },
      root,
      stems,
      recorded,
    );
    try {
      // The primary plays the return graph: silence, a port for the output and one per stem
      // (return-graph.ts).
      await this.call((remote) => remote.loadWamReturn(next.returnLayout));
    } catch (error) {
      next.discard();
      throw error;
    }
    this.playingLatencyFrames = 0;
    this.endWamGraph();
    this.wamGraph = next;
    try {
      await next.start();
    } catch (error) {
      this.endWamGraph();
      throw error;
    }
  }

  /**
   * Parameters of WAM nodes go to the plugin (wam-automation events, now or on their frame); the
   * others to the engine (in a WAM graph, to the stage holding the node: stage-group.ts).
   */
  override async setParameter(
    node: string,
    parameter: string,
    value: number | string,
    options?: SetParameterOptions,
  ): Promise<void> {
    const live = this.wamGraph;
    if (!live?.hasWam(node)) return super.setParameter(node, parameter, value, options);
    this.ensureOpen();
    const command = setParameterCommand(node, parameter, value, options ?? {});
    await live.setParameter(node, parameter, value, command.at_seconds ?? undefined);
  }

  /** MIDI for a WAM node goes to the plugin (wam-midi events on their frames); the rest to the engine. */
  override async scheduleEvents(node: string, events: MidiEventInput[]): Promise<void> {
    const live = this.wamGraph;
    if (!live?.hasWam(node)) return super.scheduleEvents(node, events);
    this.ensureOpen();
    await live.scheduleEvents(node, events);
  }

  /**
   * Live MIDI: into an engine node through the command ring (on the first frame of the quantum that
   * takes it, or on its frame); into a WAM node as wam-midi events handed to the plugin from the
   * audio thread on the same frames (wam-event-lanes.ts).
   * @example
   * await engine.sendMidi("keys", { type: "note_on", note: 60, velocity: 100 });
   */
  override async sendMidi(
    node: string,
    message: LiveMidiMessageInput,
    options?: SendMidiOptions,
  ): Promise<void> {
    const live = this.wamGraph;
    if (!live?.hasWam(node)) return super.sendMidi(node, message, options);
    this.ensureOpen();
    const command = sendMidiCommand(node, message, options ?? {});
    live.sendMidi(node, command.message, command.at_seconds ?? undefined);
  }

  /**
   * Records the live MIDI the engine plays from now on (LiveMidiRecorder); a recording running
   * starts over. A live render recording MIDI (record_midi) or WAM parameters runs beside it: each
   * keeps its own record.
   * @example
   * await engine.startMidiRecording();
   */
  async startMidiRecording(): Promise<void> {
    await this.call((remote) => remote.startMidiRecording());
  }

  /**
   * A parameter's value in the playing engine: an engine node's, read on the audio thread between two
   * quanta (WorkletDriver.getParameter); a WAM node's, as its processor reports it
   * (LiveWamGraph.parameterValue), with the transport frame read when the answer arrives.
   * @example
   * const { value, frame } = await engine.getParameter("filter", "frequency");
   */
  override async getParameter(node: string, parameterId: string): Promise<ParameterReading> {
    const live = this.wamGraph;
    const command = getParameterCommand(node, parameterId);
    if (!live?.hasWam(command.node)) return this.call((remote) => remote.getParameter(node, parameterId));
    this.ensureOpen();
    // A set made now is an event the plugin's processor queues and applies in its next quantum: a
    // first read (one round trip on the plugin's port) has it queued, two quanta played apply it.
    await live.parameterValue(command.node, command.parameter_id);
    await this.quantaPlayed(2);
    const value = await live.parameterValue(command.node, command.parameter_id);
    return { value, frame: this.readTransport().positionFrames };
  }

  /** Resolves once the worklet has played `count` more quanta (or after 200 ms: a suspended context). */
  private async quantaPlayed(count: number): Promise<void> {
    const target = this.readTransport().quantum + count;
    const deadline = performance.now() + 200;
    while (this.readTransport().quantum < target && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  /**
   * Stops recording and returns every live message played since the start, on the frames the audio
   * thread applied them (LiveMidiRecorder; recordedMidiEvents makes MidiEvents of a node's).
   * @example
   * const take = await engine.stopMidiRecording();
   */
  async stopMidiRecording(): Promise<MidiRecording> {
    return this.call((remote) => remote.stopMidiRecording());
  }

  /** Automation of a WAM node's parameter replaces its lane of wam-automation events; the rest: engine. */
  override async scheduleAutomation(
    node: string,
    parameterId: string,
    automation: AutomationInput,
    options?: ScheduleAutomationOptions,
  ): Promise<void> {
    const live = this.wamGraph;
    if (!live?.hasWam(node)) return super.scheduleAutomation(node, parameterId, automation, options);
    this.ensureOpen();
    await live.scheduleAutomation(node, parameterId, automation, options);
  }

  /** The WAM graph playing (null when the graph has no WAM node). */
  get wams(): LiveWamGraph | null {
    return this.wamGraph;
  }

  /**
   * Mounts the GUI of WAM node `node` of the playing graph into `container`; resolves to a function
   * that unmounts it.
   * @example
   * const unmount = await engine.mountWamGui("reverb", document.querySelector("#plugin") as Element);
   */
  mountWamGui(node: string, container: Element): Promise<() => void> {
    this.ensureOpen();
    if (!this.wamGraph)
      throw new EngineError("E_UNKNOWN_NODE", `no WAM node named "${node}" is playing`, "node");
    return this.wamGraph.mountGui(node, container);
  }

  /**
   * The playing graph with each WAM node's current plugin state in extensions.wam.state, to save in a
   * session: loading it again restores the plugins as they are now.
   * @example
   * const graph = await engine.graphWithWamState();
   */
  async graphWithWamState(): Promise<GraphDescriptor | null> {
    this.ensureOpen();
    return (await this.wamGraph?.graphWithState()) ?? null;
  }

  private endWamGraph(): void {
    this.wamGraph?.end();
    this.wamGraph = null;
  }

  override async play(): Promise<void> {
    await this.applied(() => super.play());
  }
  /**
   * Monitoring while stopped on or off (RealtimeEngineClient.setMonitoring). E_SCHEMA at
   * set_monitoring.on for anything but a boolean.
   * @example
   * await engine.setMonitoring(true);
   */
  async setMonitoring(on: boolean): Promise<void> {
    const flag = monitoringFlag(on);
    this.ensureOpen();
    await this.applied(() => this.call((remote) => remote.setMonitoring(flag)));
  }
  override async pause(): Promise<void> {
    await this.applied(() => super.pause());
  }
  override async stop(): Promise<void> {
    await this.applied(() => super.stop());
  }
  override async seek(seconds: number): Promise<void> {
    await this.applied(() => super.seek(seconds));
  }
  override async setLoop(loop: Parameters<EngineClient["setLoop"]>[0]): Promise<void> {
    await this.applied(() => super.setLoop(loop));
  }
  override async setTempo(bpm: number, options?: Parameters<EngineClient["setTempo"]>[1]): Promise<void> {
    await this.applied(() => super.setTempo(bpm, options));
  }

  /** Closes the engine, its worker and the node (and the context when this client created it). */
  protected override async release(): Promise<void> {
    this.endWamGraph();
    await super.release();
    this.node.disconnect();
    if (this.ownsContext) await this.context.close();
  }

  /** What `call` returns, once the audio thread has rendered two quanta after it (applied()). */
  private async afterQuanta<T>(call: () => Promise<T>): Promise<T> {
    let value: T | undefined;
    await this.applied(async () => {
      value = await call();
    });
    return value as T;
  }

  /**
   * Runs a transport call, then waits until the audio thread has rendered two more quanta, so the
   * state a caller reads next reflects it (while the context runs; capped at APPLY_TIMEOUT_MS).
   */
  private async applied(call: () => Promise<void>): Promise<void> {
    await call();
    if (this.context.state !== "running") return;
    const target = this.readTransport().quantum + 2;
    const deadline = performance.now() + APPLY_TIMEOUT_MS;
    while (this.readTransport().quantum < target && performance.now() < deadline) await yieldTask();
  }
}

/**
 * The bootstrapper's factory for the "audioworklet" host.
 * @example
 * new EngineBootstrapper().registerHost("audioworklet", audioWorkletHostFactory);
 */
export const audioWorkletHostFactory = (
  context: HostContext<AudioWorkletEngineClientOptions>,
): Promise<EngineClient> => AudioWorkletEngineClient.start(context.hostOptions ?? {});
