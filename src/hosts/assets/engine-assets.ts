/**
 * Where a page's engine finds its files: engine.wasm, the worklet module, the two engine Worker
 * scripts and libfaust's three files. By default they sit beside the module that asks (see
 * default-assets.ts, which the package build swaps for the published layout); `baseUrl` moves them
 * all to one folder, e.g. a CDN.
 *
 * Every URL is resolved on the main thread and handed to the Worker in its init message, so the
 * Worker needs no bundler support of its own and loads libfaust only when a Faust node compiles.
 */
import type { LibFaustUrls } from "../../faust/libfaust";
import { defaultEngineAssets } from "./default-assets";

/** The engine Worker scripts: the offline Worker host's and the real-time host's. */
export type EngineWorkerKind = "worker" | "realtime";

/** The files one browser engine loads, as absolute URLs. */
export interface EngineAssets {
  engineWasm: string;
  /** The AudioWorklet module (engine-processor.js). */
  worklet: string;
  /** libfaust's three files, fetched by the first Faust compile only. */
  libfaust: LibFaustUrls;
  /** The script a Worker of this kind runs (named in errors when it does not load). */
  workerScript(kind: EngineWorkerKind): string;
  /** Starts a Worker of this kind. */
  startWorker(kind: EngineWorkerKind): Worker;
}

/** The file names of the published layout, relative to its folder (dist/browser/ in the package). */
export const ENGINE_ASSET_FILES = {
  engineWasm: "engine.wasm",
  worklet: "engine-processor.js",
  worker: "engine-worker.js",
  realtime: "realtime-worker.js",
  libfaust: { js: "libfaust-wasm.js", wasm: "libfaust-wasm.wasm", data: "libfaust-wasm.data" },
} as const;

/**
 * The engine's files: beside this module, or in the folder `baseUrl` names (relative to the page).
 * @example
 * const assets = engineAssets("https://cdn.example.com/webdreamer@0.1.0/dist/browser/");
 * assets.engineWasm; // "https://cdn.example.com/webdreamer@0.1.0/dist/browser/engine.wasm"
 */
export function engineAssets(baseUrl?: string | URL): EngineAssets {
  if (baseUrl === undefined || baseUrl === "") return defaultEngineAssets();
  const folder = new URL(baseUrl, globalThis.document?.baseURI ?? globalThis.location?.href);
  if (!folder.pathname.endsWith("/")) folder.pathname += "/";
  const at = (file: string) => new URL(file, folder).href;
  const workerScript = (kind: EngineWorkerKind) => at(ENGINE_ASSET_FILES[kind]);
  return {
    engineWasm: at(ENGINE_ASSET_FILES.engineWasm),
    worklet: at(ENGINE_ASSET_FILES.worklet),
    libfaust: {
      js: at(ENGINE_ASSET_FILES.libfaust.js),
      wasm: at(ENGINE_ASSET_FILES.libfaust.wasm),
      data: at(ENGINE_ASSET_FILES.libfaust.data),
    },
    workerScript,
    startWorker: (kind) => startModuleWorker(workerScript(kind)),
  };
}

/**
 * A module Worker running `script`. A Worker's script must come from the page's origin, so a script
 * on another origin (a CDN) is imported by a one-line module from a blob: URL, which the page owns;
 * the import itself needs the CDN to send CORS headers, as CDNs for ES modules do.
 */
export function startModuleWorker(script: string): Worker {
  const here = globalThis.location?.origin;
  if (here === undefined || new URL(script).origin === here) return new Worker(script, { type: "module" });
  const loader = URL.createObjectURL(
    new Blob([`import ${JSON.stringify(script)};\n`], { type: "text/javascript" }),
  );
  const worker = new Worker(loader, { type: "module" });
  // The Worker has fetched its script once it runs; revoking later would only leak the blob.
  setTimeout(() => URL.revokeObjectURL(loader), 60_000);
  return worker;
}
