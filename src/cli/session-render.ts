/**
 * One session, rendered to WAV files: read the session, make an engine at its sample rate and block
 * size, upload its audio, apply the command line's overrides, render, write the output and the stems.
 * Runs inside a worker thread (cli-worker.ts); everything crossing that boundary is plain data.
 */
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { EngineClient, RenderProgress } from "../api/engine-client";
import { type WavSampleFormat, writeWavFile } from "../audio-io/wav";
import { EngineError } from "../contracts/errors";
import type { NonFiniteReport } from "../contracts/non-finite";
import type { RenderRequest } from "../contracts/render";
import { readSession, uploadSession } from "../session/load-session";
import type { LengthOverride } from "./cli-options";

/** What to render and where to write it. */
export interface SessionRenderJob {
  sessionPath: string;
  outputPath: string;
  stemsDir: string | null;
  format: WavSampleFormat;
  length: LengthOverride;
  blockSize: number | null;
  extraStems: string[];
}

export interface SessionRenderOutcome {
  /** Frames per channel written. */
  frames: number;
  sampleRate: number;
  /**
   * NaN and ±Infinity the engine wrote as 0, when the session's options.non_finite is "replace"
   * (by default such a render fails instead); null when there were none.
   */
  nonFinite: NonFiniteReport | null;
}

/** Makes the engine for a session: createEngine with the in-process host, in the CLI's workers. */
export type EngineFactory = (options: { sampleRate: number; blockSize: number }) => Promise<EngineClient>;

export interface SessionRenderHooks {
  createEngine: EngineFactory;
  onProgress?: (progress: RenderProgress & { sample_rate: number }) => void;
}

/**
 * Renders one session to its WAV files. Throws EngineError (or WavFileError when a file cannot be
 * written); the engine is closed either way.
 * @example
 * await renderSessionJob(job, { createEngine: (o) => createEngine({ host: "in-process", ...o }) });
 */
export async function renderSessionJob(
  job: SessionRenderJob,
  hooks: SessionRenderHooks,
): Promise<SessionRenderOutcome> {
  const session = await readSession(job.sessionPath);
  const blockSize = job.blockSize ?? session.file.block_size;
  const engine = await hooks.createEngine({ sampleRate: session.file.sample_rate, blockSize });
  try {
    const loaded = await uploadSession(session, engine);
    const request = withOverrides(loaded.request, job);
    const result = await engine.render(request, {
      onProgress: (progress) => hooks.onProgress?.({ ...progress, sample_rate: request.sample_rate }),
    });
    if (result.status !== "ok" || result.buffer_handle === null) {
      // result.error is already an EngineError message ("E_RENDER: ...").
      throw new Error(result.error ?? `the render ended with status ${result.status}`);
    }
    await mkdir(dirname(job.outputPath), { recursive: true });
    const output = await engine.readBuffer(result.buffer_handle);
    await writeWavFile(
      job.outputPath,
      { sampleRate: request.sample_rate, channels: output },
      { format: job.format },
    );
    if (job.stemsDir !== null) {
      const captures = Object.entries(result.extensions.captures ?? {});
      if (captures.length > 0) await mkdir(job.stemsDir, { recursive: true });
      for (const [node, handle] of captures) {
        // Node names are limited to A-Z a-z 0-9 _ . - by the contract, so they are safe file names.
        const file = join(job.stemsDir, `${node}.wav`);
        const channels = await engine.readBuffer(handle);
        await writeWavFile(file, { sampleRate: request.sample_rate, channels }, { format: job.format });
      }
    }
    return {
      frames: result.frames,
      sampleRate: request.sample_rate,
      nonFinite: result.extensions.non_finite ?? null,
    };
  } finally {
    await engine.close();
  }
}

/**
 * The session's request with the command line's length, block size and extra stems. An extra stem
 * that names no node fails here, naming it, rather than deep inside the engine.
 */
function withOverrides(request: RenderRequest, job: SessionRenderJob): RenderRequest {
  const nodeNames = new Set(request.node_graph.nodes.map((node) => node.name));
  for (const name of job.extraStems) {
    if (!nodeNames.has(name)) {
      throw new EngineError(
        "E_UNKNOWN_NODE",
        `--stem ${name}: no node named "${name}" in the session's graph (nodes: ${[...nodeNames].join(", ")})`,
      );
    }
  }
  const capture = job.stemsDir === null ? request.options.capture : mergeCaptures(request, job.extraStems);
  return {
    ...request,
    ...(job.length === null
      ? {}
      : "seconds" in job.length
        ? { duration_seconds: job.length.seconds, duration_beats: null }
        : { duration_seconds: null, duration_beats: job.length.beats }),
    options: {
      ...request.options,
      ...(job.blockSize === null ? {} : { block_size: job.blockSize }),
      ...(capture === undefined ? {} : { capture }),
    },
  };
}

/** options.capture plus the extra stems, without repeating a name (the contract rejects duplicates). */
function mergeCaptures(request: RenderRequest, extra: string[]): string[] | undefined {
  const merged = [...new Set([...(request.options.capture ?? []), ...extra])];
  return merged.length === 0 ? undefined : merged;
}
