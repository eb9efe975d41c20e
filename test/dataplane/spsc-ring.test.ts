import { RingBuffer } from "ringbuf.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { isEngineError } from "../../src/contracts/errors";
import { RING_HEADER_BYTES, SpscRing } from "../../src/dataplane/spsc-ring";
import { mulberry32, randomInt, SequenceGenerator, SequenceVerifier } from "./support/sequence";

// ringbuf.js's own suite (tests/test.mjs), ported to SpscRing: random capacities up to 48000 and
// random push/pop sizes, many laps round the ring, data checked as a running sequence. Iteration
// counts are scaled down (theirs run ~100 laps x 1000 capacities); the laps still cross the wrap
// at every offset the sizes produce.
const ITERATIONS = 120;
const MAX_STEPS = 1500;

function laps(capacity: number, size: number): number {
  return Math.min(MAX_STEPS, Math.round((capacity * 10) / Math.max(1, size)));
}

// `expect` costs microseconds a call; these loops make hundreds of thousands of checks, so they
// compare in plain code and assert once per test that nothing differed.
let mismatches: string[] = [];
function same(actual: unknown, expected: unknown): void {
  if (actual !== expected && mismatches.length < 10)
    mismatches.push(`${String(actual)} !== ${String(expected)}`);
}
beforeEach(() => {
  mismatches = [];
});
afterEach(() => {
  expect(mismatches).toEqual([]);
});

describe("SpscRing, ringbuf.js's single-thread suite", () => {
  it("linearized symmetrical push/pop", () => {
    const random = mulberry32(11);
    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      const capacity = randomInt(random, 1, 48000);
      const size = Math.max(1, Math.round(random() * capacity));
      const ring = SpscRing.create(capacity, Uint32Array);
      const toPush = new Uint32Array(size);
      const toPop = new Uint32Array(size);
      const generator = new SequenceGenerator(2 ** 32);
      const verifier = new SequenceVerifier(2 ** 32);
      for (let step = laps(capacity, size); step > 0; step--) {
        generator.fill(toPush, size);
        same(ring.push(toPush), size);
        same(ring.availableRead(), size);
        same(ring.availableWrite(), capacity - size);
        same(ring.pop(toPop), size);
        same(ring.availableRead(), 0);
        same(ring.availableWrite(), capacity);
        same(verifier.check(toPop, size), true);
      }
    }
  });

  it("linearized symmetrical push/pop with offsets, canaries untouched", () => {
    // Infinity guards the source's margins (must never enter the ring), NaN the target's (must
    // never be overwritten): any overrun of the copied region shows.
    const random = mulberry32(11);
    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      const capacity = randomInt(random, 1, 48000);
      const size = Math.max(1, Math.round(random() * capacity));
      const ring = SpscRing.create(capacity, Float32Array);
      const toPush = new Float32Array(size + 4).fill(Number.POSITIVE_INFINITY);
      const toPop = new Float32Array(size + 4).fill(Number.NaN);
      const generator = new SequenceGenerator();
      const verifier = new SequenceVerifier();
      for (let step = laps(capacity, size); step > 0; step--) {
        generator.fill(toPush, size, 2);
        same(ring.push(toPush, size, 2), size);
        same(ring.pop(toPop, size, 2), size);
        same(verifier.check(toPop, size, 2), true);
        for (const i of [0, 1, size + 2, size + 3]) {
          same(toPush[i], Number.POSITIVE_INFINITY);
          same(Number.isNaN(toPop[i]), true);
        }
      }
    }
  });

  it("linearized asymmetrical push/pop", () => {
    const random = mulberry32(11);
    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      const capacity = randomInt(random, 1, 48000);
      const pushSize = Math.max(1, Math.round(random() * capacity));
      const popSize = Math.max(1, Math.round(random() * capacity));
      const ring = SpscRing.create(capacity, Uint32Array);
      same(ring.isEmpty() && !ring.isFull(), true);
      const toPush = new Uint32Array(pushSize);
      const toPop = new Uint32Array(popSize);
      const generator = new SequenceGenerator(2 ** 32);
      const verifier = new SequenceVerifier(2 ** 32);
      let length = 0;
      for (let step = laps(capacity, pushSize); step > 0; step--) {
        const toWrite = Math.min(ring.availableWrite(), pushSize);
        generator.fill(toPush, toWrite);
        same(ring.push(toPush, toWrite), toWrite);
        length += toWrite;
        same(ring.availableRead(), length);
        same(ring.availableWrite(), capacity - length);
        const popped = ring.pop(toPop);
        length -= popped;
        same(ring.availableRead(), length);
        same(verifier.check(toPop, popped), true);
      }
    }
  });

  it("linearized asymmetrical random push/pop", () => {
    const random = mulberry32(11);
    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      const capacity = randomInt(random, 1, 48000);
      const maxPush = Math.max(1, Math.round(random() * capacity));
      const maxPop = Math.max(1, Math.round(random() * capacity));
      const ring = SpscRing.create(capacity, Uint32Array);
      const toPush = new Uint32Array(maxPush);
      const toPop = new Uint32Array(maxPop);
      const generator = new SequenceGenerator(2 ** 32);
      const verifier = new SequenceVerifier(2 ** 32);
      let length = 0;
      for (let step = laps(capacity, maxPush); step > 0; step--) {
        const toWrite = randomInt(random, 0, Math.min(ring.availableWrite(), maxPush));
        generator.fill(toPush, toWrite);
        same(ring.push(toPush, toWrite), toWrite);
        length += toWrite;
        same(ring.availableRead(), length);
        const popped = ring.pop(toPop, randomInt(random, 0, maxPop));
        length -= popped;
        same(ring.availableWrite(), capacity - length);
        same(verifier.check(toPop, popped), true);
      }
    }
  });
});

