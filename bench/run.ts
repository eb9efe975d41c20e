/**
 * `npm run bench`: renders the workloads of docs/benchmarks.md with webdreamer in Node and
 * in a Chromium Worker, and with Chromium's native nodes in an OfflineAudioContext, all in this one
 * run; prints a Markdown table and writes bench/results/latest.json.
 *
 * Every row is a ratio against a reference measured in the same run (absolute figures drift between
 * machines), the two sides timed in interleaved pairs (bench/pairs.ts): the row is the median of the
 * pairs' ratios, with their spread and count (docs/performance.md). W1 and W2 against Chromium's
 * native nodes and against hand-written SIMD kernels, W3 (Faust zita_rev1) against faustwasm's own
 * offline processor on the same compiled DSP. Options: --seconds S (default 60), --repetitions N
 * (default 3), --only GROUP[,GROUP] (only those groups' rows, merged into latest.json in place of
 * their previous values; groups: workloads, w3, realtime, project, serve, wam, faust, warp,
 * farm, startup, memory, live).
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
import { benchColdStart, playPressedMs } from "./cold-start";
import type { RingThroughputRow } from "./dataplane/ring-throughput";
import { engineRenderer } from "./engine-timing";
import { benchFarmThroughput, describeFarmThroughput } from "./farm";
import { benchFaustCompile } from "./faust/compile-time";
import { describeW3 } from "./faust/w3";
import { benchW3Worker } from "./faust/w3-browser";
import { benchW3Nodejs } from "./faust/w3-nodejs";
import { inFreshProcess } from "./fresh-process";
import { kernelRenderer } from "./kernels";
import { benchLongRender } from "./long-render";
import { benchMemory } from "./memory";
import type { OneRender } from "./pages/bench";
import { describePairs, interleave, type PairStats, pairStats, ratioStats } from "./pairs";
import { type CompileFigures, nodeProjectExporter } from "./project";
import { noProjectExports, type ProjectExportPairs } from "./project-export-timing";
import { describeServeOverhead, type ServeOverhead } from "./serve";
import { benchWamOverhead, describeWamOverhead } from "./wam/wam-overhead";
import { benchWarpStretch, describeWarpStretch } from "./warp-stretch";
import { median } from "./workloads";

interface Row {
  id: string;
  /** webdreamer's figure: the median over the pairs. */
  value: number;
  unit: string;
  /** The reference's figure: the median over the pairs. */
  reference: number;
  reference_name: string;
  /** Median of the pairs' ratios, oriented so that above 1 webdreamer is faster (or cheaper). */
  ratio: number;
  ratio_min: number;
  ratio_max: number;
  /** Interquartile range of the pairs' ratios over their median. */
  spread: number;
  pairs: number;
  /** spread > 10%: this row's ratio is not steady enough to compare two runs within 10%. */
  wide_spread: boolean;
  /** false where the two sides could not take turns (measured apart, in the same run). */
  interleaved: boolean;
}

const GROUPS = [
  "workloads",
  "w3",
  "realtime",
  "project",
  "serve",
  "wam",
  "faust",
  "warp",
  "farm",
  "startup",
  "memory",
  "live",
  // The cold-start row alone ("live" runs it too): page load to first sound, player against faustwasm.
  "cold-start",
] as const;
type Group = (typeof GROUPS)[number];

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    repetitions: { type: "string", default: "3" },
    only: { type: "string" },
  },
});
const only = values.only?.split(",").map((g) => g.trim());
for (const group of only ?? []) {
  if (!(GROUPS as readonly string[]).includes(group)) {
    throw new Error(`--only takes groups among ${GROUPS.join(", ")} (comma-separated), not "${group}"`);
  }
}
const runs = (group: Group) => only === undefined || only.includes(group);
const seconds = Number(values.seconds);
const repetitions = Number(values.repetitions);
const workloads: WorkloadId[] = ["W1", "W2"];
// W1 and W2: 2N + 1 interleaved rounds of four sides (Node, Worker, native, kernel).
const workloadPairs = 2 * repetitions + 1;
// W3 renders 60 s in about 0.2 s: ten times the repetitions cost little and steady a ratio that a
// busy machine otherwise swings by tens of percent (15 pairs at a 30-40% spread moved W3.nodejs by 14%
// between two quiet runs).
const w3Repetitions = 10 * repetitions;

const rows: Row[] = [];
const round = (value: number, digits = 3) => Number(value.toFixed(digits));
// Ratios to 4 significant digits: rounded to 2 decimals, a ratio of 0.115 read 0.12 or 0.11, 9% apart
// in bench/compare.ts from the rounding alone.
const significant = (value: number) => Number(value.toPrecision(4));

