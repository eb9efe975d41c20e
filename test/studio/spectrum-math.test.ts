/**
 * The master spectrum's geometry (spectrum-math.ts) and the strips' level figures (strip-meters.ts).
 */
import { describe, expect, it } from "vitest";
import { binFrequency, binToX, dbToY, frequencyToX } from "../../src/studio/spectrum-math";

describe("the spectrum's axes", () => {
  it("bin k is k × rate / fftSize Hz", () => {
    expect(binFrequency(64, 48000, 2048)).toBe(1500);
    expect(binFrequency(1024, 44100, 2048)).toBe(22050);
    expect(binFrequency(0, 48000, 2048)).toBe(0);
  });

  it("frequency to x is logarithmic: 20 Hz at 0, each decade a third of the width, 20 kHz at the right", () => {
    expect(frequencyToX(20, 300)).toBe(0);
    expect(frequencyToX(200, 300)).toBeCloseTo(100, 10);
    expect(frequencyToX(2000, 300)).toBeCloseTo(200, 10);
    expect(frequencyToX(20000, 300)).toBeCloseTo(300, 10);
    // An octave is a fixed width anywhere: 100 -> 200 Hz as wide as 5 -> 10 kHz.
    expect(frequencyToX(200, 300) - frequencyToX(100, 300)).toBeCloseTo(
      frequencyToX(10000, 300) - frequencyToX(5000, 300),
      10,
    );
    expect(frequencyToX(10, 300)).toBeLessThan(0);
    expect(frequencyToX(0, 300)).toBe(Number.NEGATIVE_INFINITY);
  });

  it("a bin lands where its frequency does: a 1 kHz tone at 48 kHz (bin 42.67) between bins 42 and 43", () => {
    const x = frequencyToX(1000, 600);
    expect(binToX(42, 48000, 2048, 600)).toBeLessThan(x);
    expect(binToX(43, 48000, 2048, 600)).toBeGreaterThan(x);
    expect(x).toBeCloseTo((600 * Math.log10(50)) / 3, 10);
  });

  it("dB to y: 0 dB at the top, -100 dB (and silence) at the bottom, linear between, clamped", () => {
    expect(dbToY(0, 100)).toBe(0);
    expect(dbToY(-50, 100)).toBe(50);
    expect(dbToY(-25, 200)).toBe(50);
    expect(dbToY(-100, 100)).toBe(100);
    expect(dbToY(-140, 100)).toBe(100);
    expect(dbToY(Number.NEGATIVE_INFINITY, 100)).toBe(100);
    expect(dbToY(6, 100)).toBe(0);
  });
});

describe("a strip's level figures", () => {
  it("are dBFS to one decimal, -∞ below the meter's -60 dB floor", async () => {
    const { formatLevelDb } = await import("../../src/studio/strip-meters");
    expect(formatLevelDb(0.5)).toBe("-6.0");
    expect(formatLevelDb(0.5 / Math.SQRT2)).toBe("-9.0");
    expect(formatLevelDb(1)).toBe("0.0");
    expect(formatLevelDb(0.0009)).toBe("-∞");
    expect(formatLevelDb(0)).toBe("-∞");
  });
});
