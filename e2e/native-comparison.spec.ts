import { expect, test } from "@playwright/test";

import { snrDb } from "../test/support/signal";

declare global {
  interface Window {
    compareWithNative(name: string): Promise<{ webdreamer: number[]; native: number[] }>;
  }
}

// Minimum SNR of webdreamer's render against Chromium's native nodes on the same graph, 1 s at
// 48 kHz. Chromium's sine is a wavetable and its biquad runs in float; webdreamer's sine is a
// polynomial accurate to 1e-7 and its biquad runs in double; the delay is an
// integer number of frames in both: bit-exact.
const MIN_SNR_DB: Record<string, number> = {
  "oscillator+gain": 75, // measured 81.9 dB: Chromium's interpolated wavetable is the error
  "oscillator detune": 75, // 220 Hz + 1200 cents against Chromium's 440 Hz: the sine's error as above
  "biquad lowpass": 110, // measured 128.1 dB
  delay: Number.POSITIVE_INFINITY,
  "constant source": Number.POSITIVE_INFINITY,
  // Web Audio's StereoPannerNode (panner rule equalPower): measured bit-exact, mono and stereo.
  "stereo panner, mono input": Number.POSITIVE_INFINITY,
  "stereo panner, stereo input": Number.POSITIVE_INFINITY,
};

for (const [name, minimum] of Object.entries(MIN_SNR_DB)) {
  test(`${name}: webdreamer matches Chromium's native nodes`, async ({ page }) => {
    await page.goto("/e2e/pages/compare.html");
    const { webdreamer, native } = await page.evaluate((n) => window.compareWithNative(n), name);
    expect(webdreamer.length).toBe(native.length);
    expect(webdreamer.length % 48000).toBe(0);
    const snr = snrDb(native, webdreamer);
    test.info().annotations.push({ type: "SNR (dB)", description: snr.toFixed(1) });
    console.log(`${name}: SNR ${snr.toFixed(1)} dB against Chromium native`);
    expect(snr).toBeGreaterThanOrEqual(minimum);
  });
}
