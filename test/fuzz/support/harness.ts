/**
 * The fuzz suite's runner: every property of test/fuzz/ is registered with `fuzz(...)`, which runs it
 * under fast-check with a fixed seed, a bounded number of cases, a time budget per case, a memory
 * budget per case and a watchdog for cases that never return.
 *
 * Environment (see docs/reliability.md, "Fuzzing"):
 * - FUZZ_RUNS: cases per property (divided by the property's `cost`). Unset: each property's small
 *   `quickRuns`, so `npm test` spends a few seconds here. `npm run fuzz` sets it.
 * - FUZZ_SEED: the seed of every property (default DEFAULT_SEED). Printed with every failure.
 * - FUZZ_PATH: with FUZZ_SEED, replays the one counterexample a failure printed, without shrinking.
 */
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import fc from "fast-check";
import { afterAll, expect, it } from "vitest";

// A generator given a maxLength ranges up to it: the bounds in test/fuzz/ are chosen per input, and
// fast-check's default would otherwise keep every array and byte string to about ten items.
fc.configureGlobal({ ...fc.readConfigureGlobal(), defaultSizeToMaxWhenMaxSpecified: true });

/** Fixed so a run is reproducible: the same cases every time, on every machine. */
const DEFAULT_SEED = 20_250_916;

const FUZZ_SEED = integerFromEnvironment("FUZZ_SEED") ?? DEFAULT_SEED;
const FUZZ_RUNS = integerFromEnvironment("FUZZ_RUNS");
const FUZZ_PATH = process.env.FUZZ_PATH;
/** True under `npm run fuzz` (FUZZ_RUNS set). */
const LONG_RUN = FUZZ_RUNS !== undefined;

/**
 * A case that takes longer than this fails with its input. The cases are small (inputs of at most a
 * few tens of KiB) and take milliseconds; the budget is generous because two cores are shared by the
 * whole test run, and a GC pause or a descheduled worker must not make the suite flaky.
 */
const DEFAULT_BUDGET_MS = 2_000;
/** A case still running after this is a hang: the watchdog prints how to replay it and ends the run. */
const HANG_MS = 60_000;
/**
 * Heap and ArrayBuffer memory a case may leave allocated when it returns, beyond what it found:
 * a generous constant plus a multiple of the input's size (`FuzzOptions.inputBytes`). Decoding a
 * 16-bit WAV into float32 doubles its size; nothing here should need more than a few times its input.
 */
const MEMORY_BASE_BYTES = 64 * 1024 * 1024;
const MEMORY_PER_INPUT_BYTE = 16;

export interface FuzzOptions<T> {
  /** Cases under `npm test`. */
  quickRuns: number;
  /** FUZZ_RUNS is divided by this (for properties whose cases touch the disk). Default 1. */
  cost?: number;
  /** Per-case time budget in ms. Default DEFAULT_BUDGET_MS. */
  budgetMs?: number;
  /** Size of a case's input in bytes, for its memory budget. Default: none (the constant only). */
  inputBytes?: (input: T) => number;
  /** Inputs to try first on every run (the documented examples, known counterexamples). */
  examples?: T[];
}

interface PropertyFigure {
  name: string;
  cases: number;
  ms: number;
  /** CPU time of this process (user + system), the figure that a loaded machine does not inflate. */
  cpuMs: number;
}

const figures: PropertyFigure[] = [];
const watchdog = startWatchdog();

