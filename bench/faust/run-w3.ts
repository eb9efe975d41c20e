/**
 * Rows W3.nodejs and W3.worker on their own (bench/run.ts can call benchW3Nodejs and benchW3Worker):
 *   node scripts/run-ts.mjs bench/faust/run-w3.ts [--seconds 60] [--repetitions 3]
 * Prints the two rows: webdreamer hosting the W3 Faust program against faustwasm's own offline
 * processor on the same compiled module, in the same run and the same kind of thread.
 */
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { createServer } from "vite";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../e2e/chromium";
import { median } from "../workloads";
import { describeW3, type W3Timings } from "./w3";
import { benchW3Worker } from "./w3-browser";
import { benchW3Nodejs } from "./w3-nodejs";

const { values } = parseArgs({
  options: { seconds: { type: "string", default: "60" }, repetitions: { type: "string", default: "3" } },
});
const seconds = Number(values.seconds);
const repetitions = Number(values.repetitions);

const node = await benchW3Nodejs(seconds, repetitions);
console.error(`[bench] ${describeW3("nodejs", node)}`);

const server = await createServer({ server: { port: 0, host: "127.0.0.1" }, logLevel: "error" });
await server.listen();
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
let worker: W3Timings;
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(0);
  worker = await benchW3Worker(page, server.resolvedUrls?.local[0] as string, seconds, repetitions);
} finally {
  await browser.close();
  await server.close();
}
console.error(`[bench] ${describeW3("worker", worker)}`);

console.log(`\nW3 (zita_rev1): ${seconds} s renders at 48000 Hz, median of ${repetitions}\n`);
console.log("| row | webdreamer | reference | ratio |");
console.log("| --- | --- | --- | --- |");
for (const [where, timings] of [
  ["nodejs", node],
  ["worker", worker],
] as const) {
  const value = median(timings.webdreamer.factors).toFixed(1);
  const reference = median(timings.faustwasm.factors).toFixed(1);
  console.log(
    `| W3.${where} | x${value} | x${reference} (faustwasm offline processor, same DSP, same run) | ${timings.ratio.toFixed(2)} |`,
  );
}
