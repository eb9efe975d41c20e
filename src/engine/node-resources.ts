/**
 * NodeDescriptor.resource_estimate for builtin nodes: what one more node of a type costs.
 *
 * - memory_mb: the engine's own estimate (estimateGraphMemory) of what adding one node of the type
 *   with default parameters takes, at the engine's sample rate and block size: the probe graph with
 *   the node minus the probe graph without it (probeProgram). Effects are costed on stereo input.
 *   Audio the node plays (playback and sampler buffers) is not counted: an upload holds it once,
 *   however many nodes read it.
 * - cpu_units: render time per block relative to the contract's unit, one builtin:gain on a stereo
 *   signal at the same block size, measured by bench/node-costs.ts (the table in node-costs.ts,
 *   with how and where it was measured). Instruments are costed with one voice sounding.
 *
 * Faust nodes get theirs from their compiled DSP (src/faust), WAM nodes from the browser.
 */

import { estimateGraphMemory } from "./graph-memory";
import {
  applyGraphProgram,
  type ExternalNodeSpec,
  type GraphProgram,
  type GraphProgramNode,
} from "./graph-program";
import { NODE_CPU_UNITS } from "./node-costs";
import type { ProcessorTypeInfo } from "./processor-types";
import { WasmEngine } from "./wasm-engine";

/** NodeDescriptor.resource_estimate. */
export interface ResourceEstimate {
  memory_mb: number;
  cpu_units: number;
}

const MB = 1024 * 1024;

/** The stereo signal a probe feeds an effect. */
const PROBE_SOURCE: GraphProgramNode = { kind: "oscillator", inputs: [], params: { channels: 2 } };

/**
 * The probe graph of one node of `type` (or, with `withNode` false, the same graph without it), so
 * the difference is the node's own cost: an effect is fed a stereo oscillator and is the output
 * (against the oscillator alone); a source or instrument is mixed with the oscillator (against the
 * oscillator mixed alone). The graph's output staging is the same on both sides and cancels.
 * @example
 * const program = probeProgram(filterType, true); // oscillator -> filter
 */
export function probeProgram(type: ProcessorTypeInfo, withNode: boolean): GraphProgram {
  if (type.maxInputs !== 0) {
    const node: GraphProgramNode = { kind: type.kind, inputs: [0], params: {} };
    return withNode ? { nodes: [PROBE_SOURCE, node], output: 1 } : { nodes: [PROBE_SOURCE], output: 0 };
  }
  const node: GraphProgramNode = { kind: type.kind, inputs: [], params: {} };
  return withNode
    ? { nodes: [PROBE_SOURCE, node, { kind: "mixer", inputs: [0, 1], params: {} }], output: 2 }
    : { nodes: [PROBE_SOURCE, { kind: "mixer", inputs: [0], params: {} }], output: 1 };
}

/** Bytes of a program by the engine's own estimate (no buffers: every slot's stand-in is empty). */
function programBytes(engine: WasmEngine, program: GraphProgram): number {
  return estimateGraphMemory(engine, program, () => ({ channels: 1, frames: 0 })).bytes;
}

/**
 * What one node of `type` takes in `engine`'s memory, in bytes (at its rate and block size).
 * @example
 * nodeMemoryBytes(engine, filterType); // 1608 bytes at 48 kHz and 128 frames
 */
export function nodeMemoryBytes(engine: WasmEngine, type: ProcessorTypeInfo): number {
  return Math.max(
    0,
    programBytes(engine, probeProgram(type, true)) - programBytes(engine, probeProgram(type, false)),
  );
}

/**
 * The resource estimate of every builtin type at `engine`'s rate and block size, by kind.
 * @example
 * const estimates = builtinResourceEstimates(engine, engine.types);
 * estimates.get("reverb"); // { memory_mb: 0.41, cpu_units: 38 }
 */
export function builtinResourceEstimates(
  engine: WasmEngine,
  types: readonly ProcessorTypeInfo[],
): Map<string, ResourceEstimate> {
  const estimates = new Map<string, ResourceEstimate>();
  for (const type of types) {
    estimates.set(type.kind, {
      memory_mb: roundTo(nodeMemoryBytes(engine, type) / MB, 6),
      cpu_units: NODE_CPU_UNITS[type.kind] ?? 1,
    });
  }
  return estimates;
}

