/**
 * GraphProgram: a graph resolved to engine indices and transport frames, small enough to send to a
 * worklet in processorOptions and applied with plain engine calls in any host. Hosts compile a
 * v1alpha GraphDescriptor (names, seconds, beats, buffer handles) into one of these.
 */
import type { TempoPiece } from "../contracts/tempo-map";
import type { ExternalProcessor } from "./external-nodes";
import { type RampCurve, type TimelineCounts, type WasmEngine, WasmEngineError } from "./wasm-engine";

/** The graph contract's default tempo, 120 bpm, as tempo pieces. */
const DEFAULT_TEMPO_PIECES: readonly TempoPiece[] = [{ seconds: 0, beat: 0, bpm: 120, bpmPerBeat: 0 }];

/** One entry of a node's timeline, on transport frames. */
export type TimelineEntry =
  | { type: "step"; param: string; frame: number; value: number }
  | { type: "ramp"; param: string; start: number; end: number; from: number; to: number; curve: RampCurve }
  | { type: "array"; param: string; start: number; values: Float32Array }
  | { type: "midi"; frame: number; status: number; data1: number; data2: number };

/**
 * A node whose DSP runs outside engine.wasm (external-nodes.ts), e.g. a Faust DSP. `create` makes the
 * host object on the thread that renders, so a program holding one is applied where it was compiled.
 */
export interface ExternalNodeSpec {
  /** The NodeDescriptor node_id, e.g. "faust:3f9a0c…". */
  nodeId: string;
  numOutputs: number;
  /** Parameter table, in parameter index order (for clamping and automation by id). */
  params: { id: string; min: number; max: number; default: number; discrete?: boolean }[];
  /** Control thread: a fresh processor for one applyGraphProgram. */
  create(): ExternalProcessor;
  /** Bytes the processor holds outside engine.wasm (a Faust DSP's own memory), for the graph's estimate. */
  memoryBytes?: number;
  /**
   * Frames of latency the node adds (its NodeDescriptor's latency_samples); the compiler delays
   * parallel paths to match (latency-compensation.ts). Absent: 0.
   */
  latencyFrames?: number;
}

/** A compiled Faust node as data: the compiled code, its soundfile audio, its parameter table. */
export interface ClonedFaustNode {
  nodeId: string;
  numOutputs: number;
  params: ExternalNodeSpec["params"];
  /** The compiled DSP (CompiledFaust's dsp, effect, mixer and layout: all clonable). */
  code: unknown;
  soundfiles: [string, unknown[]][];
  /** As ExternalNodeSpec.memoryBytes. */
  memoryBytes?: number;
}

/**
 * A stage port of a partitioned graph (src/wam/partition.ts) in structured-clone form: an input port
 * reads the stage AudioWorkletNode's input `index`, an output port (a tap) writes output `index`.
 * Only a host that renders stages (the AudioWorklet's EngineProcessor) can build one.
 */
export interface StagePortSpec {
  direction: "input" | "output";
  index: number;
  /**
   * An input port: the first channel of input `index` it reads (default 0). The real-time primary
   * reads a WAM graph's stems after its output on one input (wam-live-graph.ts, returnGraph).
   */
  channel?: number;
  /** An input port: how many channels it reads and outputs (default 2; a WAM graph's: its signal's). */
  channels?: number;
}

/** Output channels of a stage port's engine node: an input port its channels, a tap outputs silence. */
export function stagePortOutputs(port: StagePortSpec): number {
  return port.direction === "input" ? (port.channels ?? 2) : 1;
}

export interface GraphProgramNode {
  /** Built-in processor kind, e.g. "oscillator" (an external node's node_id). */
  kind: string;
  /** Set for a node hosted outside engine.wasm; `kind` is then informative only. */
  external?: ExternalNodeSpec;
  /**
   * A Faust node in structured-clone form (a program posted to an AudioWorklet, where the
   * ExternalNodeSpec's create function cannot travel); applyGraphProgram's `makeExternal` rebuilds it.
   */
  faust?: ClonedFaustNode;
  /** Set for a stage port; applyGraphProgram's `makePort` builds it. */
  port?: StagePortSpec;
  /** Indices (into GraphProgram.nodes) of this node's inputs, in order. */
  inputs: number[];
  /** Parameter values before automation, by parameter id. */
  params: Record<string, number>;
  /** Parameter automation and MIDI. */
  timeline?: TimelineEntry[];
  /** Engine buffer ids by slot (0 = the node's main sample). */
  buffers?: Record<number, number>;
  /** Keep this node's output during render (a stem). */
  capture?: boolean;
  /** Record the values its parameters take on every frame (a render's record_automation). */
  recordParams?: boolean;
}

