import { afterEach, describe, expect, it } from "vitest";
import { CommandDecoder, CommandEncoder, type CommandVisitor } from "../../src/dataplane/command-codec";
import { PortRing } from "../../src/dataplane/port-ring";
import { channel, closeOpened, until } from "./support/ports";
import { mulberry32, randomInt, SequenceGenerator, SequenceVerifier } from "./support/sequence";

afterEach(closeOpened);

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
    const ignore = () => undefined;
    const visitor: CommandVisitor = {
      setParameter: ignore,
      midi: ignore,
      liveMidi: ignore,
      play: ignore,
      pause: ignore,
      stop: ignore,
      seek: (position) => seeks.push(position),
      setLoop: ignore,
      setTempo: ignore,
      setMonitoring: ignore,
    };
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
