/**
 * WAM nodes in a GraphDescriptor: a node whose node_id is "wam:<identifier>" plays a Web Audio Module
 * (WAM 2.0) inside the graph. Where its module lives and the state it starts from travel in the node's
 * `extensions.wam` (checked by WamNodeExtensionSchema); everything else (inputs, params, automation,
 * midi) is the node's ordinary fields. Only the browser's audioworklet host can play one (docs/wam.md,
 * "Hosting"); the others reject it with wamNodeUnsupported().
 */
import * as z from "zod";
import { EngineError } from "./errors";
import type { GraphDescriptor, GraphNode } from "./graph-descriptor";
import { formatPath, parseContract } from "./validate";

/** The node_id prefix of a WAM node: "wam:" then the plugin's descriptor identifier. */
export const WAM_NODE_PREFIX = "wam:";

export const WamNodeExtensionSchema = z
  .strictObject({
    module_url: z
      .string()
      .min(1)
      .max(2048)
      .describe("URL of the WAM's ES module (its default export is the WebAudioModule class)."),
    state: z
      .unknown()
      .optional()
      .describe("The plugin state to start from (what its getState() returned); default its own."),
  })
  .describe("A WAM node's module and initial state (GraphNode.extensions.wam).");

export type WamNodeExtension = z.output<typeof WamNodeExtensionSchema>;

/** True when `node` names a WAM ("wam:<identifier>"). */
export function isWamNode(node: Pick<GraphNode, "node_id">): boolean {
  return node.node_id.startsWith(WAM_NODE_PREFIX);
}

/** True when any node of `graph` is a WAM node. */
export function hasWamNodes(graph: Pick<GraphDescriptor, "nodes">): boolean {
  return graph.nodes.some(isWamNode);
}

/**
 * The `extensions.wam` of a WAM node, checked: E_SCHEMA at `<path>.extensions.wam` when missing or
 * malformed.
 * @example
 * wamNodeExtension(node, "node_graph.nodes[1]").module_url; // "/build/wam/fixture/index.js"
 */
export function wamNodeExtension(node: GraphNode, path: string): WamNodeExtension {
  return parseContract(WamNodeExtensionSchema, node.extensions.wam, formatPath(["extensions", "wam"], path));
}

/**
 * The error a host that cannot play WAMs (in-process, worker) raises for a WAM node: E_UNKNOWN_NODE
 * (the host does not know this node type) at `<path>.node_id`, naming the node and the host that plays it.
 * @example
 * throw wamNodeUnsupported(node, "node_graph.nodes[1]", "in-process");
 */
export function wamNodeUnsupported(node: GraphNode, path: string, host: string): EngineError {
  return new EngineError(
    "E_UNKNOWN_NODE",
    `node "${node.name}" is a WAM (${node.node_id}): the ${host} host cannot play WAMs; ` +
      "the audioworklet host plays them (createRealtimeEngine in a page: live, or render offline in an OfflineAudioContext)",
    formatPath(["node_id"], path),
  );
}
