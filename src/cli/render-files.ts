/**
 * The WAV files of one streamed render: the output, and a stem per captured node, each appended to
 * piece by piece as the engine hands the audio over (RenderCallOptions.onChunk).
 *
 * A stem has its node's own channels (RenderChunk.captureChannels), not the request's: a mono node
 * in a stereo render writes a mono WAV. That count is known once the engine has prepared the graph,
 * so a stem's file is started with the first piece of audio.
 */
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { RenderChunk } from "../api/engine-client";
import type { WavSampleFormat, WavWriteReport } from "../audio-io/wav";
import { WavStreamWriter } from "../audio-io/wav-stream";

/** Where one render's files go. */
export interface RenderFilePlan {
  outputPath: string;
  /** The WAV of each captured node, by node name. */
  stemPaths: ReadonlyMap<string, string>;
  sampleRate: number;
  /** The output's channels (the request's). */
  channels: number;
  format: WavSampleFormat;
}

/** One WAV written, and what its writer reported. */
export interface WrittenWav {
  path: string;
  /** The captured node of a stem; null for the output. */
  node: string | null;
  report: WavWriteReport;
}

/**
 * The files of one render being written. write() each piece, then finish(); abort() instead
 * removes every partial file.
 * @example
 * const files = await RenderFiles.create({ outputPath: "take.wav", stemPaths: new Map(), sampleRate: 48000, channels: 2, format: "pcm24" });
 * await engine.render(request, { onChunk: (chunk) => files.write(chunk) });
 * const written = await files.finish(); // the output first, then the stems
 */
export class RenderFiles {
  private readonly stems = new Map<string, WavStreamWriter>();

  private constructor(
    private readonly plan: RenderFilePlan,
    private readonly output: WavStreamWriter,
  ) {}

  /**
   * Creates the folders and starts the output's file.
   * @example
   * const files = await RenderFiles.create({ outputPath: "out/take.wav", stemPaths: new Map([["drums", "stems/drums.wav"]]), sampleRate: 48000, channels: 2, format: "float32" });
   */
  static async create(plan: RenderFilePlan): Promise<RenderFiles> {
    const folders = new Set([plan.outputPath, ...plan.stemPaths.values()].map((path) => dirname(path)));
    for (const folder of folders) await mkdir(folder, { recursive: true });
    const output = await WavStreamWriter.create(plan.outputPath, {
      sampleRate: plan.sampleRate,
      channels: plan.channels,
      format: plan.format,
    });
    return new RenderFiles(plan, output);
  }

  /**
   * Appends one piece of the render to the output and to each stem.
   * @example
   * await engine.render(request, { onChunk: (chunk) => files.write(chunk) });
   */
  async write(chunk: RenderChunk): Promise<void> {
    await this.output.write(chunk.output);
    for (const [node, path] of this.plan.stemPaths) {
      const channels = chunk.captures.get(node);
      if (channels === undefined) continue;
      const own = chunk.captureChannels.get(node) ?? channels.length;
      const writer = this.stems.get(node) ?? (await this.startStem(node, path, own));
      await writer.write(channels.slice(0, own));
    }
  }

  /**
   * Finishes every file (a stem no piece reached is written empty, with the output's channels) and
   * resolves with their reports, the output first, then the stems in plan order.
   * @example
   * for (const { path, report } of await files.finish()) console.log(path, report.peakDbfs);
   */
  async finish(): Promise<WrittenWav[]> {
    const written: WrittenWav[] = [
      { path: this.output.path, node: null, report: await this.output.finish() },
    ];
    for (const [node, path] of this.plan.stemPaths) {
      const writer = this.stems.get(node) ?? (await this.startStem(node, path, this.plan.channels));
      written.push({ path: writer.path, node, report: await writer.finish() });
    }
    return written;
  }

  /**
   * Stops writing and removes every partial file; finished files stay. Idempotent.
   * @example
   * await files.abort();
   */
  async abort(): Promise<void> {
    await Promise.all([this.output, ...this.stems.values()].map((writer) => writer.abort()));
  }

  private async startStem(node: string, path: string, channels: number): Promise<WavStreamWriter> {
    const writer = await WavStreamWriter.create(path, {
      sampleRate: this.plan.sampleRate,
      channels,
      format: this.plan.format,
    });
    this.stems.set(node, writer);
    return writer;
  }
}
