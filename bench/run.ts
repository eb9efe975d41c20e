/**
 * `npm run bench`: renders the workloads of docs/benchmarks.md with webdreamer in Node and
 * in a Chromium Worker, and with Chromium's native nodes in an OfflineAudioContext, all in this one
 * run; prints a Markdown table and writes bench/results/latest.json.
 *
 * Every row is a ratio against a reference measured in the same run (absolute figures drift between
 * machines): W1 and W2 against Chromium's native nodes, W3 (Faust zita_rev1) against faustwasm's own
 * offline processor on the same compiled DSP. Options: --seconds S (default 60), --repetitions N (default 3).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { createServer } from "vite";

import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../e2e/chromium";
import { instantiateEngine } from "../src/engine/engine-module";
import { WasmEngine } from "../src/engine/wasm-engine";
import { loadEngineModuleFromDisk } from "../src/hosts/in-process/engine-file";
import { PROGRAMS, SAMPLE_RATE, type WorkloadId } from "../test/support/workloads";
import { timeEngineRenders } from "./engine-timing";
import { describeW3, type W3Timings } from "./faust/w3";
import { benchW3Worker } from "./faust/w3-browser";
import { benchW3Nodejs } from "./faust/w3-nodejs";
import { benchProjectCompile, benchProjectExportNodejs } from "./project";
import { benchWamOverhead, describeWamOverhead, type WamOverhead } from "./wam/wam-overhead";
import { median, type Timing } from "./workloads";

interface Row {
  id: string;
  value: number;
  unit: string;
  reference: number;
  reference_name: string;
  ratio: number;
}

const { values } = parseArgs({
  options: { seconds: { type: "string", default: "60" }, repetitions: { type: "string", default: "3" } },
});
const seconds = Number(values.seconds);
const repetitions = Number(values.repetitions);
const workloads: WorkloadId[] = ["W1", "W2"];
// W3 renders 60 s in about 0.2 s: five times the repetitions cost little and steady a ratio that a
// busy machine otherwise swings by tens of percent.
const w3Repetitions = 5 * repetitions;

function summarize(timing: Timing): string {
  const min = Math.min(...timing.factors).toFixed(1);
  const max = Math.max(...timing.factors).toFixed(1);
  return `x${median(timing.factors).toFixed(1)} (${min} – ${max}), RMS ${timing.rms.toFixed(4)}`;
}

async function nodeTimings(): Promise<Record<WorkloadId, Timing>> {
  const module = await loadEngineModuleFromDisk();
  const result = {} as Record<WorkloadId, Timing>;
  for (const id of workloads) {
    const engine = new WasmEngine(instantiateEngine(module), SAMPLE_RATE, 128);
    result[id] = timeEngineRenders(engine, PROGRAMS[id](), seconds, repetitions, () => performance.now());
    engine.destroy();
    console.error(`[bench] ${id} webdreamer, Node: ${summarize(result[id])}`);
  }
  return result;
}

type RealtimeFigures = {
  hostOverhead: { ours: number; empty: number };
  transportRead: { block: number; contract: number; viaWorker: number };
  controlRoundtrip: { ours: number; plain: number };
  ringThroughput: {
    webdreamer: { median: number; best: number };
    ringbufjs: { median: number; best: number };
    ratio: number;
    ratioBest: number;
  };
  doorbellWake: { doorbell: number; postMessage: number };
};
type BrowserTimings = Record<`${WorkloadId}.${"worker" | "native"}`, Timing> & {
  W3: W3Timings;
  realtime: RealtimeFigures;
  /** Realtime factors of the 16-track project's export in the Worker host. */
  projectExport: number[];
  wam: WamOverhead;
};

async function realtimeFigures(
  page: import("@playwright/test").Page,
  base: string,
): Promise<RealtimeFigures> {
  await page.goto(new URL("bench/pages/realtime.html", base).href);
  const call = <T>(name: string, ...args: number[]) =>
    page.evaluate(
      ([n, a]) =>
        (
          window as unknown as { realtimeBench: Record<string, (...x: number[]) => Promise<unknown>> }
        ).realtimeBench[n as string]?.(...(a as number[])),
      [name, args] as const,
    ) as Promise<T>;
  const figures = {
    hostOverhead: await call<RealtimeFigures["hostOverhead"]>("hostOverhead", 10, 5),
    transportRead: await call<RealtimeFigures["transportRead"]>("transportRead"),
    controlRoundtrip: await call<RealtimeFigures["controlRoundtrip"]>("controlRoundtrip", 2000, 5),
    ringThroughput: await call<RealtimeFigures["ringThroughput"]>("ringThroughput", 1.5, 5),
    doorbellWake: await call<RealtimeFigures["doorbellWake"]>("doorbellWake", 1000),
  };
  console.error(`[bench] real-time path: ${JSON.stringify(figures)}`);
  return figures;
}

