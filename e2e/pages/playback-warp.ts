// Renders test/support/warp-request.ts in the Worker host (e2e/playback-warp.spec.ts compares it with Node.js).
import { createBrowserEngine } from "../../src/browser";
import { WARP_SAMPLE_RATE, warpAudio, warpRequest, warpRequestMap } from "../../test/support/warp-request";

async function renderInWorker(): Promise<number[][]> {
  const engine = await createBrowserEngine({ host: "worker", hostOptions: { sampleRate: WARP_SAMPLE_RATE } });
  try {
    const audio = await engine.uploadBuffer(warpAudio(), WARP_SAMPLE_RATE);
    const map = await engine.uploadBuffer(warpRequestMap(), WARP_SAMPLE_RATE);
    const result = await engine.render(warpRequest("worker", audio, map));
    if (result.status !== "ok") throw new Error(`render ${result.status}: ${result.error}`);
    const channels = await engine.readBuffer(result.buffer_handle as string);
    return channels.map((channel) => Array.from(channel));
  } finally {
    await engine.close();
  }
}

const api = { renderInWorker };
export type PlaybackWarpApi = typeof api;
Object.assign(window, { playbackWarp: api });
