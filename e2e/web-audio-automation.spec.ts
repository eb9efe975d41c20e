// `web_audio` automation against Chromium's own AudioParam: the same schedule of calls on a GainNode
// fed by a ConstantSourceNode (offset 1) in an OfflineAudioContext, and in webdreamer's render of a
// gain fed a constant 1. Each case prints its SNR; every one must reach 90 dB.
//
// Measured (Chromium 156, 44.1 kHz, 1 s): setValueAtTime bit-exact, the ramps, curves and cancels
// 127-156 dB (float rounding), setTargetAtTime 101 dB: Chromium steps a setTarget in float and snaps
// to its target about 10 time constants in (a jump of e^-10 of the excursion), where the spec's
// formula, which webdreamer follows, keeps approaching it.
import { expect, test } from "@playwright/test";

import { snrDb } from "../test/support/signal";
import type { WebAudioAutomationApi } from "./pages/web-audio-automation";

declare global {
  interface Window {
    webAudioAutomation: WebAudioAutomationApi;
  }
}

const MIN_SNR_DB = 90;

test("web_audio automation renders as Chromium's AudioParam does, case by case", async ({ page }) => {
  await page.goto("/e2e/pages/web-audio-automation.html");
  await page.waitForFunction(() => window.webAudioAutomation !== undefined);
  const names = await page.evaluate(() => window.webAudioAutomation.names);
  const figures: [string, number, number][] = [];
  for (const name of names) {
    const { webdreamer, native } = await page.evaluate((n) => window.webAudioAutomation.compare(n), name);
    expect(webdreamer, name).toHaveLength(native.length);
    let worst = 0;
    for (let i = 0; i < native.length; i++) {
      worst = Math.max(worst, Math.abs((webdreamer[i] as number) - (native[i] as number)));
    }
    figures.push([name, snrDb(native, webdreamer), worst]);
  }
  for (const [name, snr, worst] of figures) {
    console.log(`${name}: SNR ${snr.toFixed(1)} dB, largest difference ${worst.toExponential(2)}`);
    test.info().annotations.push({ type: `${name} SNR (dB)`, description: snr.toFixed(1) });
  }
  for (const [name, snr] of figures) expect(snr, name).toBeGreaterThanOrEqual(MIN_SNR_DB);
});