export interface GraphProgram {
  nodes: GraphProgramNode[];
  /** Index of the node whose output is the engine's output. */
  output: number;
  /**
   * The node a listener hears, when it is not `output`: the graph's output node, when the compiler
   * made `output` a hidden sink that also renders captured nodes off the output's path
   * (graph-compiler.ts). The real-time host plays and meters this node's channels.
   */
  played?: number;
  /**
   * Nodes whose output the audio thread meters every quantum (each is also captured), in the order
   * of the node meter block's slots (node-meter-tap.ts). From the graph's `extensions.meters`.
   */
  meters?: number[];
  /**
   * The sample rate of each engine buffer id (0, 1, ...) the program is given, when it is not the
   * engine's: builtin:playback and the sampler read a buffer at its own rate.
   */
  bufferRates?: number[];
  /**
   * The graph's tempo map as the engine takes it (tempoPieces); processors that follow the tempo
   * (builtin:playback_warp's warp markers) read beats from it. Absent: 120 bpm.
   */
  tempo?: TempoPiece[];
}

/**
 * How many entries of each kind a timeline adds to a node (a ramp that ends where it starts is a
 * step to the engine), so they can be reserved at once and estimated before.
 * @example
 * const { segments, values } = timelineCounts(compiled.program.nodes[0]?.timeline ?? []);
 */
export function timelineCounts(timeline: readonly TimelineEntry[]): TimelineCounts {
  const counts = { steps: 0, segments: 0, midi: 0, values: 0 };
  for (const entry of timeline) {
    if (entry.type === "step" || (entry.type === "ramp" && entry.end <= entry.start)) counts.steps++;
    else if (entry.type === "ramp") counts.segments++;
    else if (entry.type === "midi") counts.midi++;
    else if (entry.values.length > 0) {
      counts.segments++;
      counts.values += entry.values.length;
    }
  }
  return counts;
}

/**
 * Control (between rendered pieces): replaces the automation lane of parameter `paramId` of engine
 * node `node` on the graph that plays (WasmEngine.replaceLane): no reload, so the node's state and
 * its other parameters carry on. `timeline` holds that parameter's entries only (compileLane).
 * @example
 * applyLane(engine, 0, "frequency", 200, [
 *   { type: "ramp", param: "frequency", start: 48000, end: 96000, from: 200, to: 2000, curve: "exponential" },
 * ]);
 */
export function applyLane(
  engine: WasmEngine,
  node: number,
  paramId: string,
  base: number,
  timeline: readonly TimelineEntry[],
): void {
  engine.replaceLane(node, paramId, base, () => addEntries(engine, node, timeline));
}

function applyTimeline(engine: WasmEngine, node: number, timeline: TimelineEntry[]): void {
  // Reserved first: the timeline then holds exactly what the memory estimate counted, taken at once.
  engine.reserveTimeline(node, timelineCounts(timeline));
  addEntries(engine, node, timeline);
}

function addEntries(engine: WasmEngine, node: number, timeline: readonly TimelineEntry[]): void {
  for (const entry of timeline) {
    switch (entry.type) {
      case "step":
        engine.addParamStep(node, entry.param, entry.frame, entry.value);
        break;
      case "ramp":
        engine.addParamRamp(node, entry.param, entry.start, entry.end, entry.from, entry.to, entry.curve);
        break;
      case "array":
        engine.addParamArray(node, entry.param, entry.start, entry.values);
        break;
      case "midi":
        engine.addMidi(node, entry.frame, entry.status, entry.data1, entry.data2);
        break;
    }
  }
}

/**
 * Control: replaces the engine's graph with `program` and prepares it (which rewinds to frame 0).
 * Returns the engine node index of each program node.
 */
export function applyGraphProgram(
  engine: WasmEngine,
  program: GraphProgram,
  makeExternal?: (faust: ClonedFaustNode) => ExternalNodeSpec,
  makePort?: (port: StagePortSpec) => ExternalNodeSpec,
): number[] {
  engine.clear();
  engine.setTempoMap(program.tempo ?? DEFAULT_TEMPO_PIECES);
  const indices = program.nodes.map((node) => {
    const external =
      node.external ?? (node.faust && makeExternal?.(node.faust)) ?? (node.port && makePort?.(node.port));
    if (node.faust && !external) {
      throw new WasmEngineError("E_UNKNOWN_KIND", `this host cannot run Faust node ${node.faust.nodeId}`);
    }
    if (node.port && !external) {
      throw new WasmEngineError("E_UNKNOWN_KIND", "this host cannot run stage ports (a WAM graph's stages)");
    }
    return external
      ? engine.addExternalNode(external.create(), external.numOutputs, external.params)
      : engine.addNode(node.kind);
  });
  program.nodes.forEach((node, i) => {
    const index = indices[i] as number;
    for (const input of node.inputs) engine.addInput(index, indices[input] ?? -1);
    for (const [id, value] of Object.entries(node.params)) engine.setParam(index, id, value);
    for (const [slot, buffer] of Object.entries(node.buffers ?? {}))
      engine.setNodeBuffer(index, Number(slot), buffer);
    if (node.capture) engine.setCapture(index, true);
    if (node.recordParams) engine.setRecordParams(index, true);
    if (node.timeline) applyTimeline(engine, index, node.timeline);
  });
  engine.prepare(indices[program.output] ?? -1);
  return indices;
}
