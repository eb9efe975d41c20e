/**
 * Graph rules a schema cannot state: unique names, references that resolve, and no cycle except through
 * a node that delays its input (a feedback loop through builtin:delay is legitimate, as in any DAW).
 * Runs after parseContract, on a parsed GraphDescriptor.
 */
import { EngineError } from "./errors";
import type { GraphDescriptor } from "./graph-descriptor";
import { formatPath } from "./validate";

/** Node types whose output at frame n depends only on input before n, so a cycle through one is causal. */
export const DEFAULT_FEEDBACK_NODE_IDS: ReadonlySet<string> = new Set(["builtin:delay"]);

export interface GraphCheckOptions {
  /** Prefix of error paths: "node_graph" inside a RenderRequest, "graph" for loadGraph. Default "". */
  rootLabel?: string;
  /** Node ids allowed to close a cycle. Default DEFAULT_FEEDBACK_NODE_IDS. */
  feedbackNodeIds?: ReadonlySet<string>;
}

/**
 * Throws E_DUPLICATE_NODE, E_UNKNOWN_NODE or E_GRAPH_CYCLE for the first broken rule, naming the field.
 * @example
 * checkGraph(parseContract(GraphDescriptorSchema, input, "graph"), { rootLabel: "graph" });
 * // E_GRAPH_CYCLE at graph.nodes[0]: cycle a -> b -> a
 */
export function checkGraph(graph: GraphDescriptor, options: GraphCheckOptions = {}): void {
  const root = options.rootLabel ?? "";
  const feedbackNodeIds = options.feedbackNodeIds ?? DEFAULT_FEEDBACK_NODE_IDS;
  const indexByName = new Map<string, number>();
  graph.nodes.forEach((node, index) => {
    const first = indexByName.get(node.name);
    if (first !== undefined) {
      throw new EngineError(
        "E_DUPLICATE_NODE",
        `name "${node.name}" is already used by nodes[${first}]`,
        formatPath(["nodes", index, "name"], root),
      );
    }
    indexByName.set(node.name, index);
  });
  graph.nodes.forEach((node, index) => {
    node.inputs.forEach((input, position) => {
      if (!indexByName.has(input)) {
        throw new EngineError(
          "E_UNKNOWN_NODE",
          `no node named "${input}"`,
          formatPath(["nodes", index, "inputs", position], root),
        );
      }
    });
  });
  if (!indexByName.has(graph.output)) {
    throw new EngineError("E_UNKNOWN_NODE", `no node named "${graph.output}"`, formatPath(["output"], root));
  }
  const cycle = findCycle(graph, indexByName, feedbackNodeIds);
  if (cycle !== undefined) {
    const names = cycle.map((index) => graph.nodes[index]?.name ?? "?");
    throw new EngineError(
      "E_GRAPH_CYCLE",
      `cycle ${[...names, names[0]].join(" -> ")}`,
      formatPath(["nodes", cycle[0] as number], root),
    );
  }
}

/**
 * Finds a cycle in signal-flow order (each node before the node it feeds), rotated to start at its
 * lowest node index so the report is stable. Edges into feedback-capable nodes are dropped first: a cycle
 * survives exactly when it does not pass through such a node.
 */
function findCycle(
  graph: GraphDescriptor,
  indexByName: ReadonlyMap<string, number>,
  feedbackNodeIds: ReadonlySet<string>,
): number[] | undefined {
  // feeds[i] = nodes that take node i as an input.
  const feeds: number[][] = graph.nodes.map(() => []);
  graph.nodes.forEach((node, index) => {
    if (feedbackNodeIds.has(node.node_id)) return;
    for (const input of node.inputs) {
      const source = indexByName.get(input);
      if (source !== undefined && !feeds[source]?.includes(index)) feeds[source]?.push(index);
    }
  });
  const UNVISITED = 0;
  const ON_STACK = 1;
  const DONE = 2;
  const state = graph.nodes.map(() => UNVISITED);
  const stack: number[] = [];
  const visit = (index: number): number[] | undefined => {
    state[index] = ON_STACK;
    stack.push(index);
    for (const next of feeds[index] ?? []) {
      if (state[next] === ON_STACK) return stack.slice(stack.indexOf(next));
      if (state[next] === UNVISITED) {
        const found = visit(next);
        if (found !== undefined) return found;
      }
    }
    stack.pop();
    state[index] = DONE;
    return undefined;
  };
  for (let index = 0; index < graph.nodes.length; index++) {
    if (state[index] !== UNVISITED) continue;
    const cycle = visit(index);
    if (cycle !== undefined) {
      const start = cycle.indexOf(Math.min(...cycle));
      return [...cycle.slice(start), ...cycle.slice(0, start)];
    }
  }
  return undefined;
}

/** A buffer handle a graph refers to, with the path of the field that holds it. */
export interface GraphBufferReference {
  path: string;
  handle: string;
}

/**
 * Every buffer handle a graph refers to (node buffers and automation data), so a host can check they
 * exist before accepting the graph, and pin them while it renders.
 * @example
 * for (const { path, handle } of graphBufferReferences(graph, "node_graph")) assertKnown(handle, path);
 */
export function graphBufferReferences(graph: GraphDescriptor, rootLabel = ""): GraphBufferReference[] {
  const references: GraphBufferReference[] = [];
  graph.nodes.forEach((node, index) => {
    for (const [slot, handle] of Object.entries(node.buffers)) {
      references.push({ path: formatPath(["nodes", index, "buffers", slot], rootLabel), handle });
    }
    for (const [parameterId, automation] of Object.entries(node.automation)) {
      if ("buffer_handle" in automation && automation.buffer_handle !== undefined) {
        references.push({
          path: formatPath(["nodes", index, "automation", parameterId, "buffer_handle"], rootLabel),
          handle: automation.buffer_handle,
        });
      }
    }
  });
  return references;
}
