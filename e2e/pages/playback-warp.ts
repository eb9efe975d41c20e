// Renders test/support/warp-request.ts in the Worker host and the AudioWorklet host's offline render
// (e2e/playback-warp.spec.ts compares them with Node.js).
import { AudioWorkletEngineClient, createBrowserEngine, type EngineClient } from "../../src/browser";
import { WARP_SAMPLE_RATE, warpAudio, warpRequest, warpRequestMap } from "../../test/support/warp-request";

async function renderWith(engine: EngineClient): Promise<number[][]> {
  try {
    const audio = await engine.uploadBuffer(warpAudio(), WARP_SAMPLE_RATE);
    const map = await engine.uploadBuffer(warpRequestMap(), WARP_SAMPLE_RATE);
    const result = await engine.render(warpRequest("browser", audio, map));
    if (result.status !== "ok") throw new Error(`render ${result.status}: ${result.error}`);
    const channels = await engine.readBuffer(result.buffer_handle as string);
    return channels.map((channel) => Array.from(channel));
  } finally {
    await engine.close();
  }
}

async function renderInWorker(): Promise<number[][]> {
  return renderWith(
    await createBrowserEngine({ host: "worker", hostOptions: { sampleRate: WARP_SAMPLE_RATE } }),
  );
}

async function renderInAudioWorkletHost(): Promise<number[][]> {
  return renderWith(await AudioWorkletEngineClient.start({ sampleRate: WARP_SAMPLE_RATE }));
}

const api = { renderInWorker, renderInAudioWorkletHost };
export type PlaybackWarpApi = typeof api;
Object.assign(window, { playbackWarp: api });
