// The real-time soak, run in a page: the AudioWorklet host plays for a long time while it is edited,
// sought, looped, reloaded and stormed with parameters and notes, and what could go wrong is
// sampled over time (e2e/soak.spec.ts reports it; `npm run soak` runs it for 10 minutes).
import { AudioWorkletEngineClient, type GraphDescriptorInput } from "../../src/browser";
import { isEngineError } from "../../src/contracts";

/** One sample of the soak's health, taken every `sampleEverySeconds`. */
export interface SoakSample {
  /** Seconds since the soak started (wall clock). */
  t: number;
  /**
   * Milliseconds the audio clock lost against the wall clock since the start: audio the output
   * could not render in time (an underrun shows as a step). Chromium exposes no glitch counter to
   * pages here, so the clock is the measure.
   */
  audioLagMs: number;
  /** Counters of the transport block, since the engine started. */
  ringOverflows: number;
  lateCommands: number;
  badCommands: number;
  /** Timed commands a graph load discarded before their frame (counted, never silent). */
  droppedCommands: number;
  /** Commands the audio thread applied. */
  appliedCommands: number;
  /** Output samples that were NaN or ±Infinity, played as 0. */
  nonFiniteSamples: number;
  /** Calls the engine refused with E_BACKPRESSURE so far (nothing dropped: the caller knew). */
  backpressure: number;
  /** Calls that failed otherwise so far (each is a defect). */
  failedCalls: number;
  /** Page memory (main thread, Worker, worklet) from measureUserAgentSpecificMemory, bytes. */
  memoryBytes: number | null;
}

export interface SoakCapture {
  t: number;
  status: string;
  frames: number;
  lostFrames: number;
  error: string | null;
}

export interface SoakReport {
  seconds: number;
  sampleRate: number;
  calls: number;
  graphLoads: number;
  samples: SoakSample[];
  captures: SoakCapture[];
  /** The last failures (at most 20), for the report. */
  failures: string[];
  /** After the soak: a plain 440 Hz sine captured in real time, to prove the engine still plays. */
  final: { status: string; frames: number; lostFrames: number; samples: number[] };
}

/** Deterministic choices (mulberry32), so a soak can be rerun with the same actions. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Two graphs the soak alternates between: the same node names, different routing and settings. */
function soakGraph(variant: 0 | 1, sample: string): GraphDescriptorInput {
  return {
    version: "v1alpha",
    tempo: { bpm: 120 },
    nodes: [
      { name: "keys", node_id: "builtin:sampler", buffers: { data: sample } },
      { name: "osc", node_id: "builtin:oscillator", params: { frequency: variant ? 110 : 220, waveform: 1 } },
      {
        name: "filter",
        node_id: "builtin:filter",
        inputs: variant ? ["keys", "osc"] : ["osc", "keys"],
        params: { mode: "low", frequency: 1200 },
      },
      { name: "echo", node_id: "builtin:delay", inputs: ["filter"], params: { time: 250, feedback: 0.4 } },
      { name: "room", node_id: "builtin:reverb", inputs: ["echo"] },
      { name: "out", node_id: "builtin:gain", inputs: ["room"], params: { gain: 0.3 } },
    ],
    output: "out",
  };
}

const sineGraph: GraphDescriptorInput = {
  version: "v1alpha",
  nodes: [
    { name: "osc", node_id: "builtin:oscillator", params: { frequency: 440 } },
    { name: "g", node_id: "builtin:gain", inputs: ["osc"], params: { gain: 0.5 } },
  ],
  output: "g",
};

async function pageMemory(): Promise<number | null> {
  const measure = (performance as { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }> })
    .measureUserAgentSpecificMemory;
  if (!measure || !self.crossOriginIsolated) return null;
  return (await measure.call(performance)).bytes;
}

async function captureRealtime(
  engine: AudioWorkletEngineClient,
  graph: GraphDescriptorInput,
  seconds: number,
) {
  const result = await engine.render({
    version: "v1alpha",
    request_id: "soak-capture",
    node_graph: graph,
    duration_seconds: seconds,
    sample_rate: engine.context.sampleRate,
    channels: 2,
    start_position_seconds: 0,
    options: { offline: false, preroll: 0 },
  });
  const lost = Number((result.extensions as { lost_frames?: number }).lost_frames ?? 0);
  const [left] = result.buffer_handle ? await engine.readBuffer(result.buffer_handle) : [new Float32Array(0)];
  if (result.buffer_handle) await engine.releaseBuffer(result.buffer_handle);
  return { result, lost, left: left ?? new Float32Array(0) };
}

/**
 * Plays, edits and storms the engine for `seconds`, sampling its health every
 * `sampleEverySeconds` and capturing half a second in real time every `captureEverySeconds`.
 */
