/**
 * Worker entry for the data-plane thread tests (bundled with esbuild by `startTestWorkers`). Each
 * message names a task; the worker answers with one result object when the task ends.
 */

import { parentPort } from "node:worker_threads";
import { createTransportSnapshot } from "../../../src/api/realtime-readings";
import { openRing, type RingHandle } from "../../../src/dataplane/data-plane";
import { Doorbell } from "../../../src/dataplane/doorbell";
import { PortRing } from "../../../src/dataplane/port-ring";
import { SpscRing } from "../../../src/dataplane/spsc-ring";
import { TransportBlock } from "../../../src/dataplane/transport-block";
import { mulberry32, randomInt, SequenceGenerator, SequenceVerifier } from "./sequence";

/** Control words shared with the test (Int32 in `control`). */
export const DONE = 0; // the producer sets 1 when it has pushed everything
export const PUSHED = 1; // elements the producer pushed in all

export type TestTask =
  | {
      task: "produce-elements";
      ring: SharedArrayBuffer;
      control: SharedArrayBuffer;
      /** Elements to push in all: a count, not a time, so a starved thread only takes longer. */
      count: number;
      seed: number;
      maxRun: number;
    }
  | {
      task: "consume-elements";
      ring: SharedArrayBuffer;
      control: SharedArrayBuffer;
      seed: number;
      maxRun: number;
    }
  | {
      task: "produce-chunks";
      ring: SharedArrayBuffer;
      control: SharedArrayBuffer;
      count: number;
      chunk: number;
    }
  | { task: "consume-chunks"; ring: SharedArrayBuffer; control: SharedArrayBuffer; chunk: number }
  | {
      task: "ring-bell";
      bell: SharedArrayBuffer;
      ack: SharedArrayBuffer;
      items: SharedArrayBuffer;
      count: number;
      pingPong: boolean;
    }
  | {
      task: "wait-bell";
      bell: SharedArrayBuffer;
      ack: SharedArrayBuffer;
      items: SharedArrayBuffer;
      count: number;
      gapMicros: number;
    }
  | { task: "write-transport"; block: SharedArrayBuffer; ms: number }
  | { task: "produce-plane"; handle: RingHandle; count: number; chunk: number };

// Counts Atomics.wait calls that slept and were woken by a notify ("ok"), to show a waiter really parked.
let notifiedWaits = 0;
const realWait = Atomics.wait;
Atomics.wait = ((array: Int32Array, index: number, value: number, timeout?: number) => {
  const result = realWait(array, index, value, timeout);
  if (result === "ok") notifiedWaits++;
  return result;
}) as typeof Atomics.wait;

