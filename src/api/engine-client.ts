/**
 * EngineClient: the one API applications use to reach the engine, whatever host runs it (AudioWorklet,
 * Worker, in-process, or the test double). Every implementation passes
 * test/contracts/engine-client-suite.ts.
 *
 * Rules every implementation keeps:
 * - Objects that are contracts (graphs, requests, results, states) are wire-shaped (snake_case) and are
 *   validated with parseContract; method options are camelCase.
 * - Every failure is an EngineError with a stable code and the path of the bad field. A rejected call
 *   changes nothing: the loaded graph, the transport, and every issued buffer handle stay as they were.
 * - After close(), every call rejects with E_CLOSED.
 */

import type { AutomationMode } from "../contracts/automation-lane";
import type { BufferHandle } from "../contracts/common";
import type { AutomationInput, GraphDescriptorInput, MidiEventInput } from "../contracts/graph-descriptor";
import type { LiveMidiMessageInput } from "../contracts/live-midi";
import type { NodeDescriptor } from "../contracts/node-descriptor";
import type { PluginDiscoveryResult } from "../contracts/plugin-discovery";
import type { RenderRequestInput, RenderResult } from "../contracts/render";
import type { LoopRegion, TransportState } from "../contracts/transport-state";
import type { DiscoveryRoot } from "./discovery-roots";

/** Where the engine runs. */
export type HostKind = "audioworklet" | "worker" | "in-process" | "test-double";

export const HOST_KINDS: readonly HostKind[] = ["audioworklet", "worker", "in-process", "test-double"];

/** Progress of a render, reported between processing chunks. Snake_case: it crosses the worker boundary. */
export interface RenderProgress {
  request_id: string;
  frames_rendered: number;
  frames_total: number;
}

/** A piece of a render's audio, handed to RenderCallOptions.onChunk. */
export interface RenderChunk {
  /** Frames of the render before this piece. */
  offset: number;
  frames: number;
  /** The output's channels (the request's `channels`), `frames` each. */
  output: Float32Array[];
  /** Each captured node's channels for the same frames, by node name (the request's `channels` each). */
  captures: ReadonlyMap<string, Float32Array[]>;
  /**
   * Each captured node's own channel count, by node name: its output's, at most the request's
   * `channels`. The first that many arrays of its capture are the node's; the others repeat a mono
   * node's channel (or are silent), so a stem of a mono node is `captures.get(name).slice(0, 1)`.
   */
  captureChannels: ReadonlyMap<string, number>;
}

export interface RenderCallOptions {
  /** Cancels the render; the result is then status "partial" with the frames rendered so far. */
  signal?: AbortSignal;
  /** Called as the render advances (at the host's own granularity). */
  onProgress?: (progress: RenderProgress) => void;
  /**
   * In-process host only (Node.js, the CLI): takes the audio piece by piece, in order, as it is
   * rendered (pieces of about one second), so that a long render never holds all of it; the other
   * hosts reject it (E_HOST_UNAVAILABLE). It is one render: the pieces joined are the samples of the
   * same render without onChunk. The result's buffer and captures are then empty (0 frames; `frames`
   * still counts the frames rendered). A piece's arrays are reused once the returned promise
   * resolves: write or copy them before. Throwing ends the render with status "error".
   * @example
   * let peak = 0;
   * await engine.render(request, {
   *   onChunk: ({ output }) => { for (const x of output[0] ?? []) peak = Math.max(peak, Math.abs(x)); },
   * });
   */
  onChunk?: (chunk: RenderChunk) => void | Promise<void>;
}

export interface SetParameterOptions {
  /** Transport time to apply the value at, in seconds; omitted means now. */
  atSeconds?: number;
}

export interface SendMidiOptions {
  /**
   * Transport time to play the message at, in seconds, as setParameter's; omitted means now: the
   * first frame of the quantum in which the audio thread takes it (docs/realtime.md, "Live MIDI").
   */
  atSeconds?: number;
}

export interface ScheduleAutomationOptions {
  /**
   * "append" (web_audio only): the calls go after the lane's own, as more calls on a Web Audio
   * AudioParam (cancelScheduledValues then cancels what was scheduled before). "replace": the lane
   * becomes this automation, of any kind. Default: append for web_audio, replace for the others.
   */
  mode?: AutomationMode;
}

