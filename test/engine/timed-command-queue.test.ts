/**
 * The two timed-command heaps: TimedCommandQueue (audio thread, fixed) and TimedBacklog (engine
 * Worker, growing, encoded records). Both must hand entries back by frame, and in arrival order
 * within a frame, whatever order they arrive in: checked against a stable sort of the same entries
 * over seeded random interleavings of pushes and pops.
 */
import { describe, expect, it } from "vitest";

import { CommandDecoder, CommandEncoder, type CommandVisitor } from "../../src/dataplane/command-codec";
import { SpscRing } from "../../src/dataplane/spsc-ring";
import { TimedCommandQueue } from "../../src/engine/timed-command-queue";
import { TimedBacklog } from "../../src/hosts/audioworklet/timed-backlog";
import { mulberry32, randomInt } from "../dataplane/support/sequence";

interface Entry {
  frame: number;
  id: number;
}

/** What a stable sort says comes out next: the smallest frame, the earliest arrival among equals. */
function nextOf(pending: Entry[]): Entry {
  let best = pending[0] as Entry;
  for (const entry of pending) if (entry.frame < best.frame) best = entry;
  pending.splice(pending.indexOf(best), 1);
  return best;
}

describe("TimedCommandQueue (audio thread)", () => {
  it("pops by frame, arrival order within a frame, over random interleavings", () => {
    const random = mulberry32(7);
    const queue = new TimedCommandQueue(512);
    const pending: Entry[] = [];
    let id = 0;
    let popped = 0;
    for (let step = 0; step < 20_000; step++) {
      if (queue.length < queue.capacity && (pending.length === 0 || random() < 0.55)) {
        // Few distinct frames, so many entries share one.
        const frame = randomInt(random, 0, 40);
        expect(queue.push(frame, id % 8, id, -id, id / 2, 0)).toBe(true);
        pending.push({ frame, id: id++ });
      } else {
        const expected = nextOf(pending);
        expect(queue.nextFrame()).toBe(expected.frame);
        const slot = queue.pop();
        expect([queue.kind[slot], queue.a[slot], queue.b[slot], queue.c[slot]]).toEqual([
          expected.id % 8,
          expected.id,
          -expected.id,
          expected.id / 2,
        ]);
        popped++;
      }
      expect(queue.length).toBe(pending.length);
    }
    expect(popped).toBeGreaterThan(5000);
  });

  it("refuses a push when full, and clear() empties it and says how many it held", () => {
    const queue = new TimedCommandQueue(3);
    expect([
      queue.push(5, 1, 0, 0, 0, 0),
      queue.push(1, 1, 0, 0, 0, 0),
      queue.push(3, 1, 0, 0, 0, 0),
    ]).toEqual([true, true, true]);
    expect(queue.push(0, 1, 0, 0, 0, 0)).toBe(false);
    expect(queue.length).toBe(3);
    expect(queue.nextFrame()).toBe(1);
    expect(queue.clear()).toBe(3);
    expect([queue.length, queue.nextFrame(), queue.pop()]).toEqual([0, Number.POSITIVE_INFINITY, -1]);
    expect(queue.push(9, 2, 0, 0, 0, 0)).toBe(true);
    expect(queue.nextFrame()).toBe(9);
  });
});

describe("TimedBacklog (engine Worker)", () => {
  it("writes records out by frame, arrival order within a frame, growing as it fills", () => {
    const random = mulberry32(3);
    const backlog = new TimedBacklog(5000);
    const encoder = new CommandEncoder();
    const record = SpscRing.create(64, Uint8Array, { shared: false });
    const staged = new Uint8Array(32);
    const ring = SpscRing.create(1 << 20, Uint8Array, { shared: false });
    const pending: Entry[] = [];
    let id = 0;
    const expectedOrder: number[] = [];
    for (let step = 0; step < 12_000; step++) {
      if (backlog.length < backlog.capacity && (pending.length === 0 || random() < 0.6)) {
        const frame = randomInt(random, 0, 100);
        encoder.encode({ type: "set_parameter", node: id, param: 0, value: 0, atFrame: frame }, record);
        const length = record.pop(staged);
        backlog.add(staged, length, 0, frame);
        pending.push({ frame, id: id++ });
      } else {
        const expected = nextOf(pending);
        expect(backlog.nextFrame()).toBe(expected.frame);
        expect(backlog.writeNext(ring)).toBe(true);
        expectedOrder.push(expected.id);
      }
    }
    const seen: number[] = [];
    const ignore = () => {};
    const visitor: CommandVisitor = {
      setParameter: (node) => seen.push(node),
      midi: ignore,
      liveMidi: ignore,
      play: ignore,
      pause: ignore,
      stop: ignore,
      seek: ignore,
      setLoop: ignore,
      setTempo: ignore,
      setMonitoring: ignore,
    };
    new CommandDecoder().decode(ring, visitor);
    expect(seen).toEqual(expectedOrder);
    expect(backlog.length).toBe(pending.length);
    expect(backlog.clear()).toBe(pending.length);
    expect(backlog.nextFrame()).toBe(Number.POSITIVE_INFINITY);
  });

  it("keeps a record that does not fit the ring (writeNext is false and removes nothing)", () => {
    const backlog = new TimedBacklog(4);
    const ring = SpscRing.create(30, Uint8Array, { shared: false });
    const record = SpscRing.create(64, Uint8Array, { shared: false });
    const staged = new Uint8Array(32);
    new CommandEncoder().encode({ type: "set_parameter", node: 1, param: 0, value: 1, atFrame: 10 }, record);
    const length = record.pop(staged);
    backlog.add(staged, length, 0, 10);
    backlog.add(staged, length, 0, 10);
    expect(backlog.writeNext(ring)).toBe(true);
    expect(backlog.writeNext(ring)).toBe(false); // 24 + 24 > 30
    expect(backlog.length).toBe(1);
  });
});
