/**
 * A project file (`.wdproj`, project-zip.ts) as the CLI renders it: read and checked, its audio
 * uploaded, compiled (compile-project.ts) to the request that real-time play and export render, with
 * every track's and bus's output captured for --stems, each stem named after its track
 * (`<track id>.wav`). From there it renders as a session does: the same progress, jobs, sharding,
 * --seconds, --normalize and files (session-render.ts).
 *
 * A project has no sample rate of its own: it renders at the highest rate of its audio (each file
 * then plays at its own speed), or 48000 Hz when it has none, unless the command line asks for
 * another (--sample-rate): then its audio is read at that rate by the playback nodes' interpolation.
 */
import { basename } from "node:path";
import type { EngineClient } from "../api/engine-client";
import type { BufferHandle } from "../contracts/common";
import type { RenderRequest } from "../contracts/render";
import { compileProject, trackNodes } from "../project/compile-project";
import { loadProjectFile } from "../project/project-folder";
import type { Project } from "../project/project-schema";
import { PROJECT_ZIP_EXTENSION } from "../project/project-zip";

/** The rate a project without audio renders at. */
export const DEFAULT_PROJECT_SAMPLE_RATE = 48000;
/** The block size a project renders with (as a session's default). */
const DEFAULT_PROJECT_BLOCK_SIZE = 128;

/**
 * The rate a project renders at when none is asked for: the highest rate of its audio, or
 * DEFAULT_PROJECT_SAMPLE_RATE without audio.
 * @example
 * projectSampleRate(project); // 44100 for a project of 44.1 kHz and 22.05 kHz takes
 */
export function projectSampleRate(project: Project): number {
  const rates = project.audio.map((source) => source.sample_rate);
  return rates.length === 0 ? DEFAULT_PROJECT_SAMPLE_RATE : Math.max(...rates);
}

/** Whether an input path is a project file rather than a session. */
export const isProjectFile = (path: string): boolean => path.toLowerCase().endsWith(PROJECT_ZIP_EXTENSION);

export interface LoadedProjectRender {
  engine: EngineClient;
  request: RenderRequest;
  /** The stem file name (without .wav) of a captured node: its track's id for a track output. */
  stemName: (node: string) => string;
}

/**
 * Reads a project file, makes its engine, uploads its audio and compiles the request (the output and
 * every track's stem captured when `stems`). Throws E_SCHEMA naming the file and what is wrong; the
 * engine is closed if anything after its creation fails.
 * @example
 * const { engine, request } = await loadProjectRender("song.wdproj", { createEngine, blockSize: null, sampleRate: null, stems: true });
 */
export async function loadProjectRender(
  path: string,
  options: {
    createEngine: (options: { sampleRate: number; blockSize: number }) => Promise<EngineClient>;
    blockSize: number | null;
    /** The rate to render at, or null for the project's own (projectSampleRate). */
    sampleRate: number | null;
    stems: boolean;
  },
): Promise<LoadedProjectRender> {
  const { project, audio } = await loadProjectFile(path);
  const sampleRate = options.sampleRate ?? projectSampleRate(project);
  const engine = await options.createEngine({
    sampleRate,
    blockSize: options.blockSize ?? DEFAULT_PROJECT_BLOCK_SIZE,
  });
  try {
    const buffers: Record<string, BufferHandle> = {};
    for (const [id, data] of audio) buffers[id] = await engine.uploadBuffer(data.channels, data.sampleRate);
    const { request } = compileProject(project, {
      sampleRate,
      buffers,
      stems: options.stems,
      requestId: basename(path).slice(0, 256),
    });
    const tracks = new Map(project.tracks.map((track) => [trackNodes.pan(track.id), track.id]));
    return { engine, request, stemName: (node) => tracks.get(node) ?? node };
  } catch (error) {
    await engine.close();
    throw error;
  }
}
