/**
 * Data-plane benchmarks (docs/benchmarks.md, "Data-plane and control-plane measurements"):
 *
 * - ring throughput: our SpscRing against ringbuf.js, Worker to Worker. A producer and a consumer
 *   Worker spin on `availableWrite()` / `availableRead()` and move interleaved stereo Float32 chunks
 *   (128 frames in a 4096-frame ring, 1024 frames in a 16384-frame ring) for `seconds` each; every
 *   chunk carries a sequence number the consumer checks. Reported in stereo frames per second, and
 *   as the ratio ours / ringbuf.js measured in the same run (target >= 1).
 * - doorbell wake: a Worker parked in `Doorbell.waitForRing` (Atomics.wait), woken by another
 *   Worker's `ring()` (Atomics.add + Atomics.notify) after a 0.5–1.5 ms nap; one way = wake stamp −
 *   the stamp written just before the ring (performance.timeOrigin + now() on each thread), round
 *   trip = ring → the waiter's acknowledging ring, on one clock. Fresh workers each round.
 *
 * Host-neutral: it only needs a `SpawnTaskWorker` (workers.ts has one for Node and one for browsers)
 * running bench-worker.ts, SharedArrayBuffer and Atomics. `run-dataplane.ts` runs it in Node.
 */
import { RingBuffer } from "ringbuf.js";
import { SpscRing } from "../../src/dataplane/spsc-ring";
import type { SpawnTaskWorker } from "../../test/support/web-task-workers";
import { interleave, interquartileMean, median, quantile } from "../pairs";
import {
  type BenchTask,
  type ConsumeResult,
  type NotifyResult,
  PHASE,
  type ProduceResult,
  READY,
  type RingImplementation,
  type WaitResult,
  type WakePairResult,
} from "./bench-tasks";

/** One chunk size's figures. */
export interface RingThroughputRow {
  chunkFrames: number;
  capacityFrames: number;
  /** Stereo frames per second: median and best over the rounds, and each round's figure. */
  webdreamer: RingFigure;
  ringbufjs: RingFigure;
  /** webdreamer median / ringbuf.js median (same run). */
  ratio: number;
  /**
   * webdreamer best / ringbuf.js best. Two spinning Workers collapse whenever another process takes
   * one of their cores, so on a shared machine the best round is the steadier comparison.
   */
  ratioBest: number;
  /** Chunks that arrived out of sequence or torn (must be 0). */
  sequenceErrors: number;
}

/** Frames per second of one implementation. */
export interface RingFigure {
  median: number;
  best: number;
  rounds: number[];
}

/** Options of `measureRingThroughput`. */
export interface RingThroughputOptions {
  /** Seconds each run lasts (default 1.5). */
  seconds?: number;
  /** Runs per implementation and chunk size, interleaved (default 5). */
  rounds?: number;
  /** Interleaved channels per frame (default 2). */
  channels?: number;
  /** Chunk and ring sizes in frames (default: 128 in 4096, 1024 in 16384). */
  sizes?: { chunkFrames: number; capacityFrames: number }[];
}

/**
 * Measures SpscRing against ringbuf.js, Worker to Worker.
 * @example
 * const rows = await measureRingThroughput(spawn, { seconds: 1.5 });
 * for (const row of rows) console.log(row.chunkFrames, row.ratio);
 */
export async function measureRingThroughput(
  spawn: SpawnTaskWorker,
  options: RingThroughputOptions = {},
): Promise<RingThroughputRow[]> {
  const seconds = options.seconds ?? 1.5;
  const rounds = options.rounds ?? 5;
  const channels = options.channels ?? 2;
  const sizes = options.sizes ?? [
    { chunkFrames: 128, capacityFrames: 4096 },
    { chunkFrames: 1024, capacityFrames: 16384 },
  ];
  const rows: RingThroughputRow[] = [];
  for (const { chunkFrames, capacityFrames } of sizes) {
    let sequenceErrors = 0;
    // Interleaved rounds (bench/pairs.ts), so neither always runs on a warmer machine.
    const side = (impl: RingImplementation) => async () => {
      const run = await runThroughput(
        spawn,
        impl,
        chunkFrames * channels,
        capacityFrames * channels,
        seconds,
      );
      sequenceErrors += run.sequenceErrors;
      return (run.chunks * chunkFrames) / (run.elapsedMs / 1000);
    };
    const figures = await interleave(rounds, {
      webdreamer: side("webdreamer"),
      "ringbuf.js": side("ringbuf.js"),
    });
    const ours = figure(figures.webdreamer);
    const theirs = figure(figures["ringbuf.js"]);
    rows.push({
      chunkFrames,
      capacityFrames,
      webdreamer: ours,
      ringbufjs: theirs,
      ratio: ours.median / theirs.median,
      ratioBest: ours.best / theirs.best,
      sequenceErrors,
    });
  }
  return rows;
}

async function runThroughput(
  spawn: SpawnTaskWorker,
  impl: RingImplementation,
  chunk: number,
  capacity: number,
  seconds: number,
): Promise<ConsumeResult> {
  const ring =
    impl === "webdreamer"
      ? (SpscRing.create(capacity, Float32Array).sab as SharedArrayBuffer)
      : RingBuffer.getStorageForCapacity(capacity, Float32Array);
  const control = new SharedArrayBuffer(8);
  const words = new Int32Array(control);
  const producer = spawn();
  const consumer = spawn();
  try {
    const base = { impl, ring, control, chunk };
    const produced = producer.request<ProduceResult>({ ...base, task: "ring-produce" } satisfies BenchTask);
    const consumed = consumer.request<ConsumeResult>({ ...base, task: "ring-consume" } satisfies BenchTask);
    while (Atomics.load(words, READY) < 2) await sleep(1);
    Atomics.store(words, PHASE, 1);
    await sleep(seconds * 1000);
    Atomics.store(words, PHASE, 2);
    const [, result] = await Promise.all([produced, consumed]);
    return result;
  } finally {
    await Promise.all([producer.terminate(), consumer.terminate()]);
  }
}

