/**
 * Row `wam-overhead` on its own (bench/run.ts calls benchWamOverhead too):
 *   node scripts/run-ts.mjs bench/wam/run-wam-overhead.ts [--seconds 20] [--pairs 5] [--pages 3]
 * Prints the row: the graph with the fixture WAM at identity against the same graph with a builtin
 * gain in its place, µs per 128-frame quantum, interleaved pairs in fresh pages, median of the ratios.
 */
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { createServer } from "vite";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../e2e/chromium";
import { describePairs, pairStats } from "../pairs";
import { median } from "../workloads";
import { benchWamOverhead, describeWamOverhead } from "./wam-overhead";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "20" },
    pairs: { type: "string", default: "5" },
    pages: { type: "string", default: "3" },
  },
});
const server = await createServer({ server: { port: 0, host: "127.0.0.1" }, logLevel: "error" });
await server.listen();
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  const fresh = async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(0);
    return page;
  };
  const figures = await benchWamOverhead(fresh, server.resolvedUrls?.local[0] as string, {
    seconds: Number(values.seconds),
    pairs: Number(values.pairs),
    pages: Number(values.pages),
  });
  console.error(`[bench] ${describeWamOverhead(figures)}`);
  console.log("| row | webdreamer | reference | ratio |");
  console.log("| --- | --- | --- | --- |");
  console.log(
    `| wam-overhead | ${median(figures.withWam).toFixed(3)} us per quantum | ${median(figures.builtin).toFixed(3)} us per quantum (the same graph with a builtin gain in the WAM's place) | ${figures.ratio.toFixed(2)} |`,
  );
  console.error(
    `[bench] wam-overhead: ratio ${describePairs(pairStats(figures.withWam, figures.builtin, (ours, builtin) => builtin / ours))}`,
  );
} finally {
  await browser.close();
  await server.close();
}
