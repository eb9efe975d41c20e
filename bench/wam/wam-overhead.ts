/**
 * Row `wam-overhead` (docs/benchmarks.md, docs/wam.md "What a WAM node costs"): what one WAM node in a
 * graph costs per quantum beyond its own DSP, in Chromium, driven through Playwright on a page served
 * by a Vite server the caller runs (bench/run.ts runs one; bench/wam/run-wam-overhead.ts on its own).
 */
import type { Page } from "@playwright/test";
import { median } from "../workloads";

export interface WamOverhead {
  /** µs per quantum, each render: the graph with the fixture WAM at identity. */
  withWam: number[];
  /** µs per quantum, each render: the same graph with a builtin gain in its place. */
  builtin: number[];
  /** µs per quantum, each render: the WAM graph's two stages with a native GainNode for the WAM. */
  split: number[];
  /** Median over the pairs of builtin / withWam (below 1: the WAM costs more). */
  ratio: number;
  /** Median over the pairs of withWam − builtin, µs per quantum: the overhead. */
  overhead: number;
  /** Median of split − builtin: the stage split alone (an extra engine node, its ports, connections). */
  splitOverhead: number;
  /** The peaks of the first render of each (they must agree: the same sound). */
  peaks: { wam: number; builtin: number; split: number };
}

/** How `benchWamOverhead` measures: `pages` fresh pages of `pairs` interleaved rounds of `seconds`. */
export interface WamOverheadOptions {
  seconds: number;
  pairs: number;
  pages: number;
}

type WamRun = {
  withWam: number[];
  builtin: number[];
  split: number[];
  peaks: { wam: number[]; builtin: number[]; split: number[] };
};

/**
 * Renders `pairs` interleaved rounds of `seconds` each (the three graphs in OfflineAudioContexts) in
 * each of `pages` fresh pages from `fresh` (served at `baseUrl`), closing each, and pools the rounds.
 * A round is a few tens of milliseconds of the audio thread, and one page's rounds kept the level
 * where its threads landed: the builtin side read 3.1 µs a quantum in some pages and 5.5 in others,
 * and two runs of one page of 10 s rounds read 0.41 and 0.25.
 * @example
 * const figures = await benchWamOverhead(() => browser.newPage(), "http://127.0.0.1:5173/", {
 *   seconds: 20, pairs: 5, pages: 3,
 * });
 */
export async function benchWamOverhead(
  fresh: () => Promise<Page>,
  baseUrl: string,
  options: WamOverheadOptions,
): Promise<WamOverhead> {
  const run: WamRun = { withWam: [], builtin: [], split: [], peaks: { wam: [], builtin: [], split: [] } };
  for (let index = 0; index < options.pages; index++) {
    const page = await fresh();
    await page.goto(new URL("bench/wam/pages/wam-overhead.html", baseUrl).href);
    const one = (await page.evaluate(
      ([s, n]) =>
        (
          window as unknown as {
            wamBench: { wamOverhead(s: number, n: number): Promise<unknown> };
          }
        ).wamBench.wamOverhead(s, n),
      [options.seconds, options.pairs] as const,
    )) as WamRun;
    await page.close();
    run.withWam.push(...one.withWam);
    run.builtin.push(...one.builtin);
    run.split.push(...one.split);
    for (const side of ["wam", "builtin", "split"] as const) run.peaks[side].push(...one.peaks[side]);
  }
  const ratios = run.withWam.map((a, i) => (run.builtin[i] as number) / a);
  const differences = run.withWam.map((a, i) => a - (run.builtin[i] as number));
  const splitDifferences = run.split.map((c, i) => c - (run.builtin[i] as number));
  return {
    withWam: run.withWam,
    builtin: run.builtin,
    split: run.split,
    ratio: median(ratios),
    overhead: median(differences),
    splitOverhead: median(splitDifferences),
    peaks: { wam: run.peaks.wam[0] ?? 0, builtin: run.peaks.builtin[0] ?? 0, split: run.peaks.split[0] ?? 0 },
  };
}

/** One line for the log. */
export function describeWamOverhead(figures: WamOverhead): string {
  const f = (values: number[]) => values.map((v) => v.toFixed(2)).join(", ");
  return (
    `wam-overhead: with the WAM ${median(figures.withWam).toFixed(2)} us/quantum [${f(figures.withWam)}], ` +
    `builtin gain ${median(figures.builtin).toFixed(2)} [${f(figures.builtin)}]; ` +
    `two stages and a native GainNode ${median(figures.split).toFixed(2)} [${f(figures.split)}]; ` +
    `overhead ${figures.overhead.toFixed(2)} us/quantum (median of pairs; stage split alone ` +
    `${figures.splitOverhead.toFixed(2)}), ratio ${figures.ratio.toFixed(3)}; peaks ${JSON.stringify(figures.peaks)}`
  );
}
