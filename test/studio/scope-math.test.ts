/**
 * The master scope's trigger and period (scope-math.ts): the rising edge through the level, found
 * between the right samples and interpolated; noise on the level not triggering twice (hysteresis);
 * the period of sines at whole and fractional periods; silence and a falling edge giving none.
 */
import { describe, expect, it } from "vitest";

import { measurePeriod, risingEdge, SCOPE_HYSTERESIS, sampleToY } from "../../src/studio/scope-math";

const sine = (frames: number, period: number, phase = 0) =>
  Float32Array.from({ length: frames }, (_, i) => Math.sin((2 * Math.PI * i) / period + phase));

describe("scope trigger", () => {
  it("finds the first rising edge through the level, interpolated between its samples", () => {
    expect(risingEdge(Float32Array.of(0.5, -0.5, -0.2, 0.2, 0.6), 0, 0, 5)).toBeCloseTo(2.5, 12);
    // A sine starting at phase π/2 (falling through 0 at a quarter) rises through 0 at 3/4 of its period.
    expect(risingEdge(sine(400, 100, Math.PI / 2), 0, 0, 400)).toBeCloseTo(75, 2);
    // Through another level: sin = 0.5 on the rise at 1/12 of the period (it starts at 0, below 0.5).
    expect(risingEdge(sine(400, 120), 0.5, 0, 400)).toBeCloseTo(10, 1);
    // Starting above the level, the first rise through it is a period later.
    expect(risingEdge(sine(400, 120, 1), 0.5, 0, 400)).toBeCloseTo(120 + 10 - (120 * 1) / (2 * Math.PI), 1);
    // Searched from `from`: the next cycle's edge.
    expect(risingEdge(sine(400, 100, Math.PI / 2), 0, 80, 400)).toBeCloseTo(175, 2);
  });

  it("needs the signal below level - hysteresis first: a falling edge, silence or ripple give none", () => {
    expect(risingEdge(Float32Array.of(0.5, 0.2, -0.2, -0.5), 0, 0, 4)).toBe(-1);
    expect(risingEdge(new Float32Array(64), 0, 0, 64)).toBe(-1);
    const ripple = Float32Array.from({ length: 64 }, (_, i) => (i % 2 ? 1 : -1) * SCOPE_HYSTERESIS * 0.5);
    expect(risingEdge(ripple, 0, 0, 64)).toBe(-1);
    // The edge must lie before `to`.
    expect(risingEdge(sine(400, 100, Math.PI / 2), 0, 0, 75)).toBe(-1);
  });
});

describe("scope period", () => {
  it("is the mean distance between rising edges, for whole and fractional periods", () => {
    expect(measurePeriod(sine(2048, 48), 0)).toBeCloseTo(48, 6);
    // 440 Hz at 48 kHz: 109.0909... frames.
    expect(measurePeriod(sine(2048, 48000 / 440, 0.3), 0)).toBeCloseTo(48000 / 440, 3);
    // 1 kHz at 44.1 kHz with noise of 1% riding on it: within 0.1%.
    let seed = 1;
    const noise = () => {
      seed = (seed * 16807) % 2147483647;
      return (seed / 2147483647 - 0.5) * 0.02;
    };
    const noisy = sine(2048, 44.1).map((value) => value + noise());
    expect(Math.abs(measurePeriod(noisy, 0) / 44.1 - 1)).toBeLessThan(1e-3);
  });

  it("is NaN without two edges", () => {
    expect(measurePeriod(new Float32Array(2048), 0)).toBeNaN();
    expect(measurePeriod(sine(2048, 3000), 0)).toBeNaN();
  });
});

describe("scope geometry", () => {
  it("puts +1 at the top, 0 in the middle, -1 at the bottom, clamped", () => {
    expect([1, 0.5, 0, -1, 2, -3].map((value) => sampleToY(value, 100))).toEqual([0, 25, 50, 100, 0, 100]);
  });
});
