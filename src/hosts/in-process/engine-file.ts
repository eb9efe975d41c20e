/**
 * The in-process host in Node.js: reads and compiles public/build/engine.wasm (built by wasm/build.sh).
 * Browser hosts fetch the same file; both hand the module to instantiateEngine().
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

import { compileEngineModule } from "../../engine/engine-module";

/**
 * The engine file: $WEBDREAMER_WASM if set, else public/build/engine.wasm found from this module's
 * location (the source tree, or a bundle in public/build/ itself).
 */
export function engineWasmPath(): string {
  const fromEnv = process.env.WEBDREAMER_WASM;
  if (fromEnv) return fromEnv;
  const candidates = [
    "../../../public/build/engine.wasm",
    "./engine.wasm",
    "../public/build/engine.wasm",
  ].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      `engine.wasm not found (looked in ${candidates.join(", ")}): run \`npm run setup\` first`,
    );
  }
  return found;
}

let compiled: Promise<WebAssembly.Module> | null = null;

/** Compiles engine.wasm once per process. */
export function loadEngineModuleFromDisk(path: string = engineWasmPath()): Promise<WebAssembly.Module> {
  compiled ??= readFile(path).then((bytes) => compileEngineModule(bytes));
  return compiled;
}
