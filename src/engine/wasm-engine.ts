/**
 * WasmEngine: a typed handle on one engine instance inside an instantiated engine.wasm
 * (engine-module.ts loads it), wrapping the C ABI (wasm/src/abi.cpp) with names, checks and cached
 * views. The same class runs in the AudioWorklet, Workers and Node.
 */
import type { TempoPiece } from "../contracts/tempo-map";
import type { EngineExports } from "./engine-module";
import type { ExternalProcessor } from "./external-nodes";
import { type ProcessorTypeInfo, readCString, readProcessorTypes } from "./processor-types";

/** Error codes returned by the C ABI (wasm/src/engine.h ErrorCode). */
export const ENGINE_ERROR_CODES: Record<number, string> = {
  1: "E_UNKNOWN_KIND",
  2: "E_UNKNOWN_NODE",
  3: "E_UNKNOWN_PARAM",
  4: "E_GRAPH_CYCLE",
  5: "E_TOO_MANY_CHANNELS",
  6: "E_NOT_PREPARED",
  7: "E_BAD_ARGUMENT",
  8: "E_UNKNOWN_BUFFER",
};

/** Timeline entries of one node, by the table each goes to (NodeTimeline::reserve). */
export interface TimelineCounts {
  steps: number;
  /** Ramps and arrays. */
  segments: number;
  midi: number;
  /** Values of every array together. */
  values: number;
}

/** How a parameter moves between two values over a ramp. */
export type RampCurve = "linear" | "exponential";

/** An engine call that failed, with the engine's stable code and message. */
export class WasmEngineError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "WasmEngineError";
  }
}

/** The type table of each instantiated module, read once (tens of milliseconds) for all its engines. */
const typeTables = new WeakMap<
  EngineExports,
  { types: ProcessorTypeInfo[]; byKind: ReadonlyMap<string, ProcessorTypeInfo> }
>();

function typeTable(exports: EngineExports) {
  let table = typeTables.get(exports);
  if (table === undefined) {
    // addNode also takes the internal kinds (the compiler's latency compensation delays).
    const byKind = new Map(readProcessorTypes(exports, true).map((type) => [type.kind, type]));
    table = { types: readProcessorTypes(exports), byKind };
    typeTables.set(exports, table);
  }
  return table;
}

/**
 * A typed handle on one engine instance inside an instantiated module.
 *
 * Control methods (addNode, addInput, prepare) may allocate; render() and setParam() are safe on
 * the audio thread: they allocate nothing in JS (output views are cached and only rebuilt after
 * the WebAssembly memory grew, which happens in prepare()).
 */
export class WasmEngine {
  readonly types: ProcessorTypeInfo[];
  private readonly handle: number;
  private readonly typeByKind: ReadonlyMap<string, ProcessorTypeInfo>;
  private readonly nodeTypes: ProcessorTypeInfo[] = [];
  private readonly externalHostIds: number[] = [];
  private outputViews: Float32Array[] = [];
  private quantumViews: Float32Array[] = [];
  private quantumFrames = 0;
  private viewsGrowth = -1;

  constructor(
    readonly exports: EngineExports,
    readonly sampleRate: number,
    readonly blockSize = 128,
  ) {
    const table = typeTable(exports);
    this.types = table.types;
    this.typeByKind = table.byKind;
    this.handle = exports.wd_engine_create(sampleRate, blockSize);
  }

  /**
   * The engine instance's address, for audio-thread callers that use `exports` directly and read
   * return codes instead of catching exceptions (RealtimeEngine).
   */
  get handleForAudioThread(): number {
    return this.handle;
  }

  /** The largest frame count one render() call takes. */
  get maxRenderFrames(): number {
    return this.exports.wd_max_render_frames();
  }

  /** Control: removes every node. */
  clear(): void {
    this.exports.wd_graph_clear(this.handle);
    this.nodeTypes.length = 0;
    for (const id of this.externalHostIds) this.exports.externals.unregister(id);
    this.externalHostIds.length = 0;
  }

  /** Control: adds a node of a built-in kind ("oscillator", "gain", ...); returns its index. */
  addNode(kind: string): number {
    const type = this.typeByKind.get(kind);
    if (!type) throw new WasmEngineError("E_UNKNOWN_KIND", `unknown processor kind "${kind}"`);
    const node = this.exports.wd_node_add(this.handle, type.index);
    this.nodeTypes[node] = type;
    return node;
  }

