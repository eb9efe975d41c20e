// The real-time host, driven from Playwright: a AudioWorkletEngineClient in a real-time AudioContext.
import { AudioWorkletEngineClient } from "../../src/browser";
import type { EngineError, GraphDescriptorInput, RenderRequestInput } from "../../src/contracts";

let engine: AudioWorkletEngineClient | null = null;

function client(): AudioWorkletEngineClient {
  if (!engine) throw new Error("call startRealtime() first");
  return engine;
}

export const sineGraph: GraphDescriptorInput = {
  version: "v1alpha",
  nodes: [
    { name: "osc", node_id: "builtin:oscillator", params: { frequency: 440 } },
    { name: "g", node_id: "builtin:gain", inputs: ["osc"], params: { gain: 0.5 } },
  ],
  output: "g",
};

function request(graph: GraphDescriptorInput, seconds: number, offline: boolean): RenderRequestInput {
  return {
    version: "v1alpha",
    request_id: offline ? "offline" : "realtime",
    node_graph: graph,
    duration_seconds: seconds,
    sample_rate: client().context.sampleRate,
    channels: 2,
    start_position_seconds: 0,
    options: { offline, preroll: 0 },
  };
}

async function read(handle: string | null): Promise<number[]> {
  const [left] = await client().readBuffer(handle as string);
  return Array.from(left as Float32Array);
}

/** Captures `graph` in real time for `seconds`, then renders the same request offline in the Worker. */
async function realtimeAndOffline(graph: GraphDescriptorInput, seconds: number) {
  const realtime = await client().render(request(graph, seconds, false));
  const offline = await client().render(request(graph, seconds, true));
  return {
    realtime: {
      status: realtime.status,
      frames: realtime.frames,
      error: realtime.error,
      samples: await read(realtime.buffer_handle),
    },
    offline: { frames: offline.frames, samples: await read(offline.buffer_handle) },
  };
}

