/**
 * A project saved to a folder in Node.js: project.json and audio/<sha256>.wav (project-package.ts).
 * The audio is written first, the document last, each beside its target and renamed into place, so
 * the folder always holds a whole save: a save that fails (or is killed) leaves the last good one,
 * and the document is checked as a load reads it before anything is written. An audio file already
 * there with its name and size is not written again: its name is the hash of its bytes. Audio no
 * longer used stays (an older save in a backup may name it); Node.js only (this module imports node:fs).
 */
import { mkdir, readFile, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { writeFileInPlace } from "../audio-io/file-in-place";
import { EngineError } from "../contracts/errors";
import {
  type PackedProject,
  PROJECT_AUDIO_FOLDER,
  PROJECT_FILE,
  type ProjectWithAudio,
  packProject,
  unpackProject,
} from "./project-package";
import { unzipProject, zipPackedProject } from "./project-zip";

export interface SavedProjectFolder {
  /** The project as saved (each audio entry with its sha256). */
  project: PackedProject["project"];
  /** Paths of the files this save wrote (audio already there is not written again). */
  written: string[];
}

/**
 * Saves a project and its audio into `folder` (created if needed).
 * @example
 * await saveProjectFolder("songs/demo", { project: editor.project, audio });
 */
export async function saveProjectFolder(
  folder: string,
  withAudio: ProjectWithAudio,
): Promise<SavedProjectFolder> {
  const packed = await packProject(withAudio);
  await mkdir(join(folder, PROJECT_AUDIO_FOLDER), { recursive: true });
  const written: string[] = [];
  for (const [path, bytes] of packed.files) {
    const target = join(folder, path);
    if (path !== PROJECT_FILE && (await holds(target, bytes.length))) continue;
    await writeInPlace(target, bytes);
    written.push(target);
  }
  return { project: packed.project, written };
}

/**
 * Loads a project saved by saveProjectFolder. Throws E_SCHEMA naming the file and what is wrong.
 * @example
 * const { project, audio } = await loadProjectFolder("songs/demo");
 */
export async function loadProjectFolder(folder: string): Promise<ProjectWithAudio> {
  try {
    return await unpackProject((path) => readIfThere(join(folder, path)));
  } catch (cause) {
    if (!(cause instanceof EngineError)) throw cause;
    throw new EngineError(cause.code, cause.detail, `${folder}: ${cause.path}`, cause.issues);
  }
}

/**
 * Writes a project and its audio as one `.wdproj` file (project-zip.ts), beside it then renamed.
 * @example
 * await saveProjectFile("song.wdproj", { project, audio });
 */
export async function saveProjectFile(
  path: string,
  withAudio: ProjectWithAudio,
): Promise<PackedProject["project"]> {
  const packed = await packProject(withAudio);
  await mkdir(dirname(path), { recursive: true });
  await writeInPlace(path, zipPackedProject(packed));
  return packed.project;
}

/**
 * Reads a `.wdproj` file. Throws E_SCHEMA naming the file and what is wrong.
 * @example
 * const { project, audio } = await loadProjectFile("song.wdproj");
 */
export async function loadProjectFile(path: string): Promise<ProjectWithAudio> {
  const bytes = await readIfThere(path);
  if (bytes === undefined) throw new EngineError("E_SCHEMA", "no such file", path);
  return unzipProject(bytes, path);
}

const writeInPlace = writeFileInPlace;

async function holds(file: string, size: number): Promise<boolean> {
  const stats = await stat(file).catch(() => null);
  return stats?.isFile() === true && stats.size === size;
}

async function readIfThere(path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw cause;
  }
}