  /**
   * Control: adds a node whose DSP is `processor` (hosted outside the engine, on this thread), with
   * `numOutputs` output channels and a parameter table for clamping and automation by id.
   * @example
   * const node = engine.addExternalNode(faustNode, 2, [{ id: "/gain", min: 0, max: 1, default: 0.5 }]);
   */
  addExternalNode(
    processor: ExternalProcessor,
    numOutputs: number,
    params: { id: string; min: number; max: number; default: number; discrete?: boolean }[],
  ): number {
    const hostId = this.exports.externals.register(processor);
    this.externalHostIds.push(hostId);
    const node = this.exports.wd_node_add_external(this.handle, hostId, numOutputs, params.length);
    if (node < 0) {
      this.exports.externals.unregister(hostId);
      this.check(7);
    }
    params.forEach((p, i) => {
      this.check(
        this.exports.wd_external_param_range(
          this.handle,
          node,
          i,
          p.min,
          p.max,
          p.default,
          p.discrete ? 1 : 0,
        ),
      );
    });
    this.nodeTypes[node] = {
      index: -1,
      kind: "external",
      name: "External",
      maxInputs: -1,
      params: params.map((p) => ({
        id: p.id,
        name: p.id,
        units: "",
        min: p.min,
        max: p.max,
        default: p.default,
        discrete: p.discrete ?? false,
        choices: null,
        choiceAliases: null,
      })),
      instrument: false,
      bufferSlots: [],
      presets: [],
    };
    return node;
  }

  /** Control: appends `source` to the ordered inputs of `node`. */
  addInput(node: number, source: number): void {
    this.check(this.exports.wd_node_add_input(this.handle, node, source));
  }

  /** Control: orders the graph and takes all memory; throws on a cycle or a bad node. */
  prepare(outputNode: number): void {
    this.check(this.exports.wd_graph_prepare(this.handle, outputNode));
    this.refreshViews();
  }

  /**
   * Control: the bytes prepare(outputNode) would take, without taking them (processors and the
   * engine's buffers for each node; not timelines). Throws where prepare would; prepare again before
   * rendering. estimateGraphMemory (graph-memory.ts) builds the whole estimate on it.
   * @example
   * const bytes = engine.estimateMemory(playbackNode);
   * const playbackShare = engine.nodeMemoryEstimate(playbackNode);
   */
  estimateMemory(outputNode: number): number {
    const bytes = this.exports.wd_graph_estimate(this.handle, outputNode);
    if (bytes < 0) this.check(-bytes);
    return bytes;
  }

  /** One node's part of the last estimateMemory(); 0 for a node the output does not depend on. */
  nodeMemoryEstimate(node: number): number {
    return this.exports.wd_node_memory_estimate(this.handle, node);
  }

  /**
   * Control: room for this many more timeline entries of a node, taken at once, so adding them
   * takes exactly what wd_timeline_estimate counts.
   */
  reserveTimeline(node: number, counts: TimelineCounts): void {
    this.check(
      this.exports.wd_timeline_reserve(
        this.handle,
        node,
        counts.steps,
        counts.segments,
        counts.midi,
        counts.values,
      ),
    );
  }

  /**
   * Control: a node with an external node's channel count and no DSP, standing in for it when a
   * graph is only estimated (estimateGraphMemory). Never prepare a graph that holds one.
   */
  addExternalStandIn(numOutputs: number): number {
    const node = this.exports.wd_node_add_external(this.handle, 0, numOutputs, 0);
    if (node < 0) this.check(7);
    return node;
  }

  /** The index of a parameter id on a node, or -1. */
  paramIndex(node: number, paramId: string): number {
    const type = this.nodeTypes[node];
    return type ? type.params.findIndex((p) => p.id === paramId) : -1;
  }

  /** Control: a parameter's value before any automation, by index (clamped to its range). */
  setParamAt(node: number, paramIndex: number, value: number): void {
    this.check(this.exports.wd_node_set_param(this.handle, node, paramIndex, value));
  }

  /** Control: a parameter's value before any automation, by id. */
  setParam(node: number, paramId: string, value: number): void {
    this.setParamAt(node, this.requireParam(node, paramId), value);
  }

  /** Control: keep a node's output during render, to read with captureChannel(). */
  setCapture(node: number, on: boolean): void {
    this.check(this.exports.wd_node_set_capture(this.handle, node, on ? 1 : 0));
  }

  /**
   * Control: record the value each of the node's parameters takes on every rendered frame, to read
   * with parameterRecord() (a render's record_automation).
   */
  setRecordParams(node: number, on: boolean): void {
    this.check(this.exports.wd_node_set_record_params(this.handle, node, on ? 1 : 0));
  }

  /** Control: a parameter jumps to `value` at transport frame `frame`. */
  addParamStep(node: number, paramId: string, frame: number, value: number): void {
    this.check(this.exports.wd_param_step(this.handle, node, this.requireParam(node, paramId), frame, value));
  }

