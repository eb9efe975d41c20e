/**
 * The work each benchmark Worker does, free of any host API: the same code runs in a Node
 * worker_threads Worker (bench-worker.ts bootstraps it there) and in a browser Worker. Every task
 * receives plain messages (SharedArrayBuffers, numbers) and answers with one plain object.
 */
import { RingBuffer } from "ringbuf.js";

import { Doorbell } from "../../src/dataplane/doorbell";
import { SpscRing } from "../../src/dataplane/spsc-ring";

/** Which ring implementation a throughput task drives. */
export type RingImplementation = "webdreamer" | "ringbuf.js";

/** Control words shared by the main thread and the two workers of one run (Int32, in `control`). */
export const PHASE = 0; // 0 = get ready, 1 = run, 2 = stop
export const READY = 1; // workers add 1 when they spin, ready to start

/** A throughput run: one worker produces, the other consumes, on one ring. */
export interface RingTask {
  task: "ring-produce" | "ring-consume";
  impl: RingImplementation;
  ring: SharedArrayBuffer;
  control: SharedArrayBuffer;
  /** Elements per chunk. */
  chunk: number;
}

/** A wake-latency run: one worker waits on `bell`, the other rings it and waits on `ack`. */
export interface WakeTask {
  task: "wake-wait" | "wake-notify";
  bell: SharedArrayBuffer;
  ack: SharedArrayBuffer;
  /** Float64 [0]: the notifier's stamp written just before each ring. */
  stamps: SharedArrayBuffer;
  control: SharedArrayBuffer;
  samples: number;
}

/**
 * The doorbell against postMessage, sample by sample between the same two workers: the pinger naps
 * 0.5 to 1.5 ms (so the other worker is idle), then either posts on `port` and waits for the answer
 * on its event loop, or rings `bell` and waits on `ack`, alternating. The answerer answers a message
 * and then parks on `bell`; woken, it rings `ack` and goes back to its event loop. So each wake-up of
 * one kind has one of the other kind within milliseconds, on the same threads wherever the OS put
 * them (a round of fresh workers per kind had put the two kinds' rounds 1.3x to 11x apart).
 */
export interface WakePairTask {
  task: "wake-pair-ping" | "wake-pair-answer";
  bell: SharedArrayBuffer;
  ack: SharedArrayBuffer;
  /** One end of a MessageChannel between the two workers (transferred). */
  port: MessagePort;
  /** Samples of each kind. */
  samples: number;
}

export type BenchTask = RingTask | WakeTask | WakePairTask;

export interface ProduceResult {
  chunks: number;
}
export interface ConsumeResult {
  chunks: number;
  sequenceErrors: number;
  elapsedMs: number;
}
export interface WaitResult {
  oneWayUs: number[];
}
export interface NotifyResult {
  roundTripUs: number[];
}
export interface WakePairResult {
  /** Round trips in microseconds, on the pinger's clock, in the order taken. */
  doorbellUs: number[];
  messageUs: number[];
}

/** The methods both ring implementations share, by the same names. */
interface BenchRing {
  availableRead(): number;
  availableWrite(): number;
  push(elements: Float32Array): number;
  pop(elements: Float32Array): number;
}

/**
 * Runs one task and returns its result.
 * @example
 * parentPort.on("message", (task) => parentPort.postMessage(runBenchTask(task)));
 */
export function runBenchTask(
  task: BenchTask,
): ProduceResult | ConsumeResult | WaitResult | NotifyResult | Promise<WakePairResult> {
  switch (task.task) {
    case "ring-produce":
      return produce(openRing(task.impl, task.ring), new Int32Array(task.control), task.chunk);
    case "ring-consume":
      return consume(openRing(task.impl, task.ring), new Int32Array(task.control), task.chunk);
    case "wake-wait":
      return waitSamples(task);
    case "wake-notify":
      return notifySamples(task);
    case "wake-pair-ping":
      return pingBothWays(task);
    case "wake-pair-answer":
      return answerBothWays(task);
  }
}

function openRing(impl: RingImplementation, sab: SharedArrayBuffer): BenchRing {
  return impl === "webdreamer" ? SpscRing.attach(sab, Float32Array) : new RingBuffer(sab, Float32Array);
}

function awaitStart(control: Int32Array): void {
  Atomics.add(control, READY, 1);
  while (Atomics.load(control, PHASE) === 0) {
    // spin: both workers start within microseconds of each other
  }
}

