/**
 * Starting benchmark and test Workers in Node and in browsers behind one small interface. Node 20
 * cannot run TypeScript, so a TS worker entry is bundled with esbuild into one standalone .mjs first
 * (`bundleWorkerEntry`); a browser page bundles the same entry and passes its URL to `webWorkers`.
 */
import { mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";

/** One Worker that answers each request with one message, in order. */
export interface TaskWorker {
  /**
   * Sends `message` (SharedArrayBuffers are shared, not copied; `transfer` lists MessagePorts or
   * ArrayBuffers to move) and resolves with the reply.
   */
  request<Reply>(message: unknown, transfer?: Transferable[]): Promise<Reply>;
  /** Ends the worker. */
  terminate(): Promise<void>;
}

/** Starts a fresh worker running the bundled entry. */
export type SpawnTaskWorker = () => TaskWorker;

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

/**
 * Workers from a bundled entry URL, in a browser (module workers).
 * @example
 * const spawn = webWorkers(new URL("/build/bench-worker.js", location.href));
 */
export function webWorkers(url: URL | string): SpawnTaskWorker {
  return () => {
    const worker = new Worker(url, { type: "module" });
    return wrap(
      (message, transfer) => worker.postMessage(message, transfer),
      (listener) => worker.addEventListener("message", (event) => listener(event.data)),
      (listener) => worker.addEventListener("error", (event) => listener(new Error(event.message))),
      async () => worker.terminate(),
    );
  };
}

function wrap(
  post: (message: unknown, transfer: Transferable[]) => void,
  onMessage: (listener: (data: unknown) => void) => void,
  onError: (listener: (error: Error) => void) => void,
  terminate: () => Promise<void>,
): TaskWorker {
  const pending: { resolve(value: unknown): void; reject(error: Error): void }[] = [];
  onMessage((data) => pending.shift()?.resolve(data));
  onError((error) => {
    for (const request of pending.splice(0)) request.reject(error);
  });
  return {
    request<Reply>(message: unknown, transfer: Transferable[] = []): Promise<Reply> {
      return new Promise<Reply>((resolve, reject) => {
        pending.push({ resolve: resolve as (value: unknown) => void, reject });
        post(message, transfer);
      });
    },
    terminate,
  };
}
