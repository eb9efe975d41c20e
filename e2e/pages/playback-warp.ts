// Renders test/support/warp-request.ts in the Worker host and the AudioWorklet host's offline render
// (e2e/playback-warp.spec.ts compares them with Node.js), and plays a click track through warp markers
// live while the tempo changes.
import { AudioWorkletEngineClient, createBrowserEngine, type EngineClient } from "../../src/browser";
import { warpMarkerChannels } from "../../src/contracts";
import { uploadWarpBuffers, WARP_SAMPLE_RATE, warpRequest } from "../../test/support/warp-request";

async function renderWith(engine: EngineClient): Promise<number[][]> {
  try {
    const handles = await uploadWarpBuffers((channels, rate) => engine.uploadBuffer(channels, rate));
    const result = await engine.render(warpRequest("browser", handles));
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

/**
 * A live render (real time) of a 120 bpm click track (a click on each beat, 1000 frames in) through
 * warp markers in beats, on a 120 bpm graph; once the transport passes 0.8 s, setTempo(60). Returns the
 * frames of the output's clicks.
 */
async function liveTempoChange(): Promise<number[]> {
  const engine = await AudioWorkletEngineClient.start({ sampleRate: WARP_SAMPLE_RATE });
  try {
    await engine.context.resume();
    const beat = WARP_SAMPLE_RATE / 2;
    const track = new Float32Array(8 * beat);
    for (let k = 0; k < 8; k++) track[1000 + k * beat] = 1;
    const audio = await engine.uploadBuffer([track], WARP_SAMPLE_RATE);
    const markers = await engine.uploadBuffer(
      warpMarkerChannels([
        { frame: 0, beat: 0 },
        { frame: 8 * beat, beat: 8 },
      ]),
      WARP_SAMPLE_RATE,
    );
    const rendering = engine.render({
      version: "v1alpha",
      request_id: "live-tempo",
      duration_seconds: 4,
      sample_rate: WARP_SAMPLE_RATE,
      channels: 1,
      node_graph: {
        version: "v1alpha",
        nodes: [{ name: "clip", node_id: "builtin:playback_warp", buffers: { data: audio, markers } }],
        output: "clip",
        tempo: { bpm: 120 },
      },
      options: { offline: false },
    });
    while (engine.readTransport().positionSeconds < 0.8) await new Promise((done) => setTimeout(done, 20));
    await engine.setTempo(60);
    const result = await rendering;
    if (result.status !== "ok") throw new Error(`render ${result.status}: ${result.error}`);
    const [out] = await engine.readBuffer(result.buffer_handle as string);
    const clicks: number[] = [];
    (out as Float32Array).forEach((x, i) => {
      if (Math.abs(x) > 0.1) clicks.push(i);
    });
    return clicks;
  } finally {
    await engine.close();
  }
}

const api = { renderInWorker, renderInAudioWorkletHost, liveTempoChange };
export type PlaybackWarpApi = typeof api;
Object.assign(window, { playbackWarp: api });