async function run(task: TestTask): Promise<unknown> {
  switch (task.task) {
    case "produce-elements": {
      // ringbuf.js's "SPSC asymmetrical random push/pop", producer side: random run lengths.
      const ring = SpscRing.attach(task.ring, Uint32Array);
      const control = new Int32Array(task.control);
      const random = mulberry32(task.seed);
      const run = new Uint32Array(task.maxRun);
      const generator = new SequenceGenerator(2 ** 32);
      let pushed = 0;
      while (pushed < task.count) {
        const length = Math.min(
          randomInt(random, 1, task.maxRun),
          ring.availableWrite(),
          task.count - pushed,
        );
        if (length === 0) continue;
        generator.fill(run, length);
        pushed += ring.push(run, length);
      }
      Atomics.store(control, PUSHED, pushed);
      Atomics.store(control, DONE, 1);
      return { pushed, overflows: ring.overflowCount() };
    }
    case "consume-elements": {
      const ring = SpscRing.attach(task.ring, Uint32Array);
      const control = new Int32Array(task.control);
      const random = mulberry32(task.seed + 1);
      const out = new Uint32Array(task.maxRun);
      const verifier = new SequenceVerifier(2 ** 32);
      let popped = 0;
      let errors = 0;
      for (;;) {
        const done = Atomics.load(control, DONE) === 1;
        const count = ring.pop(out, randomInt(random, 1, task.maxRun));
        if (count > 0 && !verifier.check(out, count)) errors++;
        popped += count;
        if (done && count === 0 && ring.isEmpty()) break;
      }
      return { popped, errors };
    }
    case "produce-chunks": {
      // 128 stereo frames a chunk; every element is the running sequence (mod 2^24, exact in Float32).
      const ring = SpscRing.attach(task.ring, Float32Array);
      const control = new Int32Array(task.control);
      const chunk = new Float32Array(task.chunk);
      const generator = new SequenceGenerator();
      let chunks = 0;
      while (chunks < task.count) {
        if (ring.availableWrite() < task.chunk) continue;
        generator.fill(chunk, task.chunk);
        if (!ring.pushAll(chunk)) throw new Error("pushAll refused a chunk availableWrite promised room for");
        chunks++;
      }
      Atomics.store(control, PUSHED, chunks);
      Atomics.store(control, DONE, 1);
      return { chunks, overflows: ring.overflowCount() };
    }
    case "consume-chunks": {
      const ring = SpscRing.attach(task.ring, Float32Array);
      const control = new Int32Array(task.control);
      const chunk = new Float32Array(task.chunk);
      const verifier = new SequenceVerifier();
      let chunks = 0;
      let errors = 0;
      for (;;) {
        const done = Atomics.load(control, DONE) === 1;
        if (ring.availableRead() >= task.chunk) {
          ring.pop(chunk);
          if (!verifier.check(chunk, task.chunk)) errors++;
          chunks++;
        } else if (done && ring.availableRead() < task.chunk) {
          break;
        }
      }
      return { chunks, errors, leftover: ring.availableRead() };
    }
    case "ring-bell": {
      // The audio thread's side: push an item, ring; in ping-pong mode wait for the waiter's ack
      // before the next ring, so every ring meets a waiter somewhere between its check and its sleep.
      const bell = Doorbell.attach(task.bell);
      const ack = Doorbell.attach(task.ack);
      const items = SpscRing.attach(task.items, Int32Array);
      const item = new Int32Array(1);
      let lostAcks = 0;
      for (let i = 0; i < task.count; i++) {
        item[0] = i;
        while (!items.pushAll(item)) {
          // the ring is full (burst mode): the waiter is draining
        }
        bell.ring();
        if (task.pingPong && ack.waitForRing(2000) === 0) lostAcks++;
      }
      return { lostAcks };
    }
    case "wait-bell": {
      const bell = Doorbell.attach(task.bell);
      const ack = Doorbell.attach(task.ack);
      const items = SpscRing.attach(task.items, Int32Array);
      const item = new Int32Array(1);
      const random = mulberry32(17);
      notifiedWaits = 0;
      let received = 0;
      let outOfOrder = 0;
      let timeouts = 0;
      while (received < task.count) {
        while (items.pop(item) === 1) {
          if (item[0] !== received) outOfOrder++;
          received++;
          ack.ring();
        }
        if (received === task.count) break;
        // Every other time, dawdle between the drain and the wait, so that the ringer's next ring
        // often falls in that window: the window where a naive doorbell loses a wake-up.
        if (random() < 0.5) {
          const until = performance.now() + (random() * task.gapMicros) / 1000;
          while (performance.now() < until) {
            // busy: a waiter that is still working
          }
        }
        if (bell.waitForRing(2000) === 0) {
          timeouts++;
          break;
        }
      }
      return { received, outOfOrder, timeouts, parked: notifiedWaits };
    }
    case "write-transport": {
      // Every field is derived from one counter n, so a reader can tell a torn snapshot.
      const block = TransportBlock.attach(task.block);
      const state = createTransportSnapshot();
      const end = performance.now() + task.ms;
      let n = 0;
      while (performance.now() < end) {
        for (let burst = 0; burst < 100; burst++) {
          n++;
          state.quantum = n;
          state.positionFrames = n * 128;
          state.positionSeconds = (n * 128) / 48000;
          state.positionBeats = n * 0.25;
          state.tempoBpm = 60 + (n % 100);
          state.running = n % 2 === 1;
          state.loopEnabled = n % 3 === 0;
          state.loopStartFrames = n * 7;
          state.loopEndFrames = n * 7 + 1000;
          state.sampleRate = 48000 + (n % 5);
          state.quantumFrames = 128 + (n % 2);
          state.ringOverflows = n % 1000;
          state.lateCommands = n % 999;
          state.underruns = n % 998;
          state.badCommands = n % 997;
          block.write(state);
        }
      }
      return { writes: n };
    }
    case "produce-plane": {
      // Either transport: the ring API is the same; a message-port producer must let its event loop
      // run to get its buffers back, so it yields when the ring is full.
      const ring = openRing(task.handle, Float32Array);
      const chunk = new Float32Array(task.chunk);
      const generator = new SequenceGenerator();
      for (let sent = 0; sent < task.count; sent += task.chunk) {
        generator.fill(chunk, task.chunk);
        while (ring.availableWrite() < task.chunk) await new Promise((resolve) => setImmediate(resolve));
        if (!ring.pushAll(chunk)) throw new Error("pushAll refused a chunk availableWrite promised room for");
      }
      if (ring instanceof PortRing) ring.flush();
      return {
        overflows: ring.overflowCount(),
        allocated: ring instanceof PortRing ? ring.allocatedBuffers() : 0,
      };
    }
  }
}

parentPort?.on("message", async (task: TestTask) => {
  try {
    parentPort?.postMessage(await run(task));
  } catch (error) {
    parentPort?.postMessage({ error: String(error) });
  }
});
