// Real-time path benchmarks in Chromium (issue 5): each figure next to a reference measured in the
// same page and run.
import { AudioWorkletEngineClient } from "../../src/browser";
import { createDataPlane } from "../../src/dataplane/data-plane";
import { createEngineWorklet } from "../../src/hosts/audioworklet/engine-worklet";
import { webWorkers } from "../../test/support/web-task-workers";
import { measureDoorbellWake, measureRingThroughput } from "../dataplane/ring-throughput";
import { interleave, median } from "../pairs";

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
   * block and meters published every quantum) vs an empty processor, `rounds` interleaved pairs.
   */
  async hostOverhead(seconds: number, rounds: number, withDataPlane = 1) {
    const time = async (make: (context: OfflineAudioContext) => Promise<AudioNode>) => {
      const context = new OfflineAudioContext({ numberOfChannels: 2, length: seconds * SR, sampleRate: SR });
      (await make(context)).connect(context.destination);
      const start = performance.now();
      await context.startRendering();
      return ((performance.now() - start) * 1000) / ((seconds * SR) / 128);
    };
    return interleave(rounds, {
      empty: () =>
        time(async (context) => {
          await context.audioWorklet.addModule("/bench/pages/empty-processor.js");
          return new AudioWorkletNode(context, "empty-processor", {
            numberOfInputs: 0,
            outputChannelCount: [2],
          });
        }),
      ours: () =>
        time(async (context) => {
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
    });
  },
  /**
   * getTransportState() on the main thread vs asking the Worker over Comlink, `rounds` interleaved
   * pairs; the raw block read once.
   */
  async transportRead(rounds: number) {
    const engine = await AudioWorkletEngineClient.start();
    await engine.context.resume();
    await engine.play();
    const block = usPer(100_000, () => engine.readTransport());
    for (let i = 0; i < 200; i++) await engine.rawPing();
    const pairs = await interleave(rounds, {
      contract: () => usPerAsync(4_000, () => engine.getTransportState()),
      viaWorker: () => usPerAsync(400, () => engine.rawPing()),
    });
    await engine.close();
    return { block, ...pairs };
  },
  /** A control call through our wrapping vs a plain Comlink call on the same port, interleaved pairs. */
  async controlRoundtrip(calls: number, rounds: number) {
    const engine = await AudioWorkletEngineClient.start();
    for (let i = 0; i < 500; i++) await engine.ping();
    const pairs = await interleave(rounds, {
      ours: () => usPerAsync(calls, () => engine.ping()),
      plain: () => usPerAsync(calls, () => engine.rawPing()),
    });
    await engine.close();
    return pairs;
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
  /**
   * Atomics.notify to a parked Worker (one way) vs a postMessage to a Worker and back, halved:
   * `rounds` interleaved pairs of `samples` samples each, each side's figure the median of its round.
   */
  async doorbellWake(samples: number, rounds: number) {
    const echo = new Worker(new URL("./echo-worker.ts", import.meta.url), { type: "module" });
    const once = () =>
      new Promise<void>((resolve) => {
        echo.onmessage = () => resolve();
        echo.postMessage(0);
      });
    for (let i = 0; i < 200; i++) await once();
    const pairs = await interleave(rounds, {
      doorbell: async () => (await measureDoorbellWake(spawn, { samples, rounds: 1 })).oneWayUs.median,
      postMessage: async () => {
        const trips: number[] = [];
        for (let i = 0; i < samples; i++) {
          const t0 = performance.now();
          await once();
          trips.push(((performance.now() - t0) * 1000) / 2);
        }
        return median(trips);
      },
    });
    echo.terminate();
    return pairs;
  },
};

Object.assign(window, { realtimeBench: api });
export type RealtimeBenchApi = typeof api;
