/**
 * The key of a farm job: a SHA-256 of everything its output depends on, so the same job renders once
 * however often it is queued, and a changed input renders again. It covers the input file's bytes;
 * for a session, the bytes of every WAV its `buffers` name (a project file holds its own audio); the
 * render settings (format, length, block size, rate, stems, normalisation); and where the output
 * goes (two identical sessions under two names are two outputs). It is the BullMQ job id (queueing a
 * job again adds nothing) and the key of the output's receipt (farm-render.ts).
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { isProjectFile } from "./project-input";
import type { SessionRenderJob } from "./session-render";

/**
 * The job's key, 64 hex digits. Files it cannot read are hashed as missing (the render then fails
 * with the reason, naming the file).
 * @example
 * await farmJobKey(job); // "9f2c…"
 */
export async function farmJobKey(job: SessionRenderJob): Promise<string> {
  const hash = createHash("sha256");
  const part = (label: string, bytes: Uint8Array | string) => {
    hash.update(`${label}\0${typeof bytes === "string" ? Buffer.byteLength(bytes) : bytes.byteLength}\0`);
    hash.update(bytes);
  };
  part("settings", JSON.stringify(renderSettings(job)));
  const input = await readIfThere(job.sessionPath);
  part("input", input ?? "missing");
  if (input !== undefined && !isProjectFile(job.sessionPath)) {
    for (const [handle, path] of bufferPaths(input)) {
      part(
        `buffer ${handle} ${path}`,
        (await readIfThere(resolve(dirname(job.sessionPath), path))) ?? "missing",
      );
    }
  }
  return hash.digest("hex");
}

/** What of a job, besides its files, decides its output: fixed key order, absolute output paths. */
function renderSettings(job: SessionRenderJob) {
  return {
    outputPath: resolve(job.outputPath),
    stemsDir: job.stemsDir === null ? null : resolve(job.stemsDir),
    format: job.format,
    length: job.length,
    blockSize: job.blockSize,
    sampleRate: job.sampleRate ?? null,
    extraStems: job.extraStems,
    normalizePeakDbfs: job.normalizePeakDbfs ?? null,
  };
}

/** A session's buffer handles and WAV paths, sorted by handle; none when it is not a session's JSON. */
function bufferPaths(bytes: Uint8Array): [string, string][] {
  try {
    const file = JSON.parse(new TextDecoder().decode(bytes)) as {
      buffers?: Record<string, { path?: unknown }>;
    };
    return Object.entries(file.buffers ?? {})
      .filter((entry): entry is [string, { path: string }] => typeof entry[1]?.path === "string")
      .map(([handle, buffer]): [string, string] => [handle, buffer.path])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  } catch {
    // Not JSON: the render reports why; the key still covers the bytes.
    return [];
  }
}

async function readIfThere(path: string): Promise<Uint8Array | undefined> {
  return readFile(path).then(
    (bytes) => new Uint8Array(bytes),
    () => undefined,
  );
}