  /** Control: a parameter moves from v0 at frame `start` to v1 at frame `end`, then holds v1. */
  addParamRamp(
    node: number,
    paramId: string,
    start: number,
    end: number,
    v0: number,
    v1: number,
    curve: RampCurve,
  ) {
    const param = this.requireParam(node, paramId);
    this.check(
      this.exports.wd_param_ramp(
        this.handle,
        node,
        param,
        start,
        end,
        v0,
        v1,
        curve === "exponential" ? 1 : 0,
      ),
    );
  }

  /** Control: audio-rate values; values[i] applies at frame start + i, the last one holds after. */
  addParamArray(node: number, paramId: string, start: number, values: Float32Array): void {
    const param = this.requireParam(node, paramId);
    this.withScratch(values, (pointer) =>
      this.check(this.exports.wd_param_array(this.handle, node, param, start, pointer, values.length)),
    );
  }

  /** Control: a MIDI channel message delivered to a node at transport frame `frame`. */
  addMidi(node: number, frame: number, status: number, data1: number, data2: number): void {
    this.check(this.exports.wd_midi_event(this.handle, node, frame, status, data1, data2));
  }

  /**
   * Control (between rendered pieces): replaces one parameter's automation lane on the graph that
   * plays, without a reload: its timeline entries go, `add()` adds the new ones (addParamStep,
   * addParamRamp, addParamArray for that parameter), then its value before automation becomes
   * `base` and the node's timeline resumes at the current frame, re-applying that parameter alone.
   * Other parameters, MIDI and the processor's state (phases, envelopes, delay lines) are untouched.
   * @example
   * engine.replaceLane(0, "gain", 1, () => engine.addParamRamp(0, "gain", 48000, 96000, 1, 0, "linear"));
   */
  replaceLane(node: number, paramId: string, base: number, add: () => void): void {
    const param = this.requireParam(node, paramId);
    this.check(this.exports.wd_lane_begin(this.handle, node, param));
    try {
      add();
    } finally {
      this.check(this.exports.wd_lane_end(this.handle, node, param, base));
    }
  }

  /** Control: removes every timeline entry (steps, ramps, arrays, MIDI) of a node. */
  clearTimeline(node: number): void {
    this.check(this.exports.wd_timeline_clear(this.handle, node));
  }

  /**
   * Control: copies planar audio into engine memory and returns its buffer id.
   * @example
   * const id = engine.createBuffer([left, right], 48000);
   * engine.setNodeBuffer(playbackNode, 0, id);
   */
  createBuffer(channels: Float32Array[], sampleRate: number): number {
    const frames = channels[0]?.length ?? 0;
    if (channels.some((c) => c.length !== frames)) {
      throw new WasmEngineError("E_BAD_ARGUMENT", "every channel of a buffer must have the same length");
    }
    const id = this.exports.wd_buffer_create(this.handle, channels.length, frames, sampleRate);
    if (id < 0) this.check(7);
    channels.forEach((channel, c) => {
      const pointer = this.exports.wd_buffer_channel(this.handle, id, c);
      new Float32Array(this.exports.memory.buffer, pointer, frames).set(channel);
    });
    return id;
  }

  /** Channels of an engine buffer; -1 for an unknown id. */
  bufferChannels(id: number): number {
    return this.exports.wd_buffer_channels(this.handle, id);
  }

  /** Channels and frames of an engine buffer (-1 and 0 for an unknown id). */
  bufferShape(id: number): { channels: number; frames: number } {
    return {
      channels: this.bufferChannels(id),
      frames: Math.max(0, this.exports.wd_buffer_frames(this.handle, id)),
    };
  }

  /** Control: frees a buffer; nodes that played it fall silent. */
  releaseBuffer(id: number): void {
    this.check(this.exports.wd_buffer_release(this.handle, id));
  }

  /** Control: attaches buffer `id` to a node's slot (-1 detaches). Prepare again afterwards. */
  setNodeBuffer(node: number, slot: number, id: number): void {
    this.check(this.exports.wd_node_set_buffer(this.handle, node, slot, id));
  }

  /** Audio: a MIDI message for `node`, delivered at the first frame of the next render. */
  sendMidi(node: number, status: number, data1: number, data2: number): void {
    this.check(this.exports.wd_node_midi_now(this.handle, node, status, data1, data2));
  }

