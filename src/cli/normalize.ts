/**
 * --normalize: the gain that brings a render's peak to a target level, and the second pass that
 * writes the final files with it.
 *
 * Two passes, because the peak is known only once the whole render is: the render is written as
 * float32 (which clips nothing and keeps every sample) to a temporary file beside each target, its
 * peak measured on the way (the WAV writer's report); then each temporary file is read back piece by
 * piece, multiplied by the gain and written in the requested format. Every file of a session, output
 * and stems, gets the output's gain, so the stems still sum to the output.
 *
 * The target is a peak in dBFS, at most 0. In an integer format it is also at most the largest
 * sample the format holds (32767/32768 in pcm16, -0.0003 dBFS), so that --normalize=0 never clips
 * the peak it aimed at. A silent render (peak 0) cannot be brought to any level: it is written as it
 * is, with a gain of 1, and the CLI says so.
 */
import { rm } from "node:fs/promises";
import { Float32WavReader } from "../audio-io/float32-wav-reader";
import { largestSample, type WavSampleFormat, type WavWriteReport } from "../audio-io/wav";
import { amplitudeToDbfs, dbfsToAmplitude } from "../audio-io/wav-report";
import { WavStreamWriter } from "../audio-io/wav-stream";
import { EngineError } from "../contracts/errors";
import type { WrittenWav } from "./render-files";

/** --normalize's level when none is given: a peak just under full scale. */
export const DEFAULT_NORMALIZE_DBFS = -0.1;

/** What --normalize did to one session. */
export interface Normalization {
  /** The peak level asked for, in dBFS. */
  targetDbfs: number;
  /** The output's peak before the gain, in dBFS (-Infinity: silent). */
  peakDbfs: number;
  /** The linear gain applied to the output and to every stem (1 for a silent render). */
  gain: number;
  /** `gain` in dB. */
  gainDb: number;
  /** False for a silent render, which no gain brings to a level: it is written as it is. */
  applied: boolean;
}

/**
 * The gain that brings `peak` (linear, 1 is full scale) to `targetDbfs` once written in `format`.
 * @example
 * normalizationFor(2, -0.1, "pcm16").gainDb; // -6.12: the peak of 2 (+6.02 dBFS) brought down to -0.1 dBFS
 */
export function normalizationFor(peak: number, targetDbfs: number, format: WavSampleFormat): Normalization {
  const peakDbfs = amplitudeToDbfs(peak);
  if (!(peak > 0)) return { targetDbfs, peakDbfs, gain: 1, gainDb: 0, applied: false };
  const target = Math.min(dbfsToAmplitude(targetDbfs), largestSample(format));
  const gain = target / peak;
  return { targetDbfs, peakDbfs, gain, gainDb: amplitudeToDbfs(gain), applied: true };
}

/**
 * The temporary float32 file of a target during the first pass: beside it, ending in `.partial` so
 * that a killed render's clean-up (removePartialFiles) finds it.
 * @example
 * firstPassPath("renders/take.wav"); // "renders/take.wav.normalize.partial"
 */
export function firstPassPath(target: string): string {
  return `${target}.normalize.partial`;
}

/**
 * The second pass for one file: reads the float32 `source` piece by piece, multiplies every sample
 * by `gain` and writes `target` in `format` (beside it, renamed into place when complete). Resolves
 * with the target's report; the source is left for the caller to remove. Stops between pieces when
 * `signal` fires (E_CANCELLED).
 * @example
 * const report = await writeWithGain("renders/take.wav.normalize.partial", "renders/take.wav", 0.5, "pcm24");
 */
export async function writeWithGain(
  source: string,
  target: string,
  gain: number,
  format: WavSampleFormat,
  signal?: AbortSignal,
): Promise<WavWriteReport> {
  const reader = await Float32WavReader.open(source);
  let writer: WavStreamWriter | undefined;
  try {
    writer = await WavStreamWriter.create(target, {
      sampleRate: reader.sampleRate,
      channels: reader.channels,
      format,
    });
    // A second at a time, as the render streamed it.
    const pieceFrames = Math.max(1, reader.sampleRate);
    const scaled = Array.from({ length: reader.channels }, () => new Float32Array(pieceFrames));
    for (;;) {
      if (signal?.aborted) throw new EngineError("E_CANCELLED", `writing ${target} was stopped`);
      const piece = await reader.read(pieceFrames);
      const frames = piece[0]?.length ?? 0;
      if (frames === 0) break;
      const out = piece.map((channel, c) => {
        const into = (scaled[c] as Float32Array).subarray(0, frames);
        for (let i = 0; i < frames; i++) into[i] = (channel[i] as number) * gain;
        return into;
      });
      await writer.write(out);
    }
    return await writer.finish();
  } finally {
    // After finish() this removes nothing; after a failure, the partial target.
    await writer?.abort();
    await reader.close();
  }
}

/**
 * The second pass over one render's files: the gain that brings the output's peak (the first file)
 * to `targetDbfs`, applied to every file, each written to its target in `format`. Resolves with the
 * files written (in the same order) and what was done.
 * @example
 * const { files, normalization } = await normalizeFiles(firstPass, (path) => path.replace(".normalize.partial", ""), -0.1, "pcm24");
 */
export async function normalizeFiles(
  firstPass: readonly WrittenWav[],
  targetOf: (firstPassFile: string) => string,
  targetDbfs: number,
  format: WavSampleFormat,
  signal?: AbortSignal,
): Promise<{ files: WrittenWav[]; normalization: Normalization }> {
  const peak = firstPass[0]?.report.peak ?? 0;
  const normalization = normalizationFor(peak, targetDbfs, format);
  const files: WrittenWav[] = [];
  for (const file of firstPass) {
    const target = targetOf(file.path);
    const report = await writeWithGain(file.path, target, normalization.gain, format, signal);
    files.push({ path: target, node: file.node, report });
  }
  return { files, normalization };
}

/**
 * Removes first-pass files, whether or not they were finished.
 * @example
 * await removeFirstPassFiles(["renders/take.wav.normalize.partial"]);
 */
export async function removeFirstPassFiles(paths: readonly string[]): Promise<void> {
  await Promise.all(paths.map((path) => rm(path, { force: true })));
}
