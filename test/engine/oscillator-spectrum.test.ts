/**
 * The band-limited saw, square and triangle (wasm/src/dsp/wavetable.h) measured against their ideal
 * Fourier series, through the engine:
 *
 * - Steady tones: every harmonic up to min(16 kHz, Nyquist) within 60 dB of the fundamental has the
 *   ideal amplitude within 0.1 dB, and the power away from the harmonics is 70 dB below the total.
 * - A 50 Hz -> 5 kHz exponential sweep automated sample by sample: the difference from the ideal
 *   band-limited sweep, below 16 kHz, is 70 dB below the sweep.
 *
 * The figures are printed (console.table) for docs/processors.md.
 */
import { describe, expect, it } from "vitest";

import type { GraphProgram } from "../../src/engine/graph-program";
import { oscillatorIncrement } from "../support/oscillator-phase";
import { renderProgram } from "../support/render";
import { amplitudeAt, blackmanHarris, powerSpectrum } from "../support/spectrum";

const SHAPES = { saw: 1, square: 2, triangle: 3 } as const;
type Shape = keyof typeof SHAPES;
const RATES = [44100, 48000, 96000];
// Fundamentals from 20 Hz to 8 kHz, each moved so that sampleRate / f0 is an integer and a half:
// what folds back once (at sampleRate - k f0) then lands halfway between two harmonics, where the
// non-harmonic measure sees it, instead of on or beside a harmonic, where it would hide in the
// harmonic bins (the first fold is where aliasing lands; interpolation images fold many times and
// land between the harmonics after any odd number of folds).
const NOMINAL = [20, 100, 440, 1000, 3000, 8000];
const fundamental = (nominal: number, sampleRate: number) =>
  sampleRate / (Math.floor(sampleRate / nominal) + 0.5);
const BAND = 16000;
const FRAMES = 1 << 16;

/** Signed sine amplitude of harmonic k, in OscillatorNode's phase and sign: the saw is 0 at phase 0
 * rising to 1 at half a cycle, the square is +1 on the first half cycle, the triangle starts at 0
 * rising to 1 at a quarter cycle. */
function idealAmplitude(shape: Shape, k: number): number {
  if (shape === "saw") return ((k % 2 === 1 ? 1 : -1) * 2) / (Math.PI * k);
  if (k % 2 === 0) return 0;
  if (shape === "square") return 4 / (Math.PI * k);
  return ((((k - 1) / 2) % 2 === 0 ? 1 : -1) * 8) / (Math.PI * Math.PI * k * k);
}

const phaseIncrement = (frequency: number, sampleRate: number) => oscillatorIncrement(frequency, sampleRate);

function oscillator(shape: Shape, params: Record<string, number>, timeline?: Float32Array): GraphProgram {
  return {
    nodes: [
      {
        kind: "oscillator",
        inputs: [],
        params: { waveform: SHAPES[shape], ...params },
        timeline: timeline ? [{ type: "array", param: "frequency", start: 0, values: timeline }] : undefined,
      },
    ],
    output: 0,
  };
}

const db = (ratio: number) => 10 * Math.log10(ratio);

interface SteadyFigures {
  worstHarmonicDb: number;
  harmonicsChecked: number;
  nonHarmonicDb: number;
}

/**
 * Harmonic amplitudes by a windowed DFT at each harmonic's exact frequency (the engine's phase step
 * is known to the bit, so there is no frequency estimate to get wrong). Non-harmonic power: the
 * Blackman-Harris power spectrum with every bin within 5 of a harmonic (or DC) masked, over the
 * total. The main lobe is 4 bins wide either side (hence 5; a 20 Hz fundamental at 96 kHz leaves
 * only 13.7 bins between harmonics) and the window's own leakage floor is about -90 dB.
 */
function measureSteady(
  signal: Float32Array,
  shape: Shape,
  cycles: number,
  sampleRate: number,
): SteadyFigures {
  const window = blackmanHarris(FRAMES);
  const fundamental = Math.abs(idealAmplitude(shape, 1));
  let worst = 0;
  let checked = 0;
  for (let k = 1; k * cycles < 0.5 && k * cycles * sampleRate <= BAND; k++) {
    const ideal = Math.abs(idealAmplitude(shape, k));
    if (ideal === 0 || 20 * Math.log10(ideal / fundamental) < -60) continue;
    const error = 20 * Math.log10(amplitudeAt(signal, window, k * cycles) / ideal);
    if (Math.abs(error) > Math.abs(worst)) worst = error;
    checked++;
  }
  const power = powerSpectrum(signal, window);
  const harmonic = new Uint8Array(power.length);
  for (let k = 0; k * cycles < 0.5; k++) {
    const bin = k * cycles * FRAMES;
    for (let b = Math.max(0, Math.floor(bin - 5)); b <= Math.min(power.length - 1, Math.ceil(bin + 5)); b++) {
      harmonic[b] = 1;
    }
  }
  let total = 0;
  let other = 0;
  power.forEach((p, b) => {
    total += p;
    if (!harmonic[b]) other += p;
  });
  return { worstHarmonicDb: worst, harmonicsChecked: checked, nonHarmonicDb: db(other / total) };
}

