/**
 * A graph's memory, known before an engine takes any, and what hosts compare it with.
 *
 * The estimate (estimateGraphMemory). A planner (a second engine inside the same engine.wasm
 * instance, destroyed afterwards) is given the graph's nodes, inputs, parameters, captures and, for
 * its buffers, zero-length stand-ins with the same channel counts, then asked what prepare() would
 * take (WasmEngine.estimateMemory: each processor's planPrepare, and the engine's own buffers for
 * each node). To that come:
 * - the records the graph's nodes take (node records, processor objects, parameter tables), measured
 *   as the planner made them;
 * - each node's timeline (wd_timeline_estimate; exact, because applyGraphProgram reserves timelines
 *   at once);
 * - the scratch copy of the longest automation array, held for a moment while it is copied in;
 * - external nodes' own memory (ExternalNodeSpec.memoryBytes), which lives outside engine.wasm.
 *
 * The comparison (graphMemoryRefusal). The whole estimate must stay within LIMITS.graphMemoryBytes;
 * its part inside engine.wasm, with the buffers still to be copied in, within what the instance has
 * left (wd_memory_available: free bytes in its heap plus what it can still grow by, up to
 * LIMITS.engineMemoryBytes). Free bytes may lie scattered in pieces, so a graph that passes can still
 * fail to allocate: the engine then traps (wasm/src/allocation_counter.cpp), and hosts discard the
 * instance for a fresh one (isEngineTrap, describeTrap).
 */
import { EngineError } from "../contracts/errors";
import { LIMITS } from "../contracts/limits";
import type { EngineWasmExports } from "./engine-module";
import { type GraphProgram, stagePortOutputs, timelineCounts } from "./graph-program";
import { WasmEngine } from "./wasm-engine";

/** One engine.wasm instance's memory, in bytes. */
export interface EngineMemory {
  /** What the memory may grow to (LIMITS.engineMemoryBytes). */
  maximumBytes: number;
  /** Heap bytes allocated: graphs, buffers, the engines themselves. */
  inUseBytes: number;
  /** Free heap bytes plus what the memory can still grow by; possibly in scattered pieces. */
  availableBytes: number;
}

/**
 * The memory of the instance behind `exports` (engine.exports of any of its engines).
 * @example
 * const { availableBytes } = engineMemory(engine.exports);
 */
export function engineMemory(exports: EngineWasmExports): EngineMemory {
  return {
    maximumBytes: exports.wd_memory_maximum(),
    inUseBytes: exports.wd_memory_in_use(),
    availableBytes: exports.wd_memory_available(),
  };
}

/** What a graph will take, before any of it is taken. */
export interface GraphMemoryEstimate {
  /** Every byte the graph holds once prepared, engine memory and external nodes' own together. */
  bytes: number;
  /** The part inside engine.wasm's memory. */
  engineBytes: number;
  /** Engine bytes needed only while the graph is applied (the longest automation array's scratch copy). */
  transientBytes: number;
  /** Each program node's part: its processor, its engine buffers, its timeline, an external's own memory. */
  nodeBytes: number[];
}

/** A buffer's channels and frames: all the memory estimate needs of its audio. */
export interface BufferShape {
  channels: number;
  frames: number;
}

/**
 * Stand-ins are zeros of the buffer's channels and of at most this many frames: enough for every
 * processor whose memory follows its buffer's length (a custom oscillator reads up to 2049
 * coefficients), and small whatever the audio's length.
 */
const STAND_IN_FRAMES = 2049;

/** The shape of a buffer held as channels (an empty list: one channel, no frames). */
export function bufferShapeOf(channels: readonly ArrayLike<number>[]): BufferShape {
  return { channels: Math.max(1, channels.length), frames: channels[0]?.length ?? 0 };
}

/**
 * Estimates what applyGraphProgram(engine, program) will take, taking nothing that lasts: the
 * planner and its stand-ins are freed before it returns. `bufferShape` gives the channels and frames
 * of each buffer id the program uses (playback and sampler nodes write as many channels; a custom
 * oscillator's tables follow its wave's length).
 * @example
 * const estimate = estimateGraphMemory(engine, compiled.program, (id) => engine.bufferShape(id));
 * estimate.engineBytes; // what applyGraphProgram(engine, compiled.program) will take
 */
