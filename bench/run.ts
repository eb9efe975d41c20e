/**
 * `npm run bench`: renders the workloads of docs/benchmarks.md with webdreamer in Node and
 * in a Chromium Worker, and with Chromium's native nodes in an OfflineAudioContext, all in this one
 * run; prints a Markdown table and writes bench/results/latest.json.
 *
 * Every row is a ratio against a reference measured in the same run (absolute figures drift between
 * machines): W1 and W2 against Chromium's native nodes, W3 (Faust zita_rev1) against faustwasm's own
 * offline processor on the same compiled DSP. Options: --seconds S (default 60), --repetitions N (default 3),
 * --only project (only the project rows, merged into latest.json in place of their previous values).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { createServer } from "vite";

import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../e2e/chromium";
import { instantiateEngine } from "../src/engine/engine-module";
import { WasmEngine } from "../src/engine/wasm-engine";
import { loadEngineModuleFromDisk } from "../src/hosts/in-process/engine-file";
import { PROGRAMS, SAMPLE_RATE, type WorkloadId } from "../test/support/workloads";
import { timeEngineRenders } from "./engine-timing";
import { benchFarmThroughput, describeFarmThroughput } from "./farm";
import { describeW3, type W3Timings } from "./faust/w3";
import { benchW3Worker } from "./faust/w3-browser";
import { benchW3Nodejs } from "./faust/w3-nodejs";
import type { ProjectExportPairs } from "./pages/bench";
import { benchProjectCompile, benchProjectExportNodejs } from "./project";
import { benchServeOverhead, describeServeOverhead } from "./serve";
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
  options: {
    seconds: { type: "string", default: "60" },
    repetitions: { type: "string", default: "3" },
    only: { type: "string" },
  },
});
if (values.only !== undefined && !["project", "serve", "farm"].includes(values.only)) {
  throw new Error(
    `--only takes "project" (the project rows), "serve" (the serve row) or "farm" (the farm rows), not "${values.only}"`,
  );
}
const onlyProject = values.only === "project";
const onlyServe = values.only === "serve";
const onlyFarm = values.only === "farm";
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
  /** The 16-track project exported in the Worker host and by native nodes, alternating. */
  projectExport: ProjectExportPairs;
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

/** A Vite server and Debian's Chromium for `run`, closed afterwards. */
async function withBrowser<T>(
  run: (browser: import("@playwright/test").Browser, address: string) => Promise<T>,
): Promise<T> {
  const server = await createServer({ server: { port: 0, host: "127.0.0.1" }, logLevel: "error" });
  await server.listen();
  const address = server.resolvedUrls?.local[0] as string;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    return await run(browser, address);
  } finally {
    await browser.close();
    await server.close();
  }
}

/** The project export, webdreamer's Worker host and Chromium's native nodes alternating in one page. */
async function projectExportPairs(page: import("@playwright/test").Page, address: string) {
  await page.goto(new URL("bench/pages/bench.html", address).href);
  await page.waitForFunction(() => "benchProjectPairs" in window);
  const pairs = await page.evaluate(
    (n) =>
      (window as unknown as { benchProjectPairs(n: number): Promise<ProjectExportPairs> }).benchProjectPairs(
        n,
      ),
    repetitions,
  );
  const list = (values: number[]) => values.map((v) => v.toFixed(2)).join(", ");
  console.error(
    `[bench] 16-track project export, ${repetitions} pairs: Chromium Worker x${median(pairs.webdreamer).toFixed(2)} ` +
      `[${list(pairs.webdreamer)}], native nodes x${median(pairs.native).toFixed(2)} [${list(pairs.native)}] ` +
      `(the render alone x${median(pairs.nativeRender).toFixed(2)}); ${JSON.stringify(pairs.native_graph)}; ` +
      `mixdown RMS ${pairs.rms.webdreamer.toFixed(4)} (webdreamer), ${pairs.rms.native.toFixed(4)} (native)`,
  );
  return pairs;
}

async function browserTimings(): Promise<BrowserTimings> {
  return withBrowser(async (browser, address) => {
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
    result.W3 = await benchW3Worker(page, address, seconds, w3Repetitions);
    console.error(`[bench] ${describeW3("worker", result.W3)}`);
    // W3 leaves the page on its own: back to the bench page, whose module defines the export bench.
    result.projectExport = await projectExportPairs(page, address);
    // A real-time AudioContext needs the autoplay flag from CHROMIUM_ARGS; a fresh page keeps it clean.
    result.realtime = await realtimeFigures(await browser.newPage(), address);
    const wamPage = await browser.newPage();
    wamPage.setDefaultTimeout(0);
    result.wam = await benchWamOverhead(wamPage, address, 10, 9);
    console.error(`[bench] ${describeWamOverhead(result.wam)}`);
    return result;
  });
}

const rows: Row[] = [];
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

