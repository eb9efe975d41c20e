import { describe, expect, it } from "vitest";

import type { GraphProgram } from "../../src/engine/graph-program";
import { renderProgram } from "../support/render";
import { estimateFrequency, rms } from "../support/signal";

const SR = 48000;
const osc = (params: Record<string, number>): GraphProgram => ({
  nodes: [{ kind: "oscillator", inputs: [], params }],
  output: 0,
});

describe("oscillator waveforms", () => {
  // The spectra against the Fourier series: oscillator-spectrum.test.ts.
  it("renders the same band-limited saw, square and triangle at any block size", async () => {
    for (const waveform of [1, 2, 3]) {
      for (const frequency of [55, 440, 1234.5, 9000]) {
        const [a] = await renderProgram(osc({ frequency, waveform }), 20000);
        const [b] = await renderProgram(osc({ frequency, waveform }), 20000, { blockSize: 7, chunk: 13 });
        expect(b, `${waveform} at ${frequency} Hz`).toEqual(a);
      }
    }
  });

  it("keeps OscillatorNode's conventions: saw rising from 0, square +1 first, triangle rising from 0", async () => {
    const [saw] = await renderProgram(osc({ frequency: 100, waveform: 1 }), 480);
    const [square] = await renderProgram(osc({ frequency: 100, waveform: 2 }), 480);
    const [triangle] = await renderProgram(osc({ frequency: 100, waveform: 3 }), 480);
    // A quarter and three quarters of a cycle: far from the saw's and square's jumps, where the
    // band-limited shapes are within a few thousandths of the ideal ones.
    expect(saw?.[0]).toBeCloseTo(0, 6);
    expect(saw?.[120]).toBeCloseTo(0.5, 2);
    expect(saw?.[360]).toBeCloseTo(-0.5, 2);
    expect(square?.[120]).toBeCloseTo(1, 2);
    expect(square?.[360]).toBeCloseTo(-1, 2);
    expect(triangle?.[0]).toBeCloseTo(0, 6);
    expect(triangle?.[360]).toBeCloseTo(-1, 2);
  });

  it("renders square and triangle at their frequency and RMS (1 and 1/sqrt(3))", async () => {
    const [square] = await renderProgram(osc({ frequency: 100, waveform: 2 }), SR);
    const [triangle] = await renderProgram(osc({ frequency: 100, waveform: 3 }), SR);
    expect(Math.abs(estimateFrequency(triangle as Float32Array, SR) - 100)).toBeLessThan(0.01);
    expect(rms(square as Float32Array)).toBeCloseTo(1, 2);
    expect(rms(triangle as Float32Array)).toBeCloseTo(1 / Math.sqrt(3), 4);
    // A quarter cycle at 100 Hz: the peak, rounded by the missing harmonics above 20 kHz (1/k^2).
    expect(triangle?.[120]).toBeCloseTo(1, 2);
  });

  it("renders deterministic noise in [-1, 1) with the RMS of a uniform distribution", async () => {
    const [a] = await renderProgram(osc({ waveform: 4, amplitude: 1 }), SR);
    const [b] = await renderProgram(osc({ waveform: 4, amplitude: 1 }), SR, { blockSize: 1000 });
    expect(a).toEqual(b);
    expect(Math.max(...(a as Float32Array))).toBeLessThanOrEqual(1);
    expect(rms(a as Float32Array)).toBeCloseTo(1 / Math.sqrt(3), 2);
  });

  it("detunes by cents as OscillatorNode does: frequency × 2^(detune / 1200)", async () => {
    for (const waveform of [0, 1]) {
      // 220 Hz up an octave is 440 Hz exactly, so the phase steps, and the samples, are the same.
      const [up] = await renderProgram(osc({ frequency: 220, detune: 1200, waveform }), 4800);
      const [plain] = await renderProgram(osc({ frequency: 440, waveform }), 4800);
      expect(up, `waveform ${waveform}`).toEqual(plain);
    }
    const [fifthDown] = await renderProgram(osc({ frequency: 660, detune: -702 }), SR);
    expect(estimateFrequency(fifthDown as Float32Array, SR)).toBeCloseTo(660 * 2 ** (-702 / 1200), 2);
    // Detuned beyond Nyquist it plays Nyquist (a sine there samples as zeros), never garbage.
    const [high] = await renderProgram(osc({ frequency: 20000, detune: 153600 }), 512);
    expect(Math.max(...(high as Float32Array).map(Math.abs))).toBeLessThan(1e-6);
  });

  it("writes the same signal to every channel it is asked for", async () => {
    const out = await renderProgram(osc({ frequency: 300, channels: 3 }), 256);
    expect(out).toHaveLength(3);
    expect(out[2]).toEqual(out[0]);
  });
});