async function run(options: {
  seconds: number;
  seed?: number;
  sampleEverySeconds?: number;
  captureEverySeconds?: number;
  reloadEverySeconds?: number;
}): Promise<SoakReport> {
  const next = random(options.seed ?? 11);
  const sampleEvery = options.sampleEverySeconds ?? 5;
  const captureEvery = options.captureEverySeconds ?? 15;
  const reloadEvery = options.reloadEverySeconds ?? 10;
  const engine = await AudioWorkletEngineClient.start();
  await engine.context.resume();
  const sampleRate = engine.context.sampleRate;
  // A short decaying tone for the sampler: the notes of the storm play it.
  const tone = new Float32Array(sampleRate / 4);
  for (let i = 0; i < tone.length; i++)
    tone[i] = Math.sin((2 * Math.PI * 330 * i) / sampleRate) * (1 - i / tone.length);
  const sample = await engine.uploadBuffer([tone], sampleRate);

  const report: SoakReport = {
    seconds: options.seconds,
    sampleRate,
    calls: 0,
    graphLoads: 0,
    samples: [],
    captures: [],
    failures: [],
    final: { status: "", frames: 0, lostFrames: 0, samples: [] },
  };
  let backpressure = 0;
  let failedCalls = 0;
  const call = async (what: string, action: () => Promise<unknown>) => {
    report.calls++;
    try {
      await action();
    } catch (error) {
      if (isEngineError(error, "E_BACKPRESSURE")) backpressure++;
      else {
        failedCalls++;
        if (report.failures.length < 20) report.failures.push(`${what}: ${String(error)}`);
      }
    }
  };

  let variant: 0 | 1 = 0;
  await engine.loadGraph(soakGraph(variant, sample));
  report.graphLoads++;
  await engine.play();

  const startWall = performance.now();
  const startAudio = engine.context.currentTime;
  const elapsed = () => (performance.now() - startWall) / 1000;
  // measureUserAgentSpecificMemory resolves at the next garbage collection, up to ~20 s later, so
  // a measurement runs beside the storm and fills its sample when it lands; awaiting it would pause
  // the soak for a third of a minute.
  const measurements: Promise<void>[] = [];
  const sampleHealth = (memory: boolean) => {
    const state = engine.readTransport();
    const wall = performance.now() - startWall;
    const audio = (engine.context.currentTime - startAudio) * 1000;
    const sample: SoakSample = {
      t: wall / 1000,
      audioLagMs: Math.max(0, wall - audio),
      ringOverflows: state.ringOverflows,
      lateCommands: state.lateCommands,
      badCommands: state.badCommands,
      droppedCommands: state.droppedCommands,
      appliedCommands: state.appliedCommands,
      nonFiniteSamples: state.nonFiniteSamples,
      backpressure,
      failedCalls,
      memoryBytes: null,
    };
    report.samples.push(sample);
    if (memory) {
      measurements.push(
        pageMemory().then((bytes) => {
          sample.memoryBytes = bytes;
        }),
      );
    }
  };
  sampleHealth(true);

  let nextSample = sampleEvery;
  let nextCapture = captureEvery;
  let nextReload = reloadEvery;
  while (elapsed() < options.seconds) {
    // One tick: a storm of parameter changes and notes, now and in the near future, and now and
    // then a seek, a loop change or a tempo ramp.
    const position = engine.readTransport().positionSeconds;
    const storm: Promise<void>[] = [];
    for (let i = 0; i < 40; i++) {
      const frequency = 200 + next() * 4000;
      const at = next() < 0.5 ? undefined : position + next() * 2;
      storm.push(
        call("setParameter", () => engine.setParameter("filter", "frequency", frequency, { atSeconds: at })),
      );
    }
    storm.push(
      call("scheduleEvents", () =>
        engine.scheduleEvents(
          "keys",
          Array.from({ length: 8 }, () => ({
            type: "note" as const,
            time: position + next() * 2,
            duration: 0.05 + next() * 0.3,
            note: 48 + Math.floor(next() * 24),
            velocity: 40 + Math.floor(next() * 80),
          })),
        ),
      ),
    );
    const roll = next();
    if (roll < 0.08) storm.push(call("seek", () => engine.seek(next() * 8)));
    else if (roll < 0.16)
      storm.push(
        call("setLoop", () =>
          engine.setLoop(next() < 0.5 ? null : { start_seconds: 1, end_seconds: 1 + 0.5 + next() * 3 }),
        ),
      );
    else if (roll < 0.2)
      storm.push(call("setTempo", () => engine.setTempo(80 + next() * 80, { rampSeconds: 1 })));
    await Promise.all(storm);

    const now = elapsed();
    if (now >= nextReload) {
      nextReload = (Math.floor(now / reloadEvery) + 1) * reloadEvery;
      variant = variant === 0 ? 1 : 0;
      await call("loadGraph", () => engine.loadGraph(soakGraph(variant, sample)));
      report.graphLoads++;
    }
    if (now >= nextCapture) {
      nextCapture = (Math.floor(now / captureEvery) + 1) * captureEvery;
      // A real-time render of the graph that plays: it pauses, seeks and plays the transport, so
      // the storm waits; then playback resumes where the soak left it.
      const { result, lost } = await captureRealtime(engine, soakGraph(variant, sample), 0.5);
      report.captures.push({
        t: now,
        status: result.status,
        frames: result.frames,
        lostFrames: lost,
        error: result.error,
      });
      await call("play", () => engine.play());
    }
    if (now >= nextSample) {
      // A slow tick skips the slots it missed rather than sampling several times at once.
      nextSample = (Math.floor(now / sampleEvery) + 1) * sampleEvery;
      sampleHealth(report.samples.length % 6 === 0 || now + sampleEvery >= options.seconds);
    }
    // Yield a frame's worth so the storm is steady, not a busy loop.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  sampleHealth(true);
  await Promise.all(measurements);

  await engine.loadGraph(sineGraph);
  const { result, lost, left } = await captureRealtime(engine, sineGraph, 0.5);
  report.final = {
    status: result.status,
    frames: result.frames,
    lostFrames: lost,
    samples: Array.from(left),
  };
  await engine.close();
  return report;
}

const api = { run };
export type SoakApi = typeof api;
Object.assign(window, { soak: api });