/** A row from the two sides' figures per pair and their pairs' statistics. */
function row(
  id: string,
  unit: string,
  referenceName: string,
  sides: { ours: readonly number[]; reference: readonly number[] },
  stats: PairStats,
  interleaved = true,
): void {
  rows.push({
    id,
    value: round(median(sides.ours)),
    unit,
    reference: round(median(sides.reference)),
    reference_name: referenceName,
    ratio: significant(stats.ratio),
    ratio_min: significant(stats.ratioMin),
    ratio_max: significant(stats.ratioMax),
    spread: round(stats.spread, 3),
    pairs: stats.pairs,
    wide_spread: stats.wide,
    interleaved,
  });
  console.error(`[bench] ${id}: ratio ${describePairs(stats)}`);
}
const faster = (ours: number, reference: number) => ours / reference;
const cheaper = (ours: number, reference: number) => reference / ours;

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

/**
 * W1 and W2: webdreamer in Node (this process) and in a Chromium Worker, Chromium's native nodes in
 * an OfflineAudioContext of the same page, and the hand-written kernel in Node, in interleaved rounds:
 * every round renders each side once, the first side rotating.
 */
async function workloadRows(page: import("@playwright/test").Page, address: string): Promise<void> {
  await page.goto(new URL("bench/pages/bench.html", address).href);
  await page.waitForFunction(() => "benchWorkerOnce" in window);
  const module = await loadEngineModuleFromDisk();
  type PageBench = {
    benchWorkerSetup(id: string, s: number): Promise<void>;
    benchWorkerOnce(): Promise<OneRender>;
    benchNativeOnce(id: string, s: number): Promise<OneRender>;
  };
  for (const id of workloads) {
    const engine = new WasmEngine(instantiateEngine(module), SAMPLE_RATE, 128);
    const now = () => performance.now();
    const ours = engineRenderer(engine, PROGRAMS[id](), seconds, now);
    const kernel = kernelRenderer(id, seconds, now);
    await page.evaluate(([w, s]) => (window as unknown as PageBench).benchWorkerSetup(w, s), [
      id,
      seconds,
    ] as const);
    const rms: Record<string, number> = {};
    const inPage = (call: "worker" | "native") => async () => {
      const result = await page.evaluate(
        ([c, w, s]) =>
          c === "worker"
            ? (window as unknown as PageBench).benchWorkerOnce()
            : (window as unknown as PageBench).benchNativeOnce(w, s),
        [call, id, seconds] as const,
      );
      rms[call] = result.rms;
      return result.factor;
    };
    const r = await interleave(workloadPairs, {
      nodejs: () => ours.render(),
      worker: inPage("worker"),
      native: inPage("native"),
      kernel: () => kernel.render(),
    });
    engine.destroy();
    const list = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(", ");
    console.error(
      `[bench] ${id} x realtime: Node [${list(r.nodejs)}], Worker [${list(r.worker)}], native [${list(r.native)}], ` +
        `kernel [${list(r.kernel)}]; RMS Node ${ours.rms().toFixed(5)}, Worker ${rms.worker?.toFixed(5)}, ` +
        `native ${rms.native?.toFixed(5)}, kernel ${kernel.rms().toFixed(5)}`,
    );
    const native = "Chromium native nodes, OfflineAudioContext, same page as the Worker (interleaved rounds)";
    row(
      `${id}.nodejs`,
      "x realtime",
      native,
      { ours: r.nodejs, reference: r.native },
      pairStats(r.nodejs, r.native, faster),
    );
    row(
      `${id}.worker`,
      "x realtime",
      native,
      { ours: r.worker, reference: r.native },
      pairStats(r.worker, r.native, faster),
    );
    row(
      `${id}.kernel`,
      "x realtime",
      "hand-written fused SIMD kernel of the same arithmetic (wasm/bench/kernels.cpp), Node, same process (interleaved rounds)",
      { ours: r.nodejs, reference: r.kernel },
      pairStats(r.nodejs, r.kernel, faster),
    );
  }
}

/** W3: webdreamer hosting the Faust program against faustwasm's own offline processor, same DSP. */
async function w3Rows(page: import("@playwright/test").Page, address: string): Promise<void> {
  const w3Nodejs = await benchW3Nodejs(seconds, w3Repetitions);
  console.error(`[bench] ${describeW3("nodejs", w3Nodejs)}`);
  const w3Worker = await benchW3Worker(page, address, seconds, w3Repetitions);
  console.error(`[bench] ${describeW3("worker", w3Worker)}`);
  for (const [where, timing] of [
    ["nodejs", w3Nodejs],
    ["worker", w3Worker],
  ] as const) {
    row(
      `W3.${where}`,
      "x realtime",
      `faustwasm offline processor, ${where === "nodejs" ? "Node" : "Chromium Worker"} (interleaved pairs)`,
      { ours: timing.webdreamer.factors, reference: timing.faustwasm.factors },
      timing.pairs,
    );
  }
}

