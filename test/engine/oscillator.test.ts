import { describe, expect, it } from "vitest";

import type { GraphProgram } from "../../src/engine/graph-program";
import { renderProgram } from "../support/render";
import { estimateFrequency, maxAbsDifference, rms } from "../support/signal";

const SR = 48000;
const osc = (params: Record<string, number>): GraphProgram => ({
  nodes: [{ kind: "oscillator", inputs: [], params }],
  output: 0,
});

/** The PolyBLEP sawtooth in double precision, from the same 32-bit fixed-point phase. */
function referenceSaw(frequency: number, frames: number): Float64Array {
  const increment = Math.round((frequency / SR) * 2 ** 32);
  const dt = increment / 2 ** 32;
  return Float64Array.from({ length: frames }, (_, i) => {
    const p = ((i * increment) % 2 ** 32) / 2 ** 32;
    let blep = 0;
    if (p < dt) {
      const t = p / dt;
      blep = t + t - t * t - 1;
    } else if (p > 1 - dt) {
      const t = (p - 1) / dt;
      blep = t * t + t + t + 1;
    }
    return 2 * p - 1 - blep;
  });
}

describe("oscillator waveforms", () => {
  it("renders a band-limited saw equal to the double-precision PolyBLEP reference, at any block size", async () => {
    for (const frequency of [55, 440, 1234.5, 9000]) {
      const expected = referenceSaw(frequency, 20000);
      for (const [blockSize, chunk] of [
        [128, 128],
        [7, 13],
      ] as const) {
        const [saw] = await renderProgram(osc({ frequency, waveform: 1 }), 20000, { blockSize, chunk });
        expect(maxAbsDifference(saw as Float32Array, expected), `${frequency} Hz`).toBeLessThan(2e-7);
      }
    }
  });

  it("renders square and triangle at their frequency and RMS (1 and 1/sqrt(3))", async () => {
    const [square] = await renderProgram(osc({ frequency: 100, waveform: 2 }), SR);
    const [triangle] = await renderProgram(osc({ frequency: 100, waveform: 3 }), SR);
    expect(Math.abs(estimateFrequency(triangle as Float32Array, SR) - 100)).toBeLessThan(0.01);
    expect(rms(square as Float32Array)).toBeCloseTo(1, 2);
    expect(rms(triangle as Float32Array)).toBeCloseTo(1 / Math.sqrt(3), 4);
    expect(triangle?.[120]).toBeCloseTo(1, 6); // a quarter cycle at 100 Hz: the peak
  });

  it("renders deterministic noise in [-1, 1) with the RMS of a uniform distribution", async () => {
    const [a] = await renderProgram(osc({ waveform: 4, amplitude: 1 }), SR);
    const [b] = await renderProgram(osc({ waveform: 4, amplitude: 1 }), SR, { blockSize: 1000 });
    expect(a).toEqual(b);
    expect(Math.max(...(a as Float32Array))).toBeLessThanOrEqual(1);
    expect(rms(a as Float32Array)).toBeCloseTo(1 / Math.sqrt(3), 2);
  });

  it("writes the same signal to every channel it is asked for", async () => {
    const out = await renderProgram(osc({ frequency: 300, channels: 3 }), 256);
    expect(out).toHaveLength(3);
    expect(out[2]).toEqual(out[0]);
  });
});