export interface SetTempoOptions {
  /** Ramp linearly to the new tempo over this many seconds; omitted means at once. */
  rampSeconds?: number;
}

export interface DiscoverOptions {
  /** Accept a cached result younger than this, in milliseconds; 0 forces a new scan. Default: the TTL. */
  maxAgeMs?: number;
}

export interface EngineClient {
  /**
   * Which host runs this engine.
   * @example
   * if (client.host !== "audioworklet") showOfflineOnlyBadge();
   */
  readonly host: HostKind;

  /**
   * The current transport state (validated TransportState).
   * @example
   * const { running, position_seconds } = await client.getTransportState();
   */
  getTransportState(): Promise<TransportState>;

  /**
   * Starts or resumes playback from the current position.
   * @example
   * await client.play();
   */
  play(): Promise<void>;

  /**
   * Stops playback and keeps the position.
   * @example
   * await client.pause();
   */
  pause(): Promise<void>;

  /**
   * Stops playback and returns to position 0.
   * @example
   * await client.stop();
   */
  stop(): Promise<void>;

  /**
   * Moves the playhead to `seconds` (>= 0), playing or not.
   * @example
   * await client.seek(12.5);
   */
  seek(seconds: number): Promise<void>;

  /**
   * Sets the loop region, or clears it with null.
   * @example
   * await client.setLoop({ start_seconds: 8, end_seconds: 16 });
   * await client.setLoop(null);
   */
  setLoop(loop: LoopRegion | null): Promise<void>;

  /**
   * Sets a constant tempo, optionally ramping to it.
   * @example
   * await client.setTempo(128, { rampSeconds: 2 });
   */
  setTempo(bpm: number, options?: SetTempoOptions): Promise<void>;

  /**
   * Replaces the real-time graph. A rejected graph (E_SCHEMA, E_GRAPH_CYCLE, E_UNKNOWN_NODE,
   * E_UNKNOWN_HANDLE, E_LIMIT; a WAM node that does not load: E_PLUGIN_LOAD, E_ORIGIN_NOT_ALLOWED)
   * leaves the current graph playing. Parameters then change with setParameter.
   * @example
   * await client.loadGraph({ version: "v1alpha", nodes: [{ name: "osc", node_id: "builtin:oscillator" }], output: "osc" });
   */
  loadGraph(graph: GraphDescriptorInput): Promise<void>;

  /**
   * Sets a parameter of a node of the loaded graph, now or at a transport time.
   * @example
   * await client.setParameter("filter", "frequency", 1200, { atSeconds: 4 });
   * await client.setParameter("filter", "mode", "high");
   */
  setParameter(
    node: string,
    parameterId: string,
    value: number | string,
    options?: SetParameterOptions,
  ): Promise<void>;

  /**
   * Schedules MIDI events for a node of the loaded graph (times on the transport timeline).
   * @example
   * await client.scheduleEvents("bass", [{ type: "note", time: 1, duration: 0.5, note: 36, velocity: 100 }]);
   */
  scheduleEvents(node: string, events: MidiEventInput[]): Promise<void>;

  /**
   * Plays one live MIDI message into a node of the loaded graph that takes MIDI (builtin:synth,
   * builtin:sampler, a Faust DSP with voices or [midi:...] controls, a WAM): a note_on sounds until
   * its note_off (a note_off for a note that is not on does nothing), cc, pitch_bend, and
   * all_notes_off for stuck notes. Now (the first frame of the next quantum the audio thread renders)
   * or at a transport time (`atSeconds`). Resolves once the message is taken, as setParameter.
   * Rejects with E_UNKNOWN_NODE at send_midi.node (not loaded), E_SCHEMA at send_midi.node (a node
   * that takes no MIDI), E_SCHEMA at send_midi.message.* and send_midi.at_seconds; the hosts without
   * a real-time clock (in-process, worker) validate and then refuse with E_HOST_UNAVAILABLE, naming
   * the audioworklet host. See docs/realtime.md, "Live MIDI".
   * @example
   * await client.sendMidi("keys", { type: "note_on", note: 60, velocity: 100 });
   * await client.sendMidi("keys", { type: "note_off", note: 60 });
   * await client.sendMidi("keys", { type: "cc", controller: 64, value: 127 }, { atSeconds: 2 });
   */
  sendMidi(node: string, message: LiveMidiMessageInput, options?: SendMidiOptions): Promise<void>;