/** Calls `name` of bench/pages/realtime-bench.ts's API in `page` (opened on realtime.html). */
function callRealtimeBench<T>(
  page: import("@playwright/test").Page,
  name: string,
  ...args: number[]
): Promise<T> {
  return page.evaluate(
    ([n, a]) =>
      (
        window as unknown as { realtimeBench: Record<string, (...x: number[]) => Promise<unknown>> }
      ).realtimeBench[n as string]?.(...(a as number[])),
    [name, args] as const,
  ) as Promise<T>;
}

/**
 * The real-time path (issue 5): each figure against a reference measured in the same page, in
 * `repetitions` fresh pages (each its own renderer process, its threads placed anew), their pairs
 * pooled. In one page, two quiet runs had differed by more than each run's pairs scattered
 * (control-roundtrip: spreads of 5% and 16%, runs 20% apart): what moved was where the run's threads
 * landed, which more pairs in the same page cannot average.
 */
async function realtimeRows(
  fresh: () => Promise<import("@playwright/test").Page>,
  address: string,
): Promise<void> {
  type Pairs<A extends string, B extends string> = Record<A | B, number[]>;
  const pooled = {
    host: { ours: [] as number[], empty: [] as number[] },
    transport: { contract: [] as number[], viaWorker: [] as number[] },
    control: { ours: [] as number[], plain: [] as number[] },
    ring: { webdreamer: [] as number[], ringbufjs: [] as number[] },
  };
  for (let launch = 0; launch < repetitions; launch++) {
    const page = await fresh();
    await page.goto(new URL("bench/pages/realtime.html", address).href);
    const call = <T>(name: string, ...args: number[]) => callRealtimeBench<T>(page, name, ...args);
    // 15 pairs of 20 s renders a page (a render takes 50 to 200 ms): with 5 pairs of 10 s two runs
    // were 12% apart (their pairs' spreads 22% and 26%).
    const host = await call<Pairs<"ours", "empty">>("hostOverhead", 20, 15);
    pooled.host.ours.push(...host.ours);
    pooled.host.empty.push(...host.empty);
    // 15 rounds of about 0.15 s a page: with 5, two runs were 24% apart (spreads 29% and 41%).
    const transport = await call<Pairs<"contract", "viaWorker">>("transportRead", 15);
    pooled.transport.contract.push(...transport.contract);
    pooled.transport.viaWorker.push(...transport.viaWorker);
    const control = await call<Pairs<"ours", "plain">>("controlRoundtrip", 2000, 5);
    pooled.control.ours.push(...control.ours);
    pooled.control.plain.push(...control.plain);
    const ring = await call<RingThroughputRow>("ringThroughput", 1.5, 5);
    pooled.ring.webdreamer.push(...ring.webdreamer.rounds.map((x) => x / 1e6));
    pooled.ring.ringbufjs.push(...ring.ringbufjs.rounds.map((x) => x / 1e6));
    await page.close();
  }
  const { host, transport, control, ring } = pooled;
  row(
    "host-overhead",
    "us per quantum",
    "an empty AudioWorkletProcessor, OfflineAudioContext (20 s renders, interleaved pairs, pages pooled)",
    { ours: host.ours, reference: host.empty },
    pairStats(host.ours, host.empty, cheaper),
  );
  row(
    "transport-read",
    "us per getTransportState()",
    "a Comlink round trip to the engine Worker (rounds of 100 alternating slices, pages pooled)",
    { ours: transport.contract, reference: transport.viaWorker },
    pairStats(transport.contract, transport.viaWorker, cheaper),
  );
  row(
    "control-roundtrip",
    "us per call",
    "a plain Comlink call on the same port (rounds alternating ten calls of each, pages pooled)",
    { ours: control.ours, reference: control.plain },
    pairStats(control.ours, control.plain, cheaper),
  );
  row(
    "ring-throughput",
    "M stereo frames/s",
    "ringbuf.js, Chromium Worker to Worker, 128-frame chunks (1.5 s rounds, interleaved, pages pooled)",
    { ours: ring.webdreamer, reference: ring.ringbufjs },
    pairStats(ring.webdreamer, ring.ringbufjs, faster),
  );
}

