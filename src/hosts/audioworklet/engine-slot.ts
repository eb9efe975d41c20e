/**
 * EngineSlot: the engine instance an AudioWorklet plays, and the graph it plays. It changes graphs so
 * that what plays is always a whole, prepared graph (docs/reliability.md, "Memory"):
 * - a new graph is estimated first and refused (E_LIMIT, at the node that needs the most) when it
 *   exceeds LIMITS.graphMemoryBytes or cannot fit in the instance's memory even without the graph
 *   playing now;
 * - it is built beside the playing graph, in a second engine of the same instance, when both fit: the
 *   playing graph is untouched until the new one is whole. When only one fits, the playing graph is
 *   freed first and, should the new one fail, built again from its program;
 * - when an allocation fails anyway (engine.wasm traps), the instance is dropped for a fresh one
 *   playing the previous graph again (its tails start over), and the load is refused.
 * Everything here runs in message handlers on the audio thread, never in process(). EngineProcessor
 * owns one; it runs in Node too (test/hosts/audioworklet/engine-slot.test.ts).
 */
import { instantiateEngine } from "../../engine/engine-module";
import {
  bufferShapeOf,
  describeTrap,
  engineMemory,
  estimateGraphMemory,
  graphMemoryRefusal,
  isEngineTrap,
} from "../../engine/graph-memory";
import {
  applyGraphProgram,
  applyLane,
  type ClonedFaustNode,
  type ExternalNodeSpec,
  type GraphProgram,
  type StagePortSpec,
  type TimelineEntry,
  timelineCounts,
} from "../../engine/graph-program";
import { WasmEngine } from "../../engine/wasm-engine";

/** How a load went. */
export type SlotLoad =
  | { loaded: true }
  | {
      loaded: false;
      message: string;
      /** Refused for memory before anything was taken: E_LIMIT at this program node. */
      limitNode?: number;
      /**
       * The instance trapped and a fresh one replaced it; false here means the previous graph could
       * not be built again either, so the slot holds an empty engine (the worklet faults).
       */
      previousKept?: boolean;
    };

export class EngineSlot {
  /** The engine that plays (empty until a graph is loaded). */
  engine: WasmEngine;
  /** The graph playing and the audio it refers to as buffer ids 0, 1, ... (kept for restarts). */
  program: GraphProgram | null = null;
  buffers: Float32Array[][] = [];
  /** Nodes of the playing graph's engine: the indices commands may use. */
  nodeCount = 0;
  /** Heap bytes the playing graph and its buffers hold: room for a graph that replaces it. */
  private heldBytes = 0;

  /**
   * @example
   * const slot = new EngineSlot(module, 48000, 128);
   * slot.start(program, []);
   */
  constructor(
    private readonly module: WebAssembly.Module,
    private readonly sampleRate: number,
    private readonly blockSize: number,
    private readonly makeExternal?: (faust: ClonedFaustNode) => ExternalNodeSpec,
    private readonly makePort?: (port: StagePortSpec) => ExternalNodeSpec,
  ) {
    this.engine = this.freshEngine();
  }

  /**
   * A fresh instance playing `program` (at construction, on restart, after a trap). When the graph
   * cannot be built the slot keeps an empty fresh instance and the error is thrown.
   * @example
   * const slot = new EngineSlot(module, 48000, 128);
   * slot.start(program, []);
   * slot.start(slot.program, slot.buffers); // a restart: the same graph on a fresh instance
   */
  start(program: GraphProgram | null, buffers: Float32Array[][]): void {
    this.engine = this.freshEngine();
    this.program = null;
    this.buffers = [];
    this.nodeCount = 0;
    this.heldBytes = 0;
    if (program === null) return;
    const before = this.engine.exports.wd_memory_in_use();
    try {
      this.build(this.engine, program, buffers);
      this.heldBytes = this.engine.exports.wd_memory_in_use() - before;
    } catch (error) {
      this.engine = this.freshEngine();
      throw error;
    }
  }

  /**
   * Replaces the playing graph with `program` when it fits, or says why not (see the file comment);
   * the playing graph plays on after a refusal.
   * @example
   * const slot = new EngineSlot(module, 48000, 128);
   * const outcome = slot.load(program, []);
   * if (!outcome.loaded) console.warn(outcome.message); // the graph before plays on
   */
  load(program: GraphProgram, buffers: Float32Array[][]): SlotLoad {
    let estimate: ReturnType<typeof estimateGraphMemory>;
    try {
      estimate = estimateGraphMemory(this.engine, program, (id) => bufferShapeOf(buffers[id] ?? []));
    } catch (error) {
      if (isEngineTrap(error)) return this.recover(error);
      return { loaded: false, message: errorText(error) };
    }
    const bufferBytes = buffers.reduce(
      (sum, channels) => sum + channels.reduce((bytes, channel) => bytes + channel.byteLength, 0),
      0,
    );
    const memory = engineMemory(this.engine.exports);
    if (graphMemoryRefusal(estimate, program, { ...memory, bufferBytes }) === null) {
      return this.replaceGraph(program, buffers, true);
    }
    const alone = graphMemoryRefusal(estimate, program, {
      availableBytes: memory.availableBytes + this.heldBytes,
      inUseBytes: memory.inUseBytes - this.heldBytes,
      bufferBytes,
    });
    if (alone !== null) return { loaded: false, message: alone.detail, limitNode: alone.node };
    return this.replaceGraph(program, buffers, false);
  }

