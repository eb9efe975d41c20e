/**
 * Keeps a playing engine on a ProjectEditor's project: loads the compiled graph once, then after
 * every change (execute, undo, redo) compiles the project with a ProjectCompiler and sends the
 * smallest engine change (diff-compiled.ts). Changes are sent one after another in the order they
 * happened, never two at once; a change the engine refuses is followed by a reload of the graph, so
 * the engine never stays on a half-applied edit.
 */
import type { EngineClient } from "../api/engine-client";
import { type CompiledProject, type ProjectCompileOptions, ProjectCompiler } from "./compile-project";
import { diffCompiled, type EngineChange } from "./diff-compiled";
import type { ProjectEditor } from "./project-editor";
import type { Project } from "./project-schema";
import { sendEngineChange } from "./send-engine-change";

export interface FollowOptions extends ProjectCompileOptions {
  /**
   * Passed to diffCompiled. Default: false on the real-time host (added MIDI events reload there),
   * true on the others.
   */
  scheduledEventsReplay?: boolean;
  /** Called with each change sent (for a log or a test). */
  onChange?: (change: EngineChange) => void;
  /** Called when a change could not be compiled or sent (even by a reload). Default: settled() rejects. */
  onError?: (error: unknown) => void;
}

/** A running follow: `settled` waits for the changes sent so far; `stop` unsubscribes. */
export interface ProjectFollower {
  /** Resolves once every change so far reached the engine; rejects once with a failure since the last call. */
  settled(): Promise<void>;
  /**
   * Gives the compiler a new map of content ids to buffer handles (after uploading audio) and brings
   * the engine up to the project with it.
   */
  setBuffers(buffers: ProjectCompileOptions["buffers"]): void;
  /** Stops following (changes already queued still go). */
  stop(): void;
  /** The compilation the engine plays (or is about to). */
  readonly playing: CompiledProject;
}

/**
 * Loads `editor.project` into `client` and keeps it there through every edit.
 * @example
 * const follower = await followProject(editor, client, { sampleRate: 48000, buffers: { kick: "buf:1" } });
 * editor.execute({ type: "set_mixer", track_id: "drums", mixer: { volume_db: -3 } });
 * await follower.settled();
 */
export async function followProject(
  editor: ProjectEditor,
  client: EngineClient,
  options: FollowOptions,
): Promise<ProjectFollower> {
  const compiler = new ProjectCompiler();
  let compileOptions: ProjectCompileOptions = options;
  // The real-time host forgets scheduled events after playing them (diff-compiled.ts).
  const scheduledEventsReplay = options.scheduledEventsReplay ?? client.host !== "audioworklet";
  let playing = compiler.compile(editor.project, compileOptions);
  await sendEngineChange(client, {
    kind: "reload",
    reason: "first load",
    graph: playing.graph,
    loop: playing.loop,
  });
  let queue: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  const report = (error: unknown) => {
    if (options.onError !== undefined) options.onError(error);
    else failure ??= error;
  };
  const send = async (change: EngineChange, next: CompiledProject) => {
    try {
      await sendEngineChange(client, change);
    } catch {
      // Some calls may have landed: a reload puts the engine on `next` whole.
      await sendEngineChange(client, {
        kind: "reload",
        reason: "an edit was refused",
        graph: next.graph,
        loop: next.loop,
      });
    }
  };
  const follow = (project: Project) => {
    let next: CompiledProject;
    try {
      next = compiler.compile(project, compileOptions);
    } catch (error) {
      // E_UNKNOWN_HANDLE for audio not uploaded yet: the engine keeps what it plays, and the next
      // change that compiles (setBuffers with the new handle) is diffed against that.
      report(error);
      return;
    }
    const change = diffCompiled(playing, next, { scheduledEventsReplay });
    playing = next;
    options.onChange?.(change);
    queue = queue.then(() => send(change, next)).catch(report);
  };
  const unsubscribe = editor.subscribe((event) => follow(event.after));
  return {
    async settled() {
      await queue;
      if (failure === null) return;
      // Each failure is reported once; a later settled() speaks of later changes.
      const error = failure;
      failure = null;
      throw error;
    },
    stop: unsubscribe,
    setBuffers(buffers) {
      compileOptions = { ...compileOptions, buffers };
      follow(editor.project);
    },
    get playing() {
      return playing;
    },
  };
}