  /**
   * Control: the tempo the engine's tempo-following processors read (builtin:playback_warp's warp
   * markers): a graph's tempo map as tempoPieces gives it. Kept until the next call; a new engine
   * plays 120 bpm.
   */
  setTempoMap(pieces: readonly TempoPiece[]): void {
    this.exports.wd_tempo_begin(this.handle, pieces.length);
    pieces.forEach((piece, i) => {
      const code = this.exports.wd_tempo_point(
        this.handle,
        piece.seconds,
        piece.beat,
        piece.bpm,
        piece.bpmPerBeat,
      );
      if (code !== 0)
        throw new WasmEngineError("E_BAD_ARGUMENT", `tempo piece ${i} is out of order or not positive`);
    });
  }

  /**
   * Audio: a live tempo change at transport frame `frame`, ramping linearly in time from the current
   * tempo to `bpm` over `rampFrames` (0: at once). Allocation-free.
   */
  changeTempo(frame: number, bpm: number, rampFrames: number): void {
    this.exports.wd_tempo_change(this.handle, frame, bpm, rampFrames);
  }

  /** The beat the engine's tempo puts at transport frame `frame`. */
  beatAtFrame(frame: number): number {
    return this.exports.wd_tempo_beat_at(this.handle, frame);
  }

  /** Audio: moves the transport to `frame`; processor state (tails, voices) is kept. */
  seek(frame: number): void {
    this.exports.wd_engine_seek(this.handle, frame);
  }

  /** Captured output of a node (see setCapture), valid for the frames of the last render. */
  captureChannel(node: number, channel: number): Float32Array {
    const pointer = this.exports.wd_capture_channel(this.handle, node, channel);
    if (pointer === 0)
      throw new WasmEngineError("E_BAD_ARGUMENT", `node ${node} has no captured channel ${channel}`);
    return new Float32Array(this.exports.memory.buffer, pointer, this.maxRenderFrames);
  }

  /**
   * The values parameter `param` (by index) of a recording node (setRecordParams) took on the frames
   * of the last render, maxRenderFrames long.
   */
  parameterRecord(node: number, param: number): Float32Array {
    const pointer = this.exports.wd_parameter_record(this.handle, node, param);
    if (pointer === 0)
      throw new WasmEngineError("E_BAD_ARGUMENT", `node ${node} records no parameter ${param}`);
    return new Float32Array(this.exports.memory.buffer, pointer, this.maxRenderFrames);
  }

  /** Output channels of a prepared node. */
  nodeOutputChannels(node: number): number {
    return this.exports.wd_node_output_channels(this.handle, node);
  }

  /** Audio: clears processor state and rewinds to frame 0. */
  reset(): void {
    this.exports.wd_engine_reset(this.handle);
  }

  /**
   * How many nodes of the prepared graph render into the engine's scratch blocks or are folded into
   * the mixer that adds them (the engine's graph fusion, docs/performance.md): 0 for a graph where
   * every node keeps its own buffer. A timeline edited since the last render counts from the next.
   * @example
   * const fused = engine.fusedNodes(); // W1: 512 of its 513 nodes
   */
  fusedNodes(): number {
    return this.exports.wd_fused_nodes(this.handle);
  }

  /**
   * Of the fused nodes, the sources that add themselves into their mixer's bus as they render (no
   * block between them: docs/performance.md): W1's 256 sines, W2's 32 lowpasses.
   * @example
   * const adding = engine.addingNodes(); // W1: 256
   */
  addingNodes(): number {
    return this.exports.wd_adding_nodes(this.handle);
  }

  /**
   * Audio: renders `frames` frames (at most maxRenderFrames); read them with outputChannel().
   * @example
   * const n = engine.render(128);
   * outputs[0]?.[0]?.set(engine.outputQuantum(0, n));
   */
  render(frames: number): number {
    const rendered = this.exports.wd_render(this.handle, frames);
    if (this.viewsGrowth !== this.exports.growths.count) this.refreshViews();
    return rendered;
  }

  /**
   * Audio: renders `frames` frames as render() does, with the timeline held at the current position
   * (monitoring while the transport is stopped): every processor runs, so live MIDI sounds and tails
   * ring out, but a clip's playback is silent, no timeline MIDI fires, automation holds its value at
   * the position and the position does not move.
   * @example
   * const n = engine.renderHeld(128); // the frozen playhead stays where it is
   * outputs[0]?.[0]?.set(engine.outputQuantum(0, n));
   */
  renderHeld(frames: number): number {
    const rendered = this.exports.wd_render_held(this.handle, frames);
    if (this.viewsGrowth !== this.exports.growths.count) this.refreshViews();
    return rendered;
  }

  /**
   * Audio: a note-off, delivered at the first frame of the next render, for every note the graph's
   * MIDI timelines turned on and did not turn off yet (a transport stopping while the engine monitors).
   */
  releaseTimelineNotes(): void {
    this.exports.wd_release_timeline_notes(this.handle);
  }

