import { PerformanceObserver } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTransportSnapshot } from "../../src/api/realtime-readings";

import {
  CommandDecoder,
  CommandEncoder,
  type CommandVisitor,
  type DataPlaneCommand,
} from "../../src/dataplane/command-codec";
import { Doorbell } from "../../src/dataplane/doorbell";
import { MeterBlock } from "../../src/dataplane/meter-block";
import { SpscRing } from "../../src/dataplane/spsc-ring";
import { TransportBlock } from "../../src/dataplane/transport-block";
import { MIDI_RECORD_FIELDS, MidiRecordTap } from "../../src/hosts/audioworklet/midi-record-tap";

// Everything the audio thread calls must allocate nothing. Measured, not assumed: after a warm-up
// (so the JIT has compiled the code), a forced GC, then 100k operations in one synchronous loop
// (best of three such trials):
// - heapUsed may not grow by more than a few bytes per thousand operations (one 16-byte object per
//   operation would be 1.6 MB), and
// - no garbage collection may run during the loop (allocations would trigger scavenges, which
//   would also hide them from heapUsed).
// `gc` comes from V8 without a command-line flag: --expose_gc set at run time, then a new context.
setFlagsFromString("--expose_gc");
const gc = runInNewContext("gc") as () => void;

const OPERATIONS = 100_000;
const MAX_GROWTH_BYTES = 64 * 1024;

let collections = 0;
const observer = new PerformanceObserver((list) => {
  collections += list.getEntries().length;
});

beforeAll(() => {
  observer.observe({ entryTypes: ["gc"] });
});
afterAll(() => {
  observer.disconnect();
});

/** One loop for warm-up and measurement, so the measured run needs no fresh (OSR) compilation. */
function repeat(operation: (i: number) => void, count: number): void {
  for (let i = 0; i < count; i++) operation(i);
}

async function measure(operation: (i: number) => void): Promise<{ growth: number; collections: number }> {
  for (let round = 0; round < 20; round++) repeat(operation, 2_000); // warm-up: let the JIT settle
  // Best of three trials: an optimizing compile that happens to finish inside one trial adds its
  // code to the heap once; an allocation per operation would show in every trial.
  let best = { growth: Number.POSITIVE_INFINITY, collections: Number.POSITIVE_INFINITY };
  for (let trial = 0; trial < 3; trial++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10)); // deliver the forced GC's entry now
    const before = collections;
    const heapBefore = process.memoryUsage().heapUsed;
    repeat(operation, OPERATIONS);
    const heapAfter = process.memoryUsage().heapUsed;
    await new Promise((resolve) => setTimeout(resolve, 10)); // GC entries arrive asynchronously
    const result = { growth: heapAfter - heapBefore, collections: collections - before };
    if (
      result.collections < best.collections ||
      (result.collections === best.collections && result.growth < best.growth)
    ) {
      best = result;
    }
  }
  return best;
}

