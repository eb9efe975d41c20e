/**
 * Reading a float32 WAV file piece by piece: the second half of a two-pass write (the CLI's
 * --normalize renders to float32 first, then writes the final format with a gain), where the file may
 * be longer than memory should hold. Memory stays at one piece however long the file.
 *
 * Only float32 is read, little-endian (RIFF), mono to any channel count: the files are those a
 * WavStreamWriter wrote. Anything else is refused with a WavFileError naming the file.
 */
import { type FileHandle, open } from "node:fs/promises";
import { WavFileError } from "./wav";
import { readWavHeader } from "./wav-header";

/** The header is read from the first bytes: WavStreamWriter's is 44 to 80 bytes long. */
const HEADER_PROBE_BYTES = 4096;
const FORMAT_TAG_FLOAT = 3;
const FORMAT_TAG_EXTENSIBLE = 0xfffe;

/**
 * A float32 WAV file open for reading, piece by piece from its start.
 * @example
 * const reader = await Float32WavReader.open("take.wav.normalize.partial");
 * let read = 0;
 * for (let piece = await reader.read(48000); piece[0]?.length; piece = await reader.read(48000)) read += piece[0].length;
 * await reader.close();
 */
export class Float32WavReader {
  private nextFrame = 0;
  private bytes = new Uint8Array(0);
  private planar: Float32Array[] = [];

  private constructor(
    /** The file being read. */
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly dataStart: number,
    readonly sampleRate: number,
    /** Channels of each frame. */
    readonly channels: number,
    /** Frames in the file. */
    readonly frames: number,
  ) {}

  /**
   * Opens `path` and reads its header. Throws WavFileError when the file cannot be read, is not a
   * float32 WAV, or is shorter than its header says.
   * @example
   * const { sampleRate, channels, frames } = await Float32WavReader.open("take.wav.normalize.partial");
   */
  static async open(path: string): Promise<Float32WavReader> {
    const handle = await open(path, "r").catch((cause: unknown) => {
      throw new WavFileError(path, `cannot read: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`);
    });
    try {
      const { size } = await handle.stat();
      const probe = new Uint8Array(Math.min(size, HEADER_PROBE_BYTES));
      await handle.read(probe, 0, probe.length, 0);
      const magic = String.fromCharCode(...probe.subarray(0, 4), ...probe.subarray(8, 12));
      if (magic !== "RIFFWAVE")
        throw new WavFileError(path, "not a little-endian WAV file (no RIFF/WAVE header)");
      let header: ReturnType<typeof readWavHeader>;
      try {
        header = readWavHeader(probe);
      } catch (cause) {
        throw new WavFileError(
          path,
          `no float32 header in its first ${HEADER_PROBE_BYTES} bytes: ${String(cause)}`,
        );
      }
      const { audioFormat, bitsPerSample, numChannels, sampleRate, blockAlign, subformat } = header.fmt;
      const tag = audioFormat === FORMAT_TAG_EXTENSIBLE ? subformat[0] : audioFormat;
      if (
        tag !== FORMAT_TAG_FLOAT ||
        bitsPerSample !== 32 ||
        numChannels < 1 ||
        blockAlign !== numChannels * 4
      ) {
        throw new WavFileError(path, "not a float32 WAV file: only float32 is read piece by piece");
      }
      const dataStart = header.data.samples.byteOffset - probe.byteOffset;
      const declared = header.data.chunkSize;
      if (dataStart + declared > size) {
        throw new WavFileError(
          path,
          `truncated WAV file: the data chunk declares ${declared} bytes but only ${size - dataStart} are present`,
        );
      }
      return new Float32WavReader(
        path,
        handle,
        dataStart,
        sampleRate,
        numChannels,
        Math.floor(declared / blockAlign),
      );
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /**
   * The next `maxFrames` frames, one array per channel (fewer frames at the end of the file, none
   * after it). The arrays are reused by the next read: use or copy them before.
   * @example
   * const [left, right] = await reader.read(48000);
   */
  async read(maxFrames: number): Promise<Float32Array[]> {
    const frames = Math.max(0, Math.min(maxFrames, this.frames - this.nextFrame));
    const stride = this.channels * 4;
    if (this.bytes.length < frames * stride) {
      this.bytes = new Uint8Array(frames * stride);
      this.planar = Array.from({ length: this.channels }, () => new Float32Array(frames));
    }
    const position = this.dataStart + this.nextFrame * stride;
    for (let done = 0; done < frames * stride; ) {
      const { bytesRead } = await this.handle.read(this.bytes, done, frames * stride - done, position + done);
      if (bytesRead === 0) throw new WavFileError(this.path, "the file ended before its data chunk did");
      done += bytesRead;
    }
    this.nextFrame += frames;
    const view = new DataView(this.bytes.buffer, 0, frames * stride);
    return this.planar.map((planar, c) => {
      const channel = planar.subarray(0, frames);
      for (let i = 0, at = c * 4; i < frames; i++, at += stride) channel[i] = view.getFloat32(at, true);
      return channel;
    });
  }

  /**
   * Closes the file. Idempotent.
   * @example
   * await reader.close();
   */
  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}
