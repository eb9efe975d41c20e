/** Spectral measurements for the oscillator tests: FFT, window, a single-frequency DFT. */

/** In-place radix-2 FFT (forward, e^{-i}) of re/im arrays whose length is a power of two. */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j] as number, re[i] as number];
      [im[i], im[j]] = [im[j] as number, im[i] as number];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    for (let k = 0; k < half; k++) {
      const angle = (-2 * Math.PI * k) / len;
      const wr = Math.cos(angle);
      const wi = Math.sin(angle);
      for (let start = 0; start < n; start += len) {
        const a = start + k;
        const b = a + half;
        const br = (re[b] as number) * wr - (im[b] as number) * wi;
        const bi = (re[b] as number) * wi + (im[b] as number) * wr;
        re[b] = (re[a] as number) - br;
        im[b] = (im[a] as number) - bi;
        re[a] = (re[a] as number) + br;
        im[a] = (im[a] as number) + bi;
      }
    }
  }
}

/**
 * The 4-term Blackman-Harris window: sidelobes 92 dB down, main lobe 4 bins either side. Its
 * leakage floor sits well under the -70 dB the oscillator tests measure.
 */
export function blackmanHarris(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => {
    const x = (2 * Math.PI * i) / n;
    return 0.35875 - 0.48829 * Math.cos(x) + 0.14128 * Math.cos(2 * x) - 0.01168 * Math.cos(3 * x);
  });
}

/** |X(k)|^2 for k in [0, n/2] of the windowed signal (n = signal length, a power of two). */
export function powerSpectrum(signal: ArrayLike<number>, window: Float64Array): Float64Array {
  const n = window.length;
  const re = Float64Array.from({ length: n }, (_, i) => (signal[i] as number) * (window[i] as number));
  const im = new Float64Array(n);
  fft(re, im);
  return Float64Array.from({ length: n / 2 + 1 }, (_, k) => (re[k] as number) ** 2 + (im[k] as number) ** 2);
}

/**
 * The complex amplitude (peak, with phase) of the component at exactly `cycles` cycles per sample:
 * the windowed DFT at that frequency (not rounded to a bin, so no scalloping loss), scaled by the
 * window's sum. Components more than 4 bins away leak into it by less than the window's sidelobes
 * (-92 dB).
 */
export function phasorAt(signal: ArrayLike<number>, window: Float64Array, cycles: number): [number, number] {
  // The complex exponential by rotation; the drift over 2^16 steps is ~1e-12, far below the figures.
  const c = Math.cos(2 * Math.PI * cycles);
  const s = -Math.sin(2 * Math.PI * cycles);
  let wr = 1;
  let wi = 0;
  let sumRe = 0;
  let sumIm = 0;
  let weight = 0;
  for (let i = 0; i < window.length; i++) {
    const x = (signal[i] as number) * (window[i] as number);
    sumRe += x * wr;
    sumIm += x * wi;
    weight += window[i] as number;
    const r = wr * c - wi * s;
    wi = wr * s + wi * c;
    wr = r;
  }
  return [(2 * sumRe) / weight, (2 * sumIm) / weight];
}

/** Peak amplitude of the component at exactly `cycles` cycles per sample (see phasorAt). */
export function amplitudeAt(signal: ArrayLike<number>, window: Float64Array, cycles: number): number {
  return Math.hypot(...phasorAt(signal, window, cycles));
}

/**
 * SNR in dB of `actual` against `reference` over harmonics 1..`harmonics` of a tone of `cycles` cycles
 * per sample: the power of the reference's harmonics over the power of the differences of the
 * complex harmonics (amplitude and phase), each by phasorAt over the whole signal. What lies
 * between or above those harmonics is left out.
 */
export function harmonicSnrDb(
  reference: ArrayLike<number>,
  actual: ArrayLike<number>,
  cycles: number,
  harmonics: number,
): number {
  const window = blackmanHarris(reference.length);
  const difference = Float64Array.from(
    { length: reference.length },
    (_, i) => (reference[i] as number) - (actual[i] as number),
  );
  let signal = 0;
  let noise = 0;
  for (let k = 1; k <= harmonics; k++) {
    signal += amplitudeAt(reference, window, k * cycles) ** 2;
    noise += amplitudeAt(difference, window, k * cycles) ** 2;
  }
  return noise === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10(signal / noise);
}

/**
 * |H(f)| of the engine's TPT state-variable filter (wasm/src/dsp/svf.h): the analogue prototype
 * 1 / (s^2 + s/Q + 1) (lowpass; s^2 and s/Q over it for highpass and bandpass) with the frequency
 * axis prewarped, Ω = tan(π f / fs) / tan(π fc / fs), which is exactly what trapezoidal integration
 * gives. The cutoff is clamped to 0.49 fs as the engine clamps it.
 */
export function svfMagnitude(
  mode: "lowpass" | "highpass" | "bandpass",
  f: number,
  cutoff: number,
  q: number,
  sampleRate: number,
): number {
  const fc = Math.min(Math.max(cutoff, 10), 0.49 * sampleRate);
  const w = Math.tan((Math.PI * f) / sampleRate) / Math.tan((Math.PI * fc) / sampleRate);
  const denominator = Math.hypot(1 - w * w, w / q);
  return (mode === "lowpass" ? 1 : mode === "highpass" ? w * w : w / q) / denominator;
}