describe("band-limited oscillator spectra", () => {
  it("matches the Fourier series within 0.1 dB with non-harmonic power below -70 dB", async () => {
    const rows: Record<string, string | number>[] = [];
    const failures: string[] = [];
    for (const sampleRate of RATES) {
      for (const shape of Object.keys(SHAPES) as Shape[]) {
        for (const f0 of NOMINAL.map((nominal) => fundamental(nominal, sampleRate))) {
          const [signal] = await renderProgram(oscillator(shape, { frequency: f0 }), FRAMES, { sampleRate });
          const cycles = phaseIncrement(f0, sampleRate) / 2 ** 32;
          const m = measureSteady(signal as Float32Array, shape, cycles, sampleRate);
          rows.push({
            rate: sampleRate,
            shape,
            f0: Number(f0.toFixed(2)),
            harmonics: m.harmonicsChecked,
            "worst harmonic dB": Number(m.worstHarmonicDb.toFixed(4)),
            "non-harmonic dB": Number(m.nonHarmonicDb.toFixed(1)),
          });
          if (Math.abs(m.worstHarmonicDb) > 0.1 || m.nonHarmonicDb > -70) {
            failures.push(
              `${shape} ${f0} Hz at ${sampleRate}: ${m.worstHarmonicDb} dB, ${m.nonHarmonicDb} dB`,
            );
          }
        }
      }
    }
    console.table(rows);
    expect(failures).toEqual([]);
  });
});

/**
 * The sweep: the frequency is automated sample by sample (an "array" timeline), so the engine's phase
 * at every sample is known exactly from the float32 values. The reference is the ideal band-limited
 * sweep on that phase, in double precision: every harmonic at full amplitude up to 16 kHz, then
 * tapered (raised cosine) to nothing at Nyquist. The taper keeps the reference free of clicks: a
 * harmonic switched off as it crosses Nyquist would step the waveform and splatter far below it,
 * which the reference must not do if its difference from the output is to measure the output.
 * The error (output - reference) then holds what folded back or splattered (aliasing,
 * interpolation images, steps) and, above 16 kHz only, the difference between the two tapers. So
 * the error's power is measured below 16 kHz, frame by frame (Blackman-Harris, 4096 samples, hop
 * 2048), against the reference's power in the same frames; the worst frame must be below -70 dB.
 * What folds back above 16 kHz goes unmeasured here; the steady tones above measure the whole band.
 */
function idealSweep(shape: Shape, increments: Float64Array, sampleRate: number): Float64Array {
  const out = new Float64Array(increments.length);
  const nyquist = sampleRate / 2;
  let phase = 0;
  for (let n = 0; n < increments.length; n++) {
    const inc = increments[n] as number;
    const harmonics = inc === 0 ? 0 : Math.floor((2 ** 31 - 1) / inc);
    const hz = (inc / 2 ** 32) * sampleRate;
    const theta = (2 * Math.PI * phase) / 2 ** 32;
    // sin(k theta) by the Chebyshev recurrence: s_{k+1} = 2 cos(theta) s_k - s_{k-1}.
    const twoCos = 2 * Math.cos(theta);
    let previous = 0;
    let current = Math.sin(theta);
    let sum = 0;
    for (let k = 1; k <= harmonics; k++) {
      const f = k * hz;
      const taper = f <= BAND ? 1 : 0.5 + 0.5 * Math.cos((Math.PI * (f - BAND)) / (nyquist - BAND));
      sum += taper * idealAmplitude(shape, k) * current;
      const next = twoCos * current - previous;
      previous = current;
      current = next;
    }
    out[n] = sum;
    phase = (phase + inc) % 2 ** 32;
  }
  return out;
}

function sweepFigures(output: Float32Array, reference: Float64Array, sampleRate: number) {
  const size = 4096;
  const window = blackmanHarris(size);
  const top = Math.floor((BAND * size) / sampleRate);
  let errorPower = 0;
  let referencePower = 0;
  let worstFrame = Number.NEGATIVE_INFINITY;
  for (let start = 0; start + size <= output.length; start += size / 2) {
    const error = Float64Array.from(
      { length: size },
      (_, i) => (output[start + i] as number) - (reference[start + i] as number),
    );
    const e = powerSpectrum(error, window)
      .subarray(0, top + 1)
      .reduce((a, b) => a + b, 0);
    const r = powerSpectrum(reference.subarray(start, start + size), window).reduce((a, b) => a + b, 0);
    errorPower += e;
    referencePower += r;
    worstFrame = Math.max(worstFrame, db(e / r));
  }
  return { overallDb: db(errorPower / referencePower), worstFrameDb: worstFrame };
}

describe("band-limited oscillator sweeps", () => {
  it("keeps a 50 Hz -> 5 kHz exponential sweep's aliasing below -70 dB, over 2 s and over 0.25 s", async () => {
    const rows: Record<string, string | number>[] = [];
    const failures: string[] = [];
    for (const seconds of [2, 0.25]) {
      for (const sampleRate of RATES) {
        const frames = Math.round(sampleRate * seconds);
        const frequencies = Float32Array.from({ length: frames }, (_, n) => 50 * 100 ** (n / (frames - 1)));
        const increments = Float64Array.from(frequencies, (f) => phaseIncrement(f, sampleRate));
        for (const shape of Object.keys(SHAPES) as Shape[]) {
          const [output] = await renderProgram(oscillator(shape, {}, frequencies), frames, { sampleRate });
          const m = sweepFigures(
            output as Float32Array,
            idealSweep(shape, increments, sampleRate),
            sampleRate,
          );
          rows.push({
            sweep: `${seconds} s`,
            rate: sampleRate,
            shape,
            "error below 16 kHz dB": Number(m.overallDb.toFixed(1)),
            "worst frame dB": Number(m.worstFrameDb.toFixed(1)),
          });
          if (m.worstFrameDb > -70)
            failures.push(`${shape} over ${seconds} s at ${sampleRate}: ${m.worstFrameDb} dB`);
        }
      }
    }
    console.table(rows);
    expect(failures).toEqual([]);
  });
});