describe("SpscRing conforms to ringbuf.js", () => {
  it("matches it operation for operation on random pushes, pops and probes", () => {
    // Differential test: the same random operations on both rings give the same counts and data.
    const random = mulberry32(7);
    for (let iteration = 0; iteration < 60; iteration++) {
      const capacity = randomInt(random, 1, 3000);
      const ours = SpscRing.create(capacity, Float32Array);
      const theirs = new RingBuffer(RingBuffer.getStorageForCapacity(capacity, Float32Array), Float32Array);
      const source = Float32Array.from({ length: capacity * 2 }, (_, i) => i + iteration);
      const oursOut = new Float32Array(capacity * 2);
      const theirsOut = new Float32Array(capacity * 2);
      for (let step = 0; step < 400; step++) {
        const length = randomInt(random, 0, capacity + 3);
        const offset = randomInt(random, 0, capacity - 1);
        if (random() < 0.5) {
          same(ours.push(source, length, offset), theirs.push(source, length, offset));
        } else {
          const popped = ours.pop(oursOut, length, offset);
          same(popped, theirs.pop(theirsOut, length, offset));
          same(
            oursOut.subarray(offset, offset + popped).join(),
            theirsOut.subarray(offset, offset + popped).join(),
          );
        }
        same(ours.availableRead(), theirs.availableRead());
        same(ours.availableWrite(), theirs.availableWrite());
        same(ours.isEmpty(), theirs.empty());
        same(ours.isFull(), theirs.full());
        same(ours.capacity, theirs.capacity());
      }
    }
  });

  it("reproduces the cases checked by hand against ringbuf.js 0.4.0", () => {
    const ring = SpscRing.create(4, Uint32Array);
    expect(ring.sab.byteLength).toBe(RING_HEADER_BYTES + 5 * 4); // ringbuf.js: 8 + 5 * 4 = 28
    expect(ring.push(Uint32Array.of(1, 2, 3, 4, 5, 6))).toBe(4);
    expect(ring.isFull()).toBe(true);
    const out = new Uint32Array(8);
    expect(ring.pop(out, 3)).toBe(3);
    expect([...out.subarray(0, 3)]).toEqual([1, 2, 3]);
    expect(ring.push(Uint32Array.of(7, 8, 9))).toBe(3);
    const header = new Uint32Array(ring.sab, 0, RING_HEADER_BYTES / 4);
    expect(header[0]).toBe(2); // write index, wrapped
    expect(header[16]).toBe(3); // read index
    expect(ring.pop(out)).toBe(4);
    expect([...out.subarray(0, 4)]).toEqual([4, 7, 8, 9]);
  });

  it("wraps exactly at capacity (the web-audio-samples #161 off-by-one)", () => {
    for (const capacity of [1, 2, 3, 127, 128, 129]) {
      const ring = SpscRing.create(capacity, Int32Array);
      const block = Int32Array.from({ length: capacity }, (_, i) => i + 1);
      const out = new Int32Array(capacity);
      for (let lap = 0; lap < 5; lap++) {
        expect(ring.push(block)).toBe(capacity);
        expect(ring.isFull()).toBe(true);
        expect(ring.push(block)).toBe(0);
        expect(ring.pop(out)).toBe(capacity);
        expect(out).toEqual(block);
        expect(ring.isEmpty()).toBe(true);
        // Shift the indices by one so the next lap's full ring straddles the wrap differently.
        ring.push(block, 1);
        ring.pop(out, 1);
      }
    }
  });
});