  /** Channels of the output node. */
  get outputChannels(): number {
    return this.outputViews.length;
  }

  /** A view of one output channel's staging buffer (maxRenderFrames long; valid until the next render). */
  outputChannel(channel: number): Float32Array {
    const view = this.outputViews[channel];
    if (!view) throw new WasmEngineError("E_BAD_ARGUMENT", `no output channel ${channel}`);
    return view;
  }

  /**
   * Audio: a view of the first `frames` frames of one output channel, cached so that copying a
   * quantum out allocates nothing (a fresh subarray per quantum would).
   */
  outputQuantum(channel: number, frames: number): Float32Array {
    if (frames !== this.quantumFrames || this.quantumViews.length !== this.outputViews.length) {
      this.quantumViews = this.outputViews.map((view) => view.subarray(0, frames));
      this.quantumFrames = frames;
    }
    const view = this.quantumViews[channel];
    if (!view) throw new WasmEngineError("E_BAD_ARGUMENT", `no output channel ${channel}`);
    return view;
  }

  /**
   * Audio: NaN and ±Infinity samples the engine replaced by 0 on their way out of the graph since
   * the last clearNonFinite(): at the output (`node` omitted) or into `node`'s capture.
   * @example
   * engine.clearNonFinite();
   * engine.render(128);
   * if (engine.nonFiniteSamples() > 0) console.warn("NaN/Inf at frame", engine.nonFiniteFirstFrame());
   */
  nonFiniteSamples(node = -1): number {
    return this.exports.wd_non_finite_samples(this.handle, node);
  }

  /**
   * Audio: the first frame, counted from the last clearNonFinite(), where a sample was replaced at
   * the output (`node` omitted) or in `node`'s capture; -1 when none was.
   * @example
   * const first = engine.nonFiniteFirstFrame(); // -1, or frames since the clear
   */
  nonFiniteFirstFrame(node = -1): number {
    return this.exports.wd_non_finite_first_frame(this.handle, node);
  }

  /**
   * Audio: restarts the non-finite counts (seek() and reset() leave them alone).
   * @example
   * engine.clearNonFinite(); // after a preroll: only kept frames count
   */
  clearNonFinite(): void {
    this.exports.wd_non_finite_clear(this.handle);
  }

  /**
   * The value a node's parameter has now (by index): the one its processor was last given (its base
   * value, a live set, or the timeline's value on the last frame rendered); NaN when the node or
   * parameter is unknown. Reads one float: safe between quanta on the audio thread.
   */
  paramValue(node: number, paramIndex: number): number {
    return this.exports.wd_node_param_value(this.handle, node, paramIndex);
  }

  /** Frames rendered since the last reset. */
  get positionFrames(): number {
    return this.exports.wd_position_frames(this.handle);
  }

  /** Control: frees the engine instance (its graph, its buffers, its external nodes). */
  destroy(): void {
    this.exports.wd_engine_destroy(this.handle);
    for (const id of this.externalHostIds) this.exports.externals.unregister(id);
    this.externalHostIds.length = 0;
  }

  private requireParam(node: number, paramId: string): number {
    const index = this.paramIndex(node, paramId);
    if (index < 0) {
      const kind = this.nodeTypes[node]?.kind ?? "?";
      throw new WasmEngineError("E_UNKNOWN_PARAM", `node ${node} (${kind}) has no parameter "${paramId}"`);
    }
    return index;
  }

  // Copies values into engine scratch memory for the duration of one call.
  private withScratch(values: Float32Array, use: (pointer: number) => void): void {
    const pointer = this.exports.wd_alloc(values.byteLength);
    try {
      new Float32Array(this.exports.memory.buffer, pointer, values.length).set(values);
      use(pointer);
    } finally {
      this.exports.wd_free(pointer);
    }
  }

  private refreshViews(): void {
    const channels = this.exports.wd_output_channels(this.handle);
    const frames = this.exports.wd_max_render_frames();
    this.outputViews = [];
    for (let c = 0; c < channels; c++) {
      this.outputViews.push(
        new Float32Array(this.exports.memory.buffer, this.exports.wd_output_channel(this.handle, c), frames),
      );
    }
    this.viewsGrowth = this.exports.growths.count;
    this.quantumFrames = 0;
  }

  private check(code: number): void {
    if (code === 0) return;
    const message = readCString(this.exports.memory, this.exports.wd_last_error(this.handle));
    throw new WasmEngineError(ENGINE_ERROR_CODES[code] ?? `E_ENGINE_${code}`, message);
  }
}
