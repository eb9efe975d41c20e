/**
 * Measures a node's render cost in cpu_units (NodeDescriptor.resource_estimate): render time per
 * block relative to the unit, one builtin:gain on a stereo signal, at the engine's block size.
 * One implementation for the builtin table (bench/node-costs.ts), a Faust DSP's estimate at compile
 * (node-resources.ts) and the test that holds both to what the engine costs
 * (test/engine/node-cpu-units.test.ts).
 *
 * Conditions: default parameters; an effect on a stereo oscillator; an instrument with one note held
 * from frame 0 (one voice sounding); a node that reads a buffer plays stereo noise long enough to
 * sound for the whole measurement.
 *
 * Method: graphs that differ only by copies of the node. An effect is measured as a chain,
 * oscillator -> node x N, against the oscillator alone; a source as N nodes into a mixer against one
 * node into the same mixer N times (the mixer's work is the same on both sides), so the difference
 * is N - 1 nodes. The unit is the same difference for a chain of builtin:gain. Every graph runs on its
 * own engine, warmed, and the graphs are timed in short turns, interleaved (X, X', G, G', X, ...),
 * so a turn of the machine's load falls on both sides of a ratio; units are the median of the
 * rounds' ratios, so the rounds a preemption hit drop out.
 */
import { applyGraphProgram, type GraphProgram, type GraphProgramNode } from "./graph-program";
import type { ProcessorTypeInfo } from "./processor-types";
import { WasmEngine } from "./wasm-engine";

/** The node measured: what it is and how it is fed. */
export interface CpuSubject {
  /** One copy of the node, given its inputs (indices into the program's nodes). */
  node(inputs: number[]): GraphProgramNode;
  /** Effects take the probe's stereo oscillator; sources and instruments take nothing. */
  takesInput: boolean;
  /** Plays MIDI: every copy gets one note held from frame 0. */
  instrument?: boolean;
  /** Reads a buffer in slot 0 (builtin:playback, builtin:sampler). */
  buffered?: boolean;
}

export interface CpuMeasureOptions {
  /**
   * Rounds of a batch. Batches run until one's median is within `settle` of the batch before (a
   * processor's code is compiled again, faster, once it has run a while, and a run of the machine's
   * load can pass), at most `maxBatches`; units are the median of the last two batches' rounds.
   */
  rounds: number;
  maxBatches: number;
  /** Relative difference of two batches' medians that counts as settled (e.g. 0.08). */
  settle: number;
  /**
   * Milliseconds a graph renders in one turn of a round: long beside the clock's and the call's
   * overhead (a block of a few gains takes well under a microsecond), short beside the scheduler's
   * time slice, so most turns run uninterrupted.
   */
  turnMs: number;
  /** Copies of the node; the reference is a chain of `gains` gains. */
  copies: number;
  gains: number;
  /**
   * Blocks each engine renders before the rounds (default 1024): the engine's and the node's code
   * compiled again, faster, and the caches warm. A Faust node's JavaScript side needs thousands of
   * calls before its figure stops falling (with 64, a Faust gain's estimate at compile came out 5 to
   * 35% above what the test measured just after).
   */
  warmup?: number;
}

export interface CpuMeasurement {
  /** Median of the rounds' ratios. */
  units: number;
  /** Every round's ratio, in order. */
  ratios: number[];
  /** Each batch's median ratio, in order. */
  batchMedians: number[];
}

/**
 * A builtin type as measureCpuUnits times it, at its defaults.
 * @example
 * const synth = engine.types.find((type) => type.kind === "synth");
 * if (synth) measureCpuUnits(engine, builtinCpuSubject(synth), CPU_ESTIMATE).units; // about 89
 */
export function builtinCpuSubject(type: ProcessorTypeInfo): CpuSubject {
  return {
    node: (inputs) => ({ kind: type.kind, inputs, params: {} }),
    takesInput: type.maxInputs !== 0,
    instrument: type.instrument,
    buffered: type.bufferSlots.length > 0,
  };
}

