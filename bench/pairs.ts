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
): Promise<Rounds<K>> {
  const names = Object.keys(sides) as K[];
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
