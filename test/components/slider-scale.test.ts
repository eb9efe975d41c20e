import { describe, expect, it } from "vitest";
import { positionOfValue, valueAtPosition } from "../../src/components/slider-scale";

describe("the player's slider scale", () => {
  it("spreads a log slider from 80 Hz to 12 kHz evenly per octave and round-trips", () => {
    const cutoff = { node: "f", param: "frequency", label: "Cutoff", min: 80, max: 12000, step: 1 } as const;
    const log = { ...cutoff, scale: "log" as const };
    expect(valueAtPosition(log, 0)).toBe(80);
    expect(valueAtPosition(log, 1000)).toBe(12000);
    expect(valueAtPosition(log, 500)).toBe(980); // sqrt(80 * 12000)
    for (const hz of [80, 200, 1400, 12000]) {
      expect(Math.abs(valueAtPosition(log, positionOfValue(log, hz)) - hz) / hz).toBeLessThan(0.006);
    }
    expect(valueAtPosition(cutoff, 1234.4)).toBe(1234);
    const feedback = { node: "e", param: "feedback", label: "Feedback", min: 0, max: 0.9, step: 0.01 };
    expect(valueAtPosition(feedback, 0.30000000000000004)).toBe(0.3);
    expect(valueAtPosition(feedback, 2)).toBe(0.9);
  });
});
