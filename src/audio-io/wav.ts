/**
 * WAV files on disk (Node.js): read, and write beside the target then rename into place. The codec
 * itself, encoding and decoding bytes, is wav-codec.ts (no file system, so pages and Workers use it).
 */
import { writeFileInPlace } from "./file-in-place";
import { FileReadError, readRegularFile } from "./regular-file";
import {
  type AudioData,
  decodeWav,
  encodeWavWithReport,
  MAX_WAV_FILE_BYTES,
  WavFileError,
  type WavWriteOptions,
} from "./wav-codec";
import type { WavWriteReport } from "./wav-report";

export * from "./wav-codec";

export interface WavReadOptions {
  /** Refuse a larger file (or one that grows past it while read). Default MAX_WAV_FILE_BYTES. */
  maxBytes?: number;
}

/**
 * Reads and decodes a WAV file; errors name the file and never quote its bytes. Only a regular file
 * is read (a FIFO, a device such as /dev/zero or a directory is refused without reading), and at
 * most `maxBytes` of it.
 * @example
 * const { sampleRate, channels } = await readWavFile("stems/drums.wav");
 */
export async function readWavFile(path: string, options: WavReadOptions = {}): Promise<AudioData> {
  let bytes: Uint8Array;
  try {
    bytes = await readRegularFile(path, { maxBytes: options.maxBytes ?? MAX_WAV_FILE_BYTES });
  } catch (cause) {
    if (cause instanceof FileReadError) throw new WavFileError(path, cause.problem);
    throw cause;
  }
  return decodeWav(bytes, path);
}

/**
 * Encodes and writes a WAV file. It is written beside the target and renamed into place, so a render
 * killed midway never leaves a truncated WAV that looks finished. Resolves with the peak, the samples
 * the format clipped and the non-finite samples written as 0.
 * @example
 * const report = await writeWavFile("out.wav", { sampleRate: 48000, channels }, { format: "pcm16" });
 * if (report.clippedSamples > 0) console.warn(`out.wav clipped ${report.clippedSamples} samples`);
 */
export async function writeWavFile(
  path: string,
  audio: AudioData,
  options: WavWriteOptions = {},
): Promise<WavWriteReport> {
  const { bytes, report } = encodeWavWithReport(audio, options, path);
  await writeWavBytes(path, bytes);
  return report;
}

/**
 * Writes an encoded WAV file (encodeWav's bytes) beside `path` and renames it into place, so that a
 * reader never sees part of it. Throws WavFileError naming `path`.
 * @example
 * await writeWavBytes("drums.wav", encodeWav({ sampleRate: 48000, channels: [left] }));
 */
export async function writeWavBytes(path: string, bytes: Uint8Array): Promise<void> {
  try {
    await writeFileInPlace(path, bytes);
  } catch (cause) {
    throw new WavFileError(path, `cannot write: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`);
  }
}