describe("the audio-thread operations allocate nothing", () => {
  it("SpscRing push and pop of whole 256-float blocks (the set() path)", async () => {
    const ring = SpscRing.create(4096, Float32Array);
    const block = new Float32Array(256).fill(0.5);
    const out = new Float32Array(256);
    const result = await measure(() => {
      ring.push(block);
      ring.pop(out);
    });
    expect(result.collections).toBe(0);
    expect(result.growth).toBeLessThan(MAX_GROWTH_BYTES);
  });

  it("SpscRing partial pushes and pops with offsets across the wrap, pushAll, skip and overflow", async () => {
    const ring = SpscRing.create(1000, Float32Array);
    const block = new Float32Array(700).fill(0.25);
    const out = new Float32Array(700);
    const result = await measure((i) => {
      ring.push(block, 300 + (i % 37), 5);
      ring.pushAll(block, 700); // refused: the ring holds 300+ already (overflow counted)
      ring.pop(out, 250 + (i % 41), 3);
      ring.skip(i % 5);
      ring.availableRead();
      ring.availableWrite();
      ring.isFull();
      ring.overflowCount();
      ring.pop(out);
    });
    expect(ring.overflowCount()).toBeGreaterThan(0);
    expect(result.collections).toBe(0);
    expect(result.growth).toBeLessThan(MAX_GROWTH_BYTES);
  });

  it("MidiRecordTap.liveMidi and liveParameter (a MIDI recording's audio-thread half), both slots armed, into a SpscRing, full or not, naming marks pending or not", async () => {
    const ring = SpscRing.create(64 * MIDI_RECORD_FIELDS, Float64Array);
    const tap = new MidiRecordTap(ring);
    const out = new Float64Array(64 * MIDI_RECORD_FIELDS);
    // A take and a live render's record at once: a live message is written for each slot.
    tap.start("take", 0);
    tap.start("render", 0);
    const result = await measure((i) => {
      tap.liveMidi(i & 7, 0x90, i & 0x7f, 100, i * 128, i * 128, (i & 1) === 0);
      tap.liveParameter(i & 7, i & 3, i * 0.5, i * 128, i * 128); // a WAM parameter change
      if (i % 100 === 0) ring.pop(out); // drained now and then: the ring is full in between
      // A graph swap (a control message, between quanta): its naming mark may wait for room, and the
      // records after it with it.
      if (i % 50 === 25) tap.named(i, -1);
    });
    for (const counts of [tap.stop("take", 0), tap.stop("render", 0)]) {
      expect(counts.recorded).toBeGreaterThan(0);
      expect(counts.lost).toBeGreaterThan(0);
    }
    expect(result.collections).toBe(0);
    expect(result.growth).toBeLessThan(MAX_GROWTH_BYTES);
  });

  it("Doorbell.ring, with and without a registered waiter (Atomics.notify)", async () => {
    const bell = Doorbell.create();
    const words = new Int32Array(bell.sab);
    const result = await measure((i) => {
      Atomics.store(words, 1, i & 1); // pretend a waiter registered every other ring
      bell.ring();
    });
    expect(result.collections).toBe(0);
    expect(result.growth).toBeLessThan(MAX_GROWTH_BYTES);
  });

  it("TransportBlock.write, and read into a reused snapshot", async () => {
    const block = TransportBlock.create();
    const state = createTransportSnapshot();
    const into = createTransportSnapshot();
    const result = await measure((i) => {
      state.quantum = i;
      state.positionFrames = i * 128;
      state.running = (i & 1) === 1;
      block.write(state);
      block.read(into);
    });
    expect(into.quantum).toBe(OPERATIONS - 1);
    expect(result.collections).toBe(0);
    expect(result.growth).toBeLessThan(MAX_GROWTH_BYTES);
  });

  it("MeterBlock.measure of two 128-frame channels, and read into a reused reading", async () => {
    const meters = MeterBlock.create(2);
    const channels = [new Float32Array(128).fill(0.5), new Float32Array(128).fill(-0.25)];
    const reading = meters.createReading();
    const result = await measure(() => {
      meters.measure(channels);
      meters.read(reading);
    });
    expect(result.collections).toBe(0);
    expect(result.growth).toBeLessThan(MAX_GROWTH_BYTES);
  });

  // Two streams, which together hold every command type: what a playing engine gets most (parameters
  // and MIDI), and transport and state changes. One stream of all eight types at once allocates a heap
  // number per call with V8 11 (Node 20): decode then calls too many visitor methods for the
  // optimizing compiler to inline them all, and a call it does not inline passes float64s boxed.
  it.each([
    {
      stream: "parameters and MIDI",
      commands: [
        { type: "set_parameter", node: 1, param: 2, value: 0.5, atFrame: 128 },
        { type: "midi", node: 3, status: 0x90, data1: 60, data2: 100 },
        { type: "live_midi", node: 3, status: 0x80, data1: 60, data2: 0 },
      ] as DataPlaneCommand[],
    },
    {
      stream: "transport and state",
      commands: [
        { type: "seek", positionFrame: 4800 },
        { type: "set_loop", startFrame: 0, endFrame: 48000, enabled: true },
        { type: "set_tempo", bpm: 120, rampFrames: 0 },
        { type: "set_monitoring", enabled: true },
        { type: "play" },
      ] as DataPlaneCommand[],
    },
  ])(
    "CommandDecoder.decode of $stream records into a visitor (records fed by pushAll)",
    async ({ commands }) => {
      const ring = SpscRing.create(4096, Uint8Array);
      const encoder = new CommandEncoder();
      const decoder = new CommandDecoder();
      const sum = { value: 0 }; // a field, not a captured `let`: storing a double in a `let` boxes it
      const visitor: CommandVisitor = {
        setParameter: (node, param, value) => {
          sum.value += node + param + value;
        },
        midi: (node, status) => {
          sum.value += node + status;
        },
        liveMidi: (node, status) => {
          sum.value += node + status;
        },
        play: () => {
          sum.value++;
        },
        pause: () => {
          sum.value++;
        },
        stop: () => {
          sum.value++;
        },
        seek: (position) => {
          sum.value += position;
        },
        setLoop: (start, end) => {
          sum.value += end - start;
        },
        setTempo: (bpm) => {
          sum.value += bpm;
        },
        setMonitoring: (enabled) => {
          sum.value += enabled ? 1 : 0;
        },
      };
      // The client encodes (it may allocate: it is not on the audio thread); the audio thread's part,
      // decode, is measured on the same bytes pushed again each time.
      for (const command of commands) encoder.encode(command, ring);
      const records = new Uint8Array(ring.availableRead());
      ring.pop(records);
      const garbage = Uint8Array.of(0xd5, 99, 14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2);
      const result = await measure((i) => {
        ring.pushAll(records);
        if (i % 7 === 0) ring.pushAll(garbage); // an unknown type: skipped and counted
        decoder.decode(ring, visitor);
      });
      expect(sum.value).toBeGreaterThan(0);
      expect(decoder.badCommands).toBeGreaterThan(0);
      expect(result.collections).toBe(0);
      expect(result.growth).toBeLessThan(MAX_GROWTH_BYTES);
    },
  );
});
