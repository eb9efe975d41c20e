/**
 * Writing a WAV file piece by piece, for renders too long to hold in memory: the header goes first
 * with zero sizes, each piece of audio is appended as it arrives, and the RIFF and data sizes are
 * patched in at the end. Memory stays at one piece however long the file.
 *
 * The bytes are those of encodeWav (wav.ts) for the whole audio at once: the header is encodeWav's
 * for zero frames and each piece's samples are encodeWav's for that piece, so the formats, the
 * integer rounding and clipping and the float encoding cannot drift apart; only the two size fields
 * and the pad byte after an odd-length data chunk are written here.
 *
 * As writeWavFile does, it writes beside the target and renames into place only when finished, so a
 * render that fails or is killed never leaves a truncated WAV that looks finished; and as it does,
 * finish() reports the peak and the samples the format clipped, over all the pieces.
 */
import { randomBytes } from "node:crypto";
import { type FileHandle, open, rename, rm } from "node:fs/promises";
import { encodeWav, encodeWavWithReport, WavFileError, type WavSampleFormat } from "./wav";
import { joinWavReports, type WavWriteReport } from "./wav-report";

/** The RIFF size field is 32 bits and also counts "WAVE", the fmt chunk and the data header (60 bytes). */
const MAX_DATA_BYTES = 0xffff_ffff - 60;

export interface WavStreamOptions {
  sampleRate: number;
  /** Channels of every piece. */
  channels: number;
  /** Sample encoding. Default "float32". */
  format?: WavSampleFormat;
  /** NaN and ±Infinity: "error" (default) refuses a piece holding one; "zero" writes 0 (and counts them). */
  nonFinite?: "error" | "zero";
}

/**
 * A WAV file being written. Call write() for each piece in order, then finish(); abort() instead
 * removes the partial file.
 * @example
 * const writer = await WavStreamWriter.create("long.wav", { sampleRate: 48000, channels: 2, format: "pcm24" });
 * for (let second = 0; second < 600; second++) await writer.write(renderOneSecond());
 * const { peakDbfs, clippedSamples } = await writer.finish();
 */
export class WavStreamWriter {
  private frames = 0;
  private dataBytes = 0;
  private closed = false;
  private report: WavWriteReport;

  private constructor(
    /** The file this writer will create. */
    readonly path: string,
    private readonly temporary: string,
    private readonly handle: FileHandle,
    private readonly headerBytes: number,
    private readonly sampleRate: number,
    private readonly channelCount: number,
    private readonly format: WavSampleFormat,
    private readonly nonFinite: "error" | "zero",
  ) {
    this.report = {
      format,
      channels: channelCount,
      frames: 0,
      peak: 0,
      peakDbfs: Number.NEGATIVE_INFINITY,
      clippedSamples: 0,
      nonFiniteSamples: 0,
    };
  }

  /**
   * Validates the format (WavFileError naming `path`) and starts the file beside `path`.
   * @example
   * const writer = await WavStreamWriter.create("out.wav", { sampleRate: 44100, channels: 1 });
   */
  static async create(path: string, options: WavStreamOptions): Promise<WavStreamWriter> {
    const format = options.format ?? "float32";
    const silence = Array.from({ length: options.channels }, () => new Float32Array(0));
    const header = encodeWav({ sampleRate: options.sampleRate, channels: silence }, { format }, path);
    const temporary = `${path}.${randomBytes(4).toString("hex")}.partial`;
    const handle = await open(temporary, "w").catch((cause: unknown) => {
      throw cannotWrite(path, cause);
    });
    const writer = new WavStreamWriter(
      path,
      temporary,
      handle,
      header.length,
      options.sampleRate,
      options.channels,
      format,
      options.nonFinite ?? "error",
    );
    await writer.append(header, 0);
    return writer;
  }

  /** Frames written so far. */
  get framesWritten(): number {
    return this.frames;
  }

  /**
   * Appends one piece: one array per channel, all the same length. The arrays may be reused by the
   * caller once the promise resolves.
   * @example
   * await writer.write([left, right]);
   */
  async write(channels: readonly Float32Array[]): Promise<void> {
    this.ensureOpen();
    if (channels.length !== this.channelCount) {
      throw new WavFileError(
        this.path,
        `a piece has ${channels.length} channels, the file has ${this.channelCount}`,
      );
    }
    const frames = channels[0]?.length ?? 0;
    if (frames === 0) return;
    const bytes = frames * this.channelCount * bytesPerSample(this.format);
    if (this.dataBytes + bytes > MAX_DATA_BYTES) {
      throw new WavFileError(
        this.path,
        `${this.frames + frames} frames of ${this.channelCount} channels exceed the 4 GiB limit of a WAV file: render shorter parts`,
      );
    }
    const audio = { sampleRate: this.sampleRate, channels: [...channels] };
    const encoded = encodeWavWithReport(audio, { format: this.format, nonFinite: this.nonFinite }, this.path);
    await this.append(
      encoded.bytes.subarray(this.headerBytes, this.headerBytes + bytes),
      this.headerBytes + this.dataBytes,
    );
    this.dataBytes += bytes;
    this.frames += frames;
    this.report = joinWavReports(this.report, encoded.report);
  }

  /**
   * Pads an odd-length data chunk, writes the sizes into the header, and renames the file into place.
   * Resolves with the whole file's report: its peak, the samples the format clipped, the non-finite
   * samples written as 0.
   * @example
   * const report = await writer.finish();
   * if (report.clippedSamples > 0) console.warn(`${writer.path}: ${report.clippedSamples} samples clipped`);
   */
  async finish(): Promise<WavWriteReport> {
    this.ensureOpen();
    try {
      let end = this.headerBytes + this.dataBytes;
      // RIFF chunks are padded to an even length, and the pad byte counts in the RIFF size.
      if (this.dataBytes % 2 === 1) await this.append(new Uint8Array(1), end++);
      const sizes = new DataView(new ArrayBuffer(4));
      sizes.setUint32(0, end - 8, true);
      await this.append(new Uint8Array(sizes.buffer.slice(0)), 4);
      sizes.setUint32(0, this.dataBytes, true);
      await this.append(new Uint8Array(sizes.buffer.slice(0)), this.headerBytes - 4);
      this.closed = true;
      await this.handle.close();
      await rename(this.temporary, this.path);
      return this.report;
    } catch (cause) {
      await this.abort();
      throw cause instanceof WavFileError ? cause : cannotWrite(this.path, cause);
    }
  }

  /**
   * Stops writing and removes the partial file. Idempotent.
   * @example
   * await writer.abort();
   */
  async abort(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      await this.handle.close().catch(() => undefined);
    }
    await rm(this.temporary, { force: true });
  }

  private async append(bytes: Uint8Array, position: number): Promise<void> {
    try {
      for (let done = 0; done < bytes.length; ) {
        const { bytesWritten } = await this.handle.write(bytes, done, bytes.length - done, position + done);
        done += bytesWritten;
      }
    } catch (cause) {
      await this.abort();
      throw cannotWrite(this.path, cause);
    }
  }

  private ensureOpen(): void {
    if (this.closed) throw new WavFileError(this.path, "the file was already finished or aborted");
  }
}

function bytesPerSample(format: WavSampleFormat): number {
  return format === "pcm16" ? 2 : format === "pcm24" ? 3 : 4;
}

function cannotWrite(path: string, cause: unknown): WavFileError {
  return new WavFileError(path, `cannot write: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`);
}
