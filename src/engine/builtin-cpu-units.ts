/**
 * A builtin node's cpu_units as measured on the machine that runs it, lazily and within a time budget.
 *
 * Why not the table alone (node-costs.ts): a node's cost in gains depends on the CPU. A gain is
 * memory-bound, an oscillator or a filter compute-bound, so the ratio moves between CPUs (a filter
 * measured 5.4 gains on one of the two virtual CPUs the table was measured on and 8.7 on the other);
 * no fixed figure holds 25% everywhere. So the first time a kind's estimate is asked (a discovery),
 * it is measured here by the table's own method (measureCpuUnits, cpu-units.ts) with shorter batches
 * (CPU_CALIBRATION), and kept for the process (by rate, block size and kind). A discovery spends at
 * most about `budgetMs` measuring (the kind it is measuring when the budget runs out finishes); kinds
 * not measured yet keep the table's figure until a later discovery measures them. builtin:gain is the
 * unit, 1 by definition, and is not measured.
 */
import { builtinCpuSubject, CPU_ESTIMATE, type CpuMeasureOptions, measureCpuUnits } from "./cpu-units";
import { NODE_CPU_UNITS } from "./node-costs";
import type { ProcessorTypeInfo } from "./processor-types";
import type { WasmEngine } from "./wasm-engine";

/**
 * The estimate's measurement: CPU_ESTIMATE with fewer rounds, at most three batches and a shorter
 * warm-up (tens of milliseconds a kind on a quiet machine; 1.2 s for all twelve in Node, 3 s with
 * the machine's two cores busy). In three runs of test/engine/node-cpu-units.test.ts at load average
 * 8 to 21, every estimate was within 12% of the nearer of the full measurements around it.
 */
export const CPU_CALIBRATION: Readonly<CpuMeasureOptions> = {
  ...CPU_ESTIMATE,
  rounds: 16,
  maxBatches: 3,
  warmup: 256,
};

/** Default budget of one discovery's measuring, in milliseconds. */
export const CALIBRATION_BUDGET_MS = 250;

/** Where a builtin's cpu_units came from, for its descriptor's extensions.resource_notes. */
export type CpuUnitsSource = "measured" | "table";

export interface BuiltinCpuUnits {
  units: number;
  source: CpuUnitsSource;
}

/**
 * A builtin descriptor's extensions.resource_notes for where its cpu_units came from.
 * @example
 * builtinCpuUnitsNote("table"); // "cpu_units: the table measured by bench/node-costs.ts ..."
 */
export function builtinCpuUnitsNote(source: CpuUnitsSource): string {
  return source === "measured"
    ? "cpu_units measured on this machine at the engine's rate and block size, the first time it was asked (relative to builtin:gain, interleaved turns; docs/contracts.md)"
    : "cpu_units from the table measured by bench/node-costs.ts at 48 kHz and 128 frames (not yet measured on this machine: a later discovery measures it)";
}

/** Units measured in this process, by `${sampleRate}/${blockSize}/${kind}`. */
const measured = new Map<string, number>();

function key(engine: WasmEngine, kind: string): string {
  return `${engine.sampleRate}/${engine.blockSize}/${kind}`;
}

/** The table's figure (measured at 48 kHz and 128 frames on the machine bench/node-costs.ts ran on). */
function tableUnits(kind: string): number {
  return NODE_CPU_UNITS[kind] ?? 1;
}

/**
 * Each type's cpu_units at `engine`'s rate and block size: measured in this process when it was
 * measured before or the budget allows now, else the table's figure.
 * @example
 * const units = builtinCpuUnits(engine, engine.types); // first call: measures for about 250 ms
 * units.get("filter"); // { units: 8.6, source: "measured" }
 */
export function builtinCpuUnits(
  engine: WasmEngine,
  types: readonly ProcessorTypeInfo[],
  budgetMs = CALIBRATION_BUDGET_MS,
): Map<string, BuiltinCpuUnits> {
  const started = performance.now();
  const result = new Map<string, BuiltinCpuUnits>();
  for (const type of types) {
    if (type.kind === "gain") {
      result.set(type.kind, { units: 1, source: "measured" });
      continue;
    }
    const at = key(engine, type.kind);
    let units = measured.get(at);
    if (units === undefined && performance.now() - started < budgetMs) {
      units = measureKind(engine, type);
      if (units !== undefined) measured.set(at, units);
    }
    result.set(
      type.kind,
      units === undefined ? { units: tableUnits(type.kind), source: "table" } : { units, source: "measured" },
    );
  }
  return result;
}

/** One kind's units, rounded to 0.01; undefined when the measurement cannot give a cost (noise: 0 or less). */
function measureKind(engine: WasmEngine, type: ProcessorTypeInfo): number | undefined {
  const { units } = measureCpuUnits(engine, builtinCpuSubject(type), CPU_CALIBRATION);
  const rounded = Math.round(units * 100) / 100;
  return Number.isFinite(rounded) && rounded > 0 ? rounded : undefined;
}

/**
 * Forgets what this process measured (all, or one kind at every rate and block size), so the next
 * estimate asked measures again: for tests that interleave an estimate with their own measurement.
 * @example
 * forgetBuiltinCpuUnits("filter");
 */
export function forgetBuiltinCpuUnits(kind?: string): void {
  for (const at of [...measured.keys()])
    if (kind === undefined || at.endsWith(`/${kind}`)) measured.delete(at);
}
