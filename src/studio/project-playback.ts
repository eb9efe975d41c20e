/**
 * ProjectPlayback: a studio's project kept on the live engine. When the engine starts it uploads the
 * project's audio and loads the compiled project with followProject, which from then on sends every
 * edit as the smallest engine change (diff-compiled.ts: a fader move is one setParameter, a clip
 * added reloads). New audio is uploaded before the edit that uses it reaches the compiler; a new or
 * opened project is a new editor, followed afresh.
 */
import type { RealtimeEngineClient } from "../api/realtime-client";
import type { AudioData } from "../audio-io/wav-codec";
import type { BufferHandle } from "../contracts/common";
import type { EngineChange } from "../project/diff-compiled";
import { followProject, type ProjectFollower } from "../project/follow-project";
import type { ProjectEditor } from "../project/project-editor";

export interface PlaybackHooks {
  /** Each change sent to the engine (a test or a log reads whether it was an edit or a reload). */
  changed(change: EngineChange): void;
  /** A change that could not be compiled or sent, even as a reload. */
  failed(error: unknown): void;
}

export class ProjectPlayback {
  private engine: RealtimeEngineClient | null = null;
  private follower: ProjectFollower | null = null;
  /** Audio uploaded to the engine, by content id: the same audio is never uploaded twice. */
  private readonly handles = new Map<string, BufferHandle>();
  private readonly uploads = new Map<string, Promise<BufferHandle>>();

  constructor(private readonly hooks: PlaybackHooks) {}

  /** The handles the compiler uses, by content id (a test compiles the same request with them). */
  get buffers(): Record<string, BufferHandle> {
    return Object.fromEntries(this.handles);
  }

  /** The engine's sample rate once it runs. */
  get sampleRate(): number | null {
    return this.engine?.context.sampleRate ?? null;
  }

  /** The engine started: upload the audio, load the project and follow its editor. */
  async attach(
    engine: RealtimeEngineClient,
    editor: ProjectEditor,
    audio: ReadonlyMap<string, AudioData>,
  ): Promise<void> {
    this.engine = engine;
    this.handles.clear();
    this.uploads.clear();
    await this.follow(editor, audio);
  }

  /** A new or opened project: stop following the old editor and load the new one. */
  async follow(editor: ProjectEditor, audio: ReadonlyMap<string, AudioData>): Promise<void> {
    const engine = this.engine;
    if (!engine) return;
    this.follower?.stop();
    this.follower = null;
    for (const source of editor.project.audio) {
      const data = audio.get(source.content_id);
      if (data) await this.upload(source.content_id, data);
    }
    this.follower = await followProject(editor, engine, {
      sampleRate: engine.context.sampleRate,
      buffers: this.buffers,
      meters: true,
      onChange: (change) => this.hooks.changed(change),
      onError: (error) => this.hooks.failed(error),
    });
  }

  /**
   * Uploads audio before the edit that adds it, so the compiler finds its handle. Without an engine
   * it does nothing: the engine uploads everything when it starts.
   */
  async upload(contentId: string, data: AudioData): Promise<void> {
    const engine = this.engine;
    if (!engine || this.handles.has(contentId)) return;
    let pending = this.uploads.get(contentId);
    if (!pending) {
      pending = engine.uploadBuffer(data.channels, data.sampleRate);
      this.uploads.set(contentId, pending);
    }
    this.handles.set(contentId, await pending);
    this.follower?.setBuffers(this.buffers);
  }

  /** Resolves once every change so far reached the engine. */
  async settled(): Promise<void> {
    await this.follower?.settled();
  }

  /** The engine is gone (the element left the page). */
  detach(): void {
    this.follower?.stop();
    this.follower = null;
    this.engine = null;
    this.handles.clear();
    this.uploads.clear();
  }
}