/**
 * The doorbell-wake row's rounds, taken in fresh pages at checkpoints spread over the browser part of
 * the run (after each browser group that runs), pooled, the row written at the end. Its two sides
 * alternate sample by sample, yet their ratio follows the machine's state over minutes: a
 * `postMessage` does more work than a wake-up, so it slows more when the VM does (in one stretch of
 * 40 pages the ratio read 3.1 to 3.6 with the message's cost, 26 to 40 µs, and whole runs read 2.9
 * and 3.6 when all their pages came from one minute).
 */
const wakeRounds = { doorbell: [] as number[], postMessage: [] as number[] };

async function sampleWake(
  fresh: () => Promise<import("@playwright/test").Page>,
  address: string,
  pages: number,
) {
  for (let index = 0; index < pages; index++) {
    const page = await fresh();
    await page.goto(new URL("bench/pages/realtime.html", address).href);
    await page.waitForFunction(() => "realtimeBench" in window);
    // 10 rounds of fresh Workers a page (about 0.5 s each), 200 samples of each kind a round.
    const wake = await callRealtimeBench<Record<"doorbell" | "postMessage", number[]>>(
      page,
      "doorbellWake",
      200,
      10,
    );
    wakeRounds.doorbell.push(...wake.doorbell);
    wakeRounds.postMessage.push(...wake.postMessage);
    await page.close();
  }
}

function wakeRow(): void {
  row(
    "doorbell-wake",
    "us one way (a ring and its ring back, halved; mean of a round's middle half)",
    "postMessage between the same two Workers and back, halved, alternating with the doorbell sample by sample (rounds of 200 of each, fresh Workers a round, pages taken at points spread over the run, pooled)",
    { ours: wakeRounds.doorbell, reference: wakeRounds.postMessage },
    pairStats(wakeRounds.doorbell, wakeRounds.postMessage, cheaper),
  );
}

/**
 * The live rows (issue 18): W2 voices sustained on a real-time AudioContext's audio thread with under
 * half a quantum spent, webdreamer's worklet host against Chromium's native nodes.
 */
async function liveRows(page: import("@playwright/test").Page, address: string): Promise<void> {
  await page.goto(new URL("bench/pages/realtime.html", address).href);
  await page.waitForFunction(() => "realtimeBench" in window);
  type Live = { ours: number[]; native: number[]; points: Record<string, [number, number][][]> };
  const live = await page.evaluate(
    (n) =>
      (
        window as unknown as { realtimeBench: { liveVoices(n: number): Promise<Live> } }
      ).realtimeBench.liveVoices(n),
    repetitions,
  );
  const listPoints = (runs: [number, number][][]) =>
    runs.map((run) => run.map(([n, us]) => `${n}: ${us.toFixed(0)} us`).join(", ")).join(" | ");
  console.error(
    `[bench] live voices (voices: us per quantum on the audio thread): ours ${listPoints(live.points.ours ?? [])}; ` +
      `native ${listPoints(live.points.native ?? [])}`,
  );
  row(
    "live-voices",
    "W2 voices with under half a quantum (1333 us) of the audio thread, real-time AudioContext, 48 kHz, 128 frames",
    "Chromium's native nodes building the same voices in a real-time AudioContext, timed the same way (interleaved rounds)",
    { ours: live.ours, reference: live.native },
    pairStats(live.ours, live.native, faster),
  );
}

/** Page load to first sound: the player's default patch against faustwasm playing the same patch. */
async function coldStartRow(browser: import("@playwright/test").Browser): Promise<void> {
  // Fresh browser contexts, whose page loads scatter by tens of percent: with 7 visits one slow visit
  // moved a row's median by 10 to 28% between two quiet runs; with 5 per repetition,
  // cold-start.idle-click.preload (about 20 ms against 36) read 1.83 to 2.20 over seven runs, 11%
  // apart in two consecutive ones. So 10 per repetition.
  const times = await benchColdStart(browser, 10 * repetitions);
  const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(", ");
  console.error(
    `[bench] cold start, ms: player [${list(times.player)}] (Play pressed at [${list(playPressedMs.slice(1))}]), ` +
      `faustwasm [${list(times.faustwasm)}]`,
  );
  row(
    "cold-start.page",
    "ms from navigation to first sound: <webdreamer-player>, default patch, prebuilt bundle, fresh browser context",
    "faustwasm's bundle playing the same patch compiled to Faust (.wasm and JSON precompiled, createNode), fresh browser context (interleaved pairs)",
    { ours: times.player, reference: times.faustwasm },
    pairStats(times.player, times.faustwasm, cheaper),
  );
  console.error(
    `[bench] cold start after an idle page, ms from the Play press: player [${list(times.playerIdle)}], ` +
      `faustwasm [${list(times.faustwasmIdle)}]`,
  );
  row(
    "cold-start.idle-click",
    "ms from the Play press to first sound: <webdreamer-player>, default patch, page loaded and idle, fresh browser context",
    "faustwasm's page loaded and idle, then the same Play (AudioContext, precompiled .wasm and JSON fetched, createNode), fresh browser context (interleaved rounds)",
    { ours: times.playerIdle, reference: times.faustwasmIdle },
    pairStats(times.playerIdle, times.faustwasmIdle, cheaper),
  );
  console.error(
    `[bench] the same with preload="auto", ms from the Play press: player [${list(times.playerPreloadIdle)}]`,
  );
  row(
    "cold-start.idle-click.preload",
    'ms from the Play press to first sound: <webdreamer-player preload="auto">, default patch, page loaded and idle (the engine started silent meanwhile), fresh browser context',
    "faustwasm's page loaded and idle, then the same Play (AudioContext, precompiled .wasm and JSON fetched, createNode), fresh browser context (the visits of cold-start.idle-click, interleaved rounds)",
    { ours: times.playerPreloadIdle, reference: times.faustwasmIdle },
    pairStats(times.playerPreloadIdle, times.faustwasmIdle, cheaper),
  );
}

