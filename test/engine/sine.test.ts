import { describe, expect, it } from "vitest";

import { sineThroughGain } from "../support/graph-programs";
import { oscillatorIncrement } from "../support/oscillator-phase";
import { newEngine, renderProgram } from "../support/render";
import { estimateFrequency, maxAbsDifference, peak } from "../support/signal";

describe("engine.wasm in Node: sine through gain", () => {
  it("renders 440 Hz at amplitude 0.5 for 1 s", async () => {
    const [left] = await renderProgram(sineThroughGain(440, 0.5), 48000);
    expect(left).toHaveLength(48000);
    expect(Math.abs(estimateFrequency(left as Float32Array, 48000) - 440)).toBeLessThan(0.01);
    expect(Math.abs(peak(left as Float32Array) - 0.5)).toBeLessThan(1e-4);
    // Starts at phase 0: sin(0) = 0, then sin(2*pi*440/48000) * 0.5.
    expect(left?.[0]).toBe(0);
    expect(left?.[1]).toBeCloseTo(0.5 * Math.sin((2 * Math.PI * 440) / 48000), 7);
  });

  it("matches the exact sine of its 32-bit fixed-point phase to 2e-7 over the whole second", async () => {
    // The phase advances by OscillatorNode's step (float32 arithmetic, 1/4096 cycle units at 48 kHz)
    // held exactly in 2^-32 cycles (exact integer arithmetic from there on): within 1e-7 of the
    // frequency asked for.
    const increment = oscillatorIncrement(440, 48000);
    expect(increment).toBe(39370532); // round(440 / 48000 * 2^32) would be 39370534
    expect(Math.abs((increment / 2 ** 32) * 48000 - 440) / 440).toBeLessThan(1e-7);
    const [left] = await renderProgram(sineThroughGain(440, 1), 48000);
    const exact = Float64Array.from({ length: 48000 }, (_, i) =>
      Math.sin((2 * Math.PI * ((i * increment) % 2 ** 32)) / 2 ** 32),
    );
    expect(maxAbsDifference(left as Float32Array, exact)).toBeLessThan(2e-7);
  });

  it("gives the same samples for any block size and render chunk", async () => {
    const [reference] = await renderProgram(sineThroughGain(997, 0.5), 10000, { blockSize: 128, chunk: 128 });
    for (const [blockSize, chunk] of [
      [1, 7],
      [64, 1000],
      [333, 4096],
      [4096, 4096],
    ] as const) {
      const [other] = await renderProgram(sineThroughGain(997, 0.5), 10000, { blockSize, chunk });
      expect(maxAbsDifference(reference as Float32Array, other as Float32Array)).toBe(0);
    }
  });

  it("describes its processor types from the engine itself", async () => {
    const engine = await newEngine();
    const oscillator = engine.types.find((t) => t.kind === "oscillator");
    expect(oscillator?.maxInputs).toBe(0);
    expect(oscillator?.params.find((p) => p.id === "frequency")).toMatchObject({ units: "Hz", default: 440 });
    expect(oscillator?.params.find((p) => p.id === "waveform")?.choices).toEqual([
      "sine",
      "saw",
      "square",
      "triangle",
      "noise",
      "custom",
    ]);
  });

  it("rejects an unknown kind and a cycle with the engine's code", async () => {
    const engine = await newEngine();
    expect(() => engine.addNode("theremin")).toThrow(/E_UNKNOWN_KIND|unknown processor kind "theremin"/);
    const a = engine.addNode("gain");
    const b = engine.addNode("gain");
    engine.addInput(a, b);
    engine.addInput(b, a);
    expect(() => engine.prepare(a)).toThrow("cycle 0 -> 1 -> 0");
  });
});
