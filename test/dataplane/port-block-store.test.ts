import { afterEach, describe, expect, it } from "vitest";
import { createTransportSnapshot } from "../../src/api/realtime-readings";
import { PortBlockStore } from "../../src/dataplane/port-block-store";
import { TRANSPORT_BLOCK_LENGTH, TransportBlock } from "../../src/dataplane/transport-block";
import { channel, closeOpened, until } from "./support/ports";

afterEach(closeOpened);

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