/** The project export: webdreamer's Worker host, Chromium's native nodes and Node taking turns, a fresh page a round. */
async function projectExportPairs(fresh: () => Promise<import("@playwright/test").Page>, address: string) {
  // Node's export takes its turn in the page's rounds (one export holds both cores: one at a time).
  const nodejs = await nodeProjectExporter();
  // One round in each of `repetitions` fresh pages, the sides' order rotated from page to page: in
  // one page the native exports (26,871 Web Audio nodes a build) had drifted from 9.3 to 7.3 times
  // real time over three rounds, and moved the row by 23% between two runs.
  const pairs = noProjectExports();
  for (let round = 0; round < repetitions; round++) {
    const page = await fresh();
    await page.exposeFunction("nodeProjectExport", nodejs.exportOnce);
    await page.goto(new URL("bench/pages/bench.html", address).href);
    await page.waitForFunction(() => "benchProjectPairs" in window);
    const one = await page.evaluate(
      (r) =>
        (
          window as unknown as { benchProjectPairs(n: number, rotate: number): Promise<ProjectExportPairs> }
        ).benchProjectPairs(1, r),
      round,
    );
    await page.close();
    pairs.webdreamer.push(...one.webdreamer);
    pairs.native.push(...one.native);
    pairs.nativeRender.push(...one.nativeRender);
    pairs.nodejs.push(...one.nodejs);
    if (round === 0) {
      pairs.rms = one.rms;
      pairs.native_graph = one.native_graph;
    }
  }
  await nodejs.close();
  const list = (values: number[]) => values.map((v) => v.toFixed(2)).join(", ");
  console.error(
    `[bench] 16-track project export, ${repetitions} rounds, a page each: Chromium Worker x${median(pairs.webdreamer).toFixed(2)} ` +
      `[${list(pairs.webdreamer)}], native nodes x${median(pairs.native).toFixed(2)} [${list(pairs.native)}], ` +
      `Node x${median(pairs.nodejs).toFixed(2)} [${list(pairs.nodejs)}] ` +
      `(the render alone x${median(pairs.nativeRender).toFixed(2)}); ${JSON.stringify(pairs.native_graph)}; ` +
      `mixdown RMS ${pairs.rms.webdreamer.toFixed(4)} (webdreamer), ${pairs.rms.native.toFixed(4)} (native)`,
  );
  return pairs;
}

/** The project rows (issue 14): the 16-track, 3-minute project (test/support/project-scale.ts). */
async function projectRows(
  fresh: () => Promise<import("@playwright/test").Page>,
  address: string,
): Promise<void> {
  // 5 rounds in each of 2N fresh processes (bench/fresh-process.ts).
  const compile: CompileFigures = await inFreshProcess("project-compile", [5], 2 * repetitions);
  row(
    "project-compile",
    "ms (796 nodes)",
    "parsing the request it compiles to (RenderRequestSchema), rounds alternating 8 calls of each one by one, each side the mean of its middle half, 5 rounds in each of 2N fresh Node processes",
    { ours: compile.compileMs, reference: compile.parseMs },
    pairStats(compile.compileMs, compile.parseMs, cheaper),
  );
  const pairs = await projectExportPairs(fresh, address);
  row(
    "project-export.worker",
    "x realtime (180 s, upload to WAV)",
    "the same export in Node, in-process (interleaved rounds, a fresh page each: Node's export takes its turn in the page's)",
    { ours: pairs.webdreamer, reference: pairs.nodejs },
    pairStats(pairs.webdreamer, pairs.nodejs, faster),
  );
  row(
    "project-export.native",
    "x realtime (180 s, upload to WAV)",
    "Chromium's native nodes building and rendering the compiled graph in an OfflineAudioContext, to the same WAV (interleaved rounds, a fresh page each)",
    { ours: pairs.webdreamer, reference: pairs.native },
    pairStats(pairs.webdreamer, pairs.native, faster),
  );
}

