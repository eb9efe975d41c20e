/**
 * Writing a file so that no reader ever sees part of it: the bytes go to a temporary file beside the
 * target (`<target>.<random>.partial`, same folder so the rename stays on one file system), which is
 * then renamed over the target in one step. A write that fails removes its temporary file; a process
 * killed midway leaves only a `.partial` file, never a truncated target. Node.js only.
 */
import { randomBytes } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";

/**
 * Writes `bytes` to `target` through a temporary file and a rename. Throws what the file system
 * threw (the temporary file removed).
 * @example
 * await writeFileInPlace("renders/.webdreamer/take.wav.json", new TextEncoder().encode("{}"));
 */
export async function writeFileInPlace(target: string, bytes: Uint8Array | string): Promise<void> {
  const temporary = `${target}.${randomBytes(4).toString("hex")}.partial`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, target);
  } catch (cause) {
    await rm(temporary, { force: true });
    throw cause;
  }
}
