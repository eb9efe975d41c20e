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

/**
 * Opens the page on `page` (served at `baseUrl`) and renders `pairs` interleaved A/B pairs of
 * `seconds` each in OfflineAudioContexts.
 * @example
 * const figures = await benchWamOverhead(page, "http://127.0.0.1:5173/", 10, 9);
 */
export async function benchWamOverhead(
  page: Page,
  baseUrl: string,
  seconds = 10,
  pairs = 9,
): Promise<WamOverhead> {
  await page.goto(new URL("bench/wam/pages/wam-overhead.html", baseUrl).href);
  const run = (await page.evaluate(
    ([s, n]) =>
      (
        window as unknown as {
          wamBench: { wamOverhead(s: number, n: number): Promise<{ withWam: number[]; builtin: number[] }> };
        }
      ).wamBench.wamOverhead(s, n),
    [seconds, pairs] as const,
  )) as {
    withWam: number[];
    builtin: number[];
    split: number[];
    peaks: { wam: number[]; builtin: number[]; split: number[] };
  };
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