/**
 * How estimates are measured (a Faust DSP's at compile, and the test that holds every estimate to
 * what the engine costs): a few tenths of a second of CPU a node.
 */
export const CPU_ESTIMATE: Readonly<CpuMeasureOptions> = {
  rounds: 20,
  maxBatches: 6,
  settle: 0.08,
  turnMs: 0.2,
  copies: 4,
  gains: 16,
};

/** The probe's source: a stereo oscillator at its defaults. */
const OSCILLATOR: GraphProgramNode = { kind: "oscillator", inputs: [], params: { channels: 2 } };

/** A chain of `count` nodes after the stereo oscillator (count 0: the oscillator alone). */
function chain(node: (inputs: number[]) => GraphProgramNode, count: number): GraphProgram {
  const nodes = [OSCILLATOR, ...Array.from({ length: count }, (_, i) => node([i]))];
  return { nodes, output: nodes.length - 1 };
}

/** `distinct` of `count` mixer inputs are their own copy of the source; the rest repeat the first. */
function mixed(subject: CpuSubject, count: number, distinct: number): GraphProgram {
  const copy = (): GraphProgramNode => ({
    ...subject.node([]),
    ...(subject.buffered ? { buffers: { 0: 0 } } : {}),
    ...(subject.instrument
      ? { timeline: [{ type: "midi" as const, frame: 0, status: 0x90, data1: 60, data2: 100 }] }
      : {}),
  });
  const sources = Array.from({ length: distinct }, copy);
  const inputs = Array.from({ length: count }, (_, i) => (i < distinct ? i : 0));
  return { nodes: [...sources, { kind: "mixer", inputs, params: {} }], output: distinct };
}

const gainNode = (inputs: number[]): GraphProgramNode => ({ kind: "gain", inputs, params: {} });

/** The control thread's clock (this module is also type-checked for the worklet scope). */
function now(): number {
  return (globalThis as { performance?: { now(): number } }).performance?.now() ?? Date.now();
}

/** Seconds of the noise a buffered subject reads: the rounds are kept within it. */
const BUFFER_SECONDS = 20;

/** A stereo noise buffer (engine buffer 0) of `frames` frames: one second of noise, repeated. */
function noiseBuffer(engine: WasmEngine, frames: number): void {
  let seed = 1;
  const second = Float32Array.from({ length: engine.sampleRate }, () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 31 - 1;
  });
  const channel = new Float32Array(frames);
  for (let at = 0; at < frames; at += second.length) channel.set(second.subarray(0, frames - at), at);
  engine.createBuffer([channel, channel.slice().reverse()], engine.sampleRate);
}

/** Milliseconds `engine` takes to render `blocks` blocks. */
function turn(engine: WasmEngine, blocks: number): number {
  const start = now();
  for (let b = 0; b < blocks; b++) engine.render(engine.blockSize);
  return now() - start;
}

/** The smallest step the clock reads, in milliseconds (the least of a few). */
function clockStep(): number {
  let step = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 5; i++) {
    const start = now();
    let next = now();
    while (next === start) next = now();
    step = Math.min(step, next - start);
  }
  return step;
}

/**
 * How many blocks of `engine` fill `turnMs`: doubling from 8 until a turn reads at least `turnMs`
 * (a coarse clock reads a short turn as 0), then scaled to it; and how many blocks that rendered.
 */
function blocksFilling(engine: WasmEngine, turnMs: number): { blocks: number; rendered: number } {
  let rendered = 0;
  for (let blocks = 8; ; blocks *= 2) {
    const ms = turn(engine, blocks);
    rendered += blocks;
    if (ms >= turnMs || blocks >= 1 << 16)
      return { blocks: Math.max(1, Math.round((blocks * turnMs) / Math.max(ms, 1e-6))), rendered };
  }
}

