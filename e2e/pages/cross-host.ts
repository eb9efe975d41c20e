// Renders one request in every browser host: the Worker host (alone and three at once), and the
// AudioWorklet host (its Worker's offline render and a capture of what the audio thread plays).
import { AudioWorkletEngineClient, createBrowserEngine, type EngineClient } from "../../src/browser";
import type { RenderRequestInput } from "../../src/contracts";

async function renderWith(engine: EngineClient, request: RenderRequestInput): Promise<number[][]> {
  const result = await engine.render(request);
  if (result.status !== "ok") throw new Error(`render ${result.status}: ${result.error}`);
  const channels = await engine.readBuffer(result.buffer_handle as string);
  await engine.releaseBuffer(result.buffer_handle as string);
  return channels.map((channel) => Array.from(channel));
}

async function workerHosts(request: RenderRequestInput, clients: number): Promise<number[][][]> {
  const engines = await Promise.all(
    Array.from({ length: clients }, () =>
      createBrowserEngine({ host: "worker", hostOptions: { sampleRate: request.sample_rate } }),
    ),
  );
  try {
    // Each Worker renders on its own thread, all at once; one of them renders twice at once.
    const [first, ...others] = engines as [EngineClient, ...EngineClient[]];
    return await Promise.all([
      renderWith(first, request),
      renderWith(first, { ...request, request_id: "again" }),
      ...others.map((engine) => renderWith(engine, request)),
    ]);
  } finally {
    await Promise.all(engines.map((engine) => engine.close()));
  }
}

async function audioWorkletHost(
  request: RenderRequestInput,
): Promise<{ offline: number[][]; realtime: number[][] }> {
  const engine = await AudioWorkletEngineClient.start({ sampleRate: request.sample_rate });
  await engine.context.resume();
  try {
    const offline = await renderWith(engine, request);
    const realtime = await renderWith(engine, { ...request, options: { offline: false, preroll: 0 } });
    return { offline, realtime };
  } finally {
    await engine.close();
  }
}

/** What the AudioWorklet host reports while it plays `request`'s graph: its latency_frames. */
async function audioWorkletPlayingLatency(request: RenderRequestInput): Promise<unknown> {
  const engine = await AudioWorkletEngineClient.start({ sampleRate: request.sample_rate });
  try {
    await engine.loadGraph(request.node_graph);
    return (await engine.getTransportState()).extensions.latency_frames;
  } finally {
    await engine.close();
  }
}

const api = { workerHosts, audioWorkletHost, audioWorkletPlayingLatency };
export type CrossHostApi = typeof api;
Object.assign(window, { crossHost: api });