  /**
   * Replaces one parameter's automation lane of the playing graph (a live scheduleAutomation), in a
   * message handler between quanta: the node's timeline loses that parameter's entries and takes
   * `timeline` (that parameter's only), its value before automation becomes `base`, and playback
   * resumes at the current frame with every other parameter, MIDI and the node's state untouched.
   * The program is updated too, so a restart plays the lane. Refused (the lane as it was) when the
   * node or parameter is unknown or the entries cannot fit in the engine's memory; a trap while
   * adding them replaces the instance, as a load's would.
   * @example
   * const slot = new EngineSlot(module, 48000, 128);
   * slot.start(program, []);
   * const outcome = slot.replaceLane(0, "gain", 1, [{ type: "ramp", param: "gain", start: 48000, end: 96000, from: 1, to: 0, curve: "linear" }]);
   */
  replaceLane(node: number, paramId: string, base: number, timeline: TimelineEntry[]): SlotLoad {
    const programNode = this.program?.nodes[node];
    if (programNode === undefined || !(node < this.nodeCount)) {
      return { loaded: false, message: `no node ${node} in the playing graph` };
    }
    const { exports } = this.engine;
    const counts = timelineCounts(timeline);
    // Removing a lane with arrays copies the node's other values once (NodeTimeline::removeParam).
    const needed =
      exports.wd_timeline_estimate(counts.steps, counts.segments, counts.midi, counts.values) * 2 +
      timelineCounts(programNode.timeline ?? []).values * 4;
    if (needed > exports.wd_memory_available()) {
      return {
        loaded: false,
        message: `the lane needs about ${needed} bytes and the engine has ${exports.wd_memory_available()} left`,
        limitNode: node,
      };
    }
    const before = exports.wd_memory_in_use();
    try {
      applyLane(this.engine, node, paramId, base, timeline);
    } catch (error) {
      if (isEngineTrap(error)) return this.recover(error);
      return { loaded: false, message: errorText(error) };
    }
    this.heldBytes += exports.wd_memory_in_use() - before;
    const kept = (programNode.timeline ?? []).filter(
      (entry) => entry.type === "midi" || entry.param !== paramId,
    );
    programNode.timeline = [...kept, ...timeline];
    programNode.params[paramId] = base;
    return { loaded: true };
  }

  private replaceGraph(program: GraphProgram, buffers: Float32Array[][], beside: boolean): SlotLoad {
    const previous = { engine: this.engine, program: this.program, buffers: this.buffers };
    const { exports } = previous.engine;
    if (!beside) {
      // Only one graph fits: the playing one goes first (nothing renders until this handler returns).
      previous.engine.destroy();
      this.heldBytes = 0;
    }
    const before = exports.wd_memory_in_use();
    const next = new WasmEngine(exports, this.sampleRate, this.blockSize);
    try {
      this.build(next, program, buffers);
    } catch (error) {
      if (isEngineTrap(error)) return this.recover(error, previous);
      next.destroy();
      // Freed for this one, the previous graph is built again; built beside, it played on untouched.
      if (!beside) return this.rebuild(errorText(error), previous);
      return { loaded: false, message: errorText(error) };
    }
    if (beside) previous.engine.destroy();
    this.engine = next;
    this.heldBytes = exports.wd_memory_in_use() - before;
    return { loaded: true };
  }

  /** The instance trapped: a fresh one plays the previous graph again. */
  private recover(error: unknown, previous = { program: this.program, buffers: this.buffers }): SlotLoad {
    return this.rebuild(
      `${describeTrap(this.engine.exports, error)}; the engine instance was replaced`,
      previous,
    );
  }

  private rebuild(
    message: string,
    previous: { program: GraphProgram | null; buffers: Float32Array[][] },
  ): SlotLoad {
    try {
      this.start(previous.program, previous.buffers);
      return { loaded: false, message, previousKept: true };
    } catch (error) {
      return {
        loaded: false,
        message: `${message}; the previous graph failed too: ${errorText(error)}`,
        previousKept: false,
      };
    }
  }

  /** Copies the buffers into `engine` (ids 0, 1, ... in a fresh engine) and applies the program. */
  private build(engine: WasmEngine, program: GraphProgram, buffers: Float32Array[][]): void {
    // Each buffer at its own rate (a 48 kHz file in a 44.1 kHz context), so playback reads it at that rate.
    for (const [id, channels] of buffers.entries()) {
      engine.createBuffer(channels, program.bufferRates?.[id] ?? this.sampleRate);
    }
    const nodes = applyGraphProgram(engine, program, this.makeExternal, this.makePort).length;
    this.engine = engine;
    this.program = program;
    this.buffers = buffers;
    this.nodeCount = nodes;
  }

  private freshEngine(): WasmEngine {
    return new WasmEngine(instantiateEngine(this.module), this.sampleRate, this.blockSize);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
