/**
 * Discovery roots: where EngineClient.discoverNodes looks for node types besides the engine's own
 * (builtin processors and the Faust DSPs compiled so far, always listed). docs/wam.md, "Discovery".
 *
 * | kind | what it lists | scanned by |
 * | --- | --- | --- |
 * | `faust-url` | `.dsp` files under a URL: `files` (relative to `url`), else the JSON array of relative paths in `<url>/index.json` | every host with a Faust compiler (the Worker's, for the browser hosts) |
 * | `faust-folder` | every `.dsp` file under a folder, recursively | the in-process host in Node.js |
 * | `wam-index` | the plugins of a WAM index in the wam-community `plugins.json` format | the browser hosts, on the page's main thread |
 * | `wam-descriptors` | WAMs by their `descriptor.json` files: `files`, else `<url>/index.json`; the module is the `index.js` beside each | the browser hosts |
 * | `wam-module` | one WAM module URL | the browser hosts |
 *
 * A root is known by its key, `<kind>:<url or folder>` (discoveryRootKey): adding a root with the key
 * of one already there replaces it; removeDiscoveryRoot and invalidateDiscovery take the root or its key.
 * A root's scan is cached on its own (TTL), so invalidating one root rescans only that root.
 */
import * as z from "zod";
import type { NodeDescriptor } from "../contracts/node-descriptor";
import { NodeDescriptorSchema } from "../contracts/node-descriptor";

const UrlText = z.string().min(1).describe("An absolute URL, or one relative to the page.");
const RelativeFiles = z
  .array(z.string().min(1))
  .describe("Paths relative to `url`; without it, the JSON array in `<url>/index.json`.");

export const DiscoveryRootSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("faust-url"), url: UrlText, files: RelativeFiles.optional() }),
  z.strictObject({ kind: z.literal("faust-folder"), folder: z.string().min(1) }),
  z.strictObject({ kind: z.literal("wam-index"), url: UrlText }),
  z.strictObject({ kind: z.literal("wam-descriptors"), url: UrlText, files: RelativeFiles.optional() }),
  z.strictObject({ kind: z.literal("wam-module"), url: UrlText }),
]);

export type DiscoveryRoot = z.output<typeof DiscoveryRootSchema>;
export type DiscoveryRootKind = DiscoveryRoot["kind"];
export type WamDiscoveryRoot = Extract<DiscoveryRoot, { kind: `wam-${string}` }>;
export type FaustDiscoveryRoot = Extract<DiscoveryRoot, { kind: `faust-${string}` }>;

/** True for the roots only a page's main thread can scan (WAMs need an audio context and import()). */
export function isWamRoot(root: DiscoveryRoot): root is WamDiscoveryRoot {
  return root.kind.startsWith("wam-");
}

/**
 * The key a root is known by: "<kind>:<url or folder>".
 * @example
 * discoveryRootKey({ kind: "wam-index", url: "/wam-corpus/plugins.json" }); // "wam-index:/wam-corpus/plugins.json"
 */
export function discoveryRootKey(root: DiscoveryRoot): string {
  return `${root.kind}:${root.kind === "faust-folder" ? root.folder : root.url}`;
}

/** One failure of a scan: what could not be described, and the EngineError message saying why. */
export interface DiscoveryFailure {
  path: string;
  error: string;
}

/** What scanning one root found. Plain data: it crosses from the engine Worker (Faust roots). */
export interface RootScan {
  nodes: NodeDescriptor[];
  /** Where the scan looked: the root's index or folder, then each module or file. */
  scanned_paths: string[];
  failures: DiscoveryFailure[];
  elapsed_ms: number;
}

export const RootScanSchema = z.strictObject({
  nodes: z.array(NodeDescriptorSchema),
  scanned_paths: z.array(z.string()),
  failures: z.array(z.strictObject({ path: z.string(), error: z.string() })),
  elapsed_ms: z.number().min(0),
});

/**
 * A root that failed whole (its index is missing, its kind is not scanned by this host): one failure
 * at the root's key.
 * @example
 * failedRootScan({ kind: "wam-module", url: "/x.js" }, "E_HOST_UNAVAILABLE: ...", 0);
 */
export function failedRootScan(root: DiscoveryRoot, error: string, elapsedMs = 0): RootScan {
  const key = discoveryRootKey(root);
  return { nodes: [], scanned_paths: [key], failures: [{ path: key, error }], elapsed_ms: elapsedMs };
}

/** Hosts that scan roots where the engine runs (the engine Worker scans Faust roots for the page). */
export interface DiscoveryRootScanning {
  /** Scans one root now (no cache); a failing root resolves with its failures, it does not reject. */
  scanDiscoveryRoot(root: DiscoveryRoot): Promise<RootScan>;
}
