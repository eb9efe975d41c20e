/**
 * Scanning the WAM discovery roots (wam-index, wam-descriptors, wam-module: src/api/discovery-roots.ts)
 * on a page's main thread: every candidate module is loaded with loadWamModule under the app's policy
 * (the index and descriptor.json fetches obey the same origin policy) and described from a fresh
 * instance in `context` (describeWam), a few at a time. A candidate that fails (refused origin, 404,
 * throws, not a WAM, an instance that never answers within `timeoutMs`) is a failure naming its URL;
 * a root whose index cannot be read fails whole.
 */
import type { DiscoveryFailure, RootScan, WamDiscoveryRoot } from "../api/discovery-roots";
import { failedRootScan } from "../api/discovery-roots";
import type { WamLoadPolicy } from "../api/wam-load-policy";
import { EngineError } from "../contracts/errors";
import type { NodeDescriptor } from "../contracts/node-descriptor";
import { describeWam } from "./describe-wam";
import { loadWamModule, resolveModuleUrl, type WamConstructor } from "./load-wam";
import { checkOrigin } from "./origin-policy";
import { createWamHostGroup } from "./wam-host-group";
import { parseJsonAt, type WamCandidate, wamDescriptorCandidate, wamIndexCandidates } from "./wam-index";

export interface WamScanOptions {
  /** Where instances are created to be described (an AudioContext or OfflineAudioContext). */
  context: BaseAudioContext;
  policy?: WamLoadPolicy;
  /** How long one plugin may take to load and describe, in ms. Default 15000. */
  timeoutMs?: number;
  /** Plugins loaded and described at once. Default 6. */
  concurrency?: number;
  /**
   * Measures a described plugin's resource_estimate (the AudioWorklet host's wam-cost-meter.ts);
   * without it, or when it throws, resource_estimate stays null. Runs after the description, outside
   * `timeoutMs`.
   */
  measureCost?: (
    Plugin: WamConstructor,
    descriptor: NodeDescriptor,
  ) => Promise<{ estimate: NonNullable<NodeDescriptor["resource_estimate"]>; notes: string }>;
}

export const DEFAULT_WAM_SCAN_TIMEOUT_MS = 15_000;

/** Fetches a JSON file the policy allows, or E_ORIGIN_NOT_ALLOWED / E_PLUGIN_LOAD / E_SCHEMA naming it. */
async function fetchJson(url: string, policy: WamLoadPolicy): Promise<unknown> {
  const resolved = resolveModuleUrl(url, "root.url");
  checkOrigin(resolved, policy, location.origin, "root.url");
  let response: Response;
  try {
    response = await fetch(resolved);
  } catch (error) {
    throw new EngineError("E_PLUGIN_LOAD", `${resolved.href}: network error: ${(error as Error).message}`);
  }
  if (!response.ok) throw new EngineError("E_PLUGIN_LOAD", `${resolved.href}: HTTP ${response.status}`);
  return parseJsonAt(await response.text(), resolved.href);
}

function folderOf(url: string): URL {
  const resolved = resolveModuleUrl(url, "root.url");
  if (!resolved.pathname.endsWith("/")) resolved.pathname += "/";
  return resolved;
}

