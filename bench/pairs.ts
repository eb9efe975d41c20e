/**
 * The one way every bench row times webdreamer against its reference (docs/performance.md, "Method"):
 * the sides take turns, A B, B A, A B ..., so that whatever else the machine is doing lands on both
 * alike, and the row is the median of the per-round ratios, with their spread and count. Runs in
 * Node and in the browser (no Node imports).
 */

/** Above this relative spread of the ratios (interquartile range / median) a row says it is noisy. */
export const WIDE_SPREAD = 0.1;

/** Each side's figure per round, in round order. */
export type Rounds<K extends string> = Record<K, number[]>;

/**
 * Runs `rounds` rounds of every side once, the order rotating from round to round (with two sides:
 * A B, then B A), and returns each side's figures. A side returns its figure for one run (a realtime
 * factor, microseconds, ...); a side that throws stops the whole measurement.
 * @example
 * const r = await interleave(5, { ours: () => renderOurs(), native: () => renderNative() });
 * pairStats(r.ours, r.native, (ours, native) => ours / native);
 */
export async function interleave<K extends string>(
  rounds: number,
  sides: Record<K, () => number | Promise<number>>,
  options: { warmUp?: number } = {},
): Promise<Rounds<K>> {
  const names = Object.keys(sides) as K[];
  // Rounds run first and dropped: code the JIT has not optimised yet made a page's first rounds up
  // to twice as slow as its later ones.
  for (let round = 0; round < (options.warmUp ?? 0); round++) {
    for (const name of names) await sides[name]();
  }
  const result = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Rounds<K>;
  for (let round = 0; round < rounds; round++) {
    const shift = round % names.length;
    const order = [...names.slice(shift), ...names.slice(0, shift)];
    // Reversed every other full rotation too, so that with two sides each goes first half the time.
    for (const name of Math.floor(round / names.length) % 2 ? order.reverse() : order) {
      result[name].push(await sides[name]());
    }
  }
  return result;
}

/** One side of `alternate`: a batch of `calls` runs, timed as one. */
export interface AlternatingSide {
  calls: number;
  run: () => unknown;
}

/**
 * One round of finer turns, for sides of microseconds: `slices` times, each side runs its batch of
 * calls (the first side rotating), and each side's figure is its time per call in microseconds, the
 * mean of the middle half of its slices (interquartileMean). A round of each side in one stretch
 * (4000 calls in 8 ms, then 400 in 120 ms) let a garbage collection or a descheduled thread land on
 * one side only; in slices of a few milliseconds both sides meet the same conditions, and the slice
 * that met a pause is left out of the figure as an outlier.
 * @example
 * const round = await alternate(100, {
 *   ours: { calls: 40, run: () => engine.getTransportState() },
 *   viaWorker: { calls: 4, run: () => engine.rawPing() },
 * });
 */
export async function alternate<K extends string>(
  slices: number,
  sides: Record<K, AlternatingSide>,
): Promise<Record<K, number>> {
  const names = Object.keys(sides) as K[];
  const perCall = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Rounds<K>;
  for (let slice = 0; slice < slices; slice++) {
    const shift = slice % names.length;
    for (const name of [...names.slice(shift), ...names.slice(0, shift)]) {
      const { calls, run } = sides[name];
      const start = performance.now();
      for (let i = 0; i < calls; i++) await run();
      perCall[name].push(((performance.now() - start) * 1000) / calls);
    }
  }
  return Object.fromEntries(names.map((name) => [name, interquartileMean(perCall[name])])) as Record<
    K,
    number
  >;
}

/**
 * `rounds` rounds of `alternate`, each side's figures in round order as `interleave` gives them;
 * `warmUp` rounds run first, their figures dropped.
 * @example
 * const r = await alternateRounds(5, 200, { ours: { calls: 10, run: ping }, plain: { calls: 10, run: rawPing } });
 * pairStats(r.ours, r.plain, (ours, plain) => plain / ours);
 */
export async function alternateRounds<K extends string>(
  rounds: number,
  slices: number,
  sides: Record<K, AlternatingSide>,
  options: { warmUp?: number } = {},
): Promise<Rounds<K>> {
  const names = Object.keys(sides) as K[];
  const result = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Rounds<K>;
  for (let round = -(options.warmUp ?? 0); round < rounds; round++) {
    const figures = await alternate(slices, sides);
    if (round < 0) continue;
    for (const name of names) result[name].push(figures[name]);
  }
  return result;
}

/** What a row reports of its pairs. */
export interface PairStats {
  /** Median of the per-pair ratios: the row's figure. */
  ratio: number;
  ratioMin: number;
  ratioMax: number;
  /** (third quartile - first quartile) / median of the ratios. */
  spread: number;
  pairs: number;
  /** spread > WIDE_SPREAD: the row is noisier than the 10% the bench promises. */
  wide: boolean;
}

/**
 * The ratios of pairs (a[i], b[i]), oriented by `ratioOf` so that above 1 means webdreamer is faster
 * (for rates: ours / reference; for costs: reference / ours).
 */
export function pairStats(
  a: readonly number[],
  b: readonly number[],
  ratioOf: (a: number, b: number) => number,
): PairStats {
  if (a.length !== b.length || a.length === 0) {
    throw new Error(
      `pairStats needs as many figures on each side, at least one; got ${a.length} and ${b.length}`,
    );
  }
  return ratioStats(a.map((x, i) => ratioOf(x, b[i] as number)));
}

/** PairStats of ratios already formed. */
export function ratioStats(ratios: readonly number[]): PairStats {
  const ratio = median(ratios);
  const spread = ratios.length < 2 ? 0 : (quantile(ratios, 0.75) - quantile(ratios, 0.25)) / ratio;
  return {
    ratio,
    ratioMin: Math.min(...ratios),
    ratioMax: Math.max(...ratios),
    spread,
    pairs: ratios.length,
    wide: spread > WIDE_SPREAD,
  };
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/**
 * The mean of the middle half of the values (the 25% lowest and highest left out). Where a clock
 * ticks coarsely (5 us in a cross-origin-isolated Chromium page), a median is one of the ticks and
 * jumps a whole tick between runs; the mean of the middle half keeps the resolution that the values'
 * own scatter (and the clock's jitter) gives, while a descheduled sample stays out of it as it does
 * of a median.
 */
export function interquartileMean(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = sorted.slice(Math.floor(sorted.length / 4), Math.ceil((3 * sorted.length) / 4));
  return middle.reduce((sum, value) => sum + value, 0) / middle.length;
}

/** Linear interpolation between order statistics (the usual "type 7" quantile). */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (at - low);
}

/** "0.93 [0.90 – 0.97], 5 pairs, spread 4%" (and "WIDE" past 10%), for logs and tables. */
export function describePairs(stats: PairStats): string {
  return (
    `${stats.ratio.toFixed(2)} [${stats.ratioMin.toFixed(2)} – ${stats.ratioMax.toFixed(2)}], ` +
    `${stats.pairs} pairs, spread ${(100 * stats.spread).toFixed(0)}%${stats.wide ? " (WIDE: over 10%)" : ""}`
  );
}
