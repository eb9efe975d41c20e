import { describe, expect, it } from "vitest";

import { renderProgram } from "../../support/render";
import { maxAbsDifference, sineWave, toDb, toneAt } from "../../support/signal";
import { describeSharedBehaviour, effectProgram, testSignal } from "./shared-behaviour";

const MODES = [
  "lowpass",
  "highpass",
  "bandpass",
  "notch",
  "peaking",
  "lowshelf",
  "highshelf",
  "allpass",
] as const;
type Mode = (typeof MODES)[number];
const SR = 48000;

interface Biquad {
  b: [number, number, number];
  a: [number, number, number]; // a[0] = 1
}

/**
 * The RBJ Audio EQ Cookbook (Bristow-Johnson), written out here independently of the C++: every
 * filter is (b0 + b1 z^-1 + b2 z^-2) / (a0 + a1 z^-1 + a2 z^-2), normalised by a0. Shelves use the
 * cookbook's Q form, alpha = sin(w0) / (2 Q).
 */
function cookbook(mode: Mode, f0: number, q: number, dBgain: number, fs = SR): Biquad {
  const w0 = (2 * Math.PI * Math.min(f0, 0.4999 * fs)) / fs;
  const cos = Math.cos(w0);
  const alpha = Math.sin(w0) / (2 * q);
  const A = 10 ** (dBgain / 40);
  const s = 2 * Math.sqrt(A) * alpha;
  const raw: Record<Mode, [number, number, number, number, number, number]> = {
    lowpass: [(1 - cos) / 2, 1 - cos, (1 - cos) / 2, 1 + alpha, -2 * cos, 1 - alpha],
    highpass: [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha],
    bandpass: [alpha, 0, -alpha, 1 + alpha, -2 * cos, 1 - alpha],
    notch: [1, -2 * cos, 1, 1 + alpha, -2 * cos, 1 - alpha],
    allpass: [1 - alpha, -2 * cos, 1 + alpha, 1 + alpha, -2 * cos, 1 - alpha],
    peaking: [1 + alpha * A, -2 * cos, 1 - alpha * A, 1 + alpha / A, -2 * cos, 1 - alpha / A],
    lowshelf: [
      A * (A + 1 - (A - 1) * cos + s),
      2 * A * (A - 1 - (A + 1) * cos),
      A * (A + 1 - (A - 1) * cos - s),
      A + 1 + (A - 1) * cos + s,
      -2 * (A - 1 + (A + 1) * cos),
      A + 1 + (A - 1) * cos - s,
    ],
    highshelf: [
      A * (A + 1 + (A - 1) * cos + s),
      -2 * A * (A - 1 + (A + 1) * cos),
      A * (A + 1 + (A - 1) * cos - s),
      A + 1 - (A - 1) * cos + s,
      2 * (A - 1 - (A + 1) * cos),
      A + 1 - (A - 1) * cos - s,
    ],
  };
  const [b0, b1, b2, a0, a1, a2] = raw[mode];
  return { b: [b0 / a0, b1 / a0, b2 / a0], a: [1, a1 / a0, a2 / a0] };
}

/** H(e^jw) as [re, im]. */
function response({ b, a }: Biquad, frequency: number, fs = SR): [number, number] {
  const w = (2 * Math.PI * frequency) / fs;
  const poly = (c: number[]) => [
    c.reduce((sum, ck, k) => sum + ck * Math.cos(k * w), 0),
    -c.reduce((sum, ck, k) => sum + ck * Math.sin(k * w), 0),
  ];
  const [nr, ni] = poly(b) as [number, number];
  const [dr, di] = poly(a) as [number, number];
  const d = dr * dr + di * di;
  return [(nr * dr + ni * di) / d, (ni * dr - nr * di) / d];
}

/** The difference equation in double precision: the reference for impulse responses. */
function filterReference({ b, a }: Biquad, input: ArrayLike<number>): Float64Array {
  const out = new Float64Array(input.length);
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let n = 0; n < input.length; n++) {
    const x = input[n] as number;
    const y = b[0] * x + b[1] * x1 + b[2] * x2 - a[1] * y1 - a[2] * y2;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
    out[n] = y;
  }
  return out;
}

