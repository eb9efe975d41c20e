/**
 * Manifests: a text file (`*.txt`) listing the sessions and projects of a batch, one path per line,
 * for batches whose files do not sit in one folder. Blank lines and lines starting with `#` are
 * skipped; a relative path is relative to the manifest's own folder (so a manifest moves with its
 * files); a line may be a file, a directory or a glob, as on the command line. `render`, its shards
 * and `enqueue` read them alike (session-inputs.ts).
 */
import { readFile } from "node:fs/promises";
import { dirname, extname, isAbsolute, join } from "node:path";
import { UsageError } from "./cli-options";

/** Whether an input names a manifest rather than a session or project. */
export const isManifestFile = (path: string): boolean => extname(path).toLowerCase() === ".txt";

/**
 * The entries of a manifest, each resolved against the manifest's folder. Throws UsageError naming
 * the manifest when it cannot be read, is empty, or lists another manifest.
 * @example
 * await manifestEntries("batches/monday.txt"); // ["batches/takes/a.json", "/data/song.wdproj"]
 */
export async function manifestEntries(path: string): Promise<string[]> {
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read manifest ${path}: ${error.code ?? error.message}`);
  });
  const entries: string[] = [];
  for (const [number, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    if (isManifestFile(line)) {
      throw new UsageError(`${path}:${number + 1}: a manifest cannot list another manifest (${line})`);
    }
    entries.push(isAbsolute(line) ? line : join(dirname(path), line));
  }
  if (entries.length === 0) throw new UsageError(`manifest ${path} lists no sessions or projects`);
  return entries;
}