export function estimateGraphMemory(
  engine: WasmEngine,
  program: GraphProgram,
  bufferShape: (id: number) => BufferShape,
): GraphMemoryEstimate {
  const { exports } = engine;
  const before = exports.wd_memory_in_use();
  const planner = new WasmEngine(exports, engine.sampleRate, engine.blockSize);
  try {
    const indices = program.nodes.map((node) => {
      const external = node.external ?? node.faust;
      if (node.port) return planner.addExternalStandIn(stagePortOutputs(node.port));
      return external ? planner.addExternalStandIn(external.numOutputs) : planner.addNode(node.kind);
    });
    const standIns = new Map<number, number>();
    // The stand-ins' own bytes are the planner's, not the graph's: the real buffers already exist.
    let standInBytes = 0;
    program.nodes.forEach((node, i) => {
      const index = indices[i] as number;
      for (const input of node.inputs) planner.addInput(index, indices[input] ?? -1);
      // External parameters shape no channel count: the stand-in has none.
      if (!(node.external ?? node.faust ?? node.port)) {
        for (const [id, value] of Object.entries(node.params)) planner.setParam(index, id, value);
      }
      for (const [slot, id] of Object.entries(node.buffers ?? {})) {
        let standIn = standIns.get(id);
        if (standIn === undefined) {
          const shape = bufferShape(id);
          const frames = Math.min(Math.max(0, shape.frames), STAND_IN_FRAMES);
          const unused = exports.wd_memory_in_use();
          standIn = planner.createBuffer(
            Array.from({ length: Math.max(1, shape.channels) }, () => new Float32Array(frames)),
            engine.sampleRate,
          );
          standInBytes += exports.wd_memory_in_use() - unused;
          standIns.set(id, standIn);
        }
        planner.setNodeBuffer(index, Number(slot), standIn);
      }
      if (node.capture) planner.setCapture(index, true);
    });
    const records = exports.wd_memory_in_use() - before - standInBytes;
    const prepared = planner.estimateMemory(indices[program.output] ?? -1);
    let timelines = 0;
    let transientBytes = 0;
    let externals = 0;
    const nodeBytes = program.nodes.map((node, i) => {
      const counts = timelineCounts(node.timeline ?? []);
      const timeline = exports.wd_timeline_estimate(
        counts.steps,
        counts.segments,
        counts.midi,
        counts.values,
      );
      for (const entry of node.timeline ?? []) {
        if (entry.type === "array") transientBytes = Math.max(transientBytes, entry.values.byteLength);
      }
      const external = (node.external ?? node.faust)?.memoryBytes ?? 0;
      timelines += timeline;
      externals += external;
      return planner.nodeMemoryEstimate(indices[i] as number) + timeline + external;
    });
    // The tempo map processors follow (applyGraphProgram sets it; 120 bpm is one piece).
    const tempo = exports.wd_tempo_estimate(program.tempo?.length ?? 1);
    const engineBytes = records + prepared + timelines + tempo;
    return { bytes: engineBytes + externals, engineBytes, transientBytes, nodeBytes };
  } finally {
    planner.destroy();
  }
}

/** Why a graph cannot be taken: the message, and the program node that needs the most. */
export interface MemoryRefusal {
  detail: string;
  node: number;
}

/** Where a graph would go: the instance's memory, and the buffer bytes to copy in with the graph. */
export interface MemoryRoom {
  availableBytes: number;
  inUseBytes: number;
  /** Bytes of buffers still to be copied into the engine with the graph (0 when already there). */
  bufferBytes: number;
}

/**
 * Null when the graph fits LIMITS.graphMemoryBytes and `room`; otherwise what to tell the caller.
 * @example
 * const estimate = estimateGraphMemory(engine, compiled.program, (id) => engine.bufferShape(id));
 * const room = { ...engineMemory(engine.exports), bufferBytes: 0 };
 * const refusal = graphMemoryRefusal(estimate, compiled.program, room);
 * if (refusal) throw memoryLimitError(refusal, "node_graph", compiled.nodeIndex.size);
 */
