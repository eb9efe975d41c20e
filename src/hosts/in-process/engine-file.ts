/**
 * The in-process host in Node.js: reads and compiles engine.wasm (built by wasm/build.sh).
 * Browser hosts fetch the same file; both hand the module to instantiateEngine().
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

import { EngineError } from "../../contracts/errors";
import { compileEngineModule } from "../../engine/engine-module";

/**
 * Where engine.wasm may be, from this module's location: the package (dist/node/ beside
 * dist/browser/engine.wasm), the repository's bundles (dist/node/, and build/ where
 * scripts/run-ts.mjs bundles benchmarks and scripts) and its sources (src/hosts/...), where
 * wasm/build.sh writes public/build/engine.wasm.
 */
const ENGINE_CANDIDATES = [
  "../browser/engine.wasm",
  "../../public/build/engine.wasm",
  "../public/build/engine.wasm",
  "../../../public/build/engine.wasm",
];

/**
 * The engine file: $WEBDREAMER_WASM if set, else the first of ENGINE_CANDIDATES that exists;
 * E_HOST_UNAVAILABLE naming every path looked at when none does.
 */
export function engineWasmPath(): string {
  const fromEnv = process.env.WEBDREAMER_WASM;
  if (fromEnv) return fromEnv;
  const candidates = ENGINE_CANDIDATES.map((p) => fileURLToPath(new URL(p, import.meta.url)));
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new EngineError(
      "E_HOST_UNAVAILABLE",
      `engine.wasm not found (looked for ${candidates.join(", ")}): reinstall the webdreamer package ` +
        "(its dist/browser/engine.wasm is missing), set WEBDREAMER_WASM or the wasmPath option to the " +
        "file, or, in a clone of the repository, run `npm run setup`",
    );
  }
  return found;
}

let compiled: Promise<WebAssembly.Module> | null = null;

/** Compiles engine.wasm once per process. */
export function loadEngineModuleFromDisk(path: string = engineWasmPath()): Promise<WebAssembly.Module> {
  compiled ??= readFile(path).then(
    (bytes) => compileEngineModule(bytes),
    (error: NodeJS.ErrnoException) => {
      compiled = null;
      throw new EngineError(
        "E_HOST_UNAVAILABLE",
        `engine.wasm could not be read from ${path}: ${error.code ?? error.message}`,
      );
    },
  );
  return compiled;
}
