import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { TaskWorker } from "../../bench/dataplane/workers";
import { createTransportSnapshot, type DataPlaneTransport } from "../../src/api/realtime-readings";
import { isEngineError } from "../../src/contracts/errors";
import { CommandDecoder, CommandEncoder, type CommandVisitor } from "../../src/dataplane/command-codec";
import {
  createDataPlane,
  openDoorbell,
  openMeterBlock,
  openRing,
  openTransportBlock,
} from "../../src/dataplane/data-plane";
import { PortBlockStore } from "../../src/dataplane/port-block-store";
import type { MessagePortLike } from "../../src/dataplane/port-buffer";
import { PortDoorbell } from "../../src/dataplane/port-doorbell";
import { PortRing } from "../../src/dataplane/port-ring";
import { TRANSPORT_BLOCK_LENGTH, TransportBlock } from "../../src/dataplane/transport-block";
import { mulberry32, randomInt, SequenceGenerator, SequenceVerifier } from "./support/sequence";
import type { TestTask } from "./support/test-worker";
import { testWorkers } from "./support/threads";

// Every port opened here is closed after each test, so no listener keeps the test process alive.
const opened: { close(): void }[] = [];

afterEach(() => {
  for (const end of opened.splice(0)) end.close();
});

function channel(): { port1: MessagePortLike; port2: MessagePortLike } {
  const { port1, port2 } = new MessageChannel();
  opened.push(port1, port2);
  return { port1, port2 };
}

/** Lets the event loop deliver posted messages until `condition` holds (or 2 s pass). */
async function until(condition: () => boolean): Promise<void> {
  const deadline = performance.now() + 2000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error("timed out waiting for messages");
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

describe("PortRing", () => {
  it("moves a running sequence in order through a pool that never grows", async () => {
    const { port1, port2 } = channel();
    const options = { chunkLength: 256, poolSize: 4 };
    const producer = PortRing.producer(port1, Float32Array, options);
    const consumer = PortRing.consumer(port2, Float32Array, options);
    const random = mulberry32(3);
    const generator = new SequenceGenerator();
    const verifier = new SequenceVerifier();
    const run = new Float32Array(300);
    const out = new Float32Array(300);
    let sent = 0;
    let received = 0;
    const total = 200_000; // ~780 buffers through a pool of 4
    while (received < total) {
      while (sent < total) {
        const length = Math.min(randomInt(random, 1, 300), total - sent, producer.availableWrite());
        if (length === 0) break;
        generator.fill(run, length);
        expect(producer.push(run, length)).toBe(length);
        sent += length;
      }
      producer.flush();
      await until(() => consumer.availableRead() > 0 || (sent < total && producer.availableWrite() > 0));
      while (consumer.availableRead() > 0) {
        const popped = consumer.pop(out, randomInt(random, 1, 300));
        expect(verifier.check(out, popped)).toBe(true);
        received += popped;
      }
    }
    expect(received).toBe(total);
    expect(producer.overflowCount()).toBe(0);
    expect(producer.allocatedBuffers()).toBe(4);
    expect(consumer.allocatedBuffers()).toBe(0);
    await until(() => producer.availableWrite() === producer.capacity); // every buffer came home
  });

  it("counts an overflow when the consumer falls behind, and the consumer learns of it", async () => {
    const { port1, port2 } = channel();
    const producer = PortRing.producer(port1, Int32Array, { chunkLength: 8, poolSize: 2 });
    const consumer = PortRing.consumer(port2, Int32Array, { chunkLength: 8, poolSize: 2 });
    const data = Int32Array.from({ length: 20 }, (_, i) => i);
    expect(producer.push(data)).toBe(16);
    expect(producer.isFull()).toBe(true);
    expect(producer.overflowCount()).toBe(1);
    expect(producer.droppedCount()).toBe(4);
    expect(producer.pushAll(data, 1)).toBe(false);
    expect(producer.overflowCount()).toBe(2);
    await until(() => consumer.availableRead() === 16);
    // Both buffers left before the overflow: the consumer learns of it with the next buffer.
    expect(consumer.overflowCount()).toBe(0);
    const out = new Int32Array(16);
    expect(consumer.pop(out)).toBe(16);
    expect([...out]).toEqual([...data.subarray(0, 16)]); // a valid prefix
    await until(() => producer.availableWrite() === 16);
    producer.push(data, 1);
    producer.flush();
    await until(() => consumer.availableRead() === 1);
    expect(consumer.overflowCount()).toBe(2);
    expect(consumer.droppedCount()).toBe(5);
    expect(producer.allocatedBuffers()).toBe(2);
  });

  it("pushAll never splits a record across two buffers", async () => {
    const { port1, port2 } = channel();
    const producer = PortRing.producer(port1, Uint8Array, { chunkLength: 10, poolSize: 3 });
    const consumer = PortRing.consumer(port2, Uint8Array, { chunkLength: 10, poolSize: 3 });
    const record = Uint8Array.of(1, 2, 3, 4);
    expect(producer.pushAll(record)).toBe(true);
    expect(producer.pushAll(record)).toBe(true);
    expect(producer.pushAll(record)).toBe(true); // 2 bytes left in the first buffer: starts the second
    producer.flush();
    await until(() => consumer.availableRead() === 12);
    expect(producer.availableWrite()).toBe(10); // two buffers out, one free
  });

  it("carries the command codec: whole records, decoded in order", async () => {
    const { port1, port2 } = channel();
    const producer = PortRing.producer(port1, Uint8Array, { chunkLength: 64, poolSize: 4, autoFlush: true });
    const consumer = PortRing.consumer(port2, Uint8Array, { chunkLength: 64, poolSize: 4 });
    const encoder = new CommandEncoder();
    for (let frame = 0; frame < 8; frame++) {
      expect(encoder.encode({ type: "seek", positionFrame: frame * 100 }, producer)).toBe(true);
    }
    await until(() => consumer.availableRead() === 8 * 20);
    const seeks: number[] = [];
    const visitor = { seek: (position: number) => seeks.push(position) } as unknown as CommandVisitor;
    expect(new CommandDecoder().decode(consumer, visitor)).toBe(8);
    expect(seeks).toEqual([0, 100, 200, 300, 400, 500, 600, 700]);
  });

  it("does nothing for the other role's operations", () => {
    const { port1, port2 } = channel();
    const producer = PortRing.producer(port1, Float32Array);
    const consumer = PortRing.consumer(port2, Float32Array);
    expect(consumer.push(new Float32Array(4))).toBe(0);
    expect(consumer.pushAll(new Float32Array(4))).toBe(false);
    expect(producer.pop(new Float32Array(4))).toBe(0);
  });
});

describe("PortDoorbell", () => {
  it("wakes an async waiter with the ring count; a blocking wait throws a clear error", async () => {
    const { port1, port2 } = channel();
    const ringer = PortDoorbell.open(port1);
    const waiter = PortDoorbell.open(port2);
    const woke = waiter.waitForRingAsync(2000);
    ringer.ring();
    expect(await woke).toBe(1);
    ringer.ring();
    ringer.ring();
    await until(() => true);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await waiter.waitForRingAsync(0)).toBe(2);
    expect(await waiter.waitForRingAsync(10)).toBe(0);
    let error: unknown;
    try {
      waiter.waitForRing(10);
    } catch (caught) {
      error = caught;
    }
    expect(isEngineError(error, "E_HOST_UNAVAILABLE")).toBe(true);
  });
});

