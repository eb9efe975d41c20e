/** Signal measurements for tests and benchmarks: frequency, peak, RMS, SNR. */

/**
 * Frequency of a periodic signal from its rising zero crossings, each located by linear
 * interpolation between the two samples around it; the mean period over the whole signal.
 */
export function estimateFrequency(samples: ArrayLike<number>, sampleRate: number): number {
  const crossings: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1] as number;
    const b = samples[i] as number;
    if (a < 0 && b >= 0) crossings.push(i - 1 + a / (a - b));
  }
  if (crossings.length < 2) return 0;
  const first = crossings[0] as number;
  const last = crossings[crossings.length - 1] as number;
  return ((crossings.length - 1) * sampleRate) / (last - first);
}

export function peak(samples: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < samples.length; i++) max = Math.max(max, Math.abs(samples[i] as number));
  return max;
}

export function rms(samples: ArrayLike<number>, from = 0, to = samples.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (samples[i] as number) ** 2;
  return Math.sqrt(sum / Math.max(1, to - from));
}

export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

/** Signal-to-noise ratio in dB of `actual` against `reference` (the noise is their difference). */
export function snrDb(reference: ArrayLike<number>, actual: ArrayLike<number>): number {
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i] as number;
    signal += r * r;
    noise += (r - (actual[i] as number)) ** 2;
  }
  return noise === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10(signal / noise);
}

/** `frames` zeros with `amplitude` at frame `at`: the input for impulse-response tests. */
export function impulse(frames: number, at = 0, amplitude = 1): Float32Array {
  const samples = new Float32Array(frames);
  samples[at] = amplitude;
  return samples;
}

/** True when no sample is NaN or infinite. */
export function allFinite(samples: ArrayLike<number>): boolean {
  for (let i = 0; i < samples.length; i++) if (!Number.isFinite(samples[i] as number)) return false;
  return true;
}

/**
 * Schroeder's energy decay curve of an impulse response, in dB relative to the total energy:
 * edc[i] = 10 log10(sum of x^2 from i to the end / sum of x^2 over the whole response).
 */
export function energyDecayDb(samples: ArrayLike<number>): Float64Array {
  const edc = new Float64Array(samples.length);
  let tail = 0;
  for (let i = samples.length - 1; i >= 0; i--) {
    tail += (samples[i] as number) ** 2;
    edc[i] = tail;
  }
  const total = edc[0] as number;
  for (let i = 0; i < edc.length; i++) edc[i] = 10 * Math.log10((edc[i] as number) / total);
  return edc;
}

/**
 * Reverberation time RT60 in seconds from an impulse response: the time its energy decay curve
 * takes to fall from `upperDb` to `lowerDb` (first crossings), extrapolated to 60 dB. The defaults
 * give T30 (ISO 3382); the response must be long enough for the curve to reach `lowerDb` well
 * before its end, where the backward integration truncates.
 */
export function decayTime60(
  samples: ArrayLike<number>,
  sampleRate: number,
  upperDb = -5,
  lowerDb = -35,
): number {
  const edc = energyDecayDb(samples);
  const upper = edc.findIndex((db) => db <= upperDb);
  const lower = edc.findIndex((db) => db <= lowerDb);
  if (upper < 0 || lower < 0) return Number.POSITIVE_INFINITY;
  return ((lower - upper) / sampleRate) * (60 / (upperDb - lowerDb));
}

/**
 * Complex amplitude of the component at `frequency` in samples[from..to): the signal correlated
 * with e^(-j w n) (one DFT bin, what Goertzel computes), with n counted from sample 0 so that
 * phases of different signals compare. For A cos(w n + phase) it returns that amplitude and phase,
 * exactly when the window holds a whole number of periods (no window function needed).
 */
export function toneAt(
  samples: ArrayLike<number>,
  frequency: number,
  sampleRate: number,
  from = 0,
  to = samples.length,
): { re: number; im: number; amplitude: number; phase: number } {
  const w = (2 * Math.PI * frequency) / sampleRate;
  let re = 0;
  let im = 0;
  for (let n = from; n < to; n++) {
    const x = samples[n] as number;
    re += x * Math.cos(w * n);
    im -= x * Math.sin(w * n);
  }
  re *= 2 / (to - from);
  im *= 2 / (to - from);
  return { re, im, amplitude: Math.hypot(re, im), phase: Math.atan2(im, re) };
}

/** Amplitude ratio in dB (20 log10). */
export function toDb(amplitude: number): number {
  return 20 * Math.log10(amplitude);
}

/** Deterministic white noise in [-amplitude, amplitude) (a 32-bit LCG), the same in every run. */
export function whiteNoise(frames: number, seed: number, amplitude = 1): Float32Array {
  let state = seed >>> 0;
  return Float32Array.from({ length: frames }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return amplitude * (state / 2 ** 31 - 1);
  });
}

/** amplitude * sin(2 pi frequency n / sampleRate), computed in double and rounded to float. */
export function sineWave(frames: number, frequency: number, sampleRate: number, amplitude = 1): Float32Array {
  const w = (2 * Math.PI * frequency) / sampleRate;
  return Float32Array.from({ length: frames }, (_, n) => amplitude * Math.sin(w * n));
}

/** The first index where `predicate` holds for samples[i], or -1. */
export function firstIndex(samples: ArrayLike<number>, predicate: (x: number) => boolean, from = 0): number {
  for (let i = from; i < samples.length; i++) if (predicate(samples[i] as number)) return i;
  return -1;
}
