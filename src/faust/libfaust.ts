/**
 * libfaust (the Faust compiler built to WebAssembly by @grame/faustwasm), loaded lazily and once per
 * thread. Loading costs ~0.2 s and ~6 MB (libfaust-wasm.wasm plus the .data file holding the Faust
 * libraries), so nothing loads it until the first compile.
 *
 * How the three files are found depends on the host, so the host passes a loader:
 * - Node: `loadLibFaustFromDisk` (libfaust-nodejs.ts) reads them from node_modules;
 * - a page or a Worker built by Vite: `loadLibFaustWithVite` (libfaust-vite.ts) fetches the URLs Vite
 *   serves;
 * - anything else: `loadLibFaustFromUrls({ js, wasm, data })`.
 * This module itself touches neither the file system nor Vite, so it runs in all of them.
 */
import {
  FaustCompiler,
  type FaustModule,
  type FaustModuleFactory,
  LibFaust,
} from "@grame/faustwasm/dist/esm/index.js";

/** Where libfaust's three files are (absolute URLs, or URLs relative to the page). */
export interface LibFaustUrls {
  js: string;
  wasm: string;
  data: string;
}

/** Loads and instantiates the libfaust Emscripten module. */
export type LibFaustLoader = () => Promise<FaustModule>;

/** The compiler of this thread, created by the first loader that asks. */
let compilerOfThisThread: Promise<FaustCompiler> | null = null;

/**
 * The thread's Faust compiler: libfaust is loaded on the first call (with `load`) and reused by every
 * later call, whatever loader it names. A failed load is not remembered, so a later call retries.
 * @example
 * const compiler = await libFaustCompiler(loadLibFaustFromDisk);
 * compiler.version(); // "2.88.0"
 */
export function libFaustCompiler(load: LibFaustLoader): Promise<FaustCompiler> {
  if (compilerOfThisThread === null) {
    const loading = load().then((module) => new FaustCompiler(new LibFaust(module)));
    compilerOfThisThread = loading;
    loading.catch(() => {
      if (compilerOfThisThread === loading) compilerOfThisThread = null;
    });
  }
  return compilerOfThisThread;
}

/** The libfaust module's three files, as the Emscripten factory takes them. */
export interface LibFaustFiles {
  /** The factory defined by libfaust-wasm.js. */
  factory: FaustModuleFactory;
  /** Contents of libfaust-wasm.wasm. */
  wasm: ArrayBuffer;
  /** Contents of libfaust-wasm.data (the Faust libraries, mounted in libfaust's in-memory file system). */
  data: ArrayBuffer;
}

/**
 * Instantiates libfaust from its files. On every compile error libfaust's C++ side throws, and its
 * Emscripten runtime (built without exception catching) prints "Aborted(Assertion failed: Exception
 * thrown, but exception catching is not enabled ...)" before faustwasm recovers: that line says
 * nothing about the error, which comes back as a value, so it is dropped. The runtime binds its
 * printer to `console.error` when instantiated; it gets a filter that passes every other line on.
 */
export async function instantiateLibFaust(files: LibFaustFiles): Promise<FaustModule> {
  const consoleError = console.error;
  const filtered = (...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].startsWith(UNCAUGHT_EXCEPTION_NOISE)) return;
    consoleError.apply(console, args);
  };
  console.error = filtered;
  try {
    return await files.factory({
      wasmBinary: files.wasm,
      getPreloadedPackage: (name: string) =>
        name === "libfaust-wasm.data" ? files.data : new ArrayBuffer(0),
    } as Partial<FaustModule>);
  } finally {
    if (console.error === filtered) console.error = consoleError;
  }
}

const UNCAUGHT_EXCEPTION_NOISE = "Aborted(Assertion failed: Exception thrown, but exception catching";

/**
 * The factory that libfaust-wasm.js defines (`var FaustModule = (...)`), from the script's text. The
 * script is a classic script, not a module: it gets an `export default` and is imported from a blob
 * URL, as faustwasm does in a page (a Worker works the same way).
 */
export async function libFaustFactoryFromScript(script: string): Promise<FaustModuleFactory> {
  const name = /var (\w+)\s*=\s*\(/.exec(script)?.[1];
  if (name === undefined) throw new Error("libfaust-wasm.js does not define its module factory");
  const url = URL.createObjectURL(
    new Blob([`${script}\nexport default ${name};\n`], { type: "text/javascript" }),
  );
  try {
    return (await import(/* @vite-ignore */ url)).default as FaustModuleFactory;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * A loader that fetches libfaust's three files (a page or a Worker; not an AudioWorklet, which has no
 * fetch).
 * @example
 * const compiler = await libFaustCompiler(() => loadLibFaustFromUrls({ js, wasm, data }));
 */
export async function loadLibFaustFromUrls(urls: LibFaustUrls): Promise<FaustModule> {
  const fetchOk = async (url: string) => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`cannot fetch ${url}: HTTP ${response.status}`);
    return response;
  };
  const [script, wasm, data] = await Promise.all([
    fetchOk(urls.js).then((response) => response.text()),
    fetchOk(urls.wasm).then((response) => response.arrayBuffer()),
    fetchOk(urls.data).then((response) => response.arrayBuffer()),
  ]);
  return instantiateLibFaust({ factory: await libFaustFactoryFromScript(script), wasm, data });
}
