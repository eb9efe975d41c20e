/**
 * Scanning the Faust discovery roots (src/api/discovery-roots.ts): `.dsp` files under a URL
 * (`faust-url`: an explicit list or `<url>/index.json`) or a folder (`faust-folder`, Node.js). Each
 * file is compiled when the root is scanned, not when it is added (lazily), through the client's
 * FaustRegistry, so the node is usable in a graph as soon as discovery lists it; compiles are cached
 * by node id, so a rescan only reads the sources again. A file that does not compile, or cannot be
 * read, is a failure naming it; the other files are still listed.
 *
 * The DSP's name is its file name without `.dsp` (the Faust `declare name` wins in the descriptor),
 * and its descriptor carries the file in extensions.module_url.
 */
import { type DiscoveryRoot, failedRootScan, type RootScan } from "../api/discovery-roots";
import { EngineError } from "../contracts/errors";
import type { NodeDescriptor } from "../contracts/node-descriptor";
import type { FaustRegistry } from "./registry";

/** One `.dsp` file: where it is (URL or path) and its source. */
export interface DspFile {
  path: string;
  source: string;
}

/** How a thread reads a folder of `.dsp` files (readDspFolderFromDisk in Node). */
export type DspFolderReader = (folder: string) => Promise<DspFile[]>;

type FaustRoot = Extract<DiscoveryRoot, { kind: "faust-url" | "faust-folder" }>;

/** `url` as a folder URL (ending in "/"), resolved against the page in a browser. */
export function folderUrl(url: string): URL {
  const base = (globalThis.location as Location | undefined)?.href;
  const resolved = base === undefined ? new URL(url) : new URL(url, base);
  if (!resolved.pathname.endsWith("/")) resolved.pathname += "/";
  return resolved;
}

async function fetchText(url: URL): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new EngineError("E_PLUGIN_LOAD", `${url.href}: network error: ${(error as Error).message}`);
  }
  if (!response.ok) throw new EngineError("E_PLUGIN_LOAD", `${url.href}: HTTP ${response.status}`);
  return response.text();
}

/** The relative paths a URL root lists: its `files`, else the JSON array of `<url>/index.json`. */
async function listedFiles(root: Extract<FaustRoot, { kind: "faust-url" }>, folder: URL): Promise<string[]> {
  if (root.files !== undefined) return root.files;
  const indexUrl = new URL("index.json", folder);
  const text = await fetchText(indexUrl);
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch (error) {
    throw new EngineError("E_SCHEMA", `${indexUrl.href}: not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(list) || !list.every((item) => typeof item === "string")) {
    throw new EngineError("E_SCHEMA", `${indexUrl.href}: must be a JSON array of relative .dsp paths`);
  }
  return list;
}

function dspName(path: string): string {
  const file = path.split(/[\\/]/).pop() ?? path;
  return file.replace(/\.dsp$/i, "") || "webdreamer";
}

/**
 * Scans one Faust root with `registry` (compiling each file). A root that cannot be listed at all (no
 * index, no folder reader) fails whole.
 * @example
 * const scan = await scanFaustRoot({ kind: "faust-folder", folder: "./dsp" }, registry, readDspFolderFromDisk);
 */
export async function scanFaustRoot(
  root: FaustRoot,
  registry: FaustRegistry,
  readFolder?: DspFolderReader,
): Promise<RootScan> {
  const started = performance.now();
  const elapsed = () => Math.max(0, performance.now() - started);
  let files: Promise<DspFile | { path: string; error: EngineError }>[];
  let listedAt: string;
  try {
    if (root.kind === "faust-folder") {
      if (readFolder === undefined) {
        throw new EngineError(
          "E_HOST_UNAVAILABLE",
          "faust-folder roots are read by the in-process host in Node.js; give a page's hosts a faust-url root",
        );
      }
      listedAt = root.folder;
      files = (await readFolder(root.folder)).map((file) => Promise.resolve(file));
    } else {
      const folder = folderUrl(root.url);
      listedAt = folder.href;
      files = (await listedFiles(root, folder)).map(async (relative) => {
        const url = new URL(relative, folder);
        try {
          return { path: url.href, source: await fetchText(url) };
        } catch (error) {
          return { path: url.href, error: EngineError.fromWire(error) };
        }
      });
    }
  } catch (error) {
    return failedRootScan(root, EngineError.fromWire(error).message, elapsed());
  }
  const scan: RootScan = { nodes: [], scanned_paths: [listedAt], failures: [], elapsed_ms: 0 };
  // Compiled one after the other: libfaust is one instance per thread.
  for (const pending of files) {
    const file = await pending;
    if ("error" in file) {
      scan.failures.push({ path: file.path, error: file.error.message });
      continue;
    }
    scan.scanned_paths.push(file.path);
    try {
      const compiled = await registry.compile(file.source, { name: dspName(file.path) });
      const descriptor: NodeDescriptor = {
        ...compiled.descriptor,
        extensions: { ...compiled.descriptor.extensions, module_url: file.path },
      };
      scan.nodes.push(descriptor);
    } catch (error) {
      scan.failures.push({ path: file.path, error: EngineError.fromWire(error).message });
    }
  }
  scan.elapsed_ms = elapsed();
  return scan;
}
