/**
 * One session, rendered to WAV files: read the session, make an engine at its sample rate and block
 * size, upload its audio, apply the command line's overrides, render, write the output and the stems.
 * Runs inside a worker thread (cli-worker.ts); everything crossing that boundary is plain data. It is
 * also the Node.js API for rendering a session to disk as the CLI does.
 *
 * The render streams: the engine hands over about a second of audio at a time (RenderCallOptions
 * .onChunk) and each piece is appended to its WAV (render-files.ts), so memory does not grow with
 * the render's length. The session's timeout covers it all, from reading the files to the last write.
 */
import { readdir, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { EngineClient, RenderProgress } from "../api/engine-client";
import type { WavSampleFormat } from "../audio-io/wav";
import { EngineError } from "../contracts/errors";
import type { NonFiniteReport } from "../contracts/non-finite";
import type { RenderRequest } from "../contracts/render";
import { readSession, uploadSession } from "../session/load-session";
import type { LengthOverride } from "./cli-options";
import { inputKind } from "./input-nouns";
import { firstPassPath, type Normalization, normalizeFiles, removeFirstPassFiles } from "./normalize";
import { isProjectFile, type LoadedProjectRender, loadProjectRender } from "./project-input";
import { RenderFiles, type WrittenWav } from "./render-files";

/** What to render and where to write it. */
export interface SessionRenderJob {
  sessionPath: string;
  outputPath: string;
  stemsDir: string | null;
  format: WavSampleFormat;
  length: LengthOverride;
  blockSize: number | null;
  /** The rate a project file renders at (--sample-rate); null or absent: its own. Sessions take none. */
  sampleRate?: number | null;
  extraStems: string[];
  /** Read WAVs outside the session's folder too (readSession's allowOutsidePaths). Default false. */
  allowOutsidePaths?: boolean;
  /**
   * Seconds the whole job may take, from reading the session to writing the last WAV; then it fails
   * with E_CANCELLED ("timed out") and leaves no output behind. 0 or absent: no limit.
   */
  timeoutSeconds?: number;
  /**
   * Normalise to this peak level in dBFS (<= 0; --normalize): the output and every stem get the gain
   * that brings the output's peak there (normalize.ts). Null or absent: written as rendered.
   */
  normalizePeakDbfs?: number | null;
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
  /**
   * Every WAV written, the output first, then the stems, each with its writer's report: the peak,
   * and the samples an integer format clipped.
   */
  files: WrittenWav[];
  /** What --normalize did (normalizePeakDbfs), or null without it. */
  normalization: Normalization | null;
}

/** Makes the engine for a session: createEngine with the in-process host, in the CLI's workers. */
export type EngineFactory = (options: { sampleRate: number; blockSize: number }) => Promise<EngineClient>;

export interface SessionRenderHooks {
  createEngine: EngineFactory;
  onProgress?: (progress: RenderProgress & { sample_rate: number }) => void;
  /** Stops the job (E_CANCELLED), as the timeout does. */
  signal?: AbortSignal;
}

/**
 * Renders one session to its WAV files. Throws EngineError (or WavFileError when a file cannot be
 * written); the engine is closed and no partial WAV is left either way. The engine must be an
 * in-process one (the render streams through onChunk).
 * @example
 * await renderSessionJob(
 *   { ...job, timeoutSeconds: 600 },
 *   { createEngine: (o) => createEngine({ host: "in-process", ...o }) },
 * );
 */
export async function renderSessionJob(
  job: SessionRenderJob,
  hooks: SessionRenderHooks,
): Promise<SessionRenderOutcome> {
  const seconds = job.timeoutSeconds ?? 0;
  const timeout = seconds > 0 ? AbortSignal.timeout(seconds * 1000) : undefined;
  const signals = [timeout, hooks.signal].filter((signal) => signal !== undefined);
  const signal = signals.length > 0 ? AbortSignal.any(signals) : undefined;
  try {
    return await renderSessionFiles(job, hooks, signal);
  } catch (error) {
    if (timeout?.aborted) throw sessionTimedOut(seconds, inputKind(job.sessionPath));
    throw error;
  }
}

/**
 * The error of a session (or project) that outlived its timeout.
 * @example
 * sessionTimedOut(600).message; // "E_CANCELLED: timed out: the session took longer than its timeout of 600 s"
 * sessionTimedOut(600, "project").message; // "E_CANCELLED: timed out: the project took longer than its timeout of 600 s"
 */
export function sessionTimedOut(seconds: number, kind: "session" | "project" = "session"): EngineError {
  return new EngineError(
    "E_CANCELLED",
    `timed out: the ${kind} took longer than its timeout of ${seconds} s`,
  );
}

/**
 * Removes what a job killed midway (its worker stopped) left: the `.partial` files beside its
 * output and in its stems folder. Finished WAVs are kept.
 * @example
 * await removePartialFiles(job);
 */
export async function removePartialFiles(job: SessionRenderJob): Promise<void> {
  const clean = async (dir: string, prefix: string) => {
    const names = await readdir(dir).catch(() => [] as string[]);
    const partial = names.filter((name) => name.startsWith(prefix) && name.endsWith(".partial"));
    await Promise.all(partial.map((name) => rm(join(dir, name), { force: true })));
  };
  await clean(dirname(job.outputPath), `${basename(job.outputPath)}.`);
  if (job.stemsDir !== null) await clean(job.stemsDir, "");
}

async function renderSessionFiles(
  job: SessionRenderJob,
  hooks: SessionRenderHooks,
  signal: AbortSignal | undefined,
): Promise<SessionRenderOutcome> {
  const loaded = isProjectFile(job.sessionPath)
    ? await loadProjectRender(job.sessionPath, {
        createEngine: hooks.createEngine,
        blockSize: job.blockSize,
        sampleRate: job.sampleRate ?? null,
        stems: job.stemsDir !== null,
      })
    : await loadSessionRender(job, hooks, signal);
  const { engine, stemName } = loaded;
  const normalizeTo = job.normalizePeakDbfs ?? null;
  // Normalising renders to float32 files beside the targets first (normalize.ts).
  const firstPass = (target: string) => (normalizeTo === null ? target : firstPassPath(target));
  let files: RenderFiles | undefined;
  const firstPassFiles: string[] = [];
  try {
    const request = withOverrides(loaded.request, job);
    const stemNames = job.stemsDir === null ? [] : capturedNodes(request);
    // Node names are limited to A-Z a-z 0-9 _ . - by the contract (track ids to A-Z a-z 0-9 _ -), so
    // they are safe file names.
    const stemPaths = new Map(
      stemNames.map((node) => [node, join(job.stemsDir as string, `${stemName(node)}.wav`)]),
    );
    // Each file of the first pass, and the target it becomes.
    const targetOf = new Map(
      [job.outputPath, ...stemPaths.values()].map((target) => [firstPass(target), target]),
    );
    if (normalizeTo !== null) firstPassFiles.push(...targetOf.keys());
    files = await RenderFiles.create({
      outputPath: firstPass(job.outputPath),
      stemPaths: new Map([...stemPaths].map(([node, path]) => [node, firstPass(path)])),
      sampleRate: request.sample_rate,
      channels: request.channels,
      format: normalizeTo === null ? job.format : "float32",
    });
    const writing = files;
    const result = await engine.render(request, {
      signal,
      onChunk: (chunk) => writing.write(chunk),
      onProgress: (progress) => hooks.onProgress?.({ ...progress, sample_rate: request.sample_rate }),
    });
    if (result.status !== "ok") {
      // result.error is already an EngineError message ("E_RENDER: ...").
      throw new Error(result.error ?? `the render ended with status ${result.status}`);
    }
    const written = await files.finish();
    const outcome = {
      frames: result.frames,
      sampleRate: request.sample_rate,
      nonFinite: result.extensions.non_finite ?? null,
    };
    if (normalizeTo === null) return { ...outcome, files: written, normalization: null };
    // The engine is done; the second pass only reads and writes files.
    await engine.close();
    const target = (firstPassFile: string) => targetOf.get(firstPassFile) as string;
    return { ...outcome, ...(await normalizeFiles(written, target, normalizeTo, job.format, signal)) };
  } finally {
    // After finish() this removes nothing; after a failure it removes each partial file.
    await files?.abort();
    await removeFirstPassFiles(firstPassFiles);
    await engine.close();
  }
}

/** A session read, its engine made at its rate and block size, its audio uploaded. */
async function loadSessionRender(
  job: SessionRenderJob,
  hooks: SessionRenderHooks,
  signal: AbortSignal | undefined,
): Promise<LoadedProjectRender> {
  const session = await readSession(job.sessionPath, { allowOutsidePaths: job.allowOutsidePaths, signal });
  const blockSize = job.blockSize ?? session.file.block_size;
  const engine = await hooks.createEngine({ sampleRate: session.file.sample_rate, blockSize });
  try {
    const { request } = await uploadSession(session, engine);
    // The engine holds its own copies now.
    session.audio.clear();
    return { engine, request, stemName: (node) => node };
  } catch (error) {
    await engine.close();
    throw error;
  }
}

/** The nodes a render of `request` captures, as the graph compiler picks them. */
function capturedNodes(request: RenderRequest): string[] {
  const requested = new Set(request.options.capture ?? []);
  return request.node_graph.nodes
    .filter((node) => node.capture || requested.has(node.name))
    .map((node) => node.name);
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
        `--stem ${name}: no node named "${name}" in the ${inputKind(job.sessionPath)}'s graph (nodes: ${[...nodeNames].join(", ")})`,
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
