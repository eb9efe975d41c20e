/**
 * The engine's files in this repository, served by Vite (`npm start`, the tests, the demo site):
 * engine.wasm and the worklet bundle from public/build/ at the site's base, the Worker entries as
 * TypeScript that Vite bundles (it needs the literal `new Worker(new URL(...))` to find them), and
 * libfaust's files as Vite serves them from node_modules.
 *
 * The package build (scripts/build-package.mjs) replaces this module with default-assets.package.ts,
 * where every file sits beside the bundle.
 */
import { LIBFAUST_VITE_URLS } from "../../faust/libfaust-vite";
import type { EngineAssets, EngineWorkerKind } from "./engine-assets";

/** Vite's base ("/" in dev; "./" for the relocatable demo site). */
const BASE: string = (import.meta as { env?: { BASE_URL?: string } }).env?.BASE_URL ?? "/";

/** The Worker entries, for error messages (not literals in `new URL`, which Vite would copy as assets). */
const workerEntries: Record<EngineWorkerKind, string> = {
  worker: "../worker/engine-worker.ts",
  realtime: "../audioworklet/engine-worker.ts",
};

export function defaultEngineAssets(): EngineAssets {
  const page = globalThis.document?.baseURI ?? globalThis.location.href;
  const at = (path: string) => new URL(path, new URL(BASE, page)).href;
  return {
    engineWasm: at("build/engine.wasm"),
    worklet: at("build/engine-processor.js"),
    libfaust: {
      js: new URL(LIBFAUST_VITE_URLS.js, page).href,
      wasm: new URL(LIBFAUST_VITE_URLS.wasm, page).href,
      data: new URL(LIBFAUST_VITE_URLS.data, page).href,
    },
    workerScript: (kind) => new URL(workerEntries[kind], import.meta.url).href,
    startWorker: (kind) =>
      kind === "worker"
        ? new Worker(new URL("../worker/engine-worker.ts", import.meta.url), { type: "module" })
        : new Worker(new URL("../audioworklet/engine-worker.ts", import.meta.url), { type: "module" }),
  };
}