afterAll(async () => {
  await watchdog.stop();
  if (figures.length === 0) return;
  const file = (expect.getState().testPath ?? "").replace(/^.*\/test\/fuzz\//, "test/fuzz/");
  const total = (field: "cases" | "ms" | "cpuMs") => figures.reduce((sum, figure) => sum + figure[field], 0);
  const lines = [
    `[fuzz] ${file}: ${figures.length} properties, ${total("cases")} cases, ${seconds(total("ms"))} (CPU ${seconds(total("cpuMs"))}), seed ${FUZZ_SEED}` +
      (LONG_RUN ? `, FUZZ_RUNS=${FUZZ_RUNS}` : " (quick counts; npm run fuzz for the long run)"),
  ];
  if (LONG_RUN) {
    for (const figure of figures) {
      lines.push(
        `[fuzz]   ${figure.name}: ${figure.cases} cases, ${seconds(figure.ms)} (CPU ${seconds(figure.cpuMs)})`,
      );
    }
  }
  console.log(lines.join("\n"));
});

/**
 * Registers a property as a Vitest test: `check` runs once per generated input and throws (or
 * rejects) when the property does not hold. On failure the test fails with fast-check's report (the
 * shrunk counterexample), the seed, and the command that replays it.
 * @example
 * fuzz("decodeWav on arbitrary bytes", fc.uint8Array({ maxLength: 512 }), (bytes) => checkDecode(bytes), {
 *   quickRuns: 100,
 *   inputBytes: (bytes) => bytes.length,
 * });
 */
export function fuzz<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  check: (input: T) => void | Promise<void>,
  options: FuzzOptions<T>,
): void {
  const runs =
    FUZZ_RUNS === undefined ? options.quickRuns : Math.max(1, Math.ceil(FUZZ_RUNS / (options.cost ?? 1)));
  const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
  // The test's own timeout: every case at its full budget, and then some. A hang is the watchdog's.
  const timeoutMs = Math.max(60_000, runs * budgetMs * 2);
  it(
    name,
    async () => {
      let cases = 0;
      watchdog.propertyStarted(name);
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      const property = fc.asyncProperty(arbitrary, async (input) => {
        cases++;
        const memoryBefore = memoryInUse();
        const caseStarted = performance.now();
        watchdog.caseStarted(cases - 1);
        try {
          await check(input);
        } finally {
          watchdog.caseEnded();
        }
        const elapsed = performance.now() - caseStarted;
        if (elapsed > budgetMs) {
          throw new Error(`the case took ${elapsed.toFixed(0)} ms, over its budget of ${budgetMs} ms`);
        }
        const grown = memoryInUse() - memoryBefore;
        const allowed = MEMORY_BASE_BYTES + MEMORY_PER_INPUT_BYTE * (options.inputBytes?.(input) ?? 0);
        if (grown > allowed) {
          throw new Error(`the case left ${mib(grown)} allocated, over its budget of ${mib(allowed)}`);
        }
      });
      const details = await fc.check(property, {
        seed: FUZZ_SEED,
        numRuns: runs,
        includeErrorInReport: true,
        ...(FUZZ_PATH === undefined ? {} : { path: FUZZ_PATH, endOnFailure: true }),
        ...(options.examples === undefined ? {} : { examples: options.examples.map((example) => [example]) }),
      });
      const cpu = process.cpuUsage(cpuStarted);
      figures.push({
        name,
        cases: details.numRuns,
        ms: performance.now() - started,
        cpuMs: (cpu.user + cpu.system) / 1000,
      });
      if (details.failed) {
        const file = (expect.getState().testPath ?? "test/fuzz").replace(/^.*\/test\/fuzz\//, "test/fuzz/");
        const replay =
          details.counterexamplePath === null
            ? ""
            : `\nReplay it: FUZZ_SEED=${details.seed} FUZZ_PATH=${details.counterexamplePath} npx vitest run ${file} -t '${testNamePattern(name)}'`;
        throw new Error(`${fc.defaultReportMessage(details) ?? "property failed"}${replay}`);
      }
    },
    timeoutMs,
  );
}

/** Vitest's -t takes a regular expression: the name with its ( ) . and the like escaped. */
function testNamePattern(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Heap plus ArrayBuffer memory (audio lives in ArrayBuffers, outside the JS heap). */
function memoryInUse(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function integerFromEnvironment(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === "") return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value))
    throw new Error(`${name} must be an integer, not ${JSON.stringify(text)}`);
  return value;
}

/**
 * A case that never returns cannot be failed from the thread running it (a synchronous loop never
 * yields). A second thread watches the start time of the running case; past HANG_MS it writes the seed
 * and the case's index (a fast-check path) to stderr and kills the test process, so the run fails
 * instead of hanging, with what is needed to replay the case.
 */
function startWatchdog() {
  const state = new Float64Array(new SharedArrayBuffer(2 * Float64Array.BYTES_PER_ELEMENT));
  const IDLE = -1;
  state[0] = IDLE; // index of the running case
  const source = `
    const { parentPort, workerData } = require("node:worker_threads");
    const { writeSync } = require("node:fs");
    const { state, hangMs, seed, pid } = workerData;
    let property = "(unknown)";
    parentPort.on("message", (name) => { property = name; });
    let seenSince = Date.now(), seenStart = 0;
    setInterval(() => {
      const index = state[0], start = state[1];
      if (index < 0 || start !== seenStart) { seenStart = start; seenSince = Date.now(); return; }
      if (Date.now() - seenSince > hangMs) {
        writeSync(2, "\\n[fuzz] a case of " + JSON.stringify(property) + " has run for over " + hangMs / 1000 +
          " s: a hang. Replay it with FUZZ_SEED=" + seed + " FUZZ_PATH=" + index + " and -t naming that property" +
          " (if the run was shrinking an earlier failure, replay that failure's path instead)\\n");
        process.kill(pid, "SIGKILL");
      }
    }, 1000);
  `;
  const worker = new Worker(source, {
    eval: true,
    workerData: { state, hangMs: HANG_MS, seed: FUZZ_SEED, pid: process.pid },
  });
  worker.unref();
  return {
    propertyStarted(name: string): void {
      worker.postMessage(name);
    },
    caseStarted(index: number): void {
      state[1] = performance.now();
      state[0] = index;
    },
    caseEnded(): void {
      state[0] = IDLE;
    },
    async stop(): Promise<void> {
      await worker.terminate();
    },
  };
}
