/**
 * One PluginDiscoveryResult from the host's own scan (builtin, compiled Faust) and the scans of its
 * discovery roots, in root order. Pure, tested in test/api/discovery-merge.test.ts.
 *
 * A node_id found twice keeps one entry (the result lists each id once):
 * - a root's node that is the host's own listing of the same id (a Faust DSP a root compiled is also
 *   "compiled" in the registry) replaces that listing: the root's entry says where it came from;
 * - found by two roots: the first root's entry stays; the second is a failure naming both, unless the
 *   two entries are the same (the same file listed twice).
 */
import type { NodeDescriptor } from "../contracts/node-descriptor";
import type { PluginDiscoveryResult } from "../contracts/plugin-discovery";
import type { DiscoveryFailure, RootScan } from "./discovery-roots";

export interface KeyedRootScan {
  /** The root's key (discoveryRootKey). */
  key: string;
  scan: RootScan;
}

/**
 * The merged result; `elapsedMs` is the whole discovery's wall time (cached root scans cost nothing).
 * @example
 * const result = mergeDiscovery(own, [{ key: "wam-index:/plugins.json", scan: rootScan }], 12.5);
 */
export function mergeDiscovery(
  own: PluginDiscoveryResult,
  roots: readonly KeyedRootScan[],
  elapsedMs: number,
): PluginDiscoveryResult {
  const nodes = new Map<string, { node: NodeDescriptor; from: string | null }>();
  for (const node of own.nodes) nodes.set(node.node_id, { node, from: null });
  const failures: DiscoveryFailure[] = [...(own.extensions.failures ?? [])];
  const scannedPaths = [...own.scanned_paths];
  for (const { key, scan } of roots) {
    scannedPaths.push(...scan.scanned_paths);
    failures.push(...scan.failures);
    for (const node of scan.nodes) {
      const existing = nodes.get(node.node_id);
      if (existing === undefined || existing.from === null) {
        nodes.set(node.node_id, { node, from: key });
      } else if (JSON.stringify(existing.node) !== JSON.stringify(node)) {
        failures.push({
          path: node.extensions.module_url ?? key,
          error: `E_SCHEMA: node_id "${node.node_id}" of root ${key} is already listed by root ${existing.from}; the first stays`,
        });
      }
    }
  }
  return {
    ...own,
    nodes: [...nodes.values()].map((entry) => entry.node),
    scanned_paths: [...new Set(scannedPaths)],
    elapsed_ms: Math.max(0, elapsedMs),
    extensions: { ...own.extensions, failures },
  };
}