/** The warp-stretch row (issue 16): builtin:playback_warp against Rubber Band's WASM build. */
async function warpRow(): Promise<void> {
  const engine = new WasmEngine(instantiateEngine(await loadEngineModuleFromDisk()), SAMPLE_RATE, 128);
  const warp = await benchWarpStretch(engine, 3 * repetitions);
  engine.destroy();
  console.error(`[bench] ${describeWarpStretch(warp)}`);
  row(
    "warp-stretch",
    "x realtime per stereo voice (10 s stretched 1.5x, Node)",
    "rubberband-wasm 3.3.0 (Rubber Band, real-time mode) on the same audio and ratio, interleaved pairs",
    { ours: warp.warp, reference: warp.rubberBand },
    pairStats(warp.warp, warp.rubberBand, faster),
  );
}

/** The serve row (issue 17): a render read back through `webdreamer serve` against in-process. */
async function serveRow(): Promise<void> {
  // 5 pairs of 5 renders in each of 2N fresh processes (bench/fresh-process.ts).
  const serve: ServeOverhead = await inFreshProcess("serve", [5, 5], 2 * repetitions);
  console.error(`[bench] ${describeServeOverhead(serve)}`);
  row(
    "serve-overhead",
    "ms per 1 s stereo render, read back over HTTP (loopback)",
    "the same render and readBuffer in-process (interleaved pairs of 5 renders each, a collection before each render, 5 pairs in each of 2N fresh Node processes)",
    { ours: serve.http, reference: serve.inProcess },
    // Below 1: what the HTTP round trip costs (as before, in-process / HTTP).
    pairStats(serve.http, serve.inProcess, cheaper),
  );
}

/** One WAM node's cost beyond its own DSP (docs/wam.md), interleaved rounds in fresh pages, pooled. */
async function wamRow(fresh: () => Promise<import("@playwright/test").Page>, address: string): Promise<void> {
  // 2N pages of 4 rounds of 20 s: one page of 9 rounds of 10 s read 0.41 in one run and 0.25 in the next.
  const wam = await benchWamOverhead(fresh, address, { seconds: 20, pairs: 4, pages: 2 * repetitions });
  console.error(`[bench] ${describeWamOverhead(wam)}`);
  row(
    "wam-overhead",
    "us per quantum",
    "the same graph with a builtin gain in the WAM's place, OfflineAudioContext (interleaved rounds of 20 s, 4 a page, pages pooled)",
    { ours: wam.withWam, reference: wam.builtin },
    pairStats(wam.withWam, wam.builtin, cheaper),
  );
}

/**
 * The farm rows (issue 17): renders per second through the queue with 2 worker processes against 1
 * (the ratio is the speed-up), and the scaling efficiency r2 / (2 r1), from alternating batches.
 */
async function farmRows(): Promise<void> {
  const farm = await benchFarmThroughput(repetitions);
  console.error(`[bench] ${describeFarmThroughput(farm)}`);
  row(
    "farm-throughput.2-workers",
    "renders/s (16 sessions of 1 s through BullMQ, 2 worker processes)",
    "the same batch with 1 worker process, batches alternating",
    { ours: farm.twoWorkers, reference: farm.oneWorker },
    pairStats(farm.twoWorkers, farm.oneWorker, faster),
  );
  const efficiency = farm.twoWorkers.map((r2, i) => r2 / (2 * (farm.oneWorker[i] as number)));
  row(
    "farm-scaling-efficiency",
    "r2 / (2 r1)",
    "perfect scaling: two workers twice as fast as one",
    { ours: efficiency, reference: efficiency.map(() => 1) },
    ratioStats(efficiency),
  );
}

/** Faust compile time of W3: webdreamer's first and cached compile against faustwasm's compiler alone. */
async function faustRows(): Promise<void> {
  // A compile takes about 0.2 s: 15 pairs a repetition cost about 20 s. With 7 pairs in all, and
  // 15 for the cached row, two runs were 12% and 26% apart.
  const times = await benchFaustCompile(15 * repetitions, 15 * repetitions);
  row(
    "faust-compile",
    "ms per compile of W3 (first)",
    "faustwasm's compiler alone (createMonoDSPFactory, same libfaust and arguments), a fresh source each round, interleaved pairs",
    { ours: times.first, reference: times.faustwasmFirst },
    pairStats(times.first, times.faustwasmFirst, cheaper),
  );
  row(
    "faust-compile.cached",
    "ms per compile of W3 (second, same source)",
    "faustwasm's compiler alone compiling a fresh source, interleaved pairs",
    { ours: times.cached, reference: times.faustwasmCached },
    pairStats(times.cached, times.faustwasmCached, cheaper),
  );
}

