/**
 * A saved project as one portable file (`.wdproj`): a zip of the files project-package.ts lays out,
 * to download, mail or open elsewhere. fflate writes and reads the zip. The document is deflated;
 * float32 audio barely compresses, so it is stored as it is. Every entry carries one fixed date, so
 * the same project and audio always zip to the same bytes.
 */
import { unzipSync, type Zippable, zipSync } from "fflate";
import { EngineError } from "../contracts/errors";
import {
  type PackedProject,
  PROJECT_FILE,
  type ProjectWithAudio,
  packProject,
  unpackProject,
} from "./project-package";

/** The file name extension of a zipped project. */
export const PROJECT_ZIP_EXTENSION = ".wdproj";

/** 1980-01-01, the first date a zip entry can hold. */
export const ZIP_DATE = new Date(1980, 0, 1);

/**
 * The zip of a packed project's files.
 * @example
 * const bytes = zipPackedProject(packed);
 */
export function zipPackedProject(packed: PackedProject): Uint8Array {
  const entries: Zippable = {};
  for (const [path, bytes] of packed.files) {
    entries[path] = [bytes, { level: path === PROJECT_FILE ? 6 : 0, mtime: ZIP_DATE }];
  }
  return zipSync(entries);
}

/**
 * A project and its audio as one `.wdproj` file (zip).
 * @example
 * const bytes = await zipProject({ project, audio }); // a .wdproj, to offer as a download
 */
export async function zipProject(withAudio: ProjectWithAudio): Promise<Uint8Array> {
  return zipPackedProject(await packProject(withAudio));
}

/**
 * A project and its audio from a `.wdproj` file's bytes. Throws E_SCHEMA at `label` when the bytes
 * are not a zip, and as unpackProject does for what is inside (missing, corrupt, newer).
 * @example
 * const { project, audio } = await unzipProject(new Uint8Array(await file.arrayBuffer()), file.name);
 */
export async function unzipProject(bytes: Uint8Array, label = "project file"): Promise<ProjectWithAudio> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (cause) {
    throw new EngineError(
      "E_SCHEMA",
      `is not a webdreamer project file: not a readable zip (${(cause as Error).message})`,
      label,
    );
  }
  try {
    return await unpackProject(async (path) => (Object.hasOwn(entries, path) ? entries[path] : undefined));
  } catch (cause) {
    if (!(cause instanceof EngineError)) throw cause;
    throw new EngineError(cause.code, cause.detail, `${label}: ${cause.path}`, cause.issues);
  }
}