async function browserTimings(): Promise<BrowserTimings> {
  const server = await createServer({ server: { port: 0, host: "127.0.0.1" }, logLevel: "error" });
  await server.listen();
  const address = server.resolvedUrls?.local[0];
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(0);
    await page.goto(new URL("bench/pages/bench.html", address).href);
    const result = {} as BrowserTimings;
    for (const id of workloads) {
      for (const kind of ["worker", "native"] as const) {
        const fn = kind === "worker" ? "benchWorker" : "benchNative";
        result[`${id}.${kind}`] = await page.evaluate(
          ([name, workload, s, n]) =>
            (window as unknown as Record<string, (w: string, s: number, n: number) => Promise<Timing>>)[
              name as string
            ]?.(workload as string, s as number, n as number) as Promise<Timing>,
          [fn, id, seconds, repetitions] as const,
        );
        console.error(
          `[bench] ${id} ${kind === "worker" ? "webdreamer, Chromium Worker" : "Chromium native"}: ${summarize(result[`${id}.${kind}`])}`,
        );
      }
    }
    result.W3 = await benchW3Worker(page, address as string, seconds, w3Repetitions);
    console.error(`[bench] ${describeW3("worker", result.W3)}`);
    // W3 leaves the page on its own: back to the bench page, whose module defines the export bench.
    await page.goto(new URL("bench/pages/bench.html", address).href);
    await page.waitForFunction(() => "benchProjectExport" in window);
    result.projectExport = await page.evaluate(
      (n) =>
        (window as unknown as { benchProjectExport(n: number): Promise<number[]> }).benchProjectExport(n),
      repetitions,
    );
    console.error(
      `[bench] 16-track project export, Chromium Worker: x${median(result.projectExport).toFixed(1)}`,
    );
    // A real-time AudioContext needs the autoplay flag from CHROMIUM_ARGS; a fresh page keeps it clean.
    result.realtime = await realtimeFigures(await browser.newPage(), address as string);
    const wamPage = await browser.newPage();
    wamPage.setDefaultTimeout(0);
    result.wam = await benchWamOverhead(wamPage, address as string, 10, 9);
    console.error(`[bench] ${describeWamOverhead(result.wam)}`);
    return result;
  } finally {
    await browser.close();
    await server.close();
  }
}

const node = await nodeTimings();
const w3Nodejs = await benchW3Nodejs(seconds, w3Repetitions);
console.error(`[bench] ${describeW3("nodejs", w3Nodejs)}`);
const projectCompile = benchProjectCompile(5 * repetitions);
console.error(
  `[bench] 16-track project: compile ${projectCompile.compileMs.toFixed(1)} ms, parse of its request ${projectCompile.parseMs.toFixed(1)} ms`,
);
const projectExportNodejs = await benchProjectExportNodejs(repetitions);
console.error(`[bench] 16-track project export, Node: x${median(projectExportNodejs).toFixed(1)}`);
const browser = await browserTimings();
const rows: Row[] = [];
for (const id of workloads) {
  const reference = median(browser[`${id}.native`].factors);
  for (const [where, timing] of [
    ["nodejs", node[id]],
    ["worker", browser[`${id}.worker`]],
  ] as const) {
    const value = median(timing.factors);
    rows.push({
      id: `${id}.${where}`,
      value: Number(value.toFixed(2)),
      unit: "x realtime",
      reference: Number(reference.toFixed(2)),
      reference_name: "Chromium native nodes, OfflineAudioContext (same run)",
      ratio: Number((value / reference).toFixed(2)),
    });
  }
}

