/**
 * Starting benchmark and test Workers in Node and in browsers behind one small interface. Node 20
 * cannot run TypeScript, so a TS worker entry is bundled with esbuild into one standalone .mjs first
 * (`bundleWorkerEntry`); a browser page bundles the same entry and passes its URL to `webWorkers`.
 */
import { mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";

import { type SpawnTaskWorker, wrap } from "./web-task-workers";

export type { SpawnTaskWorker, TaskWorker } from "./web-task-workers";
export { webWorkers } from "./web-task-workers";

/**
 * Bundles a TypeScript worker entry (and everything it imports, packages included) into one
 * standalone ES module and returns its path (removed when this process exits). Node only.
 * @example
 * const file = await bundleWorkerEntry("bench/dataplane/bench-worker.ts");
 */
export async function bundleWorkerEntry(
  entry: string,
  outDir = join(tmpdir(), "webdreamer-workers"),
): Promise<string> {
  const { build } = await import("esbuild");
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `${basename(entry).replace(/\.ts$/, "")}-${process.pid}.mjs`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
  });
  process.once("exit", () => rmSync(outfile, { force: true }));
  return outfile;
}

/**
 * Workers from a bundled entry file, with node:worker_threads.
 * @example
 * const spawn = await nodeWorkers(await bundleWorkerEntry("bench/dataplane/bench-worker.ts"));
 * const worker = spawn();
 */
export async function nodeWorkers(file: string): Promise<SpawnTaskWorker> {
  const { Worker } = await import("node:worker_threads");
  return () => {
    const worker = new Worker(file);
    return wrap(
      (message, transfer) => worker.postMessage(message, transfer as never),
      (listener) => worker.on("message", listener),
      (listener) => worker.on("error", listener),
      async () => {
        await worker.terminate();
      },
    );
  };
}
