/**
 * Export: a project's mixdown and stems as WAV files, rendered by any EngineClient. In a page, give it
 * the Worker host (createBrowserEngine({ host: "worker" })): the render runs off the main thread
 * faster than real time, and this module only uploads the audio, reads the result and encodes WAVs.
 *
 * It renders the compiled request (compile-project.ts) that real-time play loads as a graph, so the
 * mixdown is what plays. Stems are every track's output (`<id>.pan`: after its devices, fader and
 * pan, before the master), buses included: a bus stem holds what is routed and sent to it, and a
 * track's stem does not hold its sends (those are in the bus stems), so the stems sum to the master's
 * input. A track's output is its panner's, stereo, so a stem has the export's channels.
 */
import type { EngineClient, RenderProgress } from "../api/engine-client";
import { encodeWav, type WavSampleFormat } from "../audio-io/wav-codec";
import type { BufferHandle } from "../contracts/common";
import { EngineError } from "../contracts/errors";
import { renderResultError } from "../contracts/render-result-error";
import { compileProject, type ProjectCompileOptions, trackNodes } from "./compile-project";
import type { ProjectWithAudio } from "./project-package";
import { uploadProjectAudio } from "./upload-audio";

export interface ProjectExportOptions
  extends Pick<ProjectCompileOptions, "sampleRate" | "range" | "tailSeconds" | "prerollSeconds"> {
  /** Also export each track's and bus's output. Default false. */
  stems?: boolean;
  /** WAV sample format. Default "float32" (every sample kept). */
  format?: WavSampleFormat;
  /** Output channels. Default 2. */
  channels?: number;
  /** Cancels the export: it then rejects with E_CANCELLED and nothing is returned. */
  signal?: AbortSignal;
  /** Called as the render advances: the fraction done (0..1) and the host's progress. */
  onProgress?: (fraction: number, progress: RenderProgress) => void;
}

export interface ProjectExport {
  sampleRate: number;
  /** Frames of each file. */
  frames: number;
  /** The mixdown (the master's output), as WAV bytes. */
  mixdown: Uint8Array;
  /** Each track's output as WAV bytes, by track id in project order (empty without `stems`). */
  stems: Map<string, Uint8Array>;
  /** Wall-clock time of the render in the engine, in milliseconds. */
  renderMs: number;
}

/**
 * Renders a project with its audio and encodes the mixdown (and stems) as WAV. Rejects with
 * E_CANCELLED when `signal` aborts, or the engine's error; uploaded audio and rendered buffers are
 * released either way.
 * @example
 * const engine = await createBrowserEngine({ host: "worker" });
 * const { mixdown, stems } = await exportProject(engine, { project, audio }, {
 *   sampleRate: 48000, range: "loop", stems: true, onProgress: (done) => console.log(`${Math.round(done * 100)} %`),
 * });
 */
export async function exportProject(
  client: EngineClient,
  { project, audio }: ProjectWithAudio,
  options: ProjectExportOptions,
): Promise<ProjectExport> {
  const held: BufferHandle[] = [];
  const cancelled = () => options.signal?.aborted === true;
  try {
    const buffers: Record<string, BufferHandle> = {};
    for (const [index, source] of project.audio.entries()) {
      const data = audio.get(source.content_id);
      if (data === undefined) {
        throw new EngineError("E_SCHEMA", `no audio given for "${source.content_id}"`, "project.audio");
      }
      const handle = await uploadProjectAudio(client, source, data, index);
      held.push(handle);
      buffers[source.content_id] = handle;
    }
    const { request } = compileProject(project, {
      sampleRate: options.sampleRate,
      buffers,
      range: options.range,
      tailSeconds: options.tailSeconds,
      prerollSeconds: options.prerollSeconds,
      stems: options.stems === true,
      requestId: "export",
    });
    const channels = options.channels ?? 2;
    if (options.signal?.aborted === true)
      throw new EngineError("E_CANCELLED", "export cancelled before it started");
    const result = await client.render(
      { ...request, channels },
      {
        signal: options.signal,
        onProgress: (progress) =>
          options.onProgress?.(
            progress.frames_total > 0 ? progress.frames_rendered / progress.frames_total : 1,
            progress,
          ),
      },
    );
    const captures = result.extensions.captures ?? {};
    if (result.buffer_handle !== null) held.push(result.buffer_handle);
    held.push(...Object.values(captures));
    if (result.status === "partial" && cancelled()) {
      throw new EngineError("E_CANCELLED", `export cancelled after ${result.frames} frames`);
    }
    if (result.status !== "ok") {
      throw renderResultError(result, "the export's render");
    }
    const format = options.format ?? "float32";
    const encode = async (handle: BufferHandle, keep: number, label: string) =>
      encodeWav(
        { sampleRate: options.sampleRate, channels: (await client.readBuffer(handle)).slice(0, keep) },
        { format },
        label,
      );
    const mixdown = await encode(result.buffer_handle as BufferHandle, channels, "mixdown");
    const stems = new Map<string, Uint8Array>();
    if (options.stems === true) {
      for (const track of project.tracks) {
        const node = trackNodes.pan(track.id);
        const handle = captures[node];
        if (handle === undefined) throw new EngineError("E_RENDER", `the render returned no stem of ${node}`);
        stems.set(track.id, await encode(handle, channels, `stem ${track.id}`));
      }
    }
    return {
      sampleRate: options.sampleRate,
      frames: result.frames,
      mixdown,
      stems,
      renderMs: result.processing_time_ms,
    };
  } finally {
    await Promise.all(held.map((handle) => client.releaseBuffer(handle).catch(() => undefined)));
  }
}
