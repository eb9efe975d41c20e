/**
 * Where the studio keeps its project in the browser: one OPFS directory ("webdreamer-studio/current"),
 * autosaved after each edit (project-opfs.ts: the last good save survives a failed one), and loaded
 * again when the studio opens. Pages without OPFS (or a private window refusing it) get no autosave
 * and say so.
 */
import type { AudioData } from "../audio-io/wav-codec";
import type { ProjectEditor } from "../project/project-editor";
import {
  type Autosave,
  autosaveProject,
  loadProjectFromDirectory,
  saveProjectToDirectory,
} from "../project/project-opfs";
import type { ProjectWithAudio } from "../project/project-package";
import { PROJECT_FILE } from "../project/project-package";
import type { Project } from "../project/project-schema";

const ROOT_FOLDER = "webdreamer-studio";

export interface StoreHooks {
  saved(project: Project): void;
  failed(error: unknown): void;
}

export class ProjectStore {
  private autosave: Autosave | null = null;

  constructor(
    private readonly folder: string,
    private readonly hooks: StoreHooks,
  ) {}

  /** The store's directory, or null where OPFS is unavailable. */
  async directory(): Promise<FileSystemDirectoryHandle | null> {
    try {
      const root = await navigator.storage.getDirectory();
      const studio = await root.getDirectoryHandle(ROOT_FOLDER, { create: true });
      return await studio.getDirectoryHandle(this.folder, { create: true });
    } catch {
      return null;
    }
  }

  /** The project saved last, or null when there is none (or it does not load: the error is reported). */
  async load(): Promise<ProjectWithAudio | null> {
    const directory = await this.directory();
    if (!directory) return null;
    try {
      await directory.getFileHandle(PROJECT_FILE);
    } catch {
      return null;
    }
    try {
      return await loadProjectFromDirectory(directory);
    } catch (error) {
      this.hooks.failed(error);
      return null;
    }
  }

  /** Autosaves `editor` from now on (the previous editor's autosave is flushed and stopped). False without OPFS. */
  async watch(editor: ProjectEditor, audio: () => ReadonlyMap<string, AudioData>): Promise<boolean> {
    await this.stop();
    const directory = await this.directory();
    if (!directory) return false;
    this.autosave = autosaveProject(editor, directory, {
      audio,
      delayMs: 500,
      onSaved: (project) => this.hooks.saved(project),
      onError: (error) => this.hooks.failed(error),
    });
    return true;
  }

  /** Saves `withAudio` now (a new or opened project, before any edit would autosave it). */
  async save(withAudio: ProjectWithAudio): Promise<void> {
    const directory = await this.directory();
    if (!directory) return;
    try {
      this.hooks.saved(await saveProjectToDirectory(directory, withAudio));
    } catch (error) {
      this.hooks.failed(error);
    }
  }

  /** Saves what is waiting now. */
  async flush(): Promise<void> {
    await this.autosave?.flush();
  }

  async stop(): Promise<void> {
    const autosave = this.autosave;
    this.autosave = null;
    if (!autosave) return;
    await autosave.flush().catch(() => {});
    autosave.stop();
  }
}
