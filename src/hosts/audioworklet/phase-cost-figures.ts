/**
 * The arithmetic of phase-cost-meter.ts: from three time probes' notes (µs, one per quantum) to a
 * subject's cost per copy in units of builtin:gain. Pure, so Node tests feed it made-up timings.
 *
 * Per quantum q: unit = ((t1 - t0) - (t2 - t1)) / gainCopies (the gains engine less the empty one,
 * each with one probe's own overhead), rest = t0[q + 1] - t2[q] (the rest of the quantum's work),
 * cost = rest / unit. A phase's figure is the median cost over its last three quarters; each
 * subject phase (odd phases, after the warm-up) less the mean of the phases either side is a pair,
 * divided by `copies`; the result is the median of the pairs.
 */

export interface PhaseCost {
  /** Per copy, in units of one builtin:gain (median of the pairs), rounded to 0.01, never below 0. */
  cpuUnits: number;
  /** Each pair's figure, per copy, in pair order. */
  pairs: number[];
  /** The unit's time on this run, in microseconds (the mean of the middle half of all quanta's). */
  unitMicroseconds: number;
}

export interface PhaseLayout {
  /** Quanta before phase 0 (the subject in place, not counted). */
  warmQuanta: number;
  phaseQuanta: number;
  /** Phases after the warm-up: without, with, without, ..., without (an odd number). */
  phases: number;
  /** builtin:gain nodes in the gains engine. */
  gainCopies: number;
  /** Copies of the subject in a "with" phase. */
  copies: number;
}

/**
 * The subject's cost from the probes' notes.
 * @example
 * // Each probe's notes: one time in µs per quantum (2769 quanta at 48 kHz: 375 warm, 63 phases of 38).
 * const [t0, t1, t2] = [0, 1, 2].map(() => new Float64Array(2769)) as [Float64Array, Float64Array, Float64Array];
 * const layout = { warmQuanta: 375, phaseQuanta: 38, phases: 63, gainCopies: 512, copies: 8 };
 * const { cpuUnits, pairs } = phaseCostFromProbes([t0, t1, t2], layout);
 */
export function phaseCostFromProbes(
  [t0, t1, t2]: readonly [Float64Array, Float64Array, Float64Array],
  layout: PhaseLayout,
): PhaseCost {
  const { warmQuanta, phaseQuanta, phases, gainCopies, copies } = layout;
  const quanta = Math.min(t0.length, t1.length, t2.length, warmQuanta + phases * phaseQuanta);
  const costs = new Float64Array(quanta - 1);
  const unitTimes: number[] = [];
  for (let q = 0; q < quanta - 1; q++) {
    const [start, between, end] = [at(t0, q), at(t1, q), at(t2, q)];
    const unit = (between - start - (end - between)) / gainCopies;
    const rest = at(t0, q + 1) - end;
    costs[q] = unit > 0 ? rest / unit : Number.NaN;
    unitTimes.push(unit);
  }
  const figure = (phase: number): number => {
    const start = warmQuanta + phase * phaseQuanta;
    return median(Array.from(costs.subarray(start + Math.floor(phaseQuanta / 4), start + phaseQuanta)));
  };
  const figures = Array.from({ length: phases }, (_, phase) => figure(phase));
  const pairs: number[] = [];
  for (let phase = 1; phase + 1 < phases; phase += 2) {
    const around = ((figures[phase - 1] as number) + (figures[phase + 1] as number)) / 2;
    pairs.push(((figures[phase] as number) - around) / copies);
  }
  return {
    cpuUnits: Math.max(0, Math.round(median(pairs) * 100) / 100),
    pairs,
    unitMicroseconds: middleMean(unitTimes),
  };
}

function at(times: Float64Array, q: number): number {
  return times[q] as number;
}

/** The median of the finite values (NaN when there are none). */
function median(values: number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = sorted.length / 2;
  return sorted.length % 2 === 1
    ? (sorted[Math.floor(middle)] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The mean of the middle half: robust as a median, without the clock's 5 µs steps. */
function middleMean(values: number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const middle = sorted.slice(Math.floor(sorted.length / 4), Math.ceil((sorted.length * 3) / 4));
  return middle.reduce((sum, value) => sum + value, 0) / middle.length;
}