  /**
   * Schedules automation of a parameter of a node of the loaded graph while it plays, without
   * reloading it (oscillator phases, envelopes and tails carry on). Any automation kind, times on the
   * transport timeline in seconds or beats as the automation says; web_audio appends by default, as
   * calling more AudioParam methods does, the others replace the parameter's lane
   * (ScheduleAutomationOptions.mode). The lane then plays exactly as the same automation loaded in
   * the graph: from its first change after the call in real time, and in every later render or
   * replay (seek, loop) of the graph. Rejects with E_UNKNOWN_NODE (schedule_automation.node),
   * E_SCHEMA (schedule_automation.parameter_id, .automation..., .mode) or E_LIMIT (automationPoints,
   * the lane's calls included) and then changes nothing. See docs/contracts.md, "Live automation".
   * @example
   * await client.scheduleAutomation("amp", "gain", {
   *   kind: "web_audio",
   *   events: [
   *     { type: "setValueAtTime", value: 1, time: 2 },
   *     { type: "linearRampToValueAtTime", value: 0, time: 3 },
   *   ],
   * });
   * await client.scheduleAutomation("amp", "gain", {
   *   kind: "web_audio",
   *   events: [{ type: "cancelAndHoldAtTime", cancelTime: 2.5 }],
   * });
   */
  scheduleAutomation(
    node: string,
    parameterId: string,
    automation: AutomationInput,
    options?: ScheduleAutomationOptions,
  ): Promise<void>;

  /**
   * Renders a request. Rejects (EngineError) if the request is not accepted; otherwise resolves with a
   * RenderResult whose status is ok, partial (cancelled) or error. Release the result's handles when done.
   * @example
   * const result = await client.render(request, { onProgress: (p) => bar.update(p.frames_rendered / p.frames_total) });
   * const [left, right] = await client.readBuffer(result.buffer_handle ?? "");
   */
  render(request: RenderRequestInput, options?: RenderCallOptions): Promise<RenderResult>;

  /**
   * Copies the audio behind a handle: one Float32Array per channel. Unknown or released: E_UNKNOWN_HANDLE.
   * @example
   * const channels = await client.readBuffer("buf:12");
   */
  readBuffer(handle: BufferHandle): Promise<Float32Array[]>;

  /**
   * Frees the audio behind a handle; the handle is unknown afterwards (read or release: E_UNKNOWN_HANDLE).
   * @example
   * await client.releaseBuffer(result.buffer_handle ?? "");
   */
  releaseBuffer(handle: BufferHandle): Promise<void>;

  /**
   * Copies audio into the engine (the caller's arrays stay usable) and returns its handle, to use in
   * graph `buffers` or automation `buffer_handle`.
   * @example
   * const handle = await client.uploadBuffer([left, right], 48000);
   */
  uploadBuffer(channels: Float32Array[], sampleRate: number): Promise<BufferHandle>;

  /**
   * The node types the engine can instantiate, from the discovery cache when fresh enough.
   * A cached answer is the same result (same discovery_id).
   * @example
   * const { nodes } = await client.discoverNodes({ maxAgeMs: 60_000 });
   */
  discoverNodes(options?: DiscoverOptions): Promise<PluginDiscoveryResult>;

  /**
   * Drops cached discovery, of one root (the root or its key; E_SCHEMA at root for an unknown root)
   * or of everything; the next discoverNodes scans again what was dropped.
   * @example
   * await client.invalidateDiscovery();
   * await client.invalidateDiscovery("wam-index:/plugins/plugins.json");
   */
  invalidateDiscovery(root?: DiscoveryRoot | string): Promise<void>;