/** The project rows (issue 14): the 16-track, 3-minute project (test/support/project-scale.ts). */
async function projectRows(exportPairs: () => Promise<ProjectExportPairs>): Promise<void> {
  const projectCompile = benchProjectCompile(5 * repetitions);
  console.error(
    `[bench] 16-track project: compile ${projectCompile.compileMs.toFixed(1)} ms, parse of its request ${projectCompile.parseMs.toFixed(1)} ms`,
  );
  const projectExportNodejs = await benchProjectExportNodejs(repetitions);
  console.error(`[bench] 16-track project export, Node: x${median(projectExportNodejs).toFixed(1)}`);
  const pairs = await exportPairs();
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
    median(pairs.webdreamer),
    "x realtime (180 s, upload to WAV)",
    median(projectExportNodejs),
    "the same export in Node, in-process (same run)",
    median(pairs.webdreamer) / median(projectExportNodejs),
  );
  row(
    "project-export.native",
    median(pairs.webdreamer),
    "x realtime (180 s, upload to WAV)",
    median(pairs.native),
    `Chromium's native nodes building and rendering the compiled graph in an OfflineAudioContext, to the same WAV (${pairs.webdreamer.length} interleaved pairs, same page)`,
    median(pairs.webdreamer.map((ours, i) => ours / (pairs.native[i] as number))),
  );
}

/** The serve row (issue 17): a render read back through `webdreamer serve` against in-process. */
async function serveRow(): Promise<void> {
  const serve = await benchServeOverhead(10 * repetitions);
  console.error(`[bench] ${describeServeOverhead(serve)}`);
  row(
    "serve-overhead",
    median(serve.http),
    "ms per 1 s stereo render, read back over HTTP (loopback)",
    median(serve.inProcess),
    `the same render and readBuffer in-process (${serve.http.length} interleaved pairs, same run)`,
    median(serve.http) / median(serve.inProcess),
  );
}

/**
 * The farm rows (issue 17): renders per second through the queue with 2 worker processes against 1
 * (the ratio is the speed-up), and the scaling efficiency r2 / (2 r1).
 */
async function farmRows(): Promise<void> {
  const farm = await benchFarmThroughput(repetitions);
  console.error(`[bench] ${describeFarmThroughput(farm)}`);
  const r1 = median(farm.oneWorker);
  const r2 = median(farm.twoWorkers);
  row(
    "farm-throughput.2-workers",
    r2,
    "renders/s (16 sessions of 1 s through BullMQ, 2 worker processes)",
    r1,
    `the same batch with 1 worker process (${farm.oneWorker.length} alternating runs each, same run)`,
    r2 / r1,
  );
  row(
    "farm-scaling-efficiency",
    r2 / (2 * r1),
    "r2 / (2 r1)",
    1,
    "perfect scaling: two workers twice as fast as one",
    r2 / (2 * r1),
  );
}

if (onlyFarm) {
  await farmRows();
  writeRows(mergedRows(rows));
  process.exit(0);
}

if (onlyServe) {
  await serveRow();
  writeRows(mergedRows(rows));
  process.exit(0);
}

if (onlyProject) {
  await projectRows(() =>
    withBrowser(async (browser, address) => {
      const page = await browser.newPage();
      page.setDefaultTimeout(0);
      return projectExportPairs(page, address);
    }),
  );
  writeRows(mergedRows(rows));
  process.exit(0);
}

const node = await nodeTimings();
const w3Nodejs = await benchW3Nodejs(seconds, w3Repetitions);
console.error(`[bench] ${describeW3("nodejs", w3Nodejs)}`);
// The project rows measure first (compile, Node) and take their pairs from the browser's timings;
// they are listed near the end of the table, as before.
let browser = {} as BrowserTimings;
await projectRows(async () => {
  browser = await browserTimings();
  return browser.projectExport;
});
const projectRowList = rows.splice(0, rows.length);
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

// Projects (issue 14), measured above.
rows.push(...projectRowList);
await serveRow();
await farmRows();
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

writeRows(rows);

/** The rows of this run, with those of latest.json it did not measure kept, in their places. */
function mergedRows(measured: Row[]): Row[] {
  const path = "bench/results/latest.json";
  const previous: Row[] = existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : [];
  const fresh = new Map(measured.map((r) => [r.id, r]));
  const merged = previous.map((r) => fresh.get(r.id) ?? r);
  const known = new Set(previous.map((r) => r.id));
  // A new row goes after the last row of its family (the part of its id before the first dot).
  for (const r of measured.filter((m) => !known.has(m.id))) {
    const family = r.id.split(".")[0];
    const families = merged.map((m) => m.id.split(".")[0]);
    const after = families.lastIndexOf(family);
    merged.splice(after < 0 ? merged.length : after + 1, 0, r);
  }
  return merged;
}

function writeRows(table: Row[]): void {
  console.log(
    `\nwebdreamer benchmark: ${seconds} s renders at ${SAMPLE_RATE} Hz, median of ${repetitions}\n`,
  );
  console.log("| row | webdreamer | reference | ratio |");
  console.log("| --- | --- | --- | --- |");
  for (const row of table) {
    const unit = row.unit === "x realtime" ? (v: number) => `x${v}` : (v: number) => `${v} ${row.unit}`;
    console.log(
      `| ${row.id} | ${unit(row.value)} | ${unit(row.reference)} (${row.reference_name}) | ${row.ratio} |`,
    );
  }
  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/latest.json", `${JSON.stringify(table, null, 2)}\n`);
  console.log("\nwrote bench/results/latest.json");
}
