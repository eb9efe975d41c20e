/**
 * builtin:playback_warp plays the same samples in the Worker host and the AudioWorklet host's offline
 * render as in Node.js (one engine.wasm,
 * plain float arithmetic): test/support/warp-request.ts, a stretched and transposed channel and a
 * warp-mapped one on a tempo ramp.
 */
import { expect, test } from "@playwright/test";
import { loadEngineModuleFromDisk } from "../src/hosts/in-process/engine-file";
import { InProcessEngineClient } from "../src/hosts/in-process/in-process-client";
import { WARP_SAMPLE_RATE, warpAudio, warpRequest, warpRequestMap } from "../test/support/warp-request";
import type { PlaybackWarpApi } from "./pages/playback-warp";

async function nodeReference(): Promise<Float32Array[]> {
  const client = new InProcessEngineClient({
    module: await loadEngineModuleFromDisk(),
    sampleRate: WARP_SAMPLE_RATE,
  });
  try {
    const audio = await client.uploadBuffer(warpAudio(), WARP_SAMPLE_RATE);
    const map = await client.uploadBuffer(warpRequestMap(), WARP_SAMPLE_RATE);
    const result = await client.render(warpRequest("node", audio, map));
    return await client.readBuffer(result.buffer_handle as string);
  } finally {
    await client.close();
  }
}

test("warped playback renders the same samples in the Worker and AudioWorklet hosts as in Node.js", async ({
  page,
}) => {
  const reference = await nodeReference();
  // Not silence: both channels play (a comparison of two silent renders would prove nothing).
  for (const channel of reference) expect(Math.max(...Array.from(channel, Math.abs))).toBeGreaterThan(0.3);
  await page.goto("/e2e/pages/playback-warp.html");
  const hosts = {
    worker: await page.evaluate(() =>
      (window as unknown as { playbackWarp: PlaybackWarpApi }).playbackWarp.renderInWorker(),
    ),
    audioWorklet: await page.evaluate(() =>
      (window as unknown as { playbackWarp: PlaybackWarpApi }).playbackWarp.renderInAudioWorkletHost(),
    ),
  };
  for (const [host, channels] of Object.entries(hosts)) {
    expect(channels, host).toHaveLength(2);
    for (let c = 0; c < 2; c++) {
      const expected = reference[c] as Float32Array;
      expect(channels[c], `${host}, channel ${c}`).toHaveLength(expected.length);
      const first = (channels[c] as number[]).findIndex(
        (x, i) => !Object.is(x + 0, (expected[i] as number) + 0),
      );
      expect(first, `${host}, channel ${c}: first differing frame`).toBe(-1);
    }
  }
});
