/**
 * Stage ports (audio thread): the engine nodes that connect a stage's subgraph to the stage's
 * AudioWorkletNode (partition.ts). An input port reads AudioWorkletNode input k into the graph; a tap
 * writes its input (an engine node's output) to AudioWorkletNode output k.
 *
 * The engine calls external processors once per (sub-)block: it splits a quantum where commands,
 * automation or MIDI land. So each port keeps its own frame offset within the quantum, starting over
 * when StageIo.quantum changes (EngineProcessor bumps it before rendering each quantum).
 *
 * Audio-path rule: process() allocates nothing; copies are index loops over the engine's heap view.
 */
import type { ExternalBlock, ExternalProcessor } from "../engine/external-nodes";

/** The stage AudioWorkletNode's buffers for the quantum being rendered (set by EngineProcessor). */
export interface StageIo {
  inputs: Float32Array[][];
  outputs: Float32Array[][];
  /** Counts quanta: a change tells the ports a new quantum starts at frame 0. */
  quantum: number;
}

/** A fresh StageIo, before the first quantum. */
export function createStageIo(): StageIo {
  return { inputs: [], outputs: [], quantum: 0 };
}

/** Tracks where in the current quantum the next (sub-)block starts. */
class QuantumOffset {
  private quantum = -1;
  private offset = 0;

  /** The frame of the quantum where a block of `frames` starts; advances past it. */
  take(io: StageIo, frames: number): number {
    if (io.quantum !== this.quantum) {
      this.quantum = io.quantum;
      this.offset = 0;
    }
    const start = this.offset;
    this.offset += frames;
    return start;
  }
}

/** What both port kinds share: the stage's io, their port index, their offset in the quantum. */
abstract class StagePort implements ExternalProcessor {
  protected readonly at = new QuantumOffset();

  constructor(
    protected readonly io: StageIo,
    protected readonly index: number,
  ) {}

  prepare(): void {}
  reset(): void {}
  setParam(): void {}
  midi(): void {}
  abstract process(block: ExternalBlock): void;
}

/**
 * Reads AudioWorkletNode input `index` into the graph, its channels from `channel` on (one per output
 * of the port's node); an unconnected input is silence.
 */
export class StageInputPort extends StagePort {
  constructor(
    io: StageIo,
    index: number,
    /** The input's first channel read (the primary reads stems after the output on one input). */
    private readonly channel = 0,
  ) {
    super(io, index);
  }

  process(block: ExternalBlock): void {
    const start = this.at.take(this.io, block.frames);
    const input = this.io.inputs[this.index];
    const heap = block.heapF32;
    const first = this.channel;
    for (let c = 0; c < block.numOutputs; c++) {
      const to = block.outputAddress(c) >> 2;
      // Web Audio hands an unconnected input as zero channels, a mono one as one.
      const from =
        input === undefined || input.length <= first
          ? undefined
          : (input[first + c] ?? (input.length === first + 1 ? input[first] : undefined));
      for (let i = 0; i < block.frames; i++)
        heap[to + i] = from === undefined ? 0 : ((from[start + i] ?? 0) as number);
    }
  }
}

/**
 * Writes its input to AudioWorkletNode output `index`, channel c to channel c: the output has the
 * tapped node's channel count (wam-graph.ts); a mono input fills every output channel, and output
 * channels the input lacks are silent.
 */
export class StageTap extends StagePort {
  process(block: ExternalBlock): void {
    const start = this.at.take(this.io, block.frames);
    const output = this.io.outputs[this.index];
    const heap = block.heapF32;
    // The tap's own output (it feeds only the stage's sink) is silence.
    for (let c = 0; c < block.numOutputs; c++)
      heap.fill(0, block.outputAddress(c) >> 2, (block.outputAddress(c) >> 2) + block.frames);
    if (output === undefined) return;
    for (let c = 0; c < output.length; c++) {
      const channel = output[c] as Float32Array;
      const source = c < block.numInputs ? c : block.numInputs === 1 ? 0 : -1;
      if (source < 0) {
        channel.fill(0, start, start + block.frames);
        continue;
      }
      const from = block.inputAddress(source) >> 2;
      for (let i = 0; i < block.frames && start + i < channel.length; i++)
        channel[start + i] = heap[from + i] as number;
    }
  }
}
