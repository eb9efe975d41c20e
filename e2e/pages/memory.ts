// Engine memory in the browser hosts, driven from Playwright (e2e/memory.spec.ts): the issue's
// out-of-memory graph sent to the real-time AudioWorklet host and to the Worker host, then valid
// graphs, which must play as if nothing had happened.
import {
  AudioWorkletEngineClient,
  createBrowserEngine,
  type EngineClient,
  type EngineError,
  type GraphDescriptorInput,
  type RenderRequestInput,
} from "../../src/browser";
import { delayChainGraph, sineGraph } from "../../test/support/memory";

function request(
  graph: GraphDescriptorInput,
  seconds: number,
  sampleRate: number,
  offline: boolean,
): RenderRequestInput {
  return {
    version: "v1alpha",
    request_id: offline ? "offline" : "realtime",
    node_graph: graph,
    duration_seconds: seconds,
    sample_rate: sampleRate,
    channels: 1,
    start_position_seconds: 0,
    options: { offline, preroll: 0 },
  };
}

/** How a call that must fail failed: its code, path and message (null if it did not fail). */
async function failure(
  call: Promise<unknown>,
): Promise<{ code: string; path: string; message: string } | null> {
  try {
    await call;
    return null;
  } catch (error) {
    const e = error as EngineError;
    return { code: e.code, path: e.path, message: e.message };
  }
}

async function samples(engine: EngineClient, input: RenderRequestInput) {
  const result = await engine.render(input);
  const channels = result.buffer_handle ? await engine.readBuffer(result.buffer_handle) : [];
  return {
    status: result.status,
    error: result.error,
    frames: result.frames,
    samples: Array.from(channels[0] ?? []),
  };
}

const api = {
  /**
   * The real-time host: the out-of-memory graph through loadGraph and through a real-time render;
   * then a 440 Hz sine loaded and played (captured as it plays), and a real-time render of a 330 Hz
   * sine (loaded by the render itself, from frame 0) beside the same request rendered offline.
   */
  async realtime() {
    const engine = await AudioWorkletEngineClient.start();
    await engine.context.resume();
    const sampleRate = engine.context.sampleRate;
    const faults: string[] = [];
    const off = engine.onFault((message) => faults.push(message));
    try {
      const loadError = await failure(engine.loadGraph(delayChainGraph(64, 20)));
      const renderError = await failure(
        engine.render(request(delayChainGraph(64, 20), 0.25, sampleRate, false)),
      );
      await engine.loadGraph(sineGraph(440));
      await engine.play();
      // The graph playing is kept as it plays: the capture is the loaded sine.
      const playing = await samples(engine, request(sineGraph(440), 0.5, sampleRate, false));
      const realtime = await samples(engine, request(sineGraph(330), 0.5, sampleRate, false));
      const offline = await samples(engine, request(sineGraph(330), 0.5, sampleRate, true));
      return { sampleRate, loadError, renderError, faults, playing, realtime, offline };
    } finally {
      off();
      await engine.close();
    }
  },
  /** The Worker host: the out-of-memory graph through loadGraph and render, then a sine render. */
  async worker(sampleRate: number) {
    const engine = await createBrowserEngine({ host: "worker", hostOptions: { sampleRate } });
    try {
      const loadError = await failure(engine.loadGraph(delayChainGraph(64, 20)));
      const renderError = await failure(
        engine.render(request(delayChainGraph(64, 20), 0.25, sampleRate, true)),
      );
      const sine = await samples(engine, request(sineGraph(440), 0.5, sampleRate, true));
      return { loadError, renderError, sine };
    } finally {
      await engine.close();
    }
  },
};

Object.assign(window, { memory: api });
export type MemoryApi = typeof api;
