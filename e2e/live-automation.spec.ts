// EngineClient.scheduleAutomation in the real-time AudioWorklet host (Chromium): web_audio calls
// appended while a graph plays land sample-accurately, without a reload, and the captured output
// equals the offline render of the same automation loaded in the graph, and Chromium's own AudioParam
// with the same calls (OfflineAudioContext) within float rounding. A lane replaced with a change
// already due lands on the first frame of the quantum after the call reaches the worklet.
import { expect, test } from "@playwright/test";

import { snrDb } from "../test/support/signal";
import type { LiveAutomationApi } from "./pages/live-automation";

declare global {
  interface Window {
    liveAutomation: LiveAutomationApi;
  }
}

function worst(a: number[], b: number[]): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

test.describe("live automation in the real-time host", () => {
  test.setTimeout(60_000);

  test.beforeEach(async ({ page }) => {
    await page.goto("/e2e/pages/live-automation.html");
    await page.waitForFunction(() => window.liveAutomation !== undefined);
  });
  test.afterEach(async ({ page }) => {
    await page.evaluate(() => window.liveAutomation.close());
  });

  test("appended web_audio calls play as the offline render and as Chromium's AudioParam", async ({
    page,
  }) => {
    const { sampleRate } = await page.evaluate(() => window.liveAutomation.start());
    const r = await page.evaluate(() => window.liveAutomation.appendWhilePlaying());
    expect(r.live).toHaveLength(Math.round(1.5 * sampleRate));
    expect(r.offline).toHaveLength(r.live.length);
    expect(r.native).toHaveLength(r.live.length);
    // Both batches reached the worklet before their first event (0.6 s).
    expect(r.appliedBy).toBeLessThan(0.6);
    const offlineError = worst(r.live, r.offline);
    const nativeError = worst(r.live, r.native);
    const snrOffline = snrDb(r.offline, r.live);
    const snrNative = snrDb(r.native, r.live);
    console.log(
      `live append at ${r.firstAt.toFixed(3)} s and ${r.secondAt.toFixed(3)} s (applied by ${r.appliedBy.toFixed(3)} s), ${sampleRate} Hz: ` +
        `vs offline render max |error| ${offlineError.toExponential(2)} (SNR ${Number.isFinite(snrOffline) ? snrOffline.toFixed(1) : "inf"} dB), ` +
        `vs OfflineAudioContext AudioParam max |error| ${nativeError.toExponential(2)} (SNR ${snrNative.toFixed(1)} dB)`,
    );
    // The same engine, the same frames: the live capture is the offline render, sample for sample.
    expect(offlineError).toBe(0);
    // As web-audio-automation.spec.ts measures for the loaded automation (Chromium snaps a setTarget).
    expect(snrNative).toBeGreaterThanOrEqual(90);
    // The gain's own value until the first event: frame ceil(0.6 * rate) - 1 is 0.5, the next 0.2.
    const first = Math.ceil(0.6 * sampleRate);
    expect(r.live[first - 1]).toBe(0.5);
    expect(r.live[first]).toBeCloseTo(0.2, 6);
  });

  test("a replaced lane with a change already due lands on a quantum boundary, once the call reaches the worklet", async ({
    page,
  }) => {
    const { sampleRate } = await page.evaluate(() => window.liveAutomation.start());
    const r = await page.evaluate(() => window.liveAutomation.replaceWhilePlaying());
    const landing = r.live.findIndex((x) => x !== 0.5);
    console.log(
      `live replace called at ${r.calledAt.toFixed(4)} s (frame ${Math.round(r.calledAt * sampleRate)}), ` +
        `landed at frame ${landing} (${(landing / sampleRate).toFixed(4)} s, quantum ${landing / 128}), applied by ${r.appliedBy.toFixed(4)} s`,
    );
    expect(landing % 128).toBe(0);
    expect(landing).toBeGreaterThanOrEqual(Math.floor(r.calledAt * sampleRate));
    expect(landing).toBeLessThanOrEqual(Math.ceil(r.appliedBy * sampleRate) + 128);
    expect(r.live.slice(0, landing).every((x) => x === 0.5)).toBe(true);
    expect(r.live.slice(landing).every((x) => x === 0.25)).toBe(true);
  });
});
