/**
 * InProcessEngineClient: the EngineClient that runs engine.wasm on the caller's own thread (Node.js,
 * tests, the command line, a page without Workers). It validates exactly as the other hosts do and
 * renders the same samples: it compiles each request's graph (engine/graph-compiler.ts), applies it
 * to a WasmEngine, and runs the render loop (engine/render-job.ts).
 *
 * What is particular to this host:
 * - Engines. One WasmEngine at the client's sample rate and block size; a request at another rate or
 *   with its own options.block_size gets an engine of its own, kept for later requests (the few most
 *   recently used are kept: engine-pool.ts).
 * - Buffers. Audio is held in JS by handle ("buf:<n>") and copied into an engine only when a graph
 *   uses it (buffer-store.ts). A buffer at another rate than the render is resampled by the node that
 *   plays it (linear interpolation).
 * - Renders run one at a time, in call order. A long render, preroll included, yields to the event
 *   loop every YIELD_INTERVAL_MS (10 ms) of rendering (engine/render-job.ts), so the thread keeps
 *   answering and an AbortSignal or close() stops it within one slice. Every accepted render ends in
 *   a RenderResult (render-outcome.ts); NaN and ±Infinity never reach its audio (the engine writes
 *   0 instead) and fail it unless options.non_finite is "replace".
 * - Transport. There is no audio clock here: play, pause, stop, seek, setLoop and setTempo change the
 *   TransportState this client reports (in-process-transport.ts), and a render leaves the playhead
 *   where it ended (start_position_seconds + rendered seconds). Tempo ramps apply at once.
 * - Real-time control. loadGraph validates and stores a graph (it must compile for this engine), and
 *   setParameter / scheduleEvents record their changes in it (graph-edits.ts): they shape what a
 *   real-time host would play next, and `loadedGraph()` returns the record. A render always plays its
 *   own request's node_graph.
 *
 * Why one file of about 500 lines: it is this host's whole EngineClient, every method documented with
 * an example; the parts that stand on their own already live beside it.
 */
import {
  getParameterCommand,
  makeCommand,
  parseDiscoveryRoot,
  parseHandleArgument,
  parseUploadArguments,
  scheduleAutomationCommand,
  sendMidiCommand,
  setParameterCommand,
} from "../../api/call-validation";
import { type Clock, systemClock } from "../../api/clock";
import {
  type DiscoveryRoot,
  type DiscoveryRootScanning,
  failedRootScan,
  isWamRoot,
  type RootScan,
} from "../../api/discovery-roots";
import type {
  EngineClient,
  FaustCompileOptions,
  FaustCompiling,
  HostKind,
  RenderCallOptions,
  ScheduleAutomationOptions,
  SendMidiOptions,
  SetParameterOptions,
  SetTempoOptions,
} from "../../api/engine-client";
import { EngineClientBase } from "../../api/engine-client-base";
import { audioBytes } from "../../api/held-buffer-bytes";
import type { HostContext } from "../../api/host-factory";
import type { ParameterReading } from "../../api/realtime-client";
import { automationAfter } from "../../contracts/automation-lane";
import { type BufferHandle, CONTRACT_VERSION, NodeIdSchema } from "../../contracts/common";
import { EngineError, isEngineError } from "../../contracts/errors";
import type {
  AutomationInput,
  GraphDescriptor,
  GraphDescriptorInput,
  GraphNode,
  MidiEventInput,
} from "../../contracts/graph-descriptor";
import {
  checkGraph,
  DEFAULT_FEEDBACK_NODE_IDS,
  graphBufferReferences,
} from "../../contracts/graph-semantics";
import type { LiveMidiMessageInput } from "../../contracts/live-midi";
import type { NodeDescriptor } from "../../contracts/node-descriptor";
import { nonFiniteReport } from "../../contracts/non-finite";
import { type PluginDiscoveryResult, PluginDiscoveryResultSchema } from "../../contracts/plugin-discovery";
import {
  checkRenderRequest,
  type RenderRequest,
  type RenderRequestInput,
  RenderRequestSchema,
  type RenderResult,
  renderFrameCount,
} from "../../contracts/render";
import { renderResultError } from "../../contracts/render-result-error";
import type { LoopRegion, TransportState } from "../../contracts/transport-state";
import { parseContract } from "../../contracts/validate";
import { isWamNode, wamNodeUnsupported } from "../../contracts/wam-node";
import { builtinCpuUnits, builtinCpuUnitsNote } from "../../engine/builtin-cpu-units";
import { BUILTIN_PREFIX, builtinDescriptors } from "../../engine/builtin-descriptors";
import {
  type CompiledGraph,
  compileGraph,
  compileLane,
  type ExternalNodeResolution,
  requireBuiltinType,
  requireParameterOf,
  resolveParameterValue,
  staticParameterValue,
} from "../../engine/graph-compiler";
import {
  bufferShapeOf,
  type EngineMemory,
  engineMemory,
  isEngineTrap,
  scatterMemoryForTesting,
} from "../../engine/graph-memory";
import {
  isLiveInputNode,
  liveInputDescriptor,
  liveInputUnavailable,
  silentLiveInput,
} from "../../engine/live-input-node";
import {
  builtinResourceEstimates,
  measureExternalEstimate,
  type ResourceEstimate,
} from "../../engine/node-resources";
import { type ProcessorTypeInfo, requireMidiNode } from "../../engine/processor-types";
import {
  automationBlockFrames,
  recordedAutomationBytes,
  recordedAutomationExtensions,
} from "../../engine/recorded-automation";
import { runRenderJob } from "../../engine/render-job";
import type { CompiledFaust } from "../../faust/compiler";
import { createFaustNode } from "../../faust/faust-node";
import { faustMemoryBytes } from "../../faust/heap";
import type { FaustRegistry } from "../../faust/registry";
import { BufferStore } from "./buffer-store";
import { checkGraphLimit, compileToFit, replaceTrappedEngine } from "./engine-memory";
import { EnginePool } from "./engine-pool";
import { withAutomation, withMidiEvents, withParameterChange } from "./graph-edits";
import { type InProcessClientOptions, InProcessClientOptionsSchema } from "./in-process-options";
import { InProcessTransport } from "./in-process-transport";
import { playedMidiExtensions } from "./played-midi";
import { nonFiniteFailure, renderFailure, renderResult } from "./render-outcome";

