/**
 * Main thread <-> engine Worker. Two phases on one dedicated MessagePort:
 *
 * 1. Handshake. The main thread posts EngineWorkerInit to the Worker itself, transferring the port;
 *    the Worker answers on that port with EngineWorkerStatus once its engine runs (or failed to).
 * 2. Calls. Comlink takes the port over: the main thread calls EngineHostApi (or, for the real-time
 *    host, AudioWorkletHostApi) and every call resolves to a WireResult, because Comlink rethrows a
 *    plain Error and would drop an EngineError's code and path.
 *
 * Both sides import these types: EngineHost `implements` the API, clients wrap the port with
 * `Comlink.wrap<EngineHostApi>`, so a method renamed on one side fails to compile on the other.
 */

import type { DiscoveryRoot, RootScan } from "../api/discovery-roots";
import type {
  FaustCompileOptions,
  RenderProgress,
  ScheduleAutomationOptions,
  SendMidiOptions,
  SetParameterOptions,
  SetTempoOptions,
} from "../api/engine-client";
import type { MidiRecording } from "../api/midi-recording";
import type { ParameterReading } from "../api/realtime-client";
import type { BufferHandle } from "../contracts/common";
import type { EngineErrorWire } from "../contracts/errors";
import type { AutomationInput, GraphDescriptorInput, MidiEventInput } from "../contracts/graph-descriptor";
import type { LiveMidiMessageInput } from "../contracts/live-midi";
import type { NodeDescriptor } from "../contracts/node-descriptor";
import type { PluginDiscoveryResult } from "../contracts/plugin-discovery";
import type { RenderRequestInput, RenderResult } from "../contracts/render";
import type { LoopRegion, TransportState } from "../contracts/transport-state";
import type { GraphProgram } from "../engine/graph-program";
import type { LibFaustUrls } from "../faust/libfaust";

/** main -> Worker: the first message, posted to the Worker with `port` in the transfer list. */
export interface EngineWorkerInit {
  type: "webdreamer-init";
  /** The port the Worker answers on, then serves Comlink on. */
  port: MessagePort;
  /** Absolute URL of engine.wasm. */
  wasmUrl: string;
  /** engine.wasm compiled already (by the main thread, for the worklet): the Worker skips the fetch. */
  module?: WebAssembly.Module;
  /** Absolute URLs of libfaust's files, fetched by the first Faust compile only. */
  libfaust: LibFaustUrls;
  sampleRate: number;
  blockSize: number;
  /** The app's FaustPolicy, checked by the main thread. */
  faustPolicy?: { allowUrlPrefixes: string[] };
}

/** Worker -> main, on the init's port, once: the engine runs, or why it could not start. */
export type EngineWorkerStatus =
  | { type: "webdreamer-ready" }
  | { type: "webdreamer-failed"; error: EngineErrorWire };

/** What crosses the port for each call: the value, or the error with its code and path. */
export type WireResult<T> = { ok: true; value: T } | { ok: false; error: EngineErrorWire };

/** The engine Worker's API: EngineClient's calls, each answering a WireResult. */
export interface EngineHostApi {
  compileFaust(source: string, options?: FaustCompileOptions): Promise<WireResult<NodeDescriptor>>;
  releaseFaust(nodeId: string): Promise<WireResult<void>>;
  /** Diagnostics: one round trip through the wire wrapping (benchmarks, health checks). */
  ping(): Promise<WireResult<number>>;
  /** The same round trip without the wrapping: the plain Comlink baseline for `ping`. */
  rawPing(): number;
  getTransportState(): Promise<WireResult<TransportState>>;
  play(): Promise<WireResult<void>>;
  pause(): Promise<WireResult<void>>;
  stop(): Promise<WireResult<void>>;
  seek(seconds: number): Promise<WireResult<void>>;
  setLoop(loop: LoopRegion | null): Promise<WireResult<void>>;
  setTempo(bpm: number, options?: SetTempoOptions): Promise<WireResult<void>>;
  loadGraph(graph: GraphDescriptorInput): Promise<WireResult<void>>;
  /** A parameter's value now (EngineClient.getParameter). */
  getParameter(node: string, parameterId: string): Promise<WireResult<ParameterReading>>;
  setParameter(
    node: string,
    parameter: string,
    value: number | string,
    options?: SetParameterOptions,
  ): Promise<WireResult<void>>;
  scheduleEvents(node: string, events: MidiEventInput[]): Promise<WireResult<void>>;
  sendMidi(node: string, message: LiveMidiMessageInput, options?: SendMidiOptions): Promise<WireResult<void>>;
  scheduleAutomation(
    node: string,
    parameterId: string,
    automation: AutomationInput,
    options?: ScheduleAutomationOptions,
  ): Promise<WireResult<void>>;
  /**
   * Renders; `renderId` lets cancelRender() abort it, `onProgress` is a Comlink proxy or undefined.
   * `aborted`: the caller's signal had already fired (a cancel message would arrive too early).
   */
  render(
    request: RenderRequestInput,
    renderId: string,
    aborted: boolean,
    onProgress?: (progress: RenderProgress) => void,
  ): Promise<WireResult<RenderResult>>;
  /** Aborts a render started with this id (it returns status "partial"); unknown ids are ignored. */
  cancelRender(renderId: string): void;
  readBuffer(handle: BufferHandle): Promise<WireResult<Float32Array[]>>;
  releaseBuffer(handle: BufferHandle): Promise<WireResult<void>>;
  uploadBuffer(channels: Float32Array[], sampleRate: number): Promise<WireResult<BufferHandle>>;
  /** Always a fresh scan: the TTL cache lives in the client, next to its clock. */
  discoverNodes(): Promise<WireResult<PluginDiscoveryResult>>;
  /** Scans one Faust discovery root in the Worker (its Faust compiler), fresh; the cache is the client's. */
  scanDiscoveryRoot(root: DiscoveryRoot): Promise<WireResult<RootScan>>;
  close(): Promise<WireResult<void>>;
}