// Chunks carry a 24-bit sequence number in their first and last element (exact in a Float32).
function produce(ring: BenchRing, control: Int32Array, chunkLength: number): ProduceResult {
  const chunk = new Float32Array(chunkLength).fill(0.25);
  let sequence = 0;
  let chunks = 0;
  awaitStart(control);
  while (Atomics.load(control, PHASE) === 1) {
    if (ring.availableWrite() < chunkLength) continue;
    chunk[0] = sequence;
    chunk[chunkLength - 1] = sequence;
    ring.push(chunk);
    sequence = (sequence + 1) & 0xffffff;
    chunks++;
  }
  return { chunks };
}

function consume(ring: BenchRing, control: Int32Array, chunkLength: number): ConsumeResult {
  const chunk = new Float32Array(chunkLength);
  let expected = 0;
  let chunks = 0;
  let sequenceErrors = 0;
  awaitStart(control);
  const start = performance.now();
  while (Atomics.load(control, PHASE) === 1) {
    if (ring.availableRead() < chunkLength) continue;
    ring.pop(chunk);
    if (chunk[0] !== expected || chunk[chunkLength - 1] !== expected) sequenceErrors++;
    expected = (expected + 1) & 0xffffff;
    chunks++;
  }
  return { chunks, sequenceErrors, elapsedMs: performance.now() - start };
}

/** A wall-clock stamp comparable across threads (docs/benchmarks.md: timeOrigin + now). */
function stamp(): number {
  return performance.timeOrigin + performance.now();
}

function waitSamples(task: WakeTask): WaitResult {
  const bell = Doorbell.attach(task.bell);
  const ack = Doorbell.attach(task.ack);
  const stamps = new Float64Array(task.stamps);
  const oneWayUs: number[] = [];
  // Both doorbells are attached (their `lastSeen` taken) before either worker starts.
  awaitStart(new Int32Array(task.control));
  for (let i = 0; i < task.samples; i++) {
    if (bell.waitForRing(5000) === 0) break;
    const woke = stamp();
    oneWayUs.push((woke - (stamps[0] as number)) * 1000);
    ack.ring();
  }
  return { oneWayUs };
}

function notifySamples(task: WakeTask): NotifyResult {
  const bell = Doorbell.attach(task.bell);
  const ack = Doorbell.attach(task.ack);
  const stamps = new Float64Array(task.stamps);
  const nap = new Int32Array(new SharedArrayBuffer(4));
  const roundTripUs: number[] = [];
  awaitStart(new Int32Array(task.control));
  for (let i = 0; i < task.samples; i++) {
    // Nap 0.5–1.5 ms so the waiter is really parked in Atomics.wait, not still spinning out.
    Atomics.wait(nap, 0, 0, 0.5 + Math.random());
    stamps[0] = stamp();
    const sent = performance.now();
    bell.ring();
    if (ack.waitForRing(5000) === 0) break;
    roundTripUs.push((performance.now() - sent) * 1000);
  }
  return { roundTripUs };
}

async function pingBothWays(task: WakePairTask): Promise<WakePairResult> {
  const { port } = task;
  const bell = Doorbell.attach(task.bell);
  const ack = Doorbell.attach(task.ack);
  const nap = new Int32Array(new SharedArrayBuffer(4));
  const result: WakePairResult = { doorbellUs: [], messageUs: [] };
  let answered: () => void = () => {};
  port.onmessage = () => answered();
  for (let i = 0; i < task.samples; i++) {
    Atomics.wait(nap, 0, 0, 0.5 + Math.random());
    let sent = performance.now();
    await new Promise<void>((resolve) => {
      answered = resolve;
      port.postMessage(i);
    });
    result.messageUs.push((performance.now() - sent) * 1000);
    // The answerer parks on the bell right after answering; the nap lets it get there.
    Atomics.wait(nap, 0, 0, 0.5 + Math.random());
    sent = performance.now();
    bell.ring();
    if (ack.waitForRing(5000) === 0) throw new Error("wake-pair-ping: no ring back within 5 s");
    result.doorbellUs.push((performance.now() - sent) * 1000);
  }
  port.postMessage("stop");
  port.close();
  return result;
}

function answerBothWays(task: WakePairTask): Promise<WakePairResult> {
  const { port } = task;
  const bell = Doorbell.attach(task.bell);
  const ack = Doorbell.attach(task.ack);
  return new Promise((resolve) => {
    port.onmessage = (event: MessageEvent) => {
      if (event.data === "stop") {
        port.close();
        resolve({ doorbellUs: [], messageUs: [] });
        return;
      }
      port.postMessage(event.data);
      if (bell.waitForRing(5000) !== 0) ack.ring();
    };
  });
}