const filterParams = (mode: Mode, frequency: number, q: number, gain: number) => ({
  mode: MODES.indexOf(mode),
  frequency,
  q,
  gain,
});

describe("filter: RBJ cookbook oracle", () => {
  // Each probe frequency is one channel of the input; the steady state is measured over 4800
  // frames, a whole number of periods of every probe.
  const probes = [100, 300, 1000, 3000, 5000, 15000];
  const frames = 9600;
  const settled = 4800;
  const input = probes.map((f) => sineWave(frames, f, SR, 0.5));
  const configs = [
    { frequency: 1000, q: Math.fround(Math.SQRT1_2), gain: 0 },
    { frequency: 3000, q: 4, gain: 12 },
    { frequency: 300, q: 0.5, gain: -9 },
  ];
  const errors = { db: 0, relative: 0, phase: 0 };

  it.each(MODES)("%s: steady-state gain and phase match |H(e^jw)| at 100 Hz .. 15 kHz", async (mode) => {
    for (const config of configs) {
      const out = await renderProgram(
        effectProgram("filter", 1, filterParams(mode, config.frequency, config.q, config.gain)),
        frames,
        { buffers: [input] },
      );
      const biquad = cookbook(mode, config.frequency, config.q, config.gain);
      probes.forEach((f, c) => {
        const x = toneAt(input[c] as Float32Array, f, SR, settled, frames);
        const y = toneAt(out[c] as Float32Array, f, SR, settled, frames);
        const d = x.re * x.re + x.im * x.im;
        const measured = [(y.re * x.re + y.im * x.im) / d, (y.im * x.re - y.re * x.im) / d] as const;
        const [er, ei] = response(biquad, f);
        const expected = Math.hypot(er, ei);
        const error = Math.hypot(measured[0] - er, measured[1] - ei);
        const where = `${mode} ${JSON.stringify(config)} at ${f} Hz`;
        if (expected > 1e-3) {
          // Relative complex error bounds both the magnitude and the phase error.
          expect(error / expected, where).toBeLessThan(1e-5);
          errors.relative = Math.max(errors.relative, error / expected);
          errors.db = Math.max(errors.db, Math.abs(toDb(Math.hypot(...measured)) - toDb(expected)));
          const dPhase = Math.atan2(measured[1], measured[0]) - Math.atan2(ei, er);
          errors.phase = Math.max(errors.phase, Math.abs(Math.atan2(Math.sin(dPhase), Math.cos(dPhase))));
        } else {
          expect(error, where).toBeLessThan(1e-7); // at a notch zero: nothing but float rounding
        }
      });
    }
  });

  it("allpass: unit gain and the cookbook's phase, -pi at f0", async () => {
    const out = await renderProgram(effectProgram("filter", 1, filterParams("allpass", 1000, 2, 0)), frames, {
      buffers: [input],
    });
    probes.forEach((f, c) => {
      const x = toneAt(input[c] as Float32Array, f, SR, settled, frames);
      const y = toneAt(out[c] as Float32Array, f, SR, settled, frames);
      const [er, ei] = response(cookbook("allpass", 1000, 2, 0), f);
      expect(y.amplitude / x.amplitude).toBeCloseTo(1, 6);
      const dPhase = y.phase - x.phase - Math.atan2(ei, er);
      expect(Math.abs(Math.atan2(Math.sin(dPhase), Math.cos(dPhase)))).toBeLessThan(1e-5);
      if (f === 1000) expect(Math.abs(Math.cos(y.phase - x.phase) + 1)).toBeLessThan(1e-9);
    });
  });

  it("records the worst oracle errors", () => {
    // Printed for the record; the per-case assertions above are the test.
    console.log(
      `filter oracle: max |dB error| ${errors.db.toExponential(2)} dB, max relative complex error ` +
        `${errors.relative.toExponential(2)}, max phase error ${errors.phase.toExponential(2)} rad`,
    );
    expect(errors.db).toBeLessThan(0.01);
  });
});