/** The candidates of a root, and the failures met while listing them. */
async function candidatesOf(
  root: WamDiscoveryRoot,
  policy: WamLoadPolicy,
): Promise<{ listedAt: string; candidates: WamCandidate[]; failures: DiscoveryFailure[] }> {
  if (root.kind === "wam-module") {
    const moduleUrl = resolveModuleUrl(root.url, "root.url").href;
    return { listedAt: moduleUrl, candidates: [{ moduleUrl, fallback: {} }], failures: [] };
  }
  if (root.kind === "wam-index") {
    const indexUrl = resolveModuleUrl(root.url, "root.url").href;
    return { listedAt: indexUrl, ...wamIndexCandidates(await fetchJson(indexUrl, policy), indexUrl) };
  }
  const folder = folderOf(root.url);
  let files = root.files;
  if (files === undefined) {
    const listUrl = new URL("index.json", folder).href;
    const list = await fetchJson(listUrl, policy);
    if (!Array.isArray(list) || !list.every((item) => typeof item === "string")) {
      throw new EngineError("E_SCHEMA", `${listUrl}: must be a JSON array of relative descriptor.json paths`);
    }
    files = list;
  }
  const candidates: WamCandidate[] = [];
  const failures: DiscoveryFailure[] = [];
  await Promise.all(
    files.map(async (file) => {
      const descriptorUrl = new URL(file, folder).href;
      try {
        candidates.push(wamDescriptorCandidate(await fetchJson(descriptorUrl, policy), descriptorUrl));
      } catch (error) {
        failures.push({ path: descriptorUrl, error: EngineError.fromWire(error).message });
      }
    }),
  );
  return { listedAt: folder.href, candidates, failures };
}

/** Rejects with E_PLUGIN_LOAD naming `url` once `ms` pass (a plugin waiting on a server forever). */
function timeout<T>(work: Promise<T>, ms: number, url: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new EngineError("E_PLUGIN_LOAD", `${url}: no answer within ${ms} ms (loading or describing it)`),
        ),
      ms,
    );
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/** Runs `work` over `items`, at most `limit` at once, keeping the items' order in the results. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  });
  await Promise.all(lanes);
  return results;
}

/**
 * Scans one WAM root. Never rejects: failures are in the result.
 * @example
 * const scan = await scanWamRoot({ kind: "wam-index", url: "/wam-corpus/plugins.json" }, { context });
 */
export async function scanWamRoot(root: WamDiscoveryRoot, options: WamScanOptions): Promise<RootScan> {
  const started = performance.now();
  const elapsed = () => Math.max(0, performance.now() - started);
  const policy = options.policy ?? {};
  let listing: Awaited<ReturnType<typeof candidatesOf>>;
  let groupId: string;
  try {
    listing = await candidatesOf(root, policy);
    [groupId] = await createWamHostGroup(options.context);
  } catch (error) {
    return failedRootScan(root, EngineError.fromWire(error).message, elapsed());
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAM_SCAN_TIMEOUT_MS;
  type Outcome = { node: NodeDescriptor } | { failure: DiscoveryFailure };
  const outcomes = await mapLimited(
    listing.candidates,
    options.concurrency ?? 6,
    async (candidate): Promise<Outcome> => {
      try {
        let Plugin: WamConstructor | undefined;
        const described = timeout(
          (async () => {
            Plugin = await loadWamModule(candidate.moduleUrl, policy, "root.url");
            return describeWam(Plugin, options.context, groupId, candidate.moduleUrl, candidate.fallback);
          })(),
          timeoutMs,
          candidate.moduleUrl,
        );
        const node = await described;
        return { node: Plugin ? await withCost(node, Plugin, options.measureCost) : node };
      } catch (error) {
        return { failure: { path: candidate.moduleUrl, error: EngineError.fromWire(error).message } };
      }
    },
  );
  const nodes: NodeDescriptor[] = [];
  const failures = [...listing.failures];
  for (const outcome of outcomes) {
    if ("failure" in outcome) failures.push(outcome.failure);
    else nodes.push(outcome.node);
  }
  return {
    nodes,
    scanned_paths: [listing.listedAt, ...listing.candidates.map((candidate) => candidate.moduleUrl)],
    failures,
    elapsed_ms: elapsed(),
  };
}

/** `node` with the resource estimate `measure` finds (null, with the reason in its notes, when it fails). */
async function withCost(
  node: NodeDescriptor,
  Plugin: WamConstructor,
  measure: WamScanOptions["measureCost"],
): Promise<NodeDescriptor> {
  if (measure === undefined) return node;
  try {
    const { estimate, notes } = await measure(Plugin, node);
    return {
      ...node,
      resource_estimate: estimate,
      extensions: { ...node.extensions, resource_notes: notes },
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ...node, extensions: { ...node.extensions, resource_notes: `not measured: ${reason}` } };
  }
}
