/**
 * NodeDescriptor.resource_estimate for builtin nodes: what one more node of a type costs.
 *
 * - memory_mb: the engine's own estimate (estimateGraphMemory) of what adding one node of the type
 *   with default parameters takes, at the engine's sample rate and block size: the probe graph with
 *   the node minus the probe graph without it (probeProgram). Effects are costed on stereo input.
 *   Audio the node plays (playback and sampler buffers) is not counted: an upload holds it once,
 *   however many nodes read it.
 * - cpu_units: render time per block relative to the contract's unit, one builtin:gain on a stereo
 *   signal at the same block size, measured by measureCpuUnits (cpu-units.ts: how, and on what
 *   conditions): on the running machine when the caller measured it (builtin-cpu-units.ts, what the
 *   hosts' discovery does), else the table node-costs.ts (bench/node-costs.ts writes it).
 *
 * Faust nodes get theirs from their compiled DSP (src/faust), WAM nodes from the browser.
 */

import { CPU_ESTIMATE, type CpuSubject, measureCpuUnits } from "./cpu-units";
import { estimateGraphMemory } from "./graph-memory";
import type { ExternalNodeSpec, GraphProgram, GraphProgramNode } from "./graph-program";
import { NODE_CPU_UNITS } from "./node-costs";
import type { ProcessorTypeInfo } from "./processor-types";
import type { WasmEngine } from "./wasm-engine";

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
 * The resource estimate of every builtin type at `engine`'s rate and block size, by kind, with the
 * table's cpu_units (the hosts replace them by builtinCpuUnits' where measured).
 * @example
 * const estimates = builtinResourceEstimates(engine, engine.types);
 * estimates.get("reverb"); // { memory_mb: 0.41, cpu_units: 117.51 }
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

/**
 * What measureCpuUnits times for an external node: `spec`'s node, fed the probe's stereo oscillator
 * when it takes input; an instrument (a Faust DSP with voices) with one note held.
 * @example
 * const spec = { nodeId: "faust:gain", numOutputs: 1, params: [], create: () => faustNode };
 * const subject = externalCpuSubject(spec, true, false); // for measureCpuUnits
 */
export function externalCpuSubject(
  spec: ExternalNodeSpec,
  takesInput: boolean,
  instrument: boolean,
): CpuSubject {
  return {
    node: (inputs) => ({ kind: spec.nodeId, external: spec, inputs, params: {} }),
    takesInput,
    instrument,
  };
}

/**
 * The resource estimate of a node hosted outside engine.wasm (a compiled Faust DSP), measured at
 * once in `engine`'s instance: memory_mb by the engine's own estimate (which counts the external
 * DSP's own memory, ExternalNodeSpec.memoryBytes) as for builtins; cpu_units by measureCpuUnits
 * (cpu-units.ts), as the builtin table is: a few tenths of a second of CPU, once per DSP.
 * @example
 * const spec = { nodeId: "faust:gain", numOutputs: 1, params: [], create: () => faustNode };
 * const estimate = measureExternalEstimate(engine, spec, true, false);
 */
export function measureExternalEstimate(
  engine: WasmEngine,
  spec: ExternalNodeSpec,
  takesInput: boolean,
  instrument: boolean,
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
  const { units } = measureCpuUnits(engine, externalCpuSubject(spec, takesInput, instrument), CPU_ESTIMATE);
  return { memory_mb: roundTo(bytes / MB, 6), cpu_units: roundTo(units, 2) };
}
