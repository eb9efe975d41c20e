import { expect, test } from "@playwright/test";

import { sineThroughGain } from "../test/support/graph-programs";
import { renderProgram } from "../test/support/render";
import { estimateFrequency, maxAbsDifference, peak } from "../test/support/signal";

declare global {
  interface Window {
    renderSineOffline(seconds: number, sampleRate: number): Promise<number[]>;
  }
}

test("engine.wasm renders the same 440 Hz sine in an AudioWorklet and in Node", async ({ page }) => {
  await page.goto("/e2e/pages/smoke.html");
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);

  const browser = await page.evaluate(() => window.renderSineOffline(1, 48000));
  expect(browser).toHaveLength(48000);
  expect(Math.abs(estimateFrequency(browser, 48000) - 440)).toBeLessThanOrEqual(0.5);
  expect(Math.abs(peak(browser) - 0.5)).toBeLessThanOrEqual(1e-4);

  const [node] = await renderProgram(sineThroughGain(440, 0.5), 48000);
  const difference = maxAbsDifference(browser, node as Float32Array);
  test
    .info()
    .annotations.push({ type: "max abs difference (worklet vs Node)", description: String(difference) });
  expect(difference).toBeLessThanOrEqual(1e-7);
});
