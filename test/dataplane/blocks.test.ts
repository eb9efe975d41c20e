import { describe, expect, it } from "vitest";
import { createTransportSnapshot } from "../../src/api/realtime-readings";

import { isEngineError } from "../../src/contracts/errors";
import { MeterBlock } from "../../src/dataplane/meter-block";
import { BLOCK_HEADER_BYTES, SharedBlockStore } from "../../src/dataplane/shared-block-store";
import { TransportBlock } from "../../src/dataplane/transport-block";

function errorCode(fn: () => unknown): string {
  try {
    fn();
    return "no error";
  } catch (error) {
    return isEngineError(error) ? error.code : String(error);
  }
}

describe("SharedBlockStore", () => {
  it("publishes each write whole; readers on another attachment see the newest", () => {
    const store = SharedBlockStore.create(3);
    const reader = SharedBlockStore.attach(store.sab, 0, 3);
    const into = new Float64Array(3);
    expect(reader.read(into)).toBe(true);
    expect([...into]).toEqual([0, 0, 0]);
    store.write(Float64Array.of(1, 2, 3));
    store.write(Float64Array.of(4, 5, Number.NaN));
    expect(reader.read(into)).toBe(true);
    expect([...into.subarray(0, 2)]).toEqual([4, 5]);
    expect(Number.isNaN(into[2])).toBe(true);
    expect(reader.writes()).toBe(2);
  });

  it("a new writer on the same memory carries on from the last write", () => {
    const store = SharedBlockStore.create(1);
    store.write(Float64Array.of(7));
    const writer = SharedBlockStore.attach(store.sab);
    writer.write(Float64Array.of(8));
    const into = new Float64Array(1);
    store.read(into);
    expect(into[0]).toBe(8);
    expect(store.writes()).toBe(2);
  });

  it("a reader that meets a writer stopped mid-write gives up and leaves its array as it was", () => {
    const store = SharedBlockStore.create(2);
    store.write(Float64Array.of(1, 2));
    // Simulate a writer that died in the middle of write 3: slot (3 & 1) is odd and version says
    // 3 is complete (the version store can only follow the slot's even store, so mark both slots).
    const words = new Int32Array(store.sab);
    Atomics.store(words, 0, 3);
    Atomics.store(words, BLOCK_HEADER_BYTES / 4 + (8 + 16) / 4, 5);
    const into = Float64Array.of(-1, -1);
    expect(store.read(into)).toBe(false);
    expect([...into]).toEqual([-1, -1]);
  });

  it("refuses memory that does not hold a block", () => {
    expect(errorCode(() => SharedBlockStore.attach(new SharedArrayBuffer(256)))).toBe("E_INTERNAL");
    expect(errorCode(() => SharedBlockStore.attach(SharedBlockStore.create(4).sab, 0, 5))).toBe("E_INTERNAL");
    expect(errorCode(() => SharedBlockStore.attach(new SharedArrayBuffer(8)))).toBe("E_INTERNAL");
    expect(errorCode(() => SharedBlockStore.create(0))).toBe("E_INTERNAL");
  });
});

describe("TransportBlock", () => {
  it("round-trips every field through shared memory, into a reused object", () => {
    const writer = TransportBlock.create();
    const reader = TransportBlock.attach(writer.sab as SharedArrayBuffer);
    const state = {
      quantum: 12345,
      positionFrames: 1_580_160,
      positionSeconds: 32.92,
      positionBeats: 65.84,
      tempoBpm: 120,
      running: true,
      loopEnabled: true,
      monitoring: true,
      loopStartFrames: 48000,
      loopEndFrames: 96000,
      sampleRate: 48000,
      quantumFrames: 128,
      ringOverflows: 2,
      lateCommands: 3,
      underruns: 4,
      badCommands: 5,
      nonFiniteSamples: 6,
      droppedCommands: 9,
      appliedCommands: 7,
      timedCommandsDone: 8,
    };
    writer.write(state);
    const into = createTransportSnapshot();
    expect(reader.read(into)).toBe(into);
    expect(into).toEqual(state);
    writer.write({ ...state, running: false, loopEnabled: false, quantum: 12346 });
    expect(reader.read()).toMatchObject({
      running: false,
      loopEnabled: false,
      monitoring: true,
      quantum: 12346,
    });
    writer.write({ ...state, monitoring: false, quantum: 12347 });
    expect(reader.read()).toMatchObject({
      running: true,
      loopEnabled: true,
      monitoring: false,
      quantum: 12347,
    });
  });

  it("reads zeros before the first write (quantum 0 says nothing was written)", () => {
    expect(TransportBlock.create().read()).toEqual(createTransportSnapshot());
  });

  it("works on a plain ArrayBuffer for single-thread hosts", () => {
    const block = TransportBlock.create({ shared: false });
    block.write({ ...createTransportSnapshot(), quantum: 1, sampleRate: 44100 });
    expect(block.read()?.sampleRate).toBe(44100);
  });
});

describe("MeterBlock", () => {
  it("measures peak and RMS per channel for the latest quantum", () => {
    const meters = MeterBlock.create(2, { windowQuanta: 4 });
    const left = Float32Array.from({ length: 128 }, (_, i) => Math.sin((2 * Math.PI * i) / 32) * 0.5);
    const right = new Float32Array(128).fill(-0.25);
    meters.measure([left, right]);
    const reading = meters.createReading();
    expect(MeterBlock.attach(meters.sab as SharedArrayBuffer).read(reading)).toBe(true);
    expect(reading.quantum).toBe(1);
    expect(reading.peak[0]).toBeCloseTo(0.5, 6);
    expect(reading.rms[0]).toBeCloseTo(0.5 / Math.SQRT2, 5);
    expect(reading.peak[1]).toBeCloseTo(0.25, 6);
    expect(reading.rms[1]).toBeCloseTo(0.25, 6);
  });

  it("holds each peak for windowQuanta quanta, so a 60 Hz reader misses none", () => {
    const meters = MeterBlock.create(1, { windowQuanta: 8 });
    const reading = meters.createReading();
    const silence = new Float32Array(128);
    const click = new Float32Array(128);
    click[17] = -0.9;
    meters.measure([click]);
    for (let q = 0; q < 7; q++) {
      meters.measure([silence]);
      meters.read(reading);
      expect(reading.peak[0]).toBe(0);
      expect(reading.windowPeak[0]).toBeCloseTo(0.9, 6);
    }
    meters.measure([silence]);
    meters.read(reading);
    expect(reading.windowPeak[0]).toBe(0);
    // Window RMS: one sample of 0.9 over 8 quanta of 128 frames.
    meters.measure([click]);
    meters.read(reading);
    expect(reading.windowRms[0]).toBeCloseTo(Math.sqrt((0.9 * 0.9) / (8 * 128)), 5);
  });

  it("counts a missing channel as silence and measures only `frames` samples", () => {
    const meters = MeterBlock.create(3, { windowQuanta: 1 });
    const loud = new Float32Array(256).fill(1);
    loud.fill(0.5, 0, 128);
    meters.measure([loud], 128);
    const reading = meters.createReading();
    meters.read(reading);
    expect([...reading.peak]).toEqual([0.5, 0, 0]);
    expect(reading.rms[0]).toBeCloseTo(0.5, 6);
  });

  it("refuses bad sizes", () => {
    expect(errorCode(() => MeterBlock.create(0))).toBe("E_INTERNAL");
    expect(errorCode(() => MeterBlock.create(2, { windowQuanta: 0 }))).toBe("E_INTERNAL");
  });
});
