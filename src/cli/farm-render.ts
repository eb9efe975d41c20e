/**
 * One farm job in a worker: the same render as `webdreamer render` (session-render.ts), made
 * idempotent. Its WAVs are written beside their targets and renamed into place (render-files.ts), then
 * a receipt records the job's key (farm-key.ts) and the files: `<output folder>/.webdreamer/<output
 * name>.json`, itself written in place. A job whose receipt holds its key, with every file still
 * there, is done: it writes nothing. A job that changed (its input, a WAV it plays, a setting) has
 * another key and renders again, over the old files.
 *
 * A worker killed midway leaves `.partial` files and no receipt; the job's next run (in another worker,
 * once BullMQ sees the lock lapse) removes those and renders from the start.
 */
import { mkdir, readFile, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { writeFileInPlace } from "../audio-io/file-in-place";
import { farmJobKey } from "./farm-key";
import {
  removePartialFiles,
  renderSessionJob,
  type SessionRenderHooks,
  type SessionRenderJob,
} from "./session-render";

/** What `enqueue` puts in a BullMQ job: plain JSON. */
export interface FarmJobData {
  /** The render, as `webdreamer render` would run it; paths absolute. */
  job: SessionRenderJob;
  /** farmJobKey at enqueue time (the job id); the worker computes its own before rendering. */
  key: string;
}

/** A job's return value (BullMQ keeps it with the completed job). */
export interface FarmJobResult {
  key: string;
  /** True when the receipt showed the job already done: nothing was rendered or written. */
  cached: boolean;
  /** The output, then the stems. */
  files: string[];
  frames: number;
  sampleRate: number;
}

interface Receipt {
  key: string;
  input: string;
  files: string[];
  frames: number;
  sample_rate: number;
}

/** Where the receipt of a job's output is. */
export function receiptPath(outputPath: string): string {
  return join(dirname(outputPath), ".webdreamer", `${basename(outputPath)}.json`);
}

/**
 * Renders a farm job unless its receipt says it is done. Throws what the render throws (BullMQ
 * then retries the job after its backoff).
 * @example
 * const result = await renderFarmJob(job, { createEngine: (o) => createEngine({ host: "in-process", ...o }) });
 */
export async function renderFarmJob(
  job: SessionRenderJob,
  hooks: SessionRenderHooks,
): Promise<FarmJobResult> {
  const key = await farmJobKey(job);
  const done = await finishedReceipt(job.outputPath, key);
  if (done !== null) {
    return { key, cached: true, files: done.files, frames: done.frames, sampleRate: done.sample_rate };
  }
  // What an earlier run of this job left when its worker was killed.
  await removePartialFiles(job);
  const outcome = await renderSessionJob(job, hooks);
  const receipt: Receipt = {
    key,
    input: job.sessionPath,
    files: outcome.files.map((file) => file.path),
    frames: outcome.frames,
    sample_rate: outcome.sampleRate,
  };
  const path = receiptPath(job.outputPath);
  await mkdir(dirname(path), { recursive: true });
  await writeFileInPlace(path, `${JSON.stringify(receipt, null, 2)}\n`);
  return {
    key,
    cached: false,
    files: receipt.files,
    frames: receipt.frames,
    sampleRate: receipt.sample_rate,
  };
}

/** The receipt of `outputPath` when it holds `key` and its files are all there; else null. */
async function finishedReceipt(outputPath: string, key: string): Promise<Receipt | null> {
  const text = await readFile(receiptPath(outputPath), "utf8").catch(() => null);
  if (text === null) return null;
  let receipt: Receipt;
  try {
    receipt = JSON.parse(text) as Receipt;
  } catch {
    return null;
  }
  if (receipt.key !== key || !Array.isArray(receipt.files)) return null;
  const present = await Promise.all(
    receipt.files.map((file) =>
      stat(file).then(
        (stats) => stats.isFile(),
        () => false,
      ),
    ),
  );
  return present.every(Boolean) ? receipt : null;
}