describe("PortBlockStore", () => {
  it("sends every intervalWrites writes (urgent ones at once) with a fixed pool", async () => {
    const { port1, port2 } = channel();
    const writer = new TransportBlock(
      PortBlockStore.open(port1, TRANSPORT_BLOCK_LENGTH, { intervalWrites: 6 }),
    );
    const readerStore = PortBlockStore.open(port2, TRANSPORT_BLOCK_LENGTH);
    const reader = new TransportBlock(readerStore);
    const state = createTransportSnapshot();
    state.running = true;
    state.quantum = 1;
    writer.write(state); // flags changed: urgent, sent at once
    await until(() => reader.read()?.quantum === 1);
    for (let q = 2; q <= 6; q++) {
      state.quantum = q;
      writer.write(state);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(reader.read()?.quantum).toBe(1); // 5 writes since the last send: not yet
    state.quantum = 7;
    writer.write(state);
    await until(() => reader.read()?.quantum === 7);
    for (let q = 8; q < 2000; q++) {
      state.quantum = q;
      writer.write(state);
      if (q % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await until(() => (reader.read()?.quantum ?? 0) >= 1993);
    expect((writer.store as PortBlockStore).allocatedBuffers()).toBe(4);
    expect(readerStore.allocatedBuffers()).toBe(4);
  });

  it("defers a send while every buffer is out, then delivers the newest values", async () => {
    const { port1, port2 } = channel();
    const writer = PortBlockStore.open(port1, 2, { intervalWrites: 1, poolSize: 2 });
    const reader = PortBlockStore.open(port2, 2);
    for (let i = 1; i <= 5; i++) writer.write(Float64Array.of(i, -i)); // no event loop turn: 2 sent
    expect(writer.skippedSends()).toBe(3);
    // The newest values (5) go out as soon as a buffer comes back, though nothing else is written.
    const into = new Float64Array(2);
    await until(() => reader.read(into) && into[0] === 5);
    expect([...into]).toEqual([5, -5]);
  });
});

describe.each(["shared_memory", "message_port"] as DataPlaneTransport[])(
  "createDataPlane (%s)",
  (transport) => {
    const plane = createDataPlane({ isolated: transport === "shared_memory" });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

    it("reports the transport it picked", () => {
      expect(plane.transport).toBe(transport);
    });

    it("gives both sides the same ring, doorbell, transport and meter APIs", async () => {
      const ring = plane.createRing(Float32Array, 1024, { localRole: "producer" });
      const remoteRing = openRing(ring.remote, Float32Array);
      const bell = plane.createDoorbell();
      const remoteBell = openDoorbell(bell.remote);
      const block = plane.createTransportBlock({ intervalWrites: 1 });
      const remoteBlock = openTransportBlock(block.remote);
      const meters = plane.createMeterBlock(2);
      const remoteMeters = openMeterBlock(meters.remote);
      opened.push(
        ...[
          ring.local,
          remoteRing,
          bell.local,
          remoteBell,
          block.local.store,
          remoteBlock.store,
          meters.local.store,
          remoteMeters.store,
        ].filter((end): end is PortRing | PortDoorbell | PortBlockStore => "close" in end),
      );
      expect(ring.transfer.length).toBe(transport === "message_port" ? 1 : 0);

      // Ring: local produces, remote consumes.
      expect(ring.local.push(Float32Array.of(1, 2, 3))).toBe(3);
      if (ring.local instanceof PortRing) ring.local.flush();
      const waited = bell.local.waitForRingAsync(2000);
      remoteBell.ring();
      expect(await waited).toBe(1);
      await settle();
      const out = new Float32Array(3);
      expect(remoteRing.pop(out)).toBe(3);
      expect([...out]).toEqual([1, 2, 3]);

      // Transport block: remote (audio) writes, local reads.
      remoteBlock.write({ ...createTransportSnapshot(), quantum: 9, positionFrames: 1152, running: true });
      await settle();
      expect(block.local.read()).toMatchObject({ quantum: 9, positionFrames: 1152, running: true });

      // Meters: remote measures, local reads.
      for (let q = 0; q < 6; q++)
        remoteMeters.measure([new Float32Array(128).fill(0.5), new Float32Array(128)]);
      await settle();
      const reading = meters.local.createReading();
      expect(meters.local.read(reading)).toBe(true);
      expect(reading.quantum).toBe(6);
      expect([...reading.peak]).toEqual([0.5, 0]);
    });

    it("refuses to open a handle as another element type", () => {
      const ring = plane.createRing(Uint8Array, 64);
      if (ring.local instanceof PortRing) opened.push(ring.local);
      let error: unknown;
      try {
        openRing(ring.remote, Float32Array);
      } catch (caught) {
        error = caught;
      }
      expect(isEngineError(error, "E_INTERNAL")).toBe(true);
    });
  },
);

describe("createDataPlane across worker_threads", () => {
  const workers: TaskWorker[] = [];
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.terminate()));
  });

  it.each(["shared_memory", "message_port"] as DataPlaneTransport[])(
    "a worker produces through a posted handle, this thread consumes (%s)",
    async (transport) => {
      const spawn = await testWorkers();
      const worker = spawn();
      workers.push(worker);
      const plane = createDataPlane({ isolated: transport === "shared_memory" });
      const ring = plane.createRing(Float32Array, 4096, { localRole: "consumer" });
      if (ring.local instanceof PortRing) opened.push(ring.local);
      const total = 256 * 2000;
      const task: TestTask = { task: "produce-plane", handle: ring.remote, count: total, chunk: 256 };
      let done = false;
      const produced = worker
        .request<{ overflows: number; allocated: number; error?: string }>(task, ring.transfer)
        .then((reply) => {
          done = true;
          return reply;
        });
      const verifier = new SequenceVerifier();
      const out = new Float32Array(1000);
      let received = 0;
      const deadline = performance.now() + 20_000;
      while (received < total && performance.now() < deadline) {
        const popped = ring.local.pop(out);
        if (popped > 0) {
          expect(verifier.check(out, popped)).toBe(true);
          received += popped;
        } else {
          // Lets the message-port consumer receive buffers (and the worker's reply arrive).
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      const reply = await produced;
      expect(reply.error).toBeUndefined();
      expect(done).toBe(true);
      expect(received).toBe(total);
      expect(reply.overflows).toBe(0);
      if (transport === "message_port") expect(reply.allocated).toBe(4); // 2000 chunks through 4 buffers
    },
  );
});

describe("createDataPlane", () => {
  it("refuses isolated: true where SharedArrayBuffer is missing", () => {
    const saved = globalThis.SharedArrayBuffer;
    // @ts-expect-error: simulate a page that is not cross-origin isolated
    delete globalThis.SharedArrayBuffer;
    try {
      let error: unknown;
      try {
        createDataPlane({ isolated: true });
      } catch (caught) {
        error = caught;
      }
      expect(isEngineError(error, "E_HOST_UNAVAILABLE")).toBe(true);
      expect(createDataPlane({ isolated: false }).transport).toBe("message_port");
    } finally {
      globalThis.SharedArrayBuffer = saved;
    }
  });
});
