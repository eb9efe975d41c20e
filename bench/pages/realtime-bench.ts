// Real-time path benchmarks in Chromium (issue 5): each figure next to a reference measured in the
// same page and run.
import { AudioWorkletEngineClient } from "../../src/browser";
import { createDataPlane } from "../../src/dataplane/data-plane";
import { createEngineWorklet } from "../../src/hosts/audioworklet/engine-worklet";
import { webWorkers } from "../../test/support/web-task-workers";
import { measureDoorbellWake, measureRingThroughput } from "../dataplane/ring-throughput";
import { median } from "../workloads";

const SR = 48000;
const spawn = webWorkers(new URL("../dataplane/bench-worker.ts", import.meta.url));

function usPer(iterations: number, run: () => void): number {
  const start = performance.now();
  for (let i = 0; i < iterations; i++) run();
  return ((performance.now() - start) * 1000) / iterations;
}

async function usPerAsync(iterations: number, run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await run();
  return ((performance.now() - start) * 1000) / iterations;
}

const api = {
  /**
   * Microseconds per 128-frame quantum: our live worklet host (a one-oscillator graph, transport
   * block and meters published every quantum) vs an empty processor; fastest of `rounds` each.
   */
  async hostOverhead(seconds: number, rounds: number, withDataPlane = 1) {
    const time = async (make: (context: OfflineAudioContext) => Promise<AudioNode>) => {
      const context = new OfflineAudioContext({ numberOfChannels: 2, length: seconds * SR, sampleRate: SR });
      (await make(context)).connect(context.destination);
      const start = performance.now();
      await context.startRendering();
      return ((performance.now() - start) * 1000) / ((seconds * SR) / 128);
    };
    const ours: number[] = [];
    const empty: number[] = [];
    for (let r = 0; r < rounds; r++) {
      empty.push(
        await time(async (context) => {
          await context.audioWorklet.addModule("/bench/pages/empty-processor.js");
          return new AudioWorkletNode(context, "empty-processor", {
            numberOfInputs: 0,
            outputChannelCount: [2],
          });
        }),
      );
      ours.push(
        await time(async (context) => {
          const { node, port } = await createEngineWorklet(context, {
            program: { nodes: [{ kind: "oscillator", inputs: [], params: { frequency: 440 } }], output: 0 },
            outputChannels: 2,
          });
          // The whole live path: transport block and meters published every quantum.
          if (!withDataPlane) return node;
          const plane = createDataPlane({ isolated: self.crossOriginIsolated });
          const transport = plane.createTransportBlock();
          const meters = plane.createMeterBlock(2);
          port.postMessage({ type: "connect-blocks", transport: transport.remote, meters: meters.remote }, [
            ...transport.transfer,
            ...meters.transfer,
          ]);
          return node;
        }),
      );
    }
    // The fastest round of each: on a shared 2-core machine a slow round measures the neighbours.
    return { ours: Math.min(...ours), empty: Math.min(...empty) };
  },
  /** getTransportState() and the raw block read on the main thread, vs asking the Worker over Comlink. */
  async transportRead() {
    const engine = await AudioWorkletEngineClient.start();
    await engine.context.resume();
    await engine.play();
    const block = usPer(100_000, () => engine.readTransport());
    const contract = await usPerAsync(20_000, () => engine.getTransportState());
    const viaWorker = await usPerAsync(2_000, () => engine.rawPing());
    await engine.close();
    return { block, contract, viaWorker };
  },
  /** A control call through our wrapping vs a plain Comlink call on the same port. */
  async controlRoundtrip(calls: number, rounds: number) {
    const engine = await AudioWorkletEngineClient.start();
    for (let i = 0; i < 500; i++) await engine.ping();
    const ours: number[] = [];
    const plain: number[] = [];
    for (let r = 0; r < rounds; r++) {
      ours.push(await usPerAsync(calls, () => engine.ping()));
      plain.push(await usPerAsync(calls, () => engine.rawPing()));
    }
    await engine.close();
    return { ours: median(ours), plain: median(plain) };
  },
  /** SpscRing vs ringbuf.js, Worker to Worker, 128-frame chunks in a 4096-frame ring. */
  async ringThroughput(seconds: number, rounds: number) {
    const [row] = await measureRingThroughput(spawn, {
      seconds,
      rounds,
      sizes: [{ chunkFrames: 128, capacityFrames: 4096 }],
    });
    return row;
  },
  /** Atomics.notify to a parked Worker (one way) vs a postMessage to a Worker and back, halved. */
  async doorbellWake(samples: number) {
    const wake = await measureDoorbellWake(spawn, { samples, rounds: 5 });
    const echo = new Worker(new URL("./echo-worker.ts", import.meta.url), { type: "module" });
    const once = () =>
      new Promise<void>((resolve) => {
        echo.onmessage = () => resolve();
        echo.postMessage(0);
      });
    for (let i = 0; i < 200; i++) await once();
    const trips: number[] = [];
    for (let i = 0; i < samples; i++) {
      const t0 = performance.now();
      await once();
      trips.push(((performance.now() - t0) * 1000) / 2);
    }
    echo.terminate();
    return { doorbell: wake.oneWayUs.median, postMessage: median(trips) };
  },
};

Object.assign(window, { realtimeBench: api });
export type RealtimeBenchApi = typeof api;