/** createEngine to the first rendered block in Node, against faustwasm's offline processor. */
async function startupRow(): Promise<void> {
  // 5 pairs of 5 starts in each of 2N fresh processes (bench/fresh-process.ts).
  const times = await inFreshProcess<"webdreamer" | "faustwasm">("startup", [5, 5], 2 * repetitions);
  row(
    "startup.nodejs",
    "ms from createEngine() to 128 rendered frames read back",
    "faustwasm: createOfflineProcessor on a compiled os.osc(440) to 128 rendered frames, interleaved pairs of 5 starts each, a collection before each start, 5 pairs in each of 2N fresh Node processes",
    { ours: times.webdreamer, reference: times.faustwasm },
    pairStats(times.webdreamer, times.faustwasm, cheaper),
  );
}

/**
 * What an engine instance, a W2 voice, a second of captured audio and the W1/W2/W3 graphs take
 * (bench/memory.ts): one measurement each, not timings. The ratio is reference / ours (above 1:
 * webdreamer takes less); where no other engine's figure is measurable, the reference is the engine's
 * own estimate made before it allocated, and the ratio says how exact that is.
 */
async function footprintRows(): Promise<void> {
  const m = await benchMemory();
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  console.error(
    `[bench] memory: instance ${kib(m.instance.wasmBytes)} of wasm memory (${kib(m.instance.inUseBytes)} heap in use, ` +
      `a second engine in it ${m.instance.secondEngineBytes} B), faustwasm os.osc(440) ${kib(m.instance.faustwasmOscBytes)}; ` +
      `W2 voice ${m.voice.inUseBytes.toFixed(0)} B in use, ${m.voice.estimateBytes.toFixed(0)} B estimated, ` +
      `${m.voice.wasmBytes.toFixed(0)} B of wasm growth (${m.voice.many} voices against 32); ` +
      `capture ${m.capture.heldBytesPerSecond} B/s held, ${m.capture.arrayBufferBytesPerSecond.toFixed(0)} B/s of Node ArrayBuffers; ` +
      `W1 ${m.W1.inUseBytes} B (estimate ${m.W1.estimateBytes}, wasm growth ${m.W1.wasmGrowthBytes}); ` +
      `W2 ${m.W2.inUseBytes} B (estimate ${m.W2.estimateBytes}, wasm growth ${m.W2.wasmGrowthBytes}); ` +
      `W3 engine ${m.W3.engineBytes} B (estimate ${m.W3.engineEstimateBytes}) + Faust memory ${m.W3.faustBytes} B ` +
      `(estimate ${m.W3.faustEstimateBytes}), faustwasm ${m.W3.faustwasmBytes} B`,
  );
  const one = (id: string, unit: string, reference: string, ours: number, theirs: number) =>
    row(id, unit, reference, { ours: [ours], reference: [theirs] }, ratioStats([theirs / ours]), false);
  one(
    "memory.instance",
    "bytes of wasm memory: one engine.wasm instance with one engine (48 kHz, 128 frames)",
    "faustwasm's memory for one instance of a compiled os.osc(440) (createAsyncMonoDSPInstance), same process",
    m.instance.wasmBytes,
    m.instance.faustwasmOscBytes,
  );
  one(
    "memory.voice",
    `heap bytes per W2 voice (saw -> lowpass -> gain; W2 with ${m.voice.many} voices less W2 with 32)`,
    "the engine's estimate of the same difference (estimateGraphMemory, before allocating)",
    round(m.voice.inUseBytes, 1),
    round(m.voice.estimateBytes, 1),
  );
  one(
    "memory.capture",
    "bytes held per second of captured stereo audio (the client's heldBufferBytes, a render with one capture)",
    "32-bit float stereo PCM at 48 kHz (384000 B/s)",
    m.capture.heldBytesPerSecond,
    m.capture.pcmBytesPerSecond,
  );
  for (const id of ["W1", "W2"] as const) {
    one(
      `memory.${id}`,
      `heap bytes the ${id} graph takes, applied and rendered one block`,
      "the engine's estimate before allocating (estimateGraphMemory)",
      m[id].inUseBytes,
      m[id].estimateBytes,
    );
  }
  one(
    "memory.W3",
    "bytes W3 takes hosted: engine heap for the external node + the Faust node's own wasm memory",
    "faustwasm's memory for one instance of the same compiled module (createAsyncMonoDSPInstance)",
    m.W3.engineBytes + m.W3.faustBytes,
    m.W3.faustwasmBytes,
  );
}

