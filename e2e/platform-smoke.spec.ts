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

test("the demo page plays its patch with a play/stop button", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("#isolated")).toHaveText(/^yes/);
  // The page's embeddable player (the studio beside it has buttons of the same names).
  const player = page.locator("webdreamer-player");
  await player.getByRole("button", { name: "Play" }).click();
  await expect(player.getByRole("status")).toHaveText("Playing");
  await expect(player.getByRole("button", { name: "Stop" })).toBeEnabled();
  // The transport clock advances: the worklet is running in a real-time context.
  const clock = async () => {
    const [minutes, seconds] = ((await player.locator("#clock").textContent()) ?? "").split(":");
    return Number(minutes) * 60 + Number(seconds);
  };
  const first = await clock();
  await page.waitForTimeout(400);
  expect(await clock()).toBeGreaterThan(first);
  await page.screenshot({ path: "test-results/demo-playing.png" });
  await player.getByRole("button", { name: "Stop" }).click();
  await expect(player.getByRole("status")).toHaveText("Stopped");
  await expect(player.locator("#clock")).toHaveText("0:00.0");
});
