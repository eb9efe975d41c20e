/**
 * Graph rules a schema cannot state: the graph limits (graph-limits.ts), unique names, references that
 * resolve, and no cycle except through a node that delays its input (a feedback loop through
 * builtin:delay is legitimate, as in any DAW). Runs after parseContract, on a parsed GraphDescriptor.
 * Every walk here is a loop: a graph's size must never decide how deep the call stack grows.
 */
import { EngineError } from "./errors";
import type { GraphDescriptor } from "./graph-descriptor";
import { checkGraphDepth, checkGraphLimits } from "./graph-limits";
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
 * Throws E_LIMIT, E_DUPLICATE_NODE, E_UNKNOWN_NODE or E_GRAPH_CYCLE for the first broken rule, naming
 * the field. The limits come first: the other checks then run on a graph of bounded size.
 * @example
 * checkGraph(parseContract(GraphDescriptorSchema, input, "graph"), { rootLabel: "graph" });
 * // E_GRAPH_CYCLE at graph.nodes[0]: cycle a -> b -> a
 */
export function checkGraph(graph: GraphDescriptor, options: GraphCheckOptions = {}): void {
  const root = options.rootLabel ?? "";
  const feedbackNodeIds = options.feedbackNodeIds ?? DEFAULT_FEEDBACK_NODE_IDS;
  checkGraphLimits(graph, root);
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
  const feeds = signalFeeds(graph, indexByName, feedbackNodeIds);
  const cycle = findCycle(feeds);
  if (cycle !== undefined) {
    const names = cycle.map((index) => graph.nodes[index]?.name ?? "?");
    throw new EngineError(
      "E_GRAPH_CYCLE",
      `cycle ${[...names, names[0]].join(" -> ")}`,
      formatPath(["nodes", cycle[0] as number], root),
    );
  }
  checkGraphDepth(graph, feeds, root);
}

/**
 * feeds[i]: the nodes that take node i as an input, each once. Edges into feedback-capable nodes are
 * left out: a cycle survives exactly when it does not pass through such a node.
 */
function signalFeeds(
  graph: GraphDescriptor,
  indexByName: ReadonlyMap<string, number>,
  feedbackNodeIds: ReadonlySet<string>,
): number[][] {
  const feeds: number[][] = graph.nodes.map(() => []);
  graph.nodes.forEach((node, index) => {
    if (feedbackNodeIds.has(node.node_id)) return;
    for (const input of node.inputs) {
      const source = indexByName.get(input);
      if (source === undefined) continue;
      const targets = feeds[source] as number[];
      // Nodes are visited in index order, so a repeated input of this node was pushed last.
      if (targets[targets.length - 1] !== index) targets.push(index);
    }
  });
  return feeds;
}

const UNVISITED = 0;
const ON_STACK = 1;
const DONE = 2;

/**
 * A cycle of the graph whose edges are `feeds` (feeds[i]: the nodes node i feeds), in signal-flow
 * order (each node before the node it feeds) and rotated to start at its lowest node index so the
 * report is stable; undefined when there is none. A depth-first search with its own stack: a chain
 * of any length costs heap, never call stack.
 * @example
 * findCycle([[1], [2], [1]]); // [1, 2]
 * findCycle([[1], [2], []]); // undefined
 */
export function findCycle(feeds: readonly (readonly number[])[]): number[] | undefined {
  const state = new Uint8Array(feeds.length);
  // The search path, and for each of its nodes the position of the next edge to follow.
  const path: number[] = [];
  const nextEdge: number[] = [];
  for (let root = 0; root < feeds.length; root++) {
    if (state[root] !== UNVISITED) continue;
    state[root] = ON_STACK;
    path.push(root);
    nextEdge.push(0);
    while (path.length > 0) {
      const top = path.length - 1;
      const index = path[top] as number;
      const edges = feeds[index] ?? [];
      const edge = nextEdge[top] as number;
      if (edge < edges.length) {
        nextEdge[top] = edge + 1;
        const next = edges[edge] as number;
        if (state[next] === ON_STACK) return rotateToLowest(path.slice(path.indexOf(next)));
        if (state[next] === UNVISITED) {
          state[next] = ON_STACK;
          path.push(next);
          nextEdge.push(0);
        }
      } else {
        state[index] = DONE;
        path.pop();
        nextEdge.pop();
      }
    }
  }
  return undefined;
}

function rotateToLowest(cycle: number[]): number[] {
  let start = 0;
  for (let i = 1; i < cycle.length; i++) if ((cycle[i] as number) < (cycle[start] as number)) start = i;
  return [...cycle.slice(start), ...cycle.slice(0, start)];
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