describe("filter: coefficients and channels", () => {
  const impulse = Float32Array.from({ length: 512 }, (_, i) => (i === 0 ? 1 : 0));

  it.each(MODES)("%s: impulse response equals the cookbook difference equation", async (mode) => {
    const [out] = await renderProgram(effectProgram("filter", 1, filterParams(mode, 3000, 2, 6)), 512, {
      buffers: [[impulse]],
    });
    const expected = filterReference(cookbook(mode, 3000, 2, 6), impulse);
    expect(maxAbsDifference(out as Float32Array, expected)).toBeLessThan(2e-7);
  });

  it("W2's lowpass (2000 Hz, Q 1, 48 kHz) has the cookbook coefficients", async () => {
    const [out] = await renderProgram(effectProgram("filter", 1, filterParams("lowpass", 2000, 1, 0)), 512, {
      buffers: [[impulse]],
    });
    const biquad = cookbook("lowpass", 2000, 1, 0);
    // h[0] = b0, h[1] = b1 - a1 b0: the first two samples pin down the coefficients.
    expect(out?.[0]).toBeCloseTo(biquad.b[0], 7);
    expect(out?.[1]).toBeCloseTo(biquad.b[1] - biquad.a[1] * biquad.b[0], 7);
    expect(maxAbsDifference(out as Float32Array, filterReference(biquad, impulse))).toBeLessThan(1e-7);
  });

  it("clamps the frequency to just below Nyquist (0.4999 fs) at 48 and 44.1 kHz", async () => {
    for (const sampleRate of [48000, 44100]) {
      const [out] = await renderProgram(
        effectProgram("filter", 1, filterParams("lowpass", 24000, Math.SQRT1_2, 0)),
        512,
        {
          sampleRate,
          buffers: [[impulse]],
        },
      );
      const expected = filterReference(
        cookbook("lowpass", 0.4999 * sampleRate, Math.fround(Math.SQRT1_2), 0, sampleRate),
        impulse,
      );
      expect(maxAbsDifference(out as Float32Array, expected)).toBeLessThan(2e-7);
    }
  });

  it("filters each of any number of channels independently", async () => {
    const channels = [testSignal(2000, 1), testSignal(2000, 2), testSignal(2000, 3)];
    const params = filterParams("peaking", 2500, 3, 9);
    const together = await renderProgram(effectProgram("filter", 1, params), 2000, { buffers: [channels] });
    expect(together).toHaveLength(3);
    for (const [c, channel] of channels.entries()) {
      const [alone] = await renderProgram(effectProgram("filter", 1, params), 2000, { buffers: [[channel]] });
      expect(maxAbsDifference(together[c] as Float32Array, alone as Float32Array)).toBe(0);
    }
  });
});

const nearNyquist: Record<string, number>[] = MODES.flatMap((_, mode) => [
  { mode, frequency: 24000, q: 0.0001, gain: 0 },
  { mode, frequency: 24000, q: 40, gain: 48 },
  { mode, frequency: 23999, q: 40, gain: -48 },
  { mode, frequency: 10, q: 40, gain: 48 },
  { mode, frequency: 10, q: 0.0001, gain: -48 },
]);

describeSharedBehaviour({
  kind: "filter",
  table: [
    {
      id: "mode",
      name: "Mode",
      units: "",
      min: 0,
      max: 7,
      default: 0,
      discrete: true,
      choices: [...MODES],
      choiceAliases: {
        low: "lowpass",
        high: "highpass",
        band: "bandpass",
        low_shelf: "lowshelf",
        high_shelf: "highshelf",
      },
    },
    {
      id: "frequency",
      name: "Frequency",
      units: "Hz",
      min: 10,
      max: 24000,
      default: 1000,
      discrete: false,
      choices: null,
      choiceAliases: null,
    },
    {
      id: "q",
      name: "Q",
      units: "",
      min: Math.fround(0.0001),
      max: 40,
      default: Math.fround(Math.SQRT1_2),
      discrete: false,
      choices: null,
      choiceAliases: null,
    },
    {
      id: "gain",
      name: "Gain",
      units: "dB",
      min: -48,
      max: 48,
      default: 0,
      discrete: false,
      choices: null,
      choiceAliases: null,
    },
  ],
  inputs: [[testSignal(6000, 1), testSignal(6000, 2)]],
  outputChannels: 2,
  extremes: nearNyquist,
  stateful: true,
});