/** What the stages of a real-time WAM graph record (AudioWorkletHostApi.compileStages). */
export interface StageCompileOptions {
  recordAutomation?: readonly string[];
  wamNodes?: readonly string[];
}

/** The engine Worker of the real-time host: the same API, plus the link to the worklet. */
export interface AudioWorkletHostApi extends EngineHostApi {
  /** Connects the Worker to the engine's AudioWorkletNode over `port` (once, at start). */
  attachWorklet(port: MessagePort): void;
  /**
   * Compiles the stage subgraphs of a graph partitioned around WAM nodes (src/wam/partition.ts) for
   * EngineProcessors at `sampleRate`, with the audio their buffers refer to. `root` prefixes error paths.
   * `options.recordAutomation`: engine nodes (of any stage) whose parameters their stage records (a
   * live render's record_automation).
   */
  compileStages(
    graphs: GraphDescriptorInput[],
    sampleRate: number,
    root: string,
    options?: StageCompileOptions,
  ): Promise<WireResult<CompiledStage[]>>;
  /**
   * The stages (as compileStages compiles them) are about to play in real time around the primary:
   * commands for their engine nodes go to them (worklet-driver.ts, stage-group.ts) until endStages()
   * or the next load. `options.wamNodes`: the graph's WAM nodes in plan order (the live MIDI recorded
   * for them is named so). Resolves with the generation of the stages' MIDI naming, which the
   * worklet's lead-stage-group carries (midi-record-naming.ts).
   */
  playStages(
    graphs: GraphDescriptorInput[],
    sampleRate: number,
    root: string,
    options?: StageCompileOptions,
  ): Promise<WireResult<number>>;
  /**
   * The worklet's primary plays the return graph of a real-time WAM graph whose output and captured
   * nodes have `layout`'s channel counts (return-graph.ts): silence, and an input port for the output
   * and per stem; the Worker's own engine keeps RETURN_GRAPH.
   */
  loadWamReturn(layout: { output: number; stems: readonly number[] }): Promise<WireResult<void>>;
  /** The live WAM graph's stages did not start (or are gone): commands name the primary's graph again. */
  endStages(): void;
  /**
   * Frames the graph the worklet plays is late by: its nodes' latency (docs/processors.md, "Latency
   * compensation"), which the audio thread cannot play early; 0 before a graph is loaded.
   */
  playingLatencyFrames(): Promise<WireResult<number>>;
  /** Monitoring on or off: a stopped transport renders the graph with the timeline held, or is silent. */
  setMonitoring(on: boolean): Promise<WireResult<void>>;
  /** Starts recording live MIDI on the audio thread (WorkletDriver.startMidiRecording). */
  startMidiRecording(): Promise<WireResult<void>>;
  /** Stops the recording and returns it (WorkletDriver.stopMidiRecording). */
  stopMidiRecording(): Promise<WireResult<MidiRecording>>;
}

/** One stage's program for an EngineProcessor, and its audio (engine buffer ids 0, 1, ...). */
export interface CompiledStage {
  program: GraphProgram;
  buffers: Float32Array[][];
  /**
   * tapLatency[k]: frames the signal on the stage's output k (its k-th `webdreamer:stage-output`
   * port) is late by: the path latency of the node it taps, its input ports' latency included.
   */
  tapLatency: number[];
  /**
   * tapChannels[k]: the channels on the stage's output k, the tapped node's channel count (1 to 32;
   * stage-channels.ts): its AudioWorkletNode output's, and what the port reading it declares.
   */
  tapChannels: number[];
}