// W3: webdreamer hosting the Faust program against faustwasm's own offline processor, same
// compiled DSP, same thread kind, same run.
for (const [where, timing] of [
  ["nodejs", w3Nodejs],
  ["worker", browser.W3],
] as const) {
  rows.push({
    id: `W3.${where}`,
    value: Number(median(timing.webdreamer.factors).toFixed(2)),
    unit: "x realtime",
    reference: Number(median(timing.faustwasm.factors).toFixed(2)),
    reference_name: `faustwasm offline processor, ${where === "nodejs" ? "Node" : "Chromium Worker"} (same run)`,
    ratio: Number(timing.ratio.toFixed(2)),
  });
}

// The real-time path (issue 5): each figure against a reference measured in the same page.
const rt = browser.realtime;
const row = (
  id: string,
  value: number,
  unit: string,
  reference: number,
  referenceName: string,
  ratio: number,
) =>
  rows.push({
    id,
    value: Number(value.toFixed(3)),
    unit,
    reference: Number(reference.toFixed(3)),
    reference_name: referenceName,
    ratio: Number(ratio.toFixed(2)),
  });
row(
  "host-overhead",
  rt.hostOverhead.ours,
  "us per quantum",
  rt.hostOverhead.empty,
  "an empty AudioWorkletProcessor, OfflineAudioContext (fastest of 5 rounds each)",
  rt.hostOverhead.empty / rt.hostOverhead.ours,
);
// Best rounds: two Workers spinning on a 2-core machine collapse whenever anything else runs.
row(
  "ring-throughput",
  rt.ringThroughput.webdreamer.best / 1e6,
  "M stereo frames/s",
  rt.ringThroughput.ringbufjs.best / 1e6,
  "ringbuf.js, Chromium Worker to Worker, 128-frame chunks (best of 5 rounds each)",
  rt.ringThroughput.ratioBest,
);
row(
  "transport-read",
  rt.transportRead.contract,
  "us per getTransportState()",
  rt.transportRead.viaWorker,
  "a Comlink round trip to the engine Worker",
  rt.transportRead.viaWorker / rt.transportRead.contract,
);
row(
  "doorbell-wake",
  rt.doorbellWake.doorbell,
  "us, median one way",
  rt.doorbellWake.postMessage,
  "postMessage to a Worker and back, halved",
  rt.doorbellWake.postMessage / rt.doorbellWake.doorbell,
);
row(
  "control-roundtrip",
  rt.controlRoundtrip.ours,
  "us per call",
  rt.controlRoundtrip.plain,
  "a plain Comlink call on the same port",
  rt.controlRoundtrip.plain / rt.controlRoundtrip.ours,
);

// Projects (issue 14): the 16-track, 3-minute project (test/support/project-scale.ts).
row(
  "project-compile",
  projectCompile.compileMs,
  "ms (796 nodes)",
  projectCompile.parseMs,
  "parsing the request it compiles to (RenderRequestSchema), same run",
  projectCompile.parseMs / projectCompile.compileMs,
);
row(
  "project-export.worker",
  median(browser.projectExport),
  "x realtime (180 s, upload to WAV)",
  median(projectExportNodejs),
  "the same export in Node, in-process (same run)",
  median(browser.projectExport) / median(projectExportNodejs),
);
// One WAM node's cost beyond its own DSP (docs/wam.md): the fixture at identity against a builtin
// gain in its place, interleaved pairs, median of the ratios.
row(
  "wam-overhead",
  median(browser.wam.withWam),
  "us per quantum",
  median(browser.wam.builtin),
  "the same graph with a builtin gain in the WAM's place, OfflineAudioContext (9 interleaved pairs of 10 s)",
  browser.wam.ratio,
);

console.log(`\nwebdreamer benchmark: ${seconds} s renders at ${SAMPLE_RATE} Hz, median of ${repetitions}\n`);
console.log("| row | webdreamer | reference | ratio |");
console.log("| --- | --- | --- | --- |");
for (const row of rows) {
  const unit = row.unit === "x realtime" ? (v: number) => `x${v}` : (v: number) => `${v} ${row.unit}`;
  console.log(
    `| ${row.id} | ${unit(row.value)} | ${unit(row.reference)} (${row.reference_name}) | ${row.ratio} |`,
  );
}
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/latest.json", `${JSON.stringify(rows, null, 2)}\n`);
console.log("\nwrote bench/results/latest.json");