/**
 * Measures `subject` in cpu_units on scratch engines of `base`'s instance (same module, rate and
 * block size). Takes 4 x rounds x turnMs a batch (two batches at least), plus the warm-up.
 * @example
 * const filter = (inputs: number[]) => ({ kind: "filter", inputs, params: {} });
 * measureCpuUnits(engine, { node: filter, takesInput: true }, CPU_ESTIMATE).units; // about 6.7
 */
export function measureCpuUnits(
  base: WasmEngine,
  subject: CpuSubject,
  options: CpuMeasureOptions,
): CpuMeasurement {
  const { rounds, copies, gains } = options;
  const warmup = options.warmup ?? 1024;
  const pairs: { programs: [GraphProgram, GraphProgram]; count: number }[] = [
    subject.takesInput
      ? { programs: [chain(subject.node, copies), chain(subject.node, 0)], count: copies }
      : { programs: [mixed(subject, copies, copies), mixed(subject, copies, 1)], count: copies - 1 },
    { programs: [chain(gainNode, gains), chain(gainNode, 0)], count: gains },
  ];
  const bufferFrames = BUFFER_SECONDS * base.sampleRate;
  const engines: WasmEngine[] = [];
  try {
    const timed = pairs.map(({ programs, count }) => {
      const [withNodes, without] = programs.map((program) => {
        const engine = new WasmEngine(base.exports, base.sampleRate, base.blockSize);
        engines.push(engine);
        if (subject.buffered) noiseBuffer(engine, bufferFrames);
        applyGraphProgram(engine, program);
        return engine;
      }) as [WasmEngine, WasmEngine];
      return { withNodes, without, count, blocks: 1 };
    });
    // Warm up in turns, so every graph's code is compiled and in cache before any is timed.
    for (let i = 0; i < warmup; i += 8) for (const engine of engines) turn(engine, 8);
    // A turn must span many of the clock's steps: 5 us in a cross-origin isolated page or Node, 100 us
    // in a page that is not (Chromium coarsens it), where a 0.2 ms turn would read 0 or 1 step.
    const turnMs = Math.max(options.turnMs, 20 * clockStep());
    // Blocks per turn, from the larger graph of each pair (the most of a few calibrations). A buffered
    // subject's turns must all fit in what is left of its buffer after the warm-up and the
    // calibrations (past its end the node plays silence, cheaper: a batch would fall by half).
    for (const pair of timed) {
      const fillings = [0, 1, 2].map(() => blocksFilling(pair.withNodes, turnMs));
      const rendered = warmup + fillings.reduce((sum, filling) => sum + filling.rendered, 0);
      const maxBlocks = subject.buffered
        ? Math.floor((bufferFrames / base.blockSize - rendered - 8) / (rounds * options.maxBatches))
        : Number.POSITIVE_INFINITY;
      const blocks = Math.max(...fillings.map((filling) => filling.blocks));
      pair.blocks = Math.max(1, Math.min(maxBlocks, blocks));
    }
    const ratios: number[] = [];
    const batchMedians: number[] = [];
    for (let batch = 0; batch < options.maxBatches; batch++) {
      for (let round = 0; round < rounds; round++) {
        const [node, unit] = timed.map(
          ({ withNodes, without, count, blocks }) =>
            (turn(withNodes, blocks) - turn(without, blocks)) / (blocks * count),
        ) as [number, number];
        ratios.push(node / Math.max(1e-12, unit));
      }
      const latest = median(ratios.slice(-rounds));
      const previous = batchMedians.at(-1);
      batchMedians.push(latest);
      if (previous !== undefined && Math.abs(latest - previous) <= options.settle * Math.abs(previous)) break;
    }
    return { units: median(ratios.slice(-2 * rounds)), ratios, batchMedians };
  } finally {
    for (const engine of engines) engine.destroy();
  }
}

/**
 * The median of `values` (the mean of the middle two for an even count).
 * @example
 * median([3, 1, 2, 10]); // 2.5
 */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