function roundTo(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Rounds of the interleaved timing of measureExternalEstimate, and blocks per round. */
const EXTERNAL_ROUNDS = 5;
const EXTERNAL_BLOCKS = 48;
const EXTERNAL_COPIES = 4;

/**
 * The resource estimate of a node hosted outside engine.wasm (a compiled Faust DSP), measured at
 * once in `engine`'s instance: memory_mb by the engine's own estimate (which counts the external
 * DSP's own memory, ExternalNodeSpec.memoryBytes) as for builtins; cpu_units by timing, interleaved,
 * EXTERNAL_COPIES of the node against as many builtin:gain nodes on the same stereo probe, over
 * EXTERNAL_ROUNDS rounds of EXTERNAL_BLOCKS blocks (the median round): a few milliseconds for
 * most DSPs, and an estimate only (the machine's load moves it).
 * @example
 * const spec = { nodeId: "faust:gain", numOutputs: 1, params: [], create: () => faustNode };
 * const estimate = measureExternalEstimate(engine, spec, true);
 */
export function measureExternalEstimate(
  engine: WasmEngine,
  spec: ExternalNodeSpec,
  takesInput: boolean,
): ResourceEstimate {
  const external = (inputs: number[]): GraphProgramNode => ({
    kind: spec.nodeId,
    external: spec,
    inputs,
    params: {},
  });
  const memoryWith: GraphProgram = takesInput
    ? { nodes: [PROBE_SOURCE, external([0])], output: 1 }
    : { nodes: [PROBE_SOURCE, external([]), { kind: "mixer", inputs: [0, 1], params: {} }], output: 2 };
  const memoryWithout: GraphProgram = takesInput
    ? { nodes: [PROBE_SOURCE], output: 0 }
    : { nodes: [PROBE_SOURCE, { kind: "mixer", inputs: [0], params: {} }], output: 1 };
  const bytes = Math.max(0, programBytes(engine, memoryWith) - programBytes(engine, memoryWithout));

  const timed = (node: (inputs: number[]) => GraphProgramNode): GraphProgram => {
    const copies = Array.from({ length: EXTERNAL_COPIES }, () => node(takesInput ? [0] : []));
    const mixer = { kind: "mixer", inputs: [0, ...copies.map((_, i) => i + 1)], params: {} };
    return { nodes: [PROBE_SOURCE, ...copies, mixer], output: EXTERNAL_COPIES + 1 };
  };
  const gain = (inputs: number[]): GraphProgramNode => ({ kind: "gain", inputs, params: {} });
  const none: GraphProgram = {
    nodes: [PROBE_SOURCE, { kind: "mixer", inputs: Array(EXTERNAL_COPIES + 1).fill(0), params: {} }],
    output: 1,
  };
  const ratios: number[] = [];
  for (let round = 0; round < EXTERNAL_ROUNDS; round++) {
    const node = timeProgram(engine, timed(external));
    const reference = timeProgram(engine, timed(gain));
    const zero = timeProgram(engine, none);
    ratios.push(Math.max(0, node - zero) / Math.max(1e-6, reference - zero));
  }
  ratios.sort((a, b) => a - b);
  return { memory_mb: roundTo(bytes / MB, 6), cpu_units: roundTo(ratios[ratios.length >> 1] as number, 2) };
}

/** The control thread's clock (this module is also type-checked for the worklet scope, which has none). */
function now(): number {
  return (globalThis as { performance?: { now(): number } }).performance?.now() ?? Date.now();
}

/** Milliseconds to render EXTERNAL_BLOCKS blocks of `program` on a scratch engine of the instance. */
function timeProgram(base: WasmEngine, program: GraphProgram): number {
  const engine = new WasmEngine(base.exports, base.sampleRate, base.blockSize);
  try {
    applyGraphProgram(engine, program);
    engine.render(base.blockSize);
    const start = now();
    for (let i = 0; i < EXTERNAL_BLOCKS; i++) engine.render(base.blockSize);
    return now() - start;
  } finally {
    engine.destroy();
  }
}
