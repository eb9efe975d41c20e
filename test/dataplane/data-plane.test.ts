import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createTransportSnapshot, type DataPlaneTransport } from "../../src/api/realtime-readings";
import { isEngineError } from "../../src/contracts/errors";
import {
  createDataPlane,
  openDoorbell,
  openMeterBlock,
  openRing,
  openTransportBlock,
} from "../../src/dataplane/data-plane";
import type { PortBlockStore } from "../../src/dataplane/port-block-store";
import type { PortDoorbell } from "../../src/dataplane/port-doorbell";
import { PortRing } from "../../src/dataplane/port-ring";
import type { TaskWorker } from "../support/task-workers";
import { closeAfterTest, closeOpened } from "./support/ports";
import { SequenceVerifier } from "./support/sequence";
import type { TestTask } from "./support/test-worker";
import { testWorkers } from "./support/threads";

afterEach(closeOpened);

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
      closeAfterTest(
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
      if (ring.local instanceof PortRing) closeAfterTest(ring.local);
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
      if (ring.local instanceof PortRing) closeAfterTest(ring.local);
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
