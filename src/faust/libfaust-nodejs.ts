/**
 * libfaust in Node: the three files read from the installed @grame/faustwasm package.
 *
 * faustwasm's own `instantiateFaustModuleFromFile` writes a temporary .mjs next to libfaust-wasm.js
 * and imports it, which needs a writable node_modules. Here the script is evaluated as a function of
 * the CommonJS names it uses (`require`, `__dirname`, `__filename`) instead: nothing is written.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { FaustModule, FaustModuleFactory } from "@grame/faustwasm/dist/esm/index.js";
import { instantiateLibFaust } from "./libfaust";

/** The folder holding libfaust-wasm.{js,wasm,data} in the installed @grame/faustwasm package. */
export function libFaustDirectory(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("@grame/faustwasm/package.json")), "libfaust-wasm");
}

/**
 * The loader for Node hosts (tests, the command line, the in-process client).
 * @example
 * const registry = new FaustRegistry({ loadLibFaust: loadLibFaustFromDisk });
 */
export async function loadLibFaustFromDisk(directory = libFaustDirectory()): Promise<FaustModule> {
  const scriptPath = join(directory, "libfaust-wasm.js");
  const [script, wasm, data] = await Promise.all([
    readFile(scriptPath, "utf8"),
    readFile(join(directory, "libfaust-wasm.wasm")),
    readFile(join(directory, "libfaust-wasm.data")),
  ]);
  const name = /var (\w+)\s*=\s*\(/.exec(script)?.[1];
  if (name === undefined) throw new Error(`${scriptPath} does not define its module factory`);
  const define = new Function("require", "__dirname", "__filename", `${script}\nreturn ${name};`);
  const factory = define(createRequire(scriptPath), directory, scriptPath) as FaustModuleFactory;
  const copy = (bytes: Buffer) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return instantiateLibFaust({ factory, wasm: copy(wasm) as ArrayBuffer, data: copy(data) as ArrayBuffer });
}
