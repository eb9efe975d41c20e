/**
 * The engine's files in the published package: all beside the bundle (dist/browser/), found from
 * this module's own URL. Bundlers (Vite, Rollup, webpack 5, esbuild with a loader for the assets)
 * recognise `new URL("./file", import.meta.url)` and copy the files with the app, so neither an app
 * nor a sub-path deploy needs configuration; a plain page loads the files from wherever the bundle
 * is served.
 *
 * scripts/build-package.mjs swaps this module in for default-assets.ts.
 */
import { ENGINE_ASSET_FILES, type EngineAssets } from "./engine-assets";

export function defaultEngineAssets(): EngineAssets {
  return {
    engineWasm: new URL("./engine.wasm", import.meta.url).href,
    worklet: new URL("./engine-processor.js", import.meta.url).href,
    libfaust: {
      js: new URL("./libfaust-wasm.js", import.meta.url).href,
      wasm: new URL("./libfaust-wasm.wasm", import.meta.url).href,
      data: new URL("./libfaust-wasm.data", import.meta.url).href,
    },
    // Not a literal: a bundler would copy the script a second time, as a plain asset.
    workerScript: (kind) => new URL(ENGINE_ASSET_FILES[kind], import.meta.url).href,
    startWorker: (kind) =>
      kind === "worker"
        ? new Worker(new URL("./engine-worker.js", import.meta.url), { type: "module" })
        : new Worker(new URL("./realtime-worker.js", import.meta.url), { type: "module" }),
  };
}
