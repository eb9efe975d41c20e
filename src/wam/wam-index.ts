/**
 * WAM indexes and descriptor lists: where the WAM discovery roots find their modules. Pure (given
 * the fetched text), tested in Node (test/wam/wam-index.test.ts).
 *
 * - wam-index: a JSON array in the wam-community `plugins.json` format, one object per plugin with
 *   `path` (the module, relative to the `plugins/` folder beside the index, as wam-community ships
 *   it), `identifier`, `name`, `vendor`, `description`, `category`. An entry without a usable `path`
 *   is a failure at `<index url>#<position>`.
 * - wam-descriptors: descriptor.json files; each module is the `index.js` beside its descriptor.json
 *   (the WAM convention: descriptor.json next to index.js).
 */
import type { DiscoveryFailure } from "../api/discovery-roots";
import { EngineError } from "../contracts/errors";
import type { WamDescriptorFallback } from "./describe-wam";

/** A module to load and describe, with what its index or descriptor.json says about it. */
export interface WamCandidate {
  moduleUrl: string;
  fallback: WamDescriptorFallback;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/** The identity fields of an index entry or a descriptor.json, where they are strings. */
export function fallbackOf(entry: Record<string, unknown>): WamDescriptorFallback {
  const fallback: WamDescriptorFallback = {};
  for (const key of ["identifier", "name", "vendor", "description"] as const) {
    const value = text(entry[key]);
    if (value !== undefined) fallback[key] = value;
  }
  return fallback;
}

/**
 * Parses JSON text, or E_SCHEMA naming `url` and why.
 * @example
 * parseJsonAt("[1]", "https://x/plugins.json"); // [1]
 */
export function parseJsonAt(body: string, url: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new EngineError("E_SCHEMA", `${url}: not JSON: ${(error as Error).message}`);
  }
}

/**
 * The modules a plugins.json index lists, and its entries that name none.
 * @example
 * const { candidates, failures } = wamIndexCandidates(JSON.parse(body), "https://host/wam/plugins.json");
 */
export function wamIndexCandidates(
  index: unknown,
  indexUrl: string,
): { candidates: WamCandidate[]; failures: DiscoveryFailure[] } {
  if (!Array.isArray(index)) {
    throw new EngineError("E_SCHEMA", `${indexUrl}: a WAM index must be a JSON array of plugin entries`);
  }
  const pluginsFolder = new URL("plugins/", indexUrl);
  const candidates: WamCandidate[] = [];
  const failures: DiscoveryFailure[] = [];
  index.forEach((entry: unknown, position) => {
    const record = typeof entry === "object" && entry !== null ? (entry as Record<string, unknown>) : {};
    const path = text(record.path);
    if (path === undefined) {
      failures.push({
        path: `${indexUrl}#${position}`,
        error: new EngineError("E_SCHEMA", `entry ${position} of ${indexUrl} has no "path" to its module`)
          .message,
      });
      return;
    }
    candidates.push({ moduleUrl: new URL(path, pluginsFolder).href, fallback: fallbackOf(record) });
  });
  return { candidates, failures };
}

/**
 * The module beside a descriptor.json, with the descriptor's identity; E_SCHEMA for a descriptor that
 * is not a JSON object.
 * @example
 * wamDescriptorCandidate({ identifier: "com.x.gain" }, "https://host/gain/descriptor.json").moduleUrl;
 * // "https://host/gain/index.js"
 */
export function wamDescriptorCandidate(descriptor: unknown, descriptorUrl: string): WamCandidate {
  if (typeof descriptor !== "object" || descriptor === null || Array.isArray(descriptor)) {
    throw new EngineError("E_SCHEMA", `${descriptorUrl}: a WAM descriptor.json must be a JSON object`);
  }
  return {
    moduleUrl: new URL("index.js", descriptorUrl).href,
    fallback: fallbackOf(descriptor as Record<string, unknown>),
  };
}
