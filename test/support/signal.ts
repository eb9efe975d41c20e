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