  /**
   * Adds a root discoverNodes scans (replacing one with the same key: discoveryRootKey): Faust .dsp
   * files under a URL or a folder, WAMs of an index, of descriptor.json files or one module
   * (discovery-roots.ts, docs/wam.md). A root that fails is reported in the result's
   * extensions.failures, never fails discovery. E_SCHEMA at root.* for a bad root.
   * @example
   * await client.addDiscoveryRoot({ kind: "wam-index", url: "/wam-corpus/plugins.json" });
   * const { nodes, extensions } = await client.discoverNodes();
   */
  addDiscoveryRoot(root: DiscoveryRoot): Promise<void>;

  /**
   * Removes a root (the root or its key) and its cached scan; resolves false when there was none.
   * @example
   * await client.removeDiscoveryRoot({ kind: "wam-module", url: "/plugins/gain/index.js" });
   */
  removeDiscoveryRoot(root: DiscoveryRoot | string): Promise<boolean>;

  /**
   * The discovery roots, in scan order (the client option discoveryRoots, then those added).
   * @example
   * for (const root of await client.listDiscoveryRoots()) console.log(discoveryRootKey(root));
   */
  listDiscoveryRoots(): Promise<DiscoveryRoot[]>;

  /**
   * Releases every buffer and stops the host. Idempotent; every other call then rejects with E_CLOSED.
   * @example
   * await client.close();
   */
  close(): Promise<void>;
}

/** How to compile a DSP. Every field takes part in its node id. */
export interface FaustCompileOptions {
  /** Name of the DSP: its JSON name and address prefix when the source declares none. Default "webdreamer". */
  name?: string;
  /** libfaust options, one per item. Default ["-ftz", "2"] (flush denormals, faustwasm's default). */
  argv?: readonly string[];
  /** Extra Faust libraries by file name ("mylib.lib"), for the source to `import`. */
  libraries?: Readonly<Record<string, string>>;
  /** 0: mono; N > 0: N voices. Default: the source's `declare options "[nvoices:N]"`, else mono. */
  voices?: number;
  /** Poly: one parameter per control for all voices (default) or one per voice ("/V1/..."). */
  groupVoices?: boolean;
  /**
   * Poly: seconds a released voice keeps computing before it may be freed, in [0, 60] (DawDreamer's
   * `release_length`). Default 0: freed at the first 128-frame period it is below -90 dB, as faustwasm.
   */
  releaseLength?: number;
  /**
   * Poly: compute only the voices that play a note (default, DawDreamer's `dynamic_voices`), or, when
   * false, every voice in every block, e.g. voices played through their own "/V<n>/" parameters.
   */
  dynamicVoices?: boolean;
  /**
   * URL prefixes the source may import from (`import("https://…")`, library, component) and its
   * soundfiles may name. Such files are fetched before the compile and compiled as libraries (a
   * soundfile part is only a slot name: nothing fetches it); any other URL, and any absolute path, is
   * refused (E_SCHEMA at source, naming the line). Added to the engine's faustPolicy; default none:
   * a compile never reaches the network or the file system on its own.
   */
  allowUrlPrefixes?: readonly string[];
}

/**
 * Hosts that compile Faust at run time (in-process, worker) add this to EngineClient: the returned
 * descriptor's node_id names the DSP in graphs; a compile error is E_SCHEMA at `source` with the
 * Faust message and line.
 */
export interface FaustCompiling {
  /**
   * @example
   * const gain = await engine.compileFaust('process = *(hslider("gain", 0.5, 0, 1, 0.01));');
   * graph.nodes.push({ name: "g", node_id: gain.node_id, inputs: ["osc"] });
   */
  compileFaust(source: string, options?: FaustCompileOptions): Promise<NodeDescriptor>;
  /**
   * Releases a compiled DSP: its compiled code and memory are freed and its node leaves discovery;
   * graphs that name it afterwards fail with E_UNKNOWN_NODE (a graph already playing keeps its own
   * instance until it is replaced). E_UNKNOWN_NODE at `node_id` when no such DSP is compiled.
   * @example
   * await engine.releaseFaust("faust:0123456789abcdef");
   */
  releaseFaust(nodeId: string): Promise<void>;
}