/** An hour rendered offline in 1 s slices: the engine's memory after the first minute and at the end. */
async function memoryRows(): Promise<void> {
  await footprintRows();
  const long = await benchLongRender(3600);
  const { afterFirstMinute: first, atEnd: end } = long;
  console.error(
    `[bench] long render: ${long.seconds} s in ${long.elapsed.toFixed(1)} s; after 1 min / at the end: ` +
      `wasm memory ${first.wasmBytes} / ${end.wasmBytes} B, engine heap in use ${first.inUseBytes} / ${end.inUseBytes} B, ` +
      `allocations ${first.allocations} / ${end.allocations}, Node heap ${first.nodeHeapBytes} / ${end.nodeHeapBytes} B`,
  );
  // Not a timing: one measurement, the ratio 1 when the memory did not move.
  row(
    "long-render-memory",
    "bytes of wasm memory after a 1 h offline render (1 s slices)",
    "the same after its first minute",
    { ours: [end.wasmBytes], reference: [first.wasmBytes] },
    ratioStats([first.wasmBytes / end.wasmBytes]),
    false,
  );
  row(
    "long-render-memory.heap",
    "bytes in use in the engine's heap after a 1 h offline render",
    "the same after its first minute",
    { ours: [end.inUseBytes], reference: [first.inUseBytes] },
    ratioStats([first.inUseBytes / end.inUseBytes]),
    false,
  );
}

const started = performance.now();
const browserGroups: Group[] = ["workloads", "w3", "realtime", "project", "wam", "live", "cold-start"];
if (browserGroups.some(runs)) {
  await withBrowser(async (browser, address) => {
    const fresh = async () => {
      const page = await browser.newPage();
      page.setDefaultTimeout(0);
      return page;
    };
    // The browser groups in order; doorbell-wake's 2N pages are spread over the checkpoints after them.
    const steps: [boolean, () => Promise<void>][] = [
      [runs("workloads"), async () => workloadRows(await fresh(), address)],
      [runs("w3"), async () => w3Rows(await fresh(), address)],
      // A real-time AudioContext needs the autoplay flag from CHROMIUM_ARGS; a fresh page keeps it clean.
      [runs("realtime"), () => realtimeRows(fresh, address)],
      [runs("project"), () => projectRows(fresh, address)],
      [runs("wam"), () => wamRow(fresh, address)],
      [runs("live"), async () => liveRows(await fresh(), address)],
      [runs("live") || runs("cold-start"), () => coldStartRow(browser)],
    ];
    const checkpoints = steps.filter(([taken]) => taken).length;
    const wakePages = runs("realtime") ? 2 * repetitions : 0;
    let passed = 0;
    for (const [taken, step] of steps) {
      if (!taken) continue;
      await step();
      // Pages taken so far: checkpoint k of K has taken round(k * pages / K).
      const due =
        Math.round(((passed + 1) * wakePages) / checkpoints) - Math.round((passed * wakePages) / checkpoints);
      passed += 1;
      await sampleWake(fresh, address, due);
    }
    if (wakePages > 0) wakeRow();
  });
}
if (runs("serve")) await serveRow();
if (runs("faust")) await faustRows();
if (runs("warp")) await warpRow();
if (runs("farm")) await farmRows();
if (runs("startup")) await startupRow();
if (runs("memory")) await memoryRows();
console.error(`[bench] done in ${((performance.now() - started) / 60000).toFixed(1)} min`);
writeRows(only === undefined ? rows : mergedRows(rows));

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
    `\nwebdreamer benchmark: ${seconds} s renders at ${SAMPLE_RATE} Hz, ${repetitions} repetitions (pairs per row below)\n`,
  );
  console.log("| row | webdreamer | reference | ratio (median of pairs) | range, pairs, spread |");
  console.log("| --- | --- | --- | --- | --- |");
  for (const row of table) {
    const unit = row.unit === "x realtime" ? (v: number) => `x${v}` : (v: number) => `${v} ${row.unit}`;
    const spread =
      row.spread === undefined
        ? "not paired"
        : `${row.ratio_min} – ${row.ratio_max}, ${row.pairs} pairs, ${(100 * row.spread).toFixed(0)}%` +
          `${row.wide_spread ? " **WIDE**" : ""}${row.interleaved ? "" : ", not interleaved"}`;
    console.log(
      `| ${row.id} | ${unit(row.value)} | ${unit(row.reference)} (${row.reference_name}) | ${row.ratio} | ${spread} |`,
    );
  }
  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/latest.json", `${JSON.stringify(table, null, 2)}\n`);
  console.log("\nwrote bench/results/latest.json");
}