const FLOAT32_BYTES = 4;

export class InProcessEngineClient
  extends EngineClientBase
  implements EngineClient, FaustCompiling, DiscoveryRootScanning
{
  /**
   * Always "in-process".
   * @example
   * client.host; // "in-process"
   */
  readonly host: HostKind = "in-process";
  /**
   * Sample rate of the client's own engine, in Hz (TransportState.sample_rate).
   * @example
   * new InProcessEngineClient({ module, sampleRate: 44100 }).sampleRate; // 44100
   */
  readonly sampleRate: number;
  /**
   * Frames per processing block of the client's own engine (TransportState.buffer_size_frames).
   * @example
   * new InProcessEngineClient({ module }).blockSize; // 128
   */
  readonly blockSize: number;
  private readonly clock: Clock;
  private readonly sessionId: string;
  private readonly hostName: "in-process" | "worker";
  /** Live audio input nodes build as silence (the AudioWorklet host's engine Worker) or are refused. */
  private readonly liveInputAsSilence: boolean;
  private estimates: ReadonlyMap<string, ResourceEstimate> | undefined;
  private readonly faustEstimates = new Map<string, ResourceEstimate>();
  private readonly engines: EnginePool;
  private readonly types: readonly ProcessorTypeInfo[];
  private readonly feedbackNodeIds: ReadonlySet<string>;
  private readonly buffers = new BufferStore();
  private readonly transport = new InProcessTransport();
  private graph: GraphDescriptor | undefined;
  /** The render in progress and those queued behind it; renders share engines, so they run in turn. */
  private renders: Promise<unknown> = Promise.resolve();
  private scans = 0;
  private readonly faust: FaustRegistry | undefined;

  /**
   * Throws E_SCHEMA at options.<field> for a bad option.
   * @example
   * const client = new InProcessEngineClient({ module: await loadEngineModuleFromDisk(), sampleRate: 44100 });
   */
  constructor(options: InProcessClientOptions) {
    const parsed = parseContract(InProcessClientOptionsSchema, options, "options");
    super({
      clock: parsed.clock,
      discoveryTtlMs: parsed.discoveryTtlMs,
      discoveryRoots: parsed.discoveryRoots as DiscoveryRoot[] | undefined,
    });
    this.sampleRate = parsed.sampleRate;
    this.blockSize = parsed.blockSize;
    this.clock = parsed.clock ?? systemClock;
    this.sessionId = parsed.sessionId ?? `in-process-${Math.random().toString(36).slice(2, 10)}`;
    this.faust = parsed.faust;
    this.hostName = parsed.hostName;
    this.liveInputAsSilence = parsed.liveInputAsSilence;
    this.engines = new EnginePool(parsed.module, {
      sampleRate: this.sampleRate,
      blockSize: this.blockSize,
      maxExtraEngines: parsed.maxExtraEngines,
      // An evicted engine's copies of buffers go with it.
      onEvict: (engine) => this.buffers.forgetEngine(engine),
    });
    this.types = this.engines.own.types;
    // The engine decides which kinds exist; of those, the contract's delay-like kinds may close cycles.
    const kinds = new Set(this.types.map((type) => `${BUILTIN_PREFIX}${type.kind}`));
    this.feedbackNodeIds = new Set([...DEFAULT_FEEDBACK_NODE_IDS].filter((id) => kinds.has(id)));
  }

  /**
   * The processor table of this client's engine (kinds, parameters, presets), as engine.wasm lists it:
   * what graphs for another engine of the same module (the AudioWorklet's) are compiled against.
   * @example
   * client.processorTypes().map((type) => type.kind); // ["gain", "oscillator", ...]
   */
  processorTypes(): readonly ProcessorTypeInfo[] {
    return this.types;
  }

  /**
   * The graph loadGraph stored, with every setParameter and scheduleEvents since recorded in it.
   * @example
   * await client.setParameter("filter", "frequency", 1200);
   * client.loadedGraph()?.nodes[1]?.params.frequency; // 1200
   */
  loadedGraph(): GraphDescriptor | undefined {
    return this.graph;
  }

  /**
   * Handles of the buffers currently held (uploads, renders, captures), to check for leaks.
   * @example
   * expect(client.heldBuffers()).toEqual([]);
   */
  heldBuffers(): BufferHandle[] {
    return this.buffers.handles();
  }

  /**
   * Bytes of audio this client holds by handle (uploads, render results, captures): what counts
   * against heldBufferBytes (diagnostics, the bench's memory rows).
   * @example
   * const before = client.heldBufferBytes();
   */
  heldBufferBytes(): number {
    return this.buffers.bytes.heldBytes;
  }

  /**
   * The memory of the engine at the client's own rate and block size (diagnostics, tests).
   * @example
   * const { inUseBytes, availableBytes } = client.engineMemory();
   */
  engineMemory(): EngineMemory {
    return engineMemory(this.engines.own.exports);
  }

  /**
   * Test hook: scatters the free memory of the engine at the client's own rate into holes of
   * `holeBytes` (scatterMemoryForTesting), so that a graph whose largest block fits in no hole passes
   * the estimate and then cannot be allocated.
   * @example
   * client.scatterMemoryForTesting(100 * 2 ** 20);
   */
  scatterMemoryForTesting(holeBytes: number): void {
    scatterMemoryForTesting(this.engines.own.exports, holeBytes);
  }

  /**
   * Throws E_LIMIT at `path` unless `bytes` more audio fit beside what this client holds
   * (heldBufferBytes): a host that fills a buffer over time checks before it starts.
   * @example
   * client.ensureBufferRoom(4 * frames * channels.length, ""); // before a real-time capture
   */
  ensureBufferRoom(bytes: number, path: string): void {
    this.buffers.bytes.ensureRoom(bytes, path);
  }

  /**
   * The TransportState this host keeps (it has no clock: the playhead moves only by seek, stop and
   * renders). tempo_bpm is null until setTempo or loadGraph.
   * @example
   * const { position_seconds, running } = await client.getTransportState();
   */
  async getTransportState(): Promise<TransportState> {
    this.ensureOpen();
    return this.transport.state(
      { sessionId: this.sessionId, sampleRate: this.sampleRate, bufferSizeFrames: this.blockSize },
      new Date(this.clock.now()),
    );
  }

  /**
   * Marks the transport as running (nothing plays in-process; the state is reported).
   * @example
   * await client.play();
   */
  async play(): Promise<void> {
    this.ensureOpen();
    makeCommand("play", {});
    this.transport.play();
  }

  /**
   * Marks the transport as stopped, keeping its position.
   * @example
   * await client.pause();
   */
  async pause(): Promise<void> {
    this.ensureOpen();
    makeCommand("pause", {});
    this.transport.pause();
  }

  /**
   * Marks the transport as stopped and moves it to 0.
   * @example
   * await client.stop();
   */
  async stop(): Promise<void> {
    this.ensureOpen();
    makeCommand("stop", {});
    this.transport.stop();
  }

  /**
   * Moves the reported playhead; E_SCHEMA at seek.position_seconds for a negative or non-finite time.
   * @example
   * await client.seek(12.5);
   */
  async seek(seconds: number): Promise<void> {
    this.ensureOpen();
    this.transport.seek(makeCommand("seek", { position_seconds: seconds }).position_seconds);
  }

  /**
   * Sets or clears the reported loop region (renders do not loop: they play their request's timeline).
   * @example
   * await client.setLoop({ start_seconds: 8, end_seconds: 16 });
   */
  async setLoop(loop: LoopRegion | null): Promise<void> {
    this.ensureOpen();
    this.transport.setLoop(makeCommand("set_loop", { loop }).loop);
  }

  /**
   * Sets the reported tempo at once (no clock, so no ramp); renders use their graph's own tempo.
   * @example
   * await client.setTempo(128);
   */
  async setTempo(bpm: number, options: SetTempoOptions = {}): Promise<void> {
    this.ensureOpen();
    const command = makeCommand("set_tempo", { bpm, ramp_seconds: options.rampSeconds });
    this.transport.setTempo({ bpm: command.bpm });
  }

  /**
   * Validates a graph as a render would (schema, graph rules, node types, parameters, buffer handles,
   * E_LIMIT for more memory than LIMITS.graphMemoryBytes) and stores it for real-time control; a
   * rejected graph leaves the stored one. Paths start at load_graph.graph.
   * @example
   * await client.loadGraph({ version: "v1alpha", nodes: [{ name: "osc", node_id: "builtin:oscillator" }], output: "osc" });
   */
  async loadGraph(graph: GraphDescriptorInput): Promise<void> {
    this.ensureOpen();
    const command = makeCommand("load_graph", { graph });
    const rootLabel = "load_graph.graph";
    checkGraph(command.graph, { rootLabel, feedbackNodeIds: this.feedbackNodeIds });
    await this.faust?.prepareGraph(command.graph, rootLabel);
    this.checkPlayable(command.graph, rootLabel);
    this.graph = command.graph;
    this.transport.setTempo(command.graph.tempo);
  }

  /**
   * Compiles `graph` once without an engine, so a graph this host could not play is rejected now
   * (paths under `rootLabel`).
   */
  private checkPlayable(graph: GraphDescriptor, rootLabel: string): void {
    // Buffer ids are indices into `handles`, for the memory estimate's channel counts.
    const handles: string[] = [];
    const compiled = compileGraph(graph, {
      resolveExternal: (node, path) => this.resolveExternal(node, path),
      types: this.types,
      sampleRate: this.sampleRate,
      rootLabel,
      resolveBuffer: (handle, path) => {
        this.buffers.get(handle, path);
        return handles.push(handle) - 1;
      },
      readBufferChannel0: (handle, path) => this.channel0(handle, path),
    });
    checkGraphLimit(this.engines, compiled, graph, rootLabel, (id) =>
      bufferShapeOf(this.buffers.get(handles[id] as string, rootLabel).channels),
    );
  }

  /**
   * Records a parameter change in the loaded graph (see graph-edits.ts): now, into params; at a time,
   * as a step breakpoint. The id and value are checked against the node's type.
   * @example
   * await client.setParameter("filter", "frequency", 1200, { atSeconds: 4 });
   */
  async setParameter(
    node: string,
    parameterId: string,
    value: number | string,
    options: SetParameterOptions = {},
  ): Promise<void> {
    this.ensureOpen();
    const command = setParameterCommand(node, parameterId, value, options);
    const [graph, target] = this.loadedNode(command.node, "set_parameter.node");
    const type =
      this.resolveExternal(target, "set_parameter.node")?.type ??
      requireBuiltinType(this.types, target.node_id, "set_parameter.node");
    const resolved = resolveParameterValue(type, command.parameter_id, command.value, {
      id: "set_parameter.parameter_id",
      value: "set_parameter.value",
    });
    this.graph = withParameterChange(graph, {
      node: command.node,
      parameterId: command.parameter_id,
      value: command.value,
      resolved,
      atSeconds: command.at_seconds,
      current: staticValue(type, target, command.parameter_id),
    });
  }

  /**
   * The value a parameter of the loaded graph has at the transport position: this host has no clock,
   * so the engine plays the loaded graph (with every setParameter, scheduleEvents and
   * scheduleAutomation recorded in it) for the one frame before the position (frame 0 at position 0)
   * and records the parameter there (record_automation): the lane's value on that frame, as a
   * real-time host reports the value on the last frame it rendered. The transport does not move.
   * E_UNKNOWN_NODE at get_parameter.node, E_SCHEMA at get_parameter.parameter_id.
   * @example
   * await client.seek(1.5);
   * const { value, frame } = await client.getParameter("filter", "frequency"); // frame 72000 at 48 kHz
   */
  async getParameter(node: string, parameterId: string): Promise<ParameterReading> {
    this.ensureOpen();
    const command = getParameterCommand(node, parameterId);
    const [graph, target] = this.loadedNode(command.node, "get_parameter.node");
    const type =
      this.resolveExternal(target, "get_parameter.node")?.type ??
      requireBuiltinType(this.types, target.node_id, "get_parameter.node");
    requireParameterOf(type, command.parameter_id, "get_parameter.parameter_id");
    const position = (await this.getTransportState()).position_seconds;
    const frame = Math.max(0, Math.round(position * this.sampleRate));
    const result = await this.render({
      version: CONTRACT_VERSION,
      request_id: "get_parameter",
      node_graph: graph,
      start_position_seconds: Math.max(0, frame - 1) / this.sampleRate,
      duration_seconds: 1 / this.sampleRate,
      sample_rate: this.sampleRate,
      channels: 1,
      options: { record_automation: { nodes: [command.node] } },
    });
    this.transport.seek(position);
    const recorded = result.extensions?.automation as Record<string, Record<string, string>> | undefined;
    const handles = Object.values(recorded ?? {}).flatMap((byParam) => Object.values(byParam));
    try {
      if (result.status !== "ok") throw renderResultError(result, "getParameter's render");
      const handle = recorded?.[command.node]?.[command.parameter_id];
      const value = handle === undefined ? undefined : (await this.readBuffer(handle))[0]?.[0];
      if (value === undefined) {
        throw new EngineError(
          "E_INTERNAL",
          `no recorded value for "${command.node}".${command.parameter_id}`,
        );
      }
      return { value, frame };
    } finally {
      for (const handle of [...handles, ...(result.buffer_handle ? [result.buffer_handle] : [])])
        await this.releaseBuffer(handle).catch(() => undefined);
    }
  }

  /**
   * Appends MIDI events to a node of the loaded graph.
   * @example
   * await client.scheduleEvents("keys", [{ type: "note", time: 1, duration: 0.5, note: 60, velocity: 100 }]);
   */
  async scheduleEvents(node: string, events: MidiEventInput[]): Promise<void> {
    this.ensureOpen();
    const command = makeCommand("schedule_events", { node, events });
    const [graph] = this.loadedNode(command.node, "schedule_events.node");
    this.graph = withMidiEvents(graph, command.node, command.events);
  }

  /**
   * Live MIDI needs a clock to play it on: this host has none (its renders play their own request's
   * graph), so it checks the call as every host does (schema, the node loaded, a node that takes
   * MIDI) and then refuses it with E_HOST_UNAVAILABLE, naming the host that plays it. A note with a
   * duration is scheduleEvents.
   * @example
   * await client.sendMidi("keys", { type: "note_on", note: 60, velocity: 100 }); // E_HOST_UNAVAILABLE
   */
  async sendMidi(node: string, message: LiveMidiMessageInput, options: SendMidiOptions = {}): Promise<void> {
    this.ensureOpen();
    const command = sendMidiCommand(node, message, options);
    const [, target] = this.loadedNode(command.node, "send_midi.node");
    const type =
      this.resolveExternal(target, "send_midi.node")?.type ??
      requireBuiltinType(this.types, target.node_id, "send_midi.node");
    requireMidiNode(type, command.node, target.node_id, "send_midi.node");
    throw new EngineError(
      "E_HOST_UNAVAILABLE",
      `the ${this.hostName} host has no real-time clock to play live MIDI on: the audioworklet host (createRealtimeEngine in a page) plays it; here, schedule notes with durations (scheduleEvents)`,
    );
  }

  /**
   * Records live automation of a parameter in the loaded graph (automation-lane.ts: web_audio
   * appends its calls to the lane by default, other kinds replace it), so every later render and a
   * real-time host handed the record play it as if loaded with it. The lane is compiled as a load
   * compiles it, and the graph checked as loadGraph checks it, before anything changes.
   * @example
   * await client.scheduleAutomation("amp", "gain", {
   *   kind: "web_audio", events: [{ type: "linearRampToValueAtTime", value: 0, time: 3 }],
   * });
   */
  async scheduleAutomation(
    node: string,
    parameterId: string,
    automation: AutomationInput,
    options: ScheduleAutomationOptions = {},
  ): Promise<void> {
    this.ensureOpen();
    const command = scheduleAutomationCommand(node, parameterId, automation, options);
    const [graph, target] = this.loadedNode(command.node, "schedule_automation.node");
    const type =
      this.resolveExternal(target, "schedule_automation.node")?.type ??
      requireBuiltinType(this.types, target.node_id, "schedule_automation.node");
    const id = command.parameter_id;
    requireParameterOf(type, id, "schedule_automation.parameter_id");
    const existing = Object.hasOwn(target.automation, id) ? target.automation[id] : undefined;
    const lane = automationAfter(existing, command.automation, command.mode);
    const path = "schedule_automation.automation";
    compileLane(
      graph,
      id,
      lane,
      staticValue(type, target, id),
      {
        types: this.types,
        sampleRate: this.sampleRate,
        resolveBuffer: (handle, bufferPath) => {
          this.buffers.get(handle, bufferPath);
          return 0;
        },
        readBufferChannel0: (handle, bufferPath) => this.channel0(handle, bufferPath),
      },
      path,
    );
    const edited = withAutomation(graph, command.node, id, lane);
    this.checkPlayable(edited, "schedule_automation.graph");
    this.graph = edited;
  }

  /**
   * Renders a request after the renders before it. Rejects with E_SCHEMA, E_DUPLICATE_NODE,
   * E_UNKNOWN_NODE, E_GRAPH_CYCLE, E_UNKNOWN_HANDLE or E_LIMIT (a graph that needs more memory than
   * it may have or the engine has left, or past another limit; paths under node_graph or options)
   * for a request it does not accept; otherwise resolves with status ok, partial (aborted: the
   * frames so far, E_CANCELLED) or error (the engine failed, or NaN or ±Infinity left the graph and
   * options.non_finite is not "replace": E_RENDER). Progress comes about once per second of audio.
   * With options.onChunk the audio is handed over a second at a time as it renders, and the
   * result's buffers are empty: memory does not grow with the render's length.
   * @example
   * const result = await client.render(request, { signal: controller.signal });
   * const [left, right] = await client.readBuffer(result.buffer_handle ?? "");
   */
  async render(input: RenderRequestInput, options: RenderCallOptions = {}): Promise<RenderResult> {
    this.ensureOpen();
    const request = parseContract(RenderRequestSchema, input);
    if (!request.options.offline) {
      // Ignoring the field would hand back an offline render the caller did not ask for.
      throw new EngineError(
        "E_HOST_UNAVAILABLE",
        `the ${this.hostName} host renders offline only; a real-time render plays through the audioworklet host (createRealtimeEngine in a page)`,
        "options.offline",
      );
    }
    checkRenderRequest(request, {
      feedbackNodeIds: this.feedbackNodeIds,
      streamed: options.onChunk !== undefined,
    });
    if (options.onChunk !== undefined && request.options.record_automation !== undefined) {
      throw new EngineError(
        "E_SCHEMA",
        "a streamed render (onChunk) returns no recorded automation: render without onChunk, or in shorter pieces",
        "options.record_automation",
      );
    }
    const run = this.renders.then(() => this.renderInTurn(request, options));
    this.renders = run.catch(() => undefined);
    return run;
  }

  /**
   * A copy of the audio behind a handle, one Float32Array per channel.
   * @example
   * const channels = await client.readBuffer("buf:12");
   */
  async readBuffer(handle: BufferHandle): Promise<Float32Array[]> {
    this.ensureOpen();
    return this.buffers.read(parseHandleArgument(handle), "handle");
  }

  /**
   * The sample rate of the audio behind a handle (the real-time host gives it to the worklet with
   * the audio, so audio at another rate than the context's plays at its own).
   * @example
   * client.bufferSampleRate("buf:12"); // 48000
   */
  bufferSampleRate(handle: BufferHandle): number {
    this.ensureOpen();
    return this.buffers.get(parseHandleArgument(handle), "handle").sampleRate;
  }

  /**
   * Forgets a handle at once; a render that uses it plays on to its end.
   * @example
   * await client.releaseBuffer(result.buffer_handle ?? "");
   */
  async releaseBuffer(handle: BufferHandle): Promise<void> {
    this.ensureOpen();
    this.buffers.release(parseHandleArgument(handle), "handle");
  }

  /**
   * Copies audio in and returns its handle. It enters an engine only when a graph uses it.
   * @example
   * const handle = await client.uploadBuffer([left, right], 44100);
   */
  async uploadBuffer(channels: Float32Array[], sampleRate: number): Promise<BufferHandle> {
    this.ensureOpen();
    const upload = parseUploadArguments(channels, sampleRate);
    this.buffers.bytes.ensureRoom(audioBytes(upload.channels), "upload.channels");
    return this.buffers.issue(
      upload.channels.map((channel) => channel.slice()),
      upload.sample_rate,
    );
  }

  /**
   * Stops a render in progress, preroll included, at its next yield (within YIELD_INTERVAL_MS; it
   * rejects with E_CLOSED), then frees the engines
   * and every buffer. Idempotent; every other call then rejects with E_CLOSED.
   * @example
   * await client.close();
   */
  override close(): Promise<void> {
    return super.close();
  }

  /** After close(): a render in progress notices at its next yield and stops; engines go after it. */
  protected async release(): Promise<void> {
    await this.renders;
    this.engines.destroyAll();
    this.buffers.clear();
    this.graph = undefined;
  }

  /** Runs one accepted-so-far request when the renders before it are done. */
  private async renderInTurn(request: RenderRequest, options: RenderCallOptions): Promise<RenderResult> {
    this.ensureOpen();
    const started = performance.now();
    const sampleRate = request.sample_rate;
    await this.faust?.prepareGraph(request.node_graph, "node_graph");
    const engine = this.engines.engineFor(sampleRate, request.options.block_size ?? this.blockSize);
    let compiled: CompiledGraph;
    try {
      // E_LIMIT before the engine takes any of the graph's memory (engine-memory.ts).
      compiled = compileToFit({
        engine,
        buffers: this.buffers,
        graph: request.node_graph,
        root: "node_graph",
        compile: () =>
          compileGraph(request.node_graph, {
            resolveExternal: (node, path) => this.resolveExternal(node, path),
            types: engine.types,
            sampleRate,
            resolveBuffer: (handle, path) => this.buffers.engineBufferId(engine, handle, path),
            readBufferChannel0: (handle, path) => this.channel0(handle, path),
            capture: request.options.capture,
            recordAutomation: request.options.record_automation?.nodes,
          }),
      });
    } catch (error) {
      if (!isEngineTrap(error)) throw error;
      const failure = replaceTrappedEngine(this.engines, engine, error);
      return renderResult(request, started, { status: "error", error: failure.message, frames: 0 });
    }

    const frames = renderFrameCount(request);
    // A streamed render (onChunk) holds one piece, which it hands over and never issues a handle for.
    const resultBytes =
      options.onChunk === undefined
        ? FLOAT32_BYTES * frames * request.channels * (1 + compiled.captures.size) +
          recordedAutomationBytes(
            Array.from(compiled.recorded.values(), ({ params }) => params.length),
            frames,
          )
        : 0;
    const unreserve = this.buffers.bytes.reserve(resultBytes, "");

    // Accepted: from here every outcome is a RenderResult.
    const startSeconds = request.start_position_seconds ?? 0;
    const startFrame = Math.round(startSeconds * sampleRate);
    // Nothing plays before the timeline's zero, so a preroll never reaches before it.
    const prerollFrames = Math.min(startFrame, Math.round(request.options.preroll * sampleRate));
    const unpin = this.buffers.pin(graphBufferReferences(request.node_graph).map(({ handle }) => handle));
    try {
      const output = await runRenderJob(
        engine,
        { compiled, startFrame, prerollFrames, frames, channels: request.channels },
        {
          signal: options.signal,
          onProgress: (rendered) => {
            options.onProgress?.({
              request_id: request.request_id,
              frames_rendered: rendered,
              frames_total: frames,
            });
            // The callback may have closed the client: stop here, not at the next yield, which a
            // light graph may never reach before its end.
            this.ensureOpen();
          },
          progressIntervalFrames: sampleRate,
          afterYield: () => this.ensureOpen(),
          onChunk: options.onChunk,
        },
      );
      this.transport.renderedTo(startSeconds + output.frames / sampleRate);
      unreserve();
      const report = nonFiniteReport(output.nonFinite.output, output.nonFinite.captures);
      const failed = nonFiniteFailure(request, report);
      if (failed !== null) return renderResult(request, started, failed);
      // fromEntries defines own keys: no node name can reach a prototype setter and be lost.
      const captures = Object.fromEntries(
        Array.from(output.captures, ([name, channels]) => [name, this.buffers.issue(channels, sampleRate)]),
      );
      const midi = playedMidiExtensions(request, compiled, startSeconds, startFrame, output.frames);
      const automation = recordedAutomationExtensions(
        output.parameters,
        automationBlockFrames(request, engine.blockSize),
        (channels) => this.buffers.issue(channels, sampleRate),
      );
      return renderResult(request, started, {
        status: output.complete ? "ok" : "partial",
        error: output.complete
          ? null
          : new EngineError("E_CANCELLED", `render cancelled after ${output.frames} of ${frames} frames`)
              .message,
        buffer_handle: this.buffers.issue(output.output, sampleRate),
        frames: output.frames,
        extensions: {
          captures,
          ...(automation ?? {}),
          ...(midi ?? {}),
          ...(report === null ? {} : { non_finite: report }),
          // Only for a latent graph, whose render trimmed it (latency-compensation.ts).
          ...(compiled.latencyFrames === 0 ? {} : { latency_frames: compiled.latencyFrames }),
        },
      });
    } catch (error) {
      if (isEngineError(error, "E_CLOSED")) throw error;
      // A trapped instance (a failed allocation among the causes) is replaced before the next request.
      const failure = isEngineTrap(error)
        ? replaceTrappedEngine(this.engines, engine, error)
        : renderFailure(error, compiled, request.node_graph);
      return renderResult(request, started, { status: "error", error: failure.message, frames: 0 });
    } finally {
      unreserve();
      unpin();
    }
  }

  /**
   * Compiles a Faust DSP for this client's graphs and returns its descriptor; graphs name it by its
   * node_id. Throws E_SCHEMA at `source` with Faust's message and line when it does not compile, and
   * E_HOST_UNAVAILABLE when the client was made without a FaustRegistry.
   * @example
   * const gain = await client.compileFaust('process = *(hslider("gain", 0.5, 0, 1, 0.01));');
   * gain.node_id; // "faust:…", parameter "/webdreamer/gain"
   */
  async compileFaust(source: string, options: FaustCompileOptions = {}): Promise<NodeDescriptor> {
    this.ensureOpen();
    if (this.faust === undefined) {
      throw new EngineError("E_HOST_UNAVAILABLE", "this client has no Faust compiler (options.faust)");
    }
    const compiled = await this.faust.compile(source, options);
    this.forgetDiscovery();
    return this.withFaustEstimate(compiled);
  }

  /**
   * Releases a compiled DSP (FaustCompiling.releaseFaust): the registry and the compile cache forget
   * it, so its modules and memory are freed, and the next discovery no longer lists it.
   * @example
   * await client.releaseFaust("faust:0123456789abcdef");
   */
  async releaseFaust(nodeId: string): Promise<void> {
    this.ensureOpen();
    const id = parseContract(NodeIdSchema, nodeId, "node_id");
    if (this.faust === undefined || !this.faust.release(id)) {
      throw new EngineError("E_UNKNOWN_NODE", `no compiled Faust DSP "${id}"`, "node_id");
    }
    this.faustEstimates.delete(id);
    this.forgetDiscovery();
  }

  /**
   * A compiled DSP's descriptor with its resource estimate, measured once per DSP in this client's
   * engine instance (node-resources.ts: measureExternalEstimate).
   */
  private withFaustEstimate(compiled: CompiledFaust): NodeDescriptor {
    let estimate = this.faustEstimates.get(compiled.nodeId);
    if (estimate === undefined) {
      const { layout } = compiled;
      const spec = {
        nodeId: compiled.nodeId,
        numOutputs: layout.numOutputs,
        params: layout.params,
        create: () => createFaustNode(compiled),
        memoryBytes: faustMemoryBytes(layout, new Map()),
      };
      estimate = measureExternalEstimate(
        this.engines.own,
        spec,
        layout.numInputs > 0,
        compiled.descriptor.extensions?.is_instrument === true,
      );
      this.faustEstimates.set(compiled.nodeId, estimate);
    }
    return { ...compiled.descriptor, resource_estimate: estimate };
  }

  /** The graph compiler's hook for "faust:" nodes (soundfile audio read from this client's buffers). */
  private resolveExternal(node: GraphNode, path: string): ExternalNodeResolution | undefined {
    // A WAM runs in its own AudioWorkletNode: only the audioworklet host, in a page, can play one.
    if (isWamNode(node)) throw wamNodeUnsupported(node, path, this.hostName);
    if (isLiveInputNode(node)) {
      if (this.liveInputAsSilence) return silentLiveInput(node);
      throw liveInputUnavailable(node, path, this.hostName);
    }
    const faust = this.faust?.resolve(node, path, (handle, slotPath) => this.buffers.get(handle, slotPath));
    if (faust === undefined) return undefined;
    const { layout, nodeId } = faust.compiled;
    const memoryBytes = faustMemoryBytes(layout, faust.soundfiles);
    return {
      type: faust.type,
      spec: {
        nodeId,
        numOutputs: layout.numOutputs,
        params: layout.params,
        create: faust.create,
        memoryBytes,
        latencyFrames: faust.compiled.descriptor.latency_samples,
      },
    };
  }

  private channel0(handle: string, path: string): Float32Array {
    return this.buffers.get(handle, path).channels[0] ?? new Float32Array(0);
  }

  private loadedNode(name: string, path: string): [GraphDescriptor, GraphNode] {
    const graph = this.graph;
    if (graph === undefined) throw new EngineError("E_UNKNOWN_NODE", "no graph is loaded", path);
    const node = graph.nodes.find((candidate) => candidate.name === name);
    if (node === undefined) {
      throw new EngineError("E_UNKNOWN_NODE", `no node named "${name}" in the loaded graph`, path);
    }
    return [graph, node];
  }

  /**
   * Scans one discovery root now, without the cache (the engine Worker scans Faust roots for the
   * page's clients through it). Faust roots compile into this client's registry; WAM roots are one
   * failure: WAMs need a page (an audio context and import()), which the browser hosts scan them in.
   * @example
   * const scan = await client.scanDiscoveryRoot({ kind: "faust-folder", folder: "./dsp" });
   */
  async scanDiscoveryRoot(root: DiscoveryRoot): Promise<RootScan> {
    this.ensureOpen();
    return this.scanRoot(parseDiscoveryRoot(root));
  }

  protected override async scanRoot(root: DiscoveryRoot): Promise<RootScan> {
    if (isWamRoot(root)) {
      const error = new EngineError(
        "E_HOST_UNAVAILABLE",
        "WAM plugins load in a browser page (an audio context and import()): the worker and audioworklet hosts scan WAM roots on the page's main thread; the in-process host cannot",
      );
      return failedRootScan(root, error.message);
    }
    if (this.faust === undefined) {
      const error = new EngineError(
        "E_HOST_UNAVAILABLE",
        "this client has no Faust compiler (options.faust)",
      );
      return failedRootScan(root, error.message);
    }
    return this.faust.scanRoot(root);
  }

  /** The builtin NodeDescriptors (from the engine's processor table) and the compiled Faust DSPs. */
  /**
   * Builtin resource estimates at this client's rate and block size: memory_mb computed once;
   * cpu_units measured on this machine as the budget allows (builtin-cpu-units.ts), the table's
   * figure until then, with a note saying which.
   */
  private builtinEstimates(): { estimates: Map<string, ResourceEstimate>; notes: Map<string, string> } {
    this.estimates ??= builtinResourceEstimates(this.engines.own, this.types);
    const units = builtinCpuUnits(this.engines.own, this.types);
    const estimates = new Map<string, ResourceEstimate>();
    const notes = new Map<string, string>();
    for (const [kind, estimate] of this.estimates) {
      const measured = units.get(kind);
      estimates.set(kind, { ...estimate, cpu_units: measured?.units ?? estimate.cpu_units });
      notes.set(kind, builtinCpuUnitsNote(measured?.source ?? "table"));
    }
    return { estimates, notes };
  }

  protected async scanNodes(): Promise<PluginDiscoveryResult> {
    const started = performance.now();
    this.scans++;
    const builtin = this.builtinEstimates();
    return parseContract(PluginDiscoveryResultSchema, {
      version: CONTRACT_VERSION,
      discovery_id: `${this.sessionId}.discovery-${this.scans}`,
      nodes: [
        ...builtinDescriptors(this.types, builtin.estimates, builtin.notes),
        ...(this.liveInputAsSilence ? [liveInputDescriptor()] : []),
        ...(this.faust?.compiledDsps() ?? []).map((compiled) => this.withFaustEstimate(compiled)),
      ],
      scanned_paths: this.faust === undefined ? ["builtin"] : ["builtin", "faust:compiled"],
      elapsed_ms: Math.max(0, performance.now() - started),
      extensions: { scanned_at_iso8601: new Date(this.clock.now()).toISOString(), failures: [] },
    });
  }
}

/** A parameter's value before a change: its static value in the node, else the engine's default. */
function staticValue(type: ProcessorTypeInfo, node: GraphNode, parameterId: string): number {
  return staticParameterValue(type, node.params, parameterId);
}

/**
 * A host factory for EngineBootstrapper.registerHost("in-process", ...); hostOptions must carry the
 * compiled engine module.
 * @example
 * bootstrapper.registerHost("in-process", inProcessHostFactory);
 * await bootstrapper.createEngine({ host: "in-process", hostOptions: { module } });
 */
export async function inProcessHostFactory(
  context: HostContext<InProcessClientOptions>,
): Promise<EngineClient> {
  if (context.hostOptions === undefined) {
    throw new EngineError(
      "E_HOST_UNAVAILABLE",
      "in-process: hostOptions.module (a compiled engine.wasm) is required",
    );
  }
  return new InProcessEngineClient(context.hostOptions);
}