describe("SpscRing overflow, clamping and layout", () => {
  it("counts an overflow exactly and keeps a valid prefix", () => {
    const ring = SpscRing.create(100, Float32Array);
    const source = Float32Array.from({ length: 250 }, (_, i) => i);
    expect(ring.push(source)).toBe(100);
    expect(ring.overflowCount()).toBe(1);
    expect(ring.droppedCount()).toBe(150);
    expect(ring.push(source, 10)).toBe(0);
    expect(ring.overflowCount()).toBe(2);
    expect(ring.droppedCount()).toBe(160);
    const out = new Float32Array(100);
    expect(ring.pop(out)).toBe(100);
    expect(out).toEqual(source.subarray(0, 100));
    // A push that fits does not count.
    expect(ring.push(source, 60)).toBe(60);
    expect(ring.overflowCount()).toBe(2);
    // A partial push: 40 fit, 20 dropped; the ring holds source[0..60) then source[0..40).
    expect(ring.push(source, 60)).toBe(40);
    expect(ring.overflowCount()).toBe(3);
    expect(ring.droppedCount()).toBe(180);
    expect(ring.pop(out)).toBe(100);
    expect(out.subarray(0, 60)).toEqual(source.subarray(0, 60));
    expect(out.subarray(60)).toEqual(source.subarray(0, 40));
  });

  it("pushAll writes everything or nothing, and counts what it refused", () => {
    const ring = SpscRing.create(10, Uint8Array);
    const record = Uint8Array.of(1, 2, 3, 4);
    expect(ring.pushAll(record)).toBe(true);
    expect(ring.pushAll(record)).toBe(true);
    expect(ring.pushAll(record)).toBe(false);
    expect(ring.availableRead()).toBe(8);
    expect(ring.overflowCount()).toBe(1);
    expect(ring.droppedCount()).toBe(4);
    expect(ring.pushAll(record, 2, 2)).toBe(true);
    const out = new Uint8Array(10);
    expect(ring.pop(out)).toBe(10);
    expect([...out]).toEqual([1, 2, 3, 4, 1, 2, 3, 4, 3, 4]);
  });

  it("the overflow counters are readable from another attachment (another thread's view)", () => {
    const producer = SpscRing.create(8, Int32Array);
    const observer = SpscRing.attach(producer.sab, Int32Array);
    producer.push(new Int32Array(20));
    expect(observer.overflowCount()).toBe(1);
    expect(observer.droppedCount()).toBe(12);
    expect(observer.availableRead()).toBe(8);
  });

  it("never reads past the source or writes past the target, whatever length and offset say", () => {
    const ring = SpscRing.create(64, Float32Array);
    const source = Float32Array.of(1, 2, 3);
    expect(ring.push(source, 10)).toBe(3); // clamped to the source: not an overflow
    expect(ring.overflowCount()).toBe(0);
    expect(ring.push(source, 10, 2)).toBe(1);
    expect(ring.push(source, 1, 5)).toBe(0);
    expect(ring.push(source, -1)).toBe(0);
    expect(ring.push(source, Number.NaN)).toBe(0);
    const target = new Float32Array(2);
    expect(ring.pop(target, 10)).toBe(2); // clamped to the target: nothing consumed that was not stored
    expect([...target]).toEqual([1, 2]);
    expect(ring.availableRead()).toBe(2);
    expect(ring.pop(target, 5, 1)).toBe(1);
    expect(target[1]).toBe(3);
    expect(ring.pop(target)).toBe(1);
    expect(target[0]).toBe(3);
  });

  it("skip discards the oldest elements without copying", () => {
    const ring = SpscRing.create(5, Int32Array);
    ring.push(Int32Array.of(1, 2, 3, 4, 5));
    expect(ring.skip(2)).toBe(2);
    expect(ring.skip(-3)).toBe(0);
    const out = new Int32Array(5);
    expect(ring.pop(out, 1)).toBe(1);
    expect(out[0]).toBe(3);
    expect(ring.skip(99)).toBe(2);
    expect(ring.isEmpty()).toBe(true);
  });

  it("works on a plain ArrayBuffer (single-thread use) and at a byte offset in a larger buffer", () => {
    const local = SpscRing.create(16, Float32Array, { shared: false });
    expect(local.sab).toBeInstanceOf(ArrayBuffer);
    expect(local.push(Float32Array.of(0.5, -0.5))).toBe(2);
    const out = new Float32Array(2);
    expect(local.pop(out)).toBe(2);
    expect([...out]).toEqual([0.5, -0.5]);

    const memory = new SharedArrayBuffer(4096);
    const bytes = SpscRing.bytesFor(100, Float64Array);
    const first = SpscRing.attach(memory, Float64Array, { byteOffset: 64, capacity: 100 });
    const second = SpscRing.attach(memory, Float64Array, {
      byteOffset: 64 + bytes + ((8 - (bytes % 8)) % 8),
      capacity: 100,
    });
    first.push(Float64Array.of(1, 2, 3));
    second.push(Float64Array.of(9));
    const wide = new Float64Array(3);
    expect(SpscRing.attach(memory, Float64Array, { byteOffset: 64, capacity: 100 }).pop(wide)).toBe(3);
    expect([...wide]).toEqual([1, 2, 3]);
    expect(second.pop(wide)).toBe(1);
    expect(wide[0]).toBe(9);
  });

  it("rejects layouts that cannot hold a ring, with E_INTERNAL", () => {
    const tooSmall = (fn: () => unknown) => {
      try {
        fn();
        return "no error";
      } catch (error) {
        return isEngineError(error, "E_INTERNAL") ? "E_INTERNAL" : String(error);
      }
    };
    expect(tooSmall(() => SpscRing.create(0, Float32Array))).toBe("E_INTERNAL");
    expect(tooSmall(() => SpscRing.create(1.5, Float32Array))).toBe("E_INTERNAL");
    expect(tooSmall(() => SpscRing.attach(new SharedArrayBuffer(64), Float32Array))).toBe("E_INTERNAL");
    expect(
      tooSmall(() => SpscRing.attach(new SharedArrayBuffer(4096), Float32Array, { byteOffset: 4 })),
    ).toBe("E_INTERNAL");
    expect(
      tooSmall(() => SpscRing.attach(new SharedArrayBuffer(1024), Float32Array, { capacity: 1000 })),
    ).toBe("E_INTERNAL");
  });

  it("holds Int32 and Uint8 elements (commands) as well as Float32 (audio)", () => {
    const ints = SpscRing.create(3, Int32Array);
    ints.push(Int32Array.of(-2147483648, 0, 2147483647));
    const intsOut = new Int32Array(3);
    ints.pop(intsOut);
    expect([...intsOut]).toEqual([-2147483648, 0, 2147483647]);
    const bytes = SpscRing.create(300, Uint8Array);
    const data = Uint8Array.from({ length: 300 }, (_, i) => i & 255);
    expect(bytes.push(data)).toBe(300);
    const bytesOut = new Uint8Array(300);
    expect(bytes.pop(bytesOut)).toBe(300);
    expect(bytesOut).toEqual(data);
  });
});
