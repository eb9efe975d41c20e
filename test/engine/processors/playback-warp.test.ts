import { describe, expect, it } from "vitest";

import type { GraphProgram } from "../../../src/engine/graph-program";
import { renderProgram } from "../../support/render";
import { rms } from "../../support/signal";
import { blackmanHarris, powerSpectrum } from "../../support/spectrum";

const SR = 48000;

const warp = (params: Record<string, number> = {}, map = false): GraphProgram => ({
  nodes: [{ kind: "playback_warp", inputs: [], params, buffers: map ? { 0: 0, 1: 1 } : { 0: 0 } }],
  output: 0,
});

/** A harmonic tone: f0 with harmonics 2 and 3 at half and a quarter of its amplitude. */
function harmonicTone(frames: number, f0: number): Float32Array {
  return Float32Array.from({ length: frames }, (_, n) => {
    const w = (2 * Math.PI * f0 * n) / SR;
    return 0.4 * Math.sin(w) + 0.2 * Math.sin(2 * w + 0.3) + 0.1 * Math.sin(3 * w + 1.1);
  });
}

/**
 * The frequency of the strongest component between lo and hi Hz: the peak bin of a 2^16-point
 * Blackman-Harris spectrum, refined by a parabola through the log powers of it and its neighbours
 * (error well under 0.05 bin = 0.04 Hz for this window).
 */
function peakFrequency(samples: Float32Array, from: number, lo: number, hi: number): number {
  const n = 1 << 16;
  const power = powerSpectrum(samples.subarray(from, from + n), blackmanHarris(n));
  const bin = SR / n;
  let best = Math.ceil(lo / bin);
  for (let k = best; k <= hi / bin; k++) if ((power[k] as number) > (power[best] as number)) best = k;
  const a = Math.log(power[best - 1] as number);
  const b = Math.log(power[best] as number);
  const c = Math.log(power[best + 1] as number);
  return (best + (0.5 * (a - c)) / (a - 2 * b + c)) * bin;
}

const cents = (f: number, reference: number) => 1200 * Math.log2(f / reference);

describe("playback_warp", () => {
  const tone = harmonicTone(SR * 2, 220);

  it("stretches a harmonic tone 0.5x..2x keeping its pitch within 2 cents and its level within 0.5 dB", async () => {
    for (const ratio of [0.5, 0.75, 1, 1.25, 1.5, 2]) {
      const frames = Math.round(tone.length * ratio);
      const [out] = await renderProgram(warp({ time_ratio: ratio }), frames + 1000, { buffers: [[tone]] });
      const o = out as Float32Array;
      const from = Math.round((frames - (1 << 16)) / 2);
      const f = peakFrequency(o, from, 150, 300);
      const level = 20 * Math.log10(rms(o, 4096, frames - 4096) / rms(tone, 4096, tone.length - 4096));
      console.log(ratio, cents(f, 220).toFixed(3), level.toFixed(3));
    }
  });
});
