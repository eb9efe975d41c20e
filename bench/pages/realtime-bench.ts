// Real-time path benchmarks in Chromium (issue 5): each figure next to a reference measured in the
// same page and run.
import { AudioWorkletEngineClient } from "../../src/browser";
import { createDataPlane } from "../../src/dataplane/data-plane";
import { createEngineWorklet, loadEngineWorklet } from "../../src/hosts/audioworklet/engine-worklet";
import { createTimeProbe } from "../../src/hosts/audioworklet/phase-cost-meter";
import { webWorkers } from "../../test/support/web-task-workers";
import { w2Program } from "../../test/support/workloads";
import { measureRingThroughput, measureWakePair } from "../dataplane/ring-throughput";
import { alternateRounds, interleave, median } from "../pairs";
import { buildNativeW2 } from "../workloads";

const SR = 48000;
const spawn = webWorkers(new URL("../dataplane/bench-worker.ts", import.meta.url));

function usPer(iterations: number, run: () => void): number {
  const start = performance.now();
  for (let i = 0; i < iterations; i++) run();
  return ((performance.now() - start) * 1000) / iterations;
}

/** Half of a 128-frame quantum at 48 kHz, in µs: the live-voices row's budget for process(). */
const HALF_QUANTUM_US = (0.5 * 128 * 1e6) / SR;

/** Which side renders W2's voices in the live-voices row. */
type LiveSide = "ours" | "native";

/**
 * µs the audio thread of a real-time AudioContext (48 kHz, 128-frame quanta) spends per quantum on
 * W2 with `voices` voices: webdreamer's live AudioWorklet host or Chromium's native nodes. Two time
 * probes (time-probe-processor.ts) note the audio thread's clock around the voices in each quantum,
 * as the WAM cost meter does; the figure is the median over `seconds` after `warmSeconds` (the
 * engine's code reaching its optimised tier, Chromium's nodes their first renders).
 */
async function liveQuantumMicros(side: LiveSide, voices: number, warmSeconds = 1, seconds = 1) {
  const context = new AudioContext({ sampleRate: SR, latencyHint: "interactive" });
  try {
    // Built while suspended, so both probes count their quanta from the same one.
    await context.suspend();
    await loadEngineWorklet(context);
    const warm = Math.round((warmSeconds * SR) / 128);
    const quanta = warm + Math.round((seconds * SR) / 128);
    const [before, after] = [createTimeProbe(context, quanta), createTimeProbe(context, quanta)] as const;
    before.node.connect(after.node, 0, 0);
    after.node.connect(context.destination);
    if (side === "ours") {
      const { node } = await createEngineWorklet(context, { program: w2Program(voices), outputChannels: 2 });
      node.connect(after.node, 0, 1);
    } else {
      const bus = new GainNode(context, { gain: 1, channelCount: 1, channelCountMode: "explicit" });
      buildNativeW2(context, voices, bus);
      bus.connect(after.node, 0, 1);
    }
    await context.resume();
    const [t0, t1] = await Promise.all([before.times, after.times]);
    const costs: number[] = [];
    for (let q = warm; q < quanta; q++) costs.push((t1[q] as number) - (t0[q] as number));
    // Probes that started a quantum apart would time across quanta: a negative time gives them away.
    const negative = costs.filter((us) => us < 0).length;
    if (negative > 0) {
      throw new Error(
        `live voices: ${negative} of ${costs.length} quanta timed negative: the probes are not aligned`,
      );
    }
    return median(costs);
  } finally {
    await context.close();
  }
}

/**
 * How many W2 voices `side` renders with the audio thread's time per quantum under half a quantum:
 * measured at 64 voices, then at the count that line through the origin predicts, then at the count
 * the line through those two points predicts; the answer is where the least-squares line through
 * the three points meets the budget. The points are returned too ([voices, µs per quantum]).
 */
