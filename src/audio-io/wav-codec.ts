/**
 * The WAV codec, without files (so pages and Workers use it too; wav.ts reads and writes files): 16- and 24-bit integer PCM and 32-bit float, any channel count.
 *
 * `wavefile` writes the RIFF container (chunks, the `fmt ` header); wav-header.ts reads it, with a
 * bounded walk that skips metadata chunks wavefile would trust (see there). The samples themselves
 * are converted here with typed arrays: wavefile's own sample packing goes through a generic per-value
 * codec (about 9 s to write one minute of stereo float32) and labels multichannel float files as integer
 * PCM in their WAVE_FORMAT_EXTENSIBLE header.
 *
 * Sample conventions (the same as libsndfile's and the Web Audio API's):
 * - reading scales an integer sample x of b bits to x / 2^(b-1), so values lie in [-1, 1);
 * - writing integers multiplies by 2^(b-1), rounds to the nearest integer (ties toward +infinity, as
 *   Math.round) and clips to the integer range, which is the same as clipping the input to
 *   [-1, 1 - 2^-(b-1)]. A value that is a multiple of 2^-(b-1) in range round-trips exactly;
 * - float32 is written as is (no clipping), so a float32 round trip is bit-exact;
 * - nothing clips silently: every writer reports the peak and how many samples the integer format
 *   clipped (WavWriteReport, wav-report.ts);
 * - NaN and ±Infinity are never written silently, in any format: writing refuses audio that holds
 *   one (WavFileError naming how many and the first), unless `nonFinite: "zero"` asks for 0 in
 *   their place, and then writeWavFile reports how many (non-finite-samples.ts).
 * Files with more than two channels use WAVE_FORMAT_EXTENSIBLE (format tag 0xFFFE) with the PCM or
 * IEEE-float sub-format, as the WAVE specification requires; mono and stereo use tag 1 (PCM) or 3 (float).
 */
import * as wavefileModule from "wavefile";
import { describeNonFinite, findNonFinite, zeroNonFinite } from "./non-finite-samples";
import { readWavHeader, type WavHeader } from "./wav-header";
import { amplitudeToDbfs, type WavWriteReport } from "./wav-report";

export type { WavWriteReport } from "./wav-report";

/** Sample encodings a WAV can be written in. */
export const WAV_SAMPLE_FORMATS = ["pcm16", "pcm24", "float32"] as const;
export type WavSampleFormat = (typeof WAV_SAMPLE_FORMATS)[number];

/**
 * The largest sample a format holds without clipping: 1 - 2^-(bits-1) for the integer formats
 * (32767/32768 in pcm16), the largest float32 for float32.
 * @example
 * largestSample("pcm16"); // 0.999969482421875
 */
export function largestSample(format: WavSampleFormat): number {
  if (format === "float32") return 3.4028234663852886e38;
  const bits = format === "pcm16" ? 16 : 24;
  return 1 - 2 ** -(bits - 1);
}

/** Planar audio: one Float32Array per channel, all the same length. */
export interface AudioData {
  sampleRate: number;
  channels: Float32Array[];
}

export interface WavWriteOptions {
  /** Sample encoding. Default "float32", which keeps every sample exactly. */
  format?: WavSampleFormat;
  /**
   * NaN and ±Infinity: "error" (default) refuses to write audio holding one; "zero" writes 0 in
   * their place (the writers report how many).
   */
  nonFinite?: "error" | "zero";
}

