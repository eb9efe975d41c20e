/**
 * A project saved in the browser: in a directory of the origin private file system (OPFS,
 * `navigator.storage.getDirectory()`), laid out as project-package.ts says (project.json and
 * audio/<sha256>.wav), with autosave after edits.
 *
 * The last good save survives a save that fails: the audio is written first (files named by their
 * hash never change), then the document goes to `project.next.json`, is read back from OPFS and
 * checked as a load reads it, and only then replaces `project.json` (a writable stream replaces a
 * file whole when it closes). A crash in between leaves project.json as it was.
 */
import type { AudioData } from "../audio-io/wav-codec";
import { readProjectDocument } from "./project-migrations";
import {
  type PackedProject,
  PROJECT_FILE,
  type ProjectWithAudio,
  packProject,
  unpackProject,
} from "./project-package";
import type { Project } from "./project-schema";

/** The document being saved, before it has been read back and checked. */
export const PROJECT_NEXT_FILE = "project.next.json";

/**
 * Saves a project and its audio into an OPFS directory. Throws E_SCHEMA (a project that would not
 * load) before writing anything, or the storage's error; project.json is then the last good save.
 * @example
 * const directory = await (await navigator.storage.getDirectory()).getDirectoryHandle("song", { create: true });
 * await saveProjectToDirectory(directory, { project: editor.project, audio });
 */
export async function saveProjectToDirectory(
  directory: FileSystemDirectoryHandle,
  withAudio: ProjectWithAudio,
): Promise<PackedProject["project"]> {
  const packed = await packProject(withAudio);
  for (const [path, bytes] of packed.files) {
    if (path === PROJECT_FILE) continue;
    const existing = await readFileAt(directory, path);
    if (existing?.length === bytes.length) continue; // named by its hash: that content
    await writeFileAt(directory, path, bytes);
  }
  const document = packed.files.get(PROJECT_FILE) as Uint8Array;
  await writeFileAt(directory, PROJECT_NEXT_FILE, document);
  const written = await readFileAt(directory, PROJECT_NEXT_FILE);
  readProjectDocument(JSON.parse(new TextDecoder().decode(written)));
  await writeFileAt(directory, PROJECT_FILE, written as Uint8Array);
  await directory.removeEntry(PROJECT_NEXT_FILE);
  return packed.project;
}

/**
 * Loads a project saved by saveProjectToDirectory. Throws E_SCHEMA naming the file and what is wrong.
 * @example
 * const { project, audio } = await loadProjectFromDirectory(directory);
 * console.log(`${project.name}: ${audio.size} audio files`);
 */
export function loadProjectFromDirectory(directory: FileSystemDirectoryHandle): Promise<ProjectWithAudio> {
  return unpackProject((path) => readFileAt(directory, path));
}

export interface AutosaveOptions {
  /** The audio of the project as it is now, by content id (called at each save). */
  audio: () => ReadonlyMap<string, AudioData>;
  /** Wait this long after an edit for more before saving. Default 1000 ms. */
  delayMs?: number;
  /** Called after each save, with the project saved. */
  onSaved?: (project: Project) => void;
  /** Called when a save fails; the last good save stays. Default: console.error. */
  onError?: (error: unknown) => void;
}

export interface Autosave {
  /** Saves now if an edit is waiting, and resolves when every save so far has finished. */
  flush(): Promise<void>;
  /** Stops listening (a waiting save is dropped: flush first to keep it). */
  stop(): void;
}

/** What autosave listens to: a ProjectEditor. */
interface Editable {
  readonly project: Project;
  subscribe(listener: () => void): () => void;
  markSaved(): void;
}

/**
 * Saves `editor`'s project into `directory` a moment after each edit, one save at a time. The editor
 * is marked saved when the project saved is still its project.
 * @example
 * const autosave = autosaveProject(editor, directory, { audio: () => audio });
 * window.addEventListener("pagehide", () => void autosave.flush());
 */
export function autosaveProject(
  editor: Editable,
  directory: FileSystemDirectoryHandle,
  options: AutosaveOptions,
): Autosave {
  const delay = options.delayMs ?? 1000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let chain: Promise<void> = Promise.resolve();
  const save = () => {
    timer = undefined;
    const project = editor.project;
    chain = chain.then(async () => {
      try {
        const saved = await saveProjectToDirectory(directory, { project, audio: options.audio() });
        if (editor.project === project) editor.markSaved();
        options.onSaved?.(saved);
      } catch (error) {
        (options.onError ?? console.error)(error);
      }
    });
  };
  const unsubscribe = editor.subscribe(() => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(save, delay);
  });
  return {
    flush() {
      if (timer !== undefined) {
        clearTimeout(timer);
        save();
      }
      return chain;
    },
    stop() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      unsubscribe();
    },
  };
}

/** The directory holding `path`'s file, created on the way when `create`; undefined when missing. */
async function parentOf(
  root: FileSystemDirectoryHandle,
  path: string,
  create: boolean,
): Promise<[FileSystemDirectoryHandle, string] | undefined> {
  const parts = path.split("/");
  let directory = root;
  for (const part of parts.slice(0, -1)) {
    try {
      directory = await directory.getDirectoryHandle(part, { create });
    } catch (error) {
      if ((error as DOMException).name === "NotFoundError") return undefined;
      throw error;
    }
  }
  return [directory, parts.at(-1) as string];
}

async function readFileAt(root: FileSystemDirectoryHandle, path: string): Promise<Uint8Array | undefined> {
  const found = await parentOf(root, path, false);
  if (found === undefined) return undefined;
  try {
    const handle = await found[0].getFileHandle(found[1]);
    return new Uint8Array(await (await handle.getFile()).arrayBuffer());
  } catch (error) {
    if ((error as DOMException).name === "NotFoundError") return undefined;
    throw error;
  }
}

async function writeFileAt(root: FileSystemDirectoryHandle, path: string, bytes: Uint8Array): Promise<void> {
  const [directory, name] = (await parentOf(root, path, true)) as [FileSystemDirectoryHandle, string];
  const handle = await directory.getFileHandle(name, { create: true });
  const writable = await handle.createWritable();
  try {
    await writable.write(bytes as Uint8Array<ArrayBuffer>);
    await writable.close();
  } catch (error) {
    await writable.abort().catch(() => undefined);
    throw error;
  }
}