async function sustainedVoices(side: LiveSide) {
  const points: [number, number][] = [];
  const measure = async (voices: number) => {
    points.push([voices, await liveQuantumMicros(side, voices)]);
  };
  const clamp = (n: number) => Math.min(4096, Math.max(8, Math.round(n)));
  await measure(64);
  const [n1, t1] = points[0] as [number, number];
  await measure(clamp((n1 * HALF_QUANTUM_US) / t1));
  const crossing = () => {
    const n = points.length;
    const mx = points.reduce((s, [x]) => s + x, 0) / n;
    const my = points.reduce((s, [, y]) => s + y, 0) / n;
    const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
    const slope = sxx > 0 ? points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / sxx : 0;
    // A flat or falling line (noise at close counts) falls back to the line through the origin.
    if (slope <= 0) {
      const [x, y] = points[points.length - 1] as [number, number];
      return (x * HALF_QUANTUM_US) / y;
    }
    return (HALF_QUANTUM_US - (my - slope * mx)) / slope;
  };
  await measure(clamp(crossing()));
  return { voices: Math.max(0, Math.floor(crossing())), points };
}

const api = {
  /**
   * The live-voices row: W2 voices sustained under half a quantum on a real-time AudioContext's audio
   * thread, webdreamer's worklet host against Chromium's native nodes, `rounds` interleaved rounds.
   */
  async liveVoices(rounds: number) {
    const points: Record<LiveSide, [number, number][][]> = { ours: [], native: [] };
    const pairs = await interleave(rounds, {
      ours: async () => {
        const found = await sustainedVoices("ours");
        points.ours.push(found.points);
        return found.voices;
      },
      native: async () => {
        const found = await sustainedVoices("native");
        points.native.push(found.points);
        return found.voices;
      },
    });
    return { ...pairs, points };
  },

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
    // One round to warm up (dropped): a page's first render of ours took up to twice its later ones.
    return interleave(
      rounds,
      {
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
      },
      { warmUp: 1 },
    );
  },
  /**
   * getTransportState() on the main thread vs asking the Worker over Comlink, `rounds` rounds of 100
   * alternating slices (40 reads, then 4 round trips: bench/pairs.ts, alternateRounds); the raw block read
   * once.
   */
  async transportRead(rounds: number) {
    const engine = await AudioWorkletEngineClient.start();
    await engine.context.resume();
    await engine.play();
    const block = usPer(100_000, () => engine.readTransport());
    for (let i = 0; i < 200; i++) await engine.rawPing();
    // Two rounds warm up (dropped): a page's first rounds read the state up to 2.5 times slower.
    const pairs = await alternateRounds(
      rounds,
      100,
      {
        contract: { calls: 40, run: () => engine.getTransportState() },
        viaWorker: { calls: 4, run: () => engine.rawPing() },
      },
      { warmUp: 2 },
    );
    await engine.close();
    return { block, ...pairs };
  },
  /**
   * A control call through our wrapping vs a plain Comlink call on the same port: `rounds` rounds of
   * `calls` each, alternating ten by ten.
   */
  async controlRoundtrip(calls: number, rounds: number) {
    const engine = await AudioWorkletEngineClient.start();
    for (let i = 0; i < 500; i++) await engine.ping();
    const pairs = await alternateRounds(rounds, calls / 10, {
      ours: { calls: 10, run: () => engine.ping() },
      plain: { calls: 10, run: () => engine.rawPing() },
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
   * A doorbell ring to a parked Worker and its ring back vs a postMessage to an idle Worker and its
   * answer, sample by sample between the same two Workers (bench/dataplane/ring-throughput.ts,
   * measureWakePair), each round trip halved: `rounds` rounds of fresh workers, `samples` of each
   * kind a round, each kind's figure the mean of the middle half of its round. (A round trip of tens
   * of microseconds on a 5 us clock: a round's median was one of a few ticks. Timed in separate
   * rounds, each with workers of its own, the two kinds' figures followed where the OS put those
   * workers, not the mechanism.)
   */
  async doorbellWake(samples: number, rounds: number) {
    const figures = { doorbell: [] as number[], postMessage: [] as number[] };
    for (let round = 0; round < rounds; round++) {
      const { doorbell, message } = await measureWakePair(spawn, samples);
      figures.doorbell.push(doorbell.middleMean / 2);
      figures.postMessage.push(message.middleMean / 2);
    }
    return figures;
  },
};

Object.assign(window, { realtimeBench: api });
export type RealtimeBenchApi = typeof api;