/** A file that is not a WAV this module can read, or audio that cannot be written as one. */
export class WavFileError extends Error {
  override readonly name = "WavFileError";
  /**
   * @example
   * new WavFileError("drums.wav", "no \"data\" chunk").message; // 'drums.wav: no "data" chunk'
   */
  constructor(
    /** The file (or label) the problem is in. */
    readonly file: string,
    /** What is wrong, without the file name. */
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

const FORMAT_TAG_PCM = 1;
const FORMAT_TAG_FLOAT = 3;
const FORMAT_TAG_EXTENSIBLE = 0xfffe;
/** The RIFF size field is 32 bits and also counts "WAVE", the fmt chunk and the data header (60 bytes). */
const MAX_DATA_BYTES = 0xffff_ffff - 60;
/** Size of a WAVE_FORMAT_EXTENSIBLE `fmt ` chunk. */
const EXTENSIBLE_FMT_SIZE = 40;
/** KSDATAFORMAT_SUBTYPE_PCM and _IEEE_FLOAT as wavefile stores a GUID: four little-endian uint32. */
const SUBFORMAT_PCM = [1, 0x0010_0000, 0xaa00_0080, 0x719b_3800];
const SUBFORMAT_IEEE_FLOAT = [3, 0x0010_0000, 0xaa00_0080, 0x719b_3800];

type SampleEncoding = { kind: "int"; bits: 16 | 24 | 32 } | { kind: "float"; bits: 32 | 64 };

const WRITE_ENCODINGS: Record<WavSampleFormat, SampleEncoding & { code: string }> = {
  pcm16: { kind: "int", bits: 16, code: "16" },
  pcm24: { kind: "int", bits: 24, code: "24" },
  float32: { kind: "float", bits: 32, code: "32f" },
};

/**
 * wavefile's class. Node.js loads the package as CommonJS (the class under `default`); bundlers (Vite,
 * esbuild for pages) load its ES module, which exports the class by name.
 */
const { WaveFile } =
  "WaveFile" in wavefileModule
    ? wavefileModule
    : (wavefileModule as unknown as { default: typeof wavefileModule }).default;

/** wavefile types its chunks as plain `object`; these are the fields it fills and we use. */
interface WavefileHeader {
  container: string;
  fmt: {
    chunkSize: number;
    audioFormat: number;
    numChannels: number;
    sampleRate: number;
    bitsPerSample: number;
    blockAlign: number;
    subformat: number[];
  };
  data: { chunkSize: number; samples: Uint8Array };
}

/** The chunks of a parsed or scratch-built wavefile object, with the fields we read and write. */
function headerOf(wav: InstanceType<typeof WaveFile>): WavefileHeader {
  return {
    container: wav.container,
    fmt: wav.fmt as WavefileHeader["fmt"],
    data: wav.data as WavefileHeader["data"],
  };
}

/**
 * Encodes planar audio as a WAV file.
 * @example
 * const bytes = encodeWav({ sampleRate: 48000, channels: [left, right] }, { format: "pcm24" });
 */
export function encodeWav(audio: AudioData, options: WavWriteOptions = {}, label = "WAV"): Uint8Array {
  return encodeWavWithReport(audio, options, label).bytes;
}

/**
 * Encodes planar audio as a WAV file and reports its peak and the samples the format clipped.
 * @example
 * const { bytes, report } = encodeWavWithReport({ sampleRate: 48000, channels: [left] }, { format: "pcm16" });
 * if (report.clippedSamples > 0) console.warn(`clipped ${report.clippedSamples} samples`);
 */
export function encodeWavWithReport(
  audio: AudioData,
  options: WavWriteOptions = {},
  label = "WAV",
): { bytes: Uint8Array; report: WavWriteReport } {
  const format = options.format ?? "float32";
  const encoding = WRITE_ENCODINGS[format];
  if (encoding === undefined) {
    throw new WavFileError(label, `unknown sample format "${format}" (use ${WAV_SAMPLE_FORMATS.join(", ")})`);
  }
  const { sampleRate } = audio;
  let { channels } = audio;
  if (channels.length < 1) throw new WavFileError(label, "cannot write audio with no channels");
  if (!Number.isInteger(sampleRate) || sampleRate < 1 || sampleRate > 0xffff_ffff) {
    throw new WavFileError(
      label,
      `sample rate ${sampleRate} is not a positive integer a WAV header can hold`,
    );
  }
  const frames = channels[0]?.length ?? 0;
  channels.forEach((channel, index) => {
    if (channel.length !== frames) {
      throw new WavFileError(label, `channel ${index} has ${channel.length} frames, channel 0 has ${frames}`);
    }
  });

  const nonFinite = findNonFinite(channels);
  const nonFiniteSamples = nonFinite?.samples ?? 0;
  if (nonFinite !== null) {
    if ((options.nonFinite ?? "error") === "error") {
      throw new WavFileError(
        label,
        `${describeNonFinite(nonFinite)}: a WAV file holds none; write them as 0 with nonFinite: "zero"`,
      );
    }
    channels = zeroNonFinite(channels);
  }

  // wavefile builds the header from an empty sample list; the data chunk is filled in below.
  const wav = new WaveFile();
  try {
    wav.fromScratch(channels.length, sampleRate, encoding.code, []);
  } catch (cause) {
    throw new WavFileError(label, `cannot write this audio as WAV: ${describeWavefileError(cause)}`);
  }
  const header = headerOf(wav);
  if (header.fmt.chunkSize === EXTENSIBLE_FMT_SIZE) {
    // Above two channels wavefile writes the extensible layout but keeps the plain format tag and
    // always names integer PCM in the sub-format: state both properly.
    header.fmt.audioFormat = FORMAT_TAG_EXTENSIBLE;
    header.fmt.subformat = encoding.kind === "float" ? [...SUBFORMAT_IEEE_FLOAT] : [...SUBFORMAT_PCM];
  }
  const dataBytes = frames * channels.length * (encoding.bits / 8);
  if (dataBytes > MAX_DATA_BYTES) {
    throw new WavFileError(
      label,
      `${frames} frames of ${channels.length} channels exceed the 4 GiB limit of a WAV file: render shorter parts`,
    );
  }
  const packed = packSamples(channels, frames, encoding);
  header.data.samples = packed.bytes;
  const report: WavWriteReport = {
    format,
    channels: channels.length,
    frames,
    peak: packed.peak,
    peakDbfs: amplitudeToDbfs(packed.peak),
    clippedSamples: packed.clippedSamples,
    nonFiniteSamples,
  };
  const bytes = wav.toBuffer();
  if (dataBytes % 2 === 0) return { bytes, report };
  // RIFF chunks are padded to an even length; wavefile leaves out the pad byte after an odd data chunk
  // (24-bit mono with an odd frame count), which it writes last. Add it, and count it in the RIFF size.
  const padded = new Uint8Array(bytes.length + 1);
  padded.set(bytes);
  const view = new DataView(padded.buffer);
  view.setUint32(4, view.getUint32(4, true) + 1, true);
  return { bytes: padded, report };
}

/**
 * Decodes a WAV file (RIFF or RIFX; 16/24/32-bit integer PCM or 32/64-bit float, any channel count).
 * Throws WavFileError naming `label` and the problem.
 * @example
 * const { sampleRate, channels } = decodeWav(await readFile("drums.wav"), "drums.wav");
 */
export function decodeWav(bytes: Uint8Array, label = "WAV"): AudioData {
  if (bytes.length < 12) throw new WavFileError(label, `not a WAV file: only ${bytes.length} bytes`);
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  const form = String.fromCharCode(...bytes.subarray(8, 12));
  if ((magic !== "RIFF" && magic !== "RIFX") || form !== "WAVE") {
    // Never quote the bytes found: the file may be anything (a key, a password file) named by mistake.
    throw new WavFileError(label, "not a WAV file (no RIFF/WAVE header)");
  }
  let header: WavHeader;
  try {
    header = readWavHeader(bytes);
  } catch (cause) {
    throw new WavFileError(label, `corrupt WAV file: ${describeWavefileError(cause)}`);
  }
  const { numChannels, sampleRate, blockAlign } = header.fmt;
  const encoding = readEncoding(header, label);
  if (numChannels < 1) throw new WavFileError(label, "corrupt WAV file: the header declares 0 channels");
  if (sampleRate < 1) throw new WavFileError(label, "corrupt WAV file: the header declares sample rate 0");
  const bytesPerSample = encoding.bits / 8;
  if (blockAlign !== numChannels * bytesPerSample) {
    throw new WavFileError(
      label,
      `corrupt WAV file: block align ${blockAlign} does not match ${numChannels} channels of ${encoding.bits} bits`,
    );
  }
  const declared = header.data.chunkSize;
  const available = header.data.samples.length;
  if (available < declared) {
    throw new WavFileError(
      label,
      `truncated WAV file: the data chunk declares ${declared} bytes but only ${available} are present`,
    );
  }
  if (declared % blockAlign !== 0) {
    throw new WavFileError(
      label,
      `corrupt WAV file: data chunk of ${declared} bytes is not a whole number of ${blockAlign}-byte frames`,
    );
  }
  const channels = unpackSamples(
    header.data.samples.subarray(0, declared),
    numChannels,
    encoding,
    header.container === "RIFF",
  );
  return { sampleRate, channels };
}

/** The largest file a WAV can be: its RIFF size field is 32 bits and does not count the first 8 bytes. */
export const MAX_WAV_FILE_BYTES = 0xffff_ffff + 8;

function readEncoding(header: WavHeader, label: string): SampleEncoding {
  const { audioFormat, bitsPerSample, subformat } = header.fmt;
  // An extensible header carries the real format tag in the first field of its sub-format GUID.
  const tag = audioFormat === FORMAT_TAG_EXTENSIBLE ? subformat[0] : audioFormat;
  if (tag === FORMAT_TAG_PCM && (bitsPerSample === 16 || bitsPerSample === 24 || bitsPerSample === 32)) {
    return { kind: "int", bits: bitsPerSample };
  }
  if (tag === FORMAT_TAG_FLOAT && (bitsPerSample === 32 || bitsPerSample === 64)) {
    return { kind: "float", bits: bitsPerSample };
  }
  const what =
    tag === FORMAT_TAG_PCM
      ? `${bitsPerSample}-bit integer PCM`
      : tag === FORMAT_TAG_FLOAT
        ? `${bitsPerSample}-bit float`
        : `format tag ${tag ?? "(missing)"}`;
  throw new WavFileError(
    label,
    `unsupported WAV encoding: ${what} (supported: 16/24/32-bit integer PCM, 32/64-bit float)`,
  );
}

/**
 * The interleaved sample bytes, with the peak and the clipped samples counted in the same pass (the
 * samples are finite here: non-finite ones were refused or zeroed).
 */
function packSamples(
  channels: Float32Array[],
  frames: number,
  encoding: SampleEncoding,
): { bytes: Uint8Array; peak: number; clippedSamples: number } {
  const count = channels.length;
  const bytesPerSample = encoding.bits / 8;
  const out = new Uint8Array(frames * count * bytesPerSample);
  const view = new DataView(out.buffer);
  let peak = 0;
  if (encoding.kind === "float") {
    for (let c = 0; c < count; c++) {
      const channel = channels[c] as Float32Array;
      for (let i = 0, at = c * 4; i < frames; i++, at += count * 4) {
        const sample = channel[i] as number;
        peak = Math.max(peak, Math.abs(sample));
        view.setFloat32(at, sample, true);
      }
    }
    return { bytes: out, peak, clippedSamples: 0 };
  }
  const scale = 2 ** (encoding.bits - 1);
  const max = scale - 1;
  let clippedSamples = 0;
  for (let c = 0; c < count; c++) {
    const channel = channels[c] as Float32Array;
    for (let i = 0, at = c * bytesPerSample; i < frames; i++, at += count * bytesPerSample) {
      const sample = channel[i] as number;
      peak = Math.max(peak, Math.abs(sample));
      const scaled = Math.round(sample * scale);
      // Exactly the samples the clamp below changes: beyond the format's range once rounded.
      if (scaled > max || scaled < -scale) clippedSamples++;
      const value = Number.isNaN(scaled) ? 0 : Math.min(max, Math.max(-scale, scaled));
      if (bytesPerSample === 2) view.setInt16(at, value, true);
      else {
        out[at] = value & 0xff;
        out[at + 1] = (value >> 8) & 0xff;
        out[at + 2] = (value >> 16) & 0xff;
      }
    }
  }
  return { bytes: out, peak, clippedSamples };
}

function unpackSamples(
  data: Uint8Array,
  count: number,
  encoding: SampleEncoding,
  littleEndian: boolean,
): Float32Array[] {
  const bytesPerSample = encoding.bits / 8;
  const stride = count * bytesPerSample;
  const frames = data.length / stride;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const scale = 2 ** -(encoding.bits - 1);
  // One loop per encoding keeps the per-sample work to a single typed read.
  const read: (at: number) => number =
    encoding.kind === "float"
      ? encoding.bits === 32
        ? (at) => view.getFloat32(at, littleEndian)
        : (at) => view.getFloat64(at, littleEndian)
      : encoding.bits === 16
        ? (at) => view.getInt16(at, littleEndian) * scale
        : encoding.bits === 32
          ? (at) => view.getInt32(at, littleEndian) * scale
          : littleEndian
            ? (at) => int24(data[at] as number, data[at + 1] as number, data[at + 2] as number) * scale
            : (at) => int24(data[at + 2] as number, data[at + 1] as number, data[at] as number) * scale;
  return Array.from({ length: count }, (_, c) => {
    const channel = new Float32Array(frames);
    for (let i = 0, at = c * bytesPerSample; i < frames; i++, at += stride) channel[i] = read(at);
    return channel;
  });
}

/** A signed 24-bit value from its bytes, lowest first (shifted up to bit 31 and back, to extend the sign). */
function int24(low: number, middle: number, high: number): number {
  return ((low | (middle << 8) | (high << 16)) << 8) >> 8;
}

function describeWavefileError(cause: unknown): string {
  const text = cause instanceof Error ? cause.message : String(cause);
  return text.replace(/^Error: /, "");
}