const api = {
  async startRealtime() {
    engine = await AudioWorkletEngineClient.start();
    await engine.context.resume();
    return {
      dataPlane: engine.dataPlane,
      isolated: self.crossOriginIsolated,
      sampleRate: engine.context.sampleRate,
    };
  },
  /** Captures `seconds` of the sine graph in real time, and renders the same request offline in the Worker. */
  async captureSine(seconds: number) {
    return realtimeAndOffline(sineGraph, seconds);
  },
  /** Compiles Faust, plays a sine through it in real time, and renders the same request offline. */
  async captureFaust(source: string, seconds: number) {
    const { node_id } = await client().compileFaust(source);
    const graph: GraphDescriptorInput = {
      version: "v1alpha",
      nodes: [
        { name: "osc", node_id: "builtin:oscillator", params: { frequency: 330, waveform: "saw" } },
        { name: "dsp", node_id, inputs: ["osc"] },
      ],
      output: "dsp",
    };
    return realtimeAndOffline(graph, seconds);
  },
  /** Starts a 3 s real-time render and aborts it after `afterMs`: a partial result with what was played. */
  async cancelLiveRender(afterMs: number) {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), afterMs);
    const progress: number[] = [];
    const result = await client().render(request(sineGraph, 3, false), {
      signal: controller.signal,
      onProgress: (p) => progress.push(p.frames_rendered),
    });
    return {
      status: result.status,
      error: result.error,
      frames: result.frames,
      progressReports: progress.length,
    };
  },
  /** Loads a constant-1 graph, schedules gain 0.25 at `frame`, captures 0.5 s. */
  async parameterAtFrame(frame: number) {
    const sr = client().context.sampleRate;
    const ones = await client().uploadBuffer([new Float32Array(sr).fill(1)], sr);
    const graph: GraphDescriptorInput = {
      version: "v1alpha",
      nodes: [
        { name: "one", node_id: "builtin:playback", params: { loop: 1 }, buffers: { data: ones } },
        { name: "g", node_id: "builtin:gain", inputs: ["one"], params: { gain: 1 } },
      ],
      output: "g",
    };
    await client().loadGraph(graph);
    await client().stop();
    await client().setParameter("g", "gain", 0.25, { atSeconds: frame / sr });
    const result = await client().render(request(graph, 0.5, false));
    return { status: result.status, samples: await read(result.buffer_handle) };
  },
  /**
   * Plays a looped buffer holding a NaN at frame 1000 and +Infinity at 2000 for `playMs`: the live
   * counter, the meters; then captures 0.5 s of it in real time, by default and with "replace".
   */
  async nonFiniteLive(playMs: number) {
    const c = client();
    const sr = c.context.sampleRate;
    const samples = new Float32Array(sr).fill(0.25);
    samples[1000] = Number.NaN;
    samples[2000] = Number.POSITIVE_INFINITY;
    const handle = await c.uploadBuffer([samples], sr);
    const graph: GraphDescriptorInput = {
      version: "v1alpha",
      nodes: [{ name: "p", node_id: "builtin:playback", params: { loop: "on" }, buffers: { data: handle } }],
      output: "p",
    };
    await c.loadGraph(graph);
    await c.stop();
    const before = c.readTransport().nonFiniteSamples;
    await c.play();
    const reading = c.createMeterReading();
    let metersFinite = true;
    const end = performance.now() + playMs;
    while (performance.now() < end) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      c.readMeters(reading);
      metersFinite &&= reading.peak.every(Number.isFinite) && reading.windowRms.every(Number.isFinite);
    }
    const live = c.readTransport().nonFiniteSamples;
    const state = await c.getTransportState();
    await c.stop();
    const failed = await c.render(request(graph, 0.5, false));
    const kept = await c.render({
      ...request(graph, 0.5, false),
      options: { offline: false, preroll: 0, non_finite: "replace" },
    });
    const keptSamples = await read(kept.buffer_handle);
    return {
      before,
      live,
      stateCount: state.extensions.non_finite_samples,
      metersFinite,
      failed: { status: failed.status, error: failed.error, report: failed.extensions.non_finite },
      kept: {
        status: kept.status,
        report: kept.extensions.non_finite,
        at: [keptSamples[999], keptSamples[1000], keptSamples[2000]],
        finite: keptSamples.every(Number.isFinite),
      },
    };
  },
  async transport(action: string, a?: number, b?: number) {
    const c = client();
    if (action === "load") await c.loadGraph(sineGraph);
    if (action === "play") await c.play();
    if (action === "pause") await c.pause();
    if (action === "stop") await c.stop();
    if (action === "seek") await c.seek(a as number);
    if (action === "loop")
      await c.setLoop(a === undefined ? null : { start_seconds: a, end_seconds: b as number });
    if (action === "tempo") await c.setTempo(a as number, b === undefined ? {} : { rampSeconds: b });
    const state = await c.getTransportState();
    return { state, contextTime: c.context.currentTime };
  },
  /** A call that must be rejected; returns the error's code, path and message. */
  async badCall(kind: string) {
    try {
      if (kind === "value") await client().setParameter("g", "gain", "loud");
      if (kind === "node") await client().setParameter("nope", "gain", 1);
      if (kind === "seek") await client().seek(-1);
      return null;
    } catch (error) {
      const e = error as EngineError;
      return { code: e.code, path: e.path, message: e.message };
    }
  },
  /** Makes the engine trap, counts fault events for `waitMs`, restarts, and captures again. */
  async trapAndRestart(waitMs: number) {
    const c = client();
    await c.loadGraph(sineGraph);
    await c.play();
    let faults = 0;
    const off = c.onFault(() => faults++);
    c.trapForTesting();
    await new Promise((r) => setTimeout(r, waitMs));
    const faultsBeforeRestart = faults;
    const stateWhileFaulted = await c.getTransportState();
    await c.restart(); // the same graph and buffers: the session is intact, nothing is reloaded
    const after = await c.render(request(sineGraph, 0.25, false));
    off();
    return {
      faults: faultsBeforeRestart,
      runningWhileFaulted: stateWhileFaulted.running,
      afterStatus: after.status,
      afterPeak: Math.max(...(await read(after.buffer_handle)).map(Math.abs)),
    };
  },
  readTransportTiming(iterations: number) {
    const c = client();
    const start = performance.now();
    for (let i = 0; i < iterations; i++) c.readTransport();
    return ((performance.now() - start) * 1000) / iterations;
  },
  async close() {
    await engine?.close();
    engine = null;
  },
};

Object.assign(window, { realtime: api });
export type RealtimeApi = typeof api;
