/**
 * The demo's plugin list: what `discoverNodes` finds with the demo's roots (builtin processors, the
 * Faust files in dsp/, WAMs), as a table (format, vendor, name, parameters, latency) with the
 * failures and their reasons under it. The scan runs on a Worker engine of its own, on request: it
 * compiles Faust (libfaust, 6 MiB) and loads each WAM once, which a visit that only plays should not
 * pay for.
 */

import type { NodeDescriptor } from "../contracts/node-descriptor";
import type { PluginDiscoveryResult } from "../contracts/plugin-discovery";
import { createBrowserEngine } from "../create-browser-engine";
import { demoDiscoveryRoots } from "./demo-plugins";

/** The elements the list fills (index.html). */
export interface PluginListView {
  button: HTMLButtonElement;
  summary: HTMLElement;
  table: HTMLTableElement;
  failures: HTMLUListElement;
}

/** Counts by format, in the order the table lists them. */
export function countByFormat(nodes: readonly NodeDescriptor[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const node of nodes) counts.set(node.format, (counts.get(node.format) ?? 0) + 1);
  return counts;
}

/** "23 nodes (18 builtin, 2 faust, 3 wam), 1 failure, in 1234 ms". */
export function summaryText(result: PluginDiscoveryResult): string {
  const counts = [...countByFormat(result.nodes)].map(([format, n]) => `${n} ${format}`).join(", ");
  const failures = result.extensions.failures?.length ?? 0;
  return (
    `${result.nodes.length} nodes (${counts}), ${failures} failure${failures === 1 ? "" : "s"}, ` +
    `in ${Math.round(result.elapsed_ms)} ms`
  );
}

/** Runs discovery with the demo's roots; the engine is closed afterwards. */
export async function discoverDemoPlugins(corpus: boolean): Promise<PluginDiscoveryResult> {
  const engine = await createBrowserEngine({
    host: "worker",
    hostOptions: { discoveryRoots: demoDiscoveryRoots(location.href, corpus) },
  });
  try {
    return await engine.discoverNodes();
  } finally {
    await engine.close();
  }
}

function cell(row: HTMLTableRowElement, text: string, className?: string): void {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
}

const FORMAT_ORDER = ["builtin", "faust", "wam"];

/**
 * The nodes in the order the table shows them: by format (builtin, Faust, WAM, others), then vendor
 * and name. Discovery describes WAMs several at a time, so its own order within a root follows which
 * plugin answered first.
 */
export function sortedNodes(nodes: readonly NodeDescriptor[]): NodeDescriptor[] {
  const rank = (format: string) => {
    const i = FORMAT_ORDER.indexOf(format);
    return i < 0 ? FORMAT_ORDER.length : i;
  };
  return [...nodes].sort(
    (a, b) =>
      rank(a.format) - rank(b.format) ||
      (a.vendor ?? "").localeCompare(b.vendor ?? "") ||
      a.name.localeCompare(b.name) ||
      a.node_id.localeCompare(b.node_id),
  );
}

/** Fills the table and the failure list from a discovery result. */
export function showPlugins(view: PluginListView, result: PluginDiscoveryResult): void {
  view.summary.textContent = summaryText(result);
  const body = view.table.tBodies[0] ?? view.table.createTBody();
  body.replaceChildren();
  for (const node of sortedNodes(result.nodes)) {
    const row = body.insertRow();
    row.dataset.format = node.format;
    cell(row, node.format, "format");
    cell(row, node.vendor ?? "—");
    cell(row, node.name);
    cell(row, String(node.parameters?.length ?? 0), "number");
    cell(row, String(node.latency_samples), "number");
  }
  view.table.hidden = false;
  view.failures.replaceChildren(
    ...(result.extensions.failures ?? []).map(({ path, error }) => {
      const item = document.createElement("li");
      const where = document.createElement("code");
      where.textContent = path;
      item.append(where, document.createTextNode(`: ${error}`));
      return item;
    }),
  );
}

/** Wires the Scan button: one scan at a time, its outcome (or its error) shown. */
export function attachPluginList(view: PluginListView, corpus: Promise<boolean>): void {
  view.button.addEventListener("click", async () => {
    view.button.disabled = true;
    view.summary.textContent = "Scanning…";
    try {
      showPlugins(view, await discoverDemoPlugins(await corpus));
    } catch (error) {
      view.summary.textContent = `The scan failed: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      view.button.disabled = false;
      view.button.textContent = "Scan again";
    }
  });
}
