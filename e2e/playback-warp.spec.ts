/**
 * builtin:playback_warp plays the same samples in the Worker host and the AudioWorklet host's offline
 * render as in Node.js (one engine.wasm,
 * plain float arithmetic): test/support/warp-request.ts, a stretched and transposed channel, a
 * warp-mapped one on a tempo ramp and one through warp markers in beats on the graph's tempo ramp.
 * And a clip through warp markers follows a live tempo change in the AudioWorklet host.
 */
import { expect, test } from "@playwright/test";
import { loadEngineModuleFromDisk } from "../src/hosts/in-process/engine-file";
import { InProcessEngineClient } from "../src/hosts/in-process/in-process-client";
import { uploadWarpBuffers, WARP_SAMPLE_RATE, warpRequest } from "../test/support/warp-request";
import type { PlaybackWarpApi } from "./pages/playback-warp";

async function nodeReference(): Promise<Float32Array[]> {
  const client = new InProcessEngineClient({
    module: await loadEngineModuleFromDisk(),
    sampleRate: WARP_SAMPLE_RATE,
  });
  try {
    const handles = await uploadWarpBuffers((channels, rate) => client.uploadBuffer(channels, rate));
    const result = await client.render(warpRequest("node", handles));
    return await client.readBuffer(result.buffer_handle as string);
  } finally {
    await client.close();
  }
}

test("warped playback renders the same samples in the Worker and AudioWorklet hosts as in Node.js", async ({
  page,
}) => {
  const reference = await nodeReference();
  expect(reference).toHaveLength(3);
  // Not silence: every channel plays (a comparison of two silent renders would prove nothing).
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
    expect(channels, host).toHaveLength(3);
    for (let c = 0; c < 3; c++) {
      const expected = reference[c] as Float32Array;
      expect(channels[c], `${host}, channel ${c}`).toHaveLength(expected.length);
      const first = (channels[c] as number[]).findIndex(
        (x, i) => !Object.is(x + 0, (expected[i] as number) + 0),
      );
      expect(first, `${host}, channel ${c}: first differing frame`).toBe(-1);
    }
  }
});

test("a clip through warp markers follows a live tempo change in the AudioWorklet host", async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto("/e2e/pages/playback-warp.html");
  const clicks = await page.evaluate(() =>
    (window as unknown as { playbackWarp: PlaybackWarpApi }).playbackWarp.liveTempoChange(),
  );
  // 120 bpm (a click every 24000 frames) until setTempo(60) lands, about 0.8 s in (its frame depends
  // on the page's timing), then 60 bpm (48000 frames): gaps of 24000, at most one in between across
  // the change, then gaps of 48000, each to within a frame.
  const report = JSON.stringify(clicks);
  expect(clicks[0], report).toBe(1000);
  const gaps = clicks.slice(1).map((at, i) => at - (clicks[i] as number));
  const change = gaps.findIndex((gap) => Math.abs(gap - 24000) > 1);
  expect(change, report).toBeGreaterThanOrEqual(1);
  const across = gaps[change] as number;
  const after = across > 24001 && across < 47999 ? gaps.slice(change + 1) : gaps.slice(change);
  expect(after.length, report).toBeGreaterThanOrEqual(2);
  for (const gap of after) expect(Math.abs(gap - 48000), report).toBeLessThanOrEqual(1);
});
