/**
 * Fetching engine.wasm in a page or a Worker, with the error a user can act on. A missing file
 * usually comes back as a 404, or as the app's index.html with status 200 (single-page servers),
 * which WebAssembly would only report as a bad MIME type or magic number: both are told as
 * E_HOST_UNAVAILABLE naming the URL looked for.
 */
import { EngineError } from "../../contracts/errors";

/** The E_HOST_UNAVAILABLE of an engine file that did not load, with the URL and what to do. */
export function missingEngineFile(url: string, why: string): EngineError {
  const file = url.split(/[?#]/)[0]?.split("/").pop() || url;
  return new EngineError(
    "E_HOST_UNAVAILABLE",
    `${file} could not be loaded from ${url} (${why}): serve the files of webdreamer's dist/browser/ ` +
      "folder together (a bundler copies them when it builds the app), or set baseUrl (the player's " +
      "base-url attribute) to the folder that holds them",
  );
}

/**
 * Fetches and compiles engine.wasm; E_HOST_UNAVAILABLE naming the URL when it is not there. Served as
 * application/wasm, it compiles while it downloads (WebAssembly.compileStreaming); any other type is
 * read whole and checked to be WebAssembly first, so a page served instead is told as such.
 */
export async function compileEngineFrom(url: string): Promise<WebAssembly.Module> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw missingEngineFile(url, (error as Error).message);
  }
  if (!response.ok) throw missingEngineFile(url, `HTTP ${response.status}`);
  const type = response.headers.get("content-type") ?? "no content type";
  if (
    type.split(";")[0]?.trim() === "application/wasm" &&
    typeof WebAssembly.compileStreaming === "function"
  ) {
    return WebAssembly.compileStreaming(response);
  }
  const bytes = await response.arrayBuffer();
  const magic = new Uint8Array(bytes, 0, Math.min(4, bytes.byteLength));
  if (magic.length < 4 || magic[0] !== 0 || magic[1] !== 0x61 || magic[2] !== 0x73 || magic[3] !== 0x6d) {
    throw missingEngineFile(url, `the server sent ${bytes.byteLength} bytes of ${type}, not WebAssembly`);
  }
  return WebAssembly.compile(bytes);
}

let compiled: { url: string; module: Promise<WebAssembly.Module> } | null = null;

/**
 * engine.wasm compiled once per page (or Worker): every engine this page starts, in a worklet or a
 * Worker, is handed the same WebAssembly.Module (structured-cloneable to both) instead of fetching and
 * compiling the file again. A failed load is forgotten, so the next call tries again. (This module
 * imports no asset defaults: the engine Workers load it, and the defaults name the Workers' scripts.)
 * @example
 * const module = await loadEngineModule("https://cdn.example/webdreamer/engine.wasm");
 */
export function loadEngineModule(url: string): Promise<WebAssembly.Module> {
  if (compiled?.url !== url) {
    const module = compileEngineFrom(url);
    compiled = { url, module };
    module.catch(() => {
      if (compiled?.module === module) compiled = null;
    });
  }
  return compiled.module;
}
