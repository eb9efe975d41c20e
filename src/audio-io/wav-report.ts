/**
 * What a WAV writer reports about the audio it wrote: its peak level and the samples the format
 * could not hold. An integer format clips every sample beyond full scale; counting them is what keeps
 * a writer from clipping silently (the CLI warns about each file that clipped, and `--normalize`
 * avoids it).
 *
 * Decibels are relative to full scale (dBFS): 1.0 is 0 dBFS, 2.0 is +6.02 dBFS, silence is -Infinity.
 */
import type { WavSampleFormat } from "./wav";

/** What writeWavFile, encodeWavWithReport and WavStreamWriter.finish() wrote. */
export interface WavWriteReport {
  format: WavSampleFormat;
  channels: number;
  /** Frames per channel written. */
  frames: number;
  /** The largest magnitude among the samples given, before conversion (1 is full scale). */
  peak: number;
  /** `peak` in dBFS: 0 at 1.0, +6.02 at 2.0, -Infinity for silence. */
  peakDbfs: number;
  /**
   * Samples outside what the integer format holds, written as its largest or smallest value: for
   * pcm16 those that round to more than 32767 or less than -32768 once scaled by 32768. Always 0 for
   * float32, which holds any finite value.
   */
  clippedSamples: number;
  /** NaN and ±Infinity written as 0 (nonFinite: "zero"); 0 otherwise. */
  nonFiniteSamples: number;
}

/**
 * An amplitude in dBFS (20·log10), -Infinity for 0.
 * @example
 * amplitudeToDbfs(2); // 6.0206
 */
export function amplitudeToDbfs(amplitude: number): number {
  return 20 * Math.log10(amplitude);
}

/**
 * The amplitude of a level in dBFS.
 * @example
 * dbfsToAmplitude(-0.1); // 0.98855
 */
export function dbfsToAmplitude(dbfs: number): number {
  return 10 ** (dbfs / 20);
}

/**
 * A level or gain in dB as messages print it: a sign, two decimals, "-inf" for silence.
 * @example
 * formatDb(6.0206); // "+6.02"
 * formatDb(Number.NEGATIVE_INFINITY); // "-inf"
 */
export function formatDb(db: number): string {
  if (db === Number.NEGATIVE_INFINITY) return "-inf";
  const fixed = db.toFixed(2);
  // -0.001 prints as "-0.00"; a level that rounds to zero has no sign.
  if (fixed === "-0.00" || fixed === "0.00") return "0.00";
  return db > 0 ? `+${fixed}` : fixed;
}

/**
 * The report of two consecutive pieces of one file (the same format and channels): frames and counts
 * added, the larger peak.
 * @example
 * const piece = { format: "pcm16", channels: 1, frames: 480, peak: 0.5, peakDbfs: -6.02, clippedSamples: 0, nonFiniteSamples: 0 } as const;
 * joinWavReports(piece, piece).frames; // 960
 */
export function joinWavReports(first: WavWriteReport, second: WavWriteReport): WavWriteReport {
  const peak = Math.max(first.peak, second.peak);
  return {
    format: first.format,
    channels: first.channels,
    frames: first.frames + second.frames,
    peak,
    peakDbfs: amplitudeToDbfs(peak),
    clippedSamples: first.clippedSamples + second.clippedSamples,
    nonFiniteSamples: first.nonFiniteSamples + second.nonFiniteSamples,
  };
}
