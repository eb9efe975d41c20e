/**
 * The limits of one graph (src/contracts/limits.ts): nodes, tempo points, automation points, MIDI
 * events and depth, checked on a parsed GraphDescriptor by checkGraph, so every host that accepts a
 * graph (in a render, a loadGraph, a session file) rejects the same input with the same E_LIMIT.
 * Limits are checked after parsing rather than by the schema, so their code is E_LIMIT, not E_SCHEMA.
 */
import type { Automation, GraphDescriptor } from "./graph-descriptor";
import { checkLimit, LIMITS, limitError } from "./limits";
import { formatPath } from "./validate";

/**
 * MIDI events of a graph, all nodes together (what graphEvents limits).
 * @example
 * graphEventCount(parseContract(GraphDescriptorSchema, input)); // every node's midi.length, summed
 */
export function graphEventCount(graph: GraphDescriptor): number {
  let events = 0;
  for (const node of graph.nodes) events += node.midi.length;
  return events;
}

/**
 * Throws E_LIMIT for the first of graphNodes, tempoPoints, automationPoints and graphEvents the graph
 * exceeds, at the path of the field that does (the running event count points at the node that
 * crosses the limit).
 * @example
 * checkGraphLimits(parseContract(GraphDescriptorSchema, input), "node_graph");
 * // E_LIMIT at node_graph.nodes: needs 5,000 nodes, over the limit graphNodes = 4,096 nodes: ...
 */
export function checkGraphLimits(graph: GraphDescriptor, rootLabel = ""): void {
  checkLimit("graphNodes", graph.nodes.length, formatPath(["nodes"], rootLabel));
  checkLimit("tempoPoints", graph.tempo.map?.length ?? 0, formatPath(["tempo", "map"], rootLabel));
  let events = 0;
  graph.nodes.forEach((node, index) => {
    for (const [parameterId, automation] of Object.entries(node.automation)) {
      const [field, points] = automationSize(automation);
      const path = formatPath(["nodes", index, "automation", parameterId, field], rootLabel);
      checkLimit("automationPoints", points, path);
    }
    events += node.midi.length;
    const context = index === 0 ? "" : `nodes[0] to nodes[${index}] together`;
    checkLimit("graphEvents", events, formatPath(["nodes", index, "midi"], rootLabel), context);
  });
}

/**
 * Throws E_LIMIT when a chain of inputs is longer than graphDepth. `feeds` are the graph's edges
 * without those into feedback-capable nodes (a delay starts a new chain), which checkGraph has found
 * acyclic; the longest chain is measured in topological order, without recursion.
 * @example
 * // a -> b -> c: a chain of three, within graphDepth.
 * checkGraphDepth(parseContract(GraphDescriptorSchema, input), [[1], [2], []], "node_graph");
 */
export function checkGraphDepth(
  graph: GraphDescriptor,
  feeds: readonly (readonly number[])[],
  rootLabel = "",
): void {
  const waiting = new Uint32Array(feeds.length);
  for (const targets of feeds)
    for (const target of targets) waiting[target] = (waiting[target] as number) + 1;
  // depth[i]: nodes in the longest chain that ends at node i.
  const depth = new Uint32Array(feeds.length).fill(1);
  const ready: number[] = [];
  for (let index = 0; index < feeds.length; index++) if (waiting[index] === 0) ready.push(index);
  while (ready.length > 0) {
    const index = ready.pop() as number;
    const chain = depth[index] as number;
    if (chain > LIMITS.graphDepth.value) {
      const name = graph.nodes[index]?.name ?? "?";
      const path = formatPath(["nodes", index, "inputs"], rootLabel);
      throw limitError("graphDepth", chain, path, `the chain of inputs that ends at "${name}"`);
    }
    for (const target of feeds[index] ?? []) {
      if (chain + 1 > (depth[target] as number)) depth[target] = chain + 1;
      waiting[target] = (waiting[target] as number) - 1;
      if (waiting[target] === 0) ready.push(target);
    }
  }
}

/**
 * The field holding an automation's points and how many it holds (a web_audio curve counts its values):
 * what the automationPoints limit counts.
 * @example
 * automationSize({ kind: "breakpoints", timeline: "seconds", points: [{ time: 0, value: 1, curve: "linear" }] }); // ["points", 1]
 */
export function automationSize(automation: Automation): [string, number] {
  switch (automation.kind) {
    case "breakpoints":
      return ["points", automation.points.length];
    case "web_audio":
      return [
        "events",
        automation.events.reduce((sum, event) => sum + ("values" in event ? event.values.length : 1), 0),
      ];
    default:
      return ["values", automation.values?.length ?? 0];
  }
}
