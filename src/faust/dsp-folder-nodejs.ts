/**
 * Faust folder roots in Node: every `.dsp` file under a folder, recursively, with its source.
 * Injected into the FaustRegistry by the Node composition root (create-engine.ts), because the same
 * registry runs in the browser's engine Worker, which has no file system.
 */
import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { DspFile } from "./dsp-roots";

/**
 * The `.dsp` files under `folder` (sorted by path, so scans list them in a stable order).
 * @example
 * const registry = new FaustRegistry({ loadLibFaust: loadLibFaustFromDisk, readDspFolder: readDspFolderFromDisk });
 */
export async function readDspFolderFromDisk(folder: string): Promise<DspFile[]> {
  const root = resolve(folder);
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const paths = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".dsp"))
    .map((entry) => join(entry.parentPath ?? root, entry.name))
    .sort();
  return Promise.all(paths.map(async (path) => ({ path, source: await readFile(path, "utf8") })));
}
