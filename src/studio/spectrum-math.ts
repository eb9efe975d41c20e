/**
 * The master spectrum's geometry (pure, unit-tested; master-spectrum.ts draws with it): an FFT bin's
 * frequency, frequency to x on a logarithmic axis from SPECTRUM_MIN_HZ to SPECTRUM_MAX_HZ, and a level
 * in dB to y from SPECTRUM_MAX_DB (top) down to SPECTRUM_MIN_DB (bottom).
 */

/** The frequency axis: 20 Hz at the left edge, 20 kHz at the right, logarithmic (an octave is a fixed width). */
export const SPECTRUM_MIN_HZ = 20;
export const SPECTRUM_MAX_HZ = 20000;
/** The level axis in dBFS: 0 at the top, -100 at the bottom (AnalyserNode's default range). */
export const SPECTRUM_MAX_DB = 0;
export const SPECTRUM_MIN_DB = -100;

/**
 * The centre frequency of FFT bin `bin`: bin × rate / fftSize (AnalyserNode's bin k of fftSize/2).
 * @example
 * binFrequency(64, 48000, 2048); // 1500
 */
export function binFrequency(bin: number, sampleRate: number, fftSize: number): number {
  return (bin * sampleRate) / fftSize;
}

/**
 * Where `hz` sits across `width` pixels: width × log(hz / 20) / log(20000 / 20), so 20 Hz is 0, 632 Hz
 * the middle and 20 kHz `width`; below 20 Hz (or 0) is left of the view (negative).
 * @example
 * frequencyToX(200, 300); // 100: a decade is a third of the width
 */
export function frequencyToX(hz: number, width: number): number {
  if (!(hz > 0)) return Number.NEGATIVE_INFINITY;
  return (width * Math.log(hz / SPECTRUM_MIN_HZ)) / Math.log(SPECTRUM_MAX_HZ / SPECTRUM_MIN_HZ);
}

/**
 * frequencyToX of bin `bin`.
 * @example
 * binToX(64, 48000, 2048, 300); // x of 1500 Hz
 */
export function binToX(bin: number, sampleRate: number, fftSize: number, width: number): number {
  return frequencyToX(binFrequency(bin, sampleRate, fftSize), width);
}

/**
 * Where a level of `db` dBFS sits down `height` pixels: 0 dB at the top (0), -100 dB at the bottom,
 * linear in dB between and clamped to the view (-Infinity, silence, is the bottom).
 * @example
 * dbToY(-50, 100); // 50
 */
export function dbToY(db: number, height: number): number {
  const fraction = (SPECTRUM_MAX_DB - db) / (SPECTRUM_MAX_DB - SPECTRUM_MIN_DB);
  if (!(fraction < 1)) return height;
  return height * Math.max(0, fraction);
}