export function graphMemoryRefusal(
  estimate: GraphMemoryEstimate,
  program: GraphProgram,
  room: MemoryRoom,
): MemoryRefusal | null {
  let node = 0;
  estimate.nodeBytes.forEach((bytes, i) => {
    if (bytes > (estimate.nodeBytes[node] as number)) node = i;
  });
  const largest =
    `the node that needs the most (a ${program.nodes[node]?.kind ?? "node"}) takes ` +
    formatBytes(estimate.nodeBytes[node] ?? 0);
  const graphLimit = LIMITS.graphMemoryBytes.value;
  if (estimate.bytes > graphLimit) {
    const detail =
      `the graph needs an estimated ${formatBytes(estimate.bytes)} of engine memory, over the limit ` +
      `graphMemoryBytes = ${formatBytes(graphLimit)}; ${largest}`;
    return { detail, node };
  }
  const need = estimate.engineBytes + estimate.transientBytes + room.bufferBytes;
  if (need > room.availableBytes) {
    const buffers = room.bufferBytes > 0 ? ` with ${formatBytes(room.bufferBytes)} of buffers` : "";
    const detail =
      `the graph needs an estimated ${formatBytes(need)} of engine memory${buffers}, and this engine ` +
      `has ${formatBytes(Math.max(0, room.availableBytes))} left (engineMemoryBytes = ` +
      `${formatBytes(LIMITS.engineMemoryBytes.value)}, ${formatBytes(room.inUseBytes)} in use); ${largest}`;
    return { detail, node };
  }
  return null;
}

/**
 * The E_LIMIT error for a refusal, at the path of the node that needs the most (`root` is the
 * graph's path; a program node beyond the graph's own is the compiler's capture sink: the output).
 * @example
 * const error = memoryLimitError({ detail: "the graph needs …", node: 1 }, "load_graph.graph", 3);
 * error.path; // "load_graph.graph.nodes[1]"
 */
export function memoryLimitError(refusal: MemoryRefusal, root: string, graphNodes: number): EngineError {
  const path = refusal.node < graphNodes ? `${root}.nodes[${refusal.node}]` : `${root}.output`;
  return new EngineError("E_LIMIT", refusal.detail, path);
}

/**
 * True for an error thrown by a trap inside engine.wasm (a failed allocation among them): the
 * instance may be half-way through changing its memory and must not be called again.
 * @example
 * try {
 *   engine.render(128);
 * } catch (error) {
 *   if (isEngineTrap(error)) console.warn("this engine.wasm instance is spent: make a fresh one");
 * }
 */
export function isEngineTrap(error: unknown): boolean {
  return error instanceof WebAssembly.RuntimeError;
}

/**
 * What a trap means, for a message: a failed allocation says how much could not be had.
 * @example
 * try {
 *   engine.render(128);
 * } catch (error) {
 *   console.warn(describeTrap(engine.exports, error)); // "engine.wasm ran out of memory: …"
 * }
 */
export function describeTrap(exports: EngineWasmExports, error: unknown): string {
  const failed = exports.wd_allocation_failure_bytes();
  if (failed > 0) {
    return (
      `engine.wasm ran out of memory: it could not allocate ${formatBytes(failed)} more ` +
      `(its memory grows to ${formatBytes(exports.wd_memory_maximum())} at most)`
    );
  }
  return `engine.wasm trapped (${error instanceof Error ? error.message : String(error)})`;
}

/**
 * A byte count for messages: exact, then in binary units.
 * @example
 * formatBytes(1073741824); // "1073741824 bytes (1.00 GiB)"
 */
export function formatBytes(bytes: number): string {
  const units: [number, string][] = [
    [2 ** 30, "GiB"],
    [2 ** 20, "MiB"],
    [2 ** 10, "KiB"],
  ];
  for (const [size, unit] of units) {
    if (bytes >= size) return `${Math.round(bytes)} bytes (${(bytes / size).toFixed(2)} ${unit})`;
  }
  return `${Math.round(bytes)} bytes`;
}

/**
 * Test hook: scatters the instance's free memory into holes of `holeBytes` up to the top of what it
 * can grow to, each followed by a 1 MiB block it keeps, as a long session of buffers copied in and
 * released can leave it. Free bytes then abound while no block larger than a hole can be had: the
 * estimate lets through a graph that cannot be allocated (tests of what hosts do then). The blocks
 * are never written, so the machine's memory is not filled.
 * @example
 * scatterMemoryForTesting(engine.exports, 100 * 2 ** 20);
 */
export function scatterMemoryForTesting(exports: EngineWasmExports, holeBytes: number): void {
  const holes: number[] = [];
  // Nothing is freed until the end, so what is available is the room left at the top. Each kept
  // block is larger than any free block the heap had, so it comes from the top too and keeps the
  // holes apart (adjacent free blocks would merge into one large enough).
  while (exports.wd_memory_available() >= holeBytes + 2 ** 21) {
    holes.push(exports.wd_alloc(holeBytes));
    exports.wd_alloc(2 ** 20);
  }
  for (const hole of holes) exports.wd_free(hole);
}
