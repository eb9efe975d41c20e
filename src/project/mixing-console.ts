/**
 * A DAW's mixing console over a project: the two call sites the seed's contract inventory names, done
 * through the EngineClient API and nothing else (docs/projects.md, "The seed's call sites"):
 *
 * - start-up (the seed's `app_state` initialisation) reads the engine's TransportState with
 *   EngineClient.getTransportState: the rate to compile at, the position and whether it runs; it never
 *   looks inside an engine;
 * - `renderAudio` (the seed's `MixingConsole.render_audio`) renders the project through
 *   EngineClient.render only: compile, render, read the buffer, release it.
 *
 * So any client works: in-process, Worker, real-time (offline renders), or the test double of
 * `webdreamer/testing`, which is how an app tests its console without audio.
 */
import type { EngineClient, RenderProgress } from "../api/engine-client";
import type { AudioData } from "../audio-io/wav-codec";
import type { BufferHandle } from "../contracts/common";
import { EngineError } from "../contracts/errors";
import { renderResultError } from "../contracts/render-result-error";
import type { TransportState } from "../contracts/transport-state";
import { compileProject, type ProjectCompileOptions } from "./compile-project";
import type { Project } from "./project-schema";
import { uploadProjectAudio } from "./upload-audio";

/** What the console's app state starts from: the engine's transport, read through the client. */
export interface ConsoleState {
  transport: TransportState;
}

export interface RenderAudioOptions
  extends Pick<ProjectCompileOptions, "range" | "tailSeconds" | "prerollSeconds"> {
  signal?: AbortSignal;
  onProgress?: (progress: RenderProgress) => void;
}

export class MixingConsole {
  private constructor(
    private readonly client: EngineClient,
    /** The state read at start-up. */
    readonly state: ConsoleState,
    private readonly buffers: Readonly<Record<string, BufferHandle>>,
  ) {}

  /**
   * Starts a console on `client`: reads its TransportState, uploads the project's audio.
   * @example
   * const mixer = await MixingConsole.open(client, { project, audio });
   * mixer.state.transport.sample_rate; // the rate renders use
   */
  static async open(
    client: EngineClient,
    { project, audio }: { project: Project; audio: ReadonlyMap<string, AudioData> },
  ): Promise<MixingConsole> {
    const transport = await client.getTransportState();
    const buffers: Record<string, BufferHandle> = {};
    for (const [index, source] of project.audio.entries()) {
      const data = audio.get(source.content_id);
      if (data === undefined) {
        throw new EngineError("E_SCHEMA", `no audio given for "${source.content_id}"`, "project.audio");
      }
      buffers[source.content_id] = await uploadProjectAudio(client, source, data, index);
    }
    return new MixingConsole(client, { transport }, buffers);
  }

  /**
   * Renders `project` (the console's, or an edit of it using the same audio) at the engine's rate,
   * through EngineClient.render, and returns its channels. Rejects with the engine's error, or
   * with the result's own error when it ends otherwise than ok (E_RENDER; E_CANCELLED when cancelled).
   * @example
   * const mixer = await MixingConsole.open(client, { project, audio });
   * const [left, right] = await mixer.renderAudio(editor.project, { range: "loop" });
   */
  async renderAudio(project: Project, options: RenderAudioOptions = {}): Promise<Float32Array[]> {
    const { request } = compileProject(project, {
      sampleRate: this.state.transport.sample_rate,
      buffers: this.buffers,
      range: options.range,
      tailSeconds: options.tailSeconds,
      prerollSeconds: options.prerollSeconds,
      requestId: "mixing-console",
    });
    const result = await this.client.render(request, {
      signal: options.signal,
      onProgress: options.onProgress,
    });
    try {
      if (result.status !== "ok") {
        throw renderResultError(result, "the render");
      }
      return await this.client.readBuffer(result.buffer_handle as BufferHandle);
    } finally {
      if (result.buffer_handle !== null) await this.client.releaseBuffer(result.buffer_handle);
    }
  }

  /**
   * Releases the audio the console uploaded (the client stays open: the app owns it).
   * @example
   * const mixer = await MixingConsole.open(client, { project, audio });
   * await mixer.close();
   */
  async close(): Promise<void> {
    await Promise.all(Object.values(this.buffers).map((handle) => this.client.releaseBuffer(handle)));
  }
}