/** Wake-up latency figures, in microseconds. */
export interface DoorbellWakeResult {
  samples: number;
  /** Stamped across two threads' clocks: each reading is a whole clock tick off at worst. */
  oneWayUs: WakeFigures;
  /** Timed on the notifier's clock alone: ring, the waiter wakes and rings back, the notifier wakes. */
  roundTripUs: WakeFigures;
}

export interface WakeFigures {
  median: number;
  /** The mean of the middle half (pairs.ts, interquartileMean): finer than a coarse clock's tick. */
  middleMean: number;
  p99: number;
}

function wakeFigures(values: number[]): WakeFigures {
  if (values.length === 0) return { median: Number.NaN, middleMean: Number.NaN, p99: Number.NaN };
  return { median: median(values), middleMean: interquartileMean(values), p99: quantile(values, 0.99) };
}

/**
 * Measures how long a `ring()` takes to wake a Worker parked in `waitForRing()`.
 * @example
 * const wake = await measureDoorbellWake(spawn, { samples: 2000, rounds: 5 });
 * console.log(`${wake.oneWayUs.median} us one way`);
 */
export async function measureDoorbellWake(
  spawn: SpawnTaskWorker,
  options: { samples?: number; rounds?: number } = {},
): Promise<DoorbellWakeResult> {
  const samples = options.samples ?? 2000;
  const rounds = options.rounds ?? 5;
  const oneWay: number[] = [];
  const roundTrip: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const perRound = Math.ceil(samples / rounds);
    const shared = {
      bell: new SharedArrayBuffer(8),
      ack: new SharedArrayBuffer(8),
      stamps: new SharedArrayBuffer(16),
      control: new SharedArrayBuffer(8),
      samples: perRound,
    };
    const words = new Int32Array(shared.control);
    const waiter = spawn();
    const notifier = spawn();
    try {
      const waited = waiter.request<WaitResult>({ ...shared, task: "wake-wait" } satisfies BenchTask);
      const notified = notifier.request<NotifyResult>({ ...shared, task: "wake-notify" } satisfies BenchTask);
      while (Atomics.load(words, READY) < 2) await sleep(1);
      Atomics.store(words, PHASE, 1);
      const [wait, notify] = await Promise.all([waited, notified]);
      oneWay.push(...wait.oneWayUs);
      roundTrip.push(...notify.roundTripUs);
    } finally {
      await Promise.all([waiter.terminate(), notifier.terminate()]);
    }
  }
  return {
    samples: oneWay.length,
    oneWayUs: wakeFigures(oneWay),
    roundTripUs: wakeFigures(roundTrip),
  };
}

/**
 * A doorbell's round trip against a postMessage's, sample by sample between the same two fresh
 * workers (bench-tasks.ts, WakePairTask): `samples` of each kind.
 * @example
 * const { doorbell, message } = await measureWakePair(spawn, 200);
 * console.log(`${message.middleMean / doorbell.middleMean} times faster`);
 */
export async function measureWakePair(
  spawn: SpawnTaskWorker,
  samples: number,
): Promise<{ doorbell: WakeFigures; message: WakeFigures }> {
  const channel = new MessageChannel();
  const shared = { bell: new SharedArrayBuffer(8), ack: new SharedArrayBuffer(8), samples };
  const pinger = spawn();
  const answerer = spawn();
  try {
    const answered = answerer.request<WakePairResult>(
      { ...shared, task: "wake-pair-answer", port: channel.port2 } satisfies BenchTask,
      [channel.port2],
    );
    const pinged = await pinger.request<WakePairResult>(
      { ...shared, task: "wake-pair-ping", port: channel.port1 } satisfies BenchTask,
      [channel.port1],
    );
    await answered;
    return { doorbell: wakeFigures(pinged.doorbellUs), message: wakeFigures(pinged.messageUs) };
  } finally {
    await Promise.all([pinger.terminate(), answerer.terminate()]);
  }
}

/**
 * Markdown lines for both benchmarks' results.
 * @example
 * console.log(formatDataPlaneResults(rows, wake).join("\n"));
 */
export function formatDataPlaneResults(rows: RingThroughputRow[], wake?: DoorbellWakeResult): string[] {
  const lines = [
    "| ring, Worker to Worker (median, best) | webdreamer SpscRing | ringbuf.js | ratio (median, best) | sequence errors |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const row of rows) {
    const label = `${row.chunkFrames}-frame chunks, ${row.capacityFrames}-frame ring`;
    lines.push(
      `| ${label} | ${mega(row.webdreamer)} | ${mega(row.ringbufjs)} | x${row.ratio.toFixed(2)}, x${row.ratioBest.toFixed(2)} | ${row.sequenceErrors} |`,
    );
  }
  if (wake !== undefined) {
    lines.push(
      "",
      `doorbell wake (${wake.samples} samples): one way ${wake.oneWayUs.median.toFixed(1)} us median ` +
        `(p99 ${wake.oneWayUs.p99.toFixed(1)}), round trip ${wake.roundTripUs.median.toFixed(1)} us ` +
        `(p99 ${wake.roundTripUs.p99.toFixed(1)})`,
    );
  }
  return lines;
}

function figure(rounds: number[]): RingFigure {
  return { median: median(rounds), best: Math.max(...rounds), rounds };
}

function mega(figure: RingFigure): string {
  return `${(figure.median / 1e6).toFixed(0)} M frames/s (best ${(figure.best / 1e6).toFixed(0)})`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
