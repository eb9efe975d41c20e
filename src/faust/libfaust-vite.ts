/**
 * libfaust in a page or a Worker built by Vite: Vite serves the package's three files (in dev from
 * node_modules, in a build as hashed assets) and hands back their URLs.
 */
import type { FaustModule } from "@grame/faustwasm/dist/esm/index.js";
import dataUrl from "@grame/faustwasm/libfaust-wasm/libfaust-wasm.data?url";
import jsUrl from "@grame/faustwasm/libfaust-wasm/libfaust-wasm.js?url";
import wasmUrl from "@grame/faustwasm/libfaust-wasm/libfaust-wasm.wasm?url";
import { type LibFaustUrls, loadLibFaustFromUrls } from "./libfaust";

/** Where Vite serves libfaust's three files (relative to the page, or absolute). */
export const LIBFAUST_VITE_URLS: LibFaustUrls = { js: jsUrl, wasm: wasmUrl, data: dataUrl };

/**
 * The loader for browser hosts bundled by Vite (a Worker, or a page's main thread).
 * @example
 * const registry = new FaustRegistry({ loadLibFaust: loadLibFaustWithVite });
 */
export function loadLibFaustWithVite(): Promise<FaustModule> {
  return loadLibFaustFromUrls(LIBFAUST_VITE_URLS);
}
