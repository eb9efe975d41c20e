/**
 * Fuzzing the semantic checks that follow parsing: checkGraph and checkRenderRequest, on generated
 * graphs whose names collide, whose inputs name nodes that are not there, and whose edges form cycles
 * (through a builtin:delay or not), and on mutations of the documented examples.
 *
 * The generated graphs have an oracle written independently of graph-semantics.ts (Kahn's algorithm
 * instead of a depth-first search): checkGraph must reject exactly the graphs the oracle rejects, with
 * the same code at the same field, and a reported cycle must be a real cycle of the graph.
 *
 * The planned graphs stay small (at most 12 nodes) so the oracle's cases are many; long chains (up to
 * 6,000 nodes, past the graphNodes and graphDepth limits) have a property of their own: they are
 * accepted, or refused with E_LIMIT or E_GRAPH_CYCLE, never with a stack overflow.
 */
import fc from "fast-check";
import { expect } from "vitest";

import {
  CONTRACT_EXAMPLES,
  checkGraph,
  checkRenderRequest,
  type EngineError,
  GraphDescriptorSchema,
  parseContract,
  RenderRequestSchema,
} from "../../src/contracts/index";
import { rarely } from "./support/byte-mutations";
import { fuzz } from "./support/harness";
import { mutatedJson } from "./support/json-mutations";
import { expectEngineError, outcomeOf } from "./support/outcomes";

const NAMES = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p"];
const GHOST = "ghost";
const GRAPH_CODES = ["E_DUPLICATE_NODE", "E_UNKNOWN_NODE", "E_GRAPH_CYCLE"] as const;
/** A mutated example may also exceed a limit (a channel count, a point count). */
const MUTATION_CODES = [...GRAPH_CODES, "E_LIMIT"] as const;
const NODE_IDS = ["builtin:delay", "builtin:gain", "builtin:mixer", "builtin:filter", "faust:x"];

interface PlannedGraph {
  version: "v1alpha";
  nodes: { name: string; node_id: string; inputs: string[] }[];
  output: string;
}

interface GraphPlan {
  graph: PlannedGraph;
  captures: string[];
}

const graphPlan: fc.Arbitrary<GraphPlan> = fc
  .record({
    names: fc.uniqueArray(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 12 }),
    ids: fc.array(fc.constantFrom(...NODE_IDS), { minLength: 12, maxLength: 12 }),
    edges: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 24 }),
    duplicate: rarely(fc.tuple(fc.nat(), fc.nat()), 6),
    ghostInput: rarely(fc.nat(), 6),
    output: fc.oneof({ weight: 12, arbitrary: fc.nat() }, { weight: 1, arbitrary: fc.constant(-1) }),
    captures: fc.uniqueArray(
      fc.oneof({ weight: 8, arbitrary: fc.nat() }, { weight: 1, arbitrary: fc.constant(-1) }),
      {
        maxLength: 3,
      },
    ),
  })
  .map(({ names, ids, edges, duplicate, ghostInput, output, captures }) => {
    const count = names.length;
    const nameOf = (index: number) => (index < 0 ? GHOST : (names[index % count] as string));
    const nodes = names.map((name, index) => ({
      name,
      node_id: ids[index] as string,
      inputs: [] as string[],
    }));
    for (const [source, target] of edges) {
      const node = nodes[target % count];
      if (node !== undefined && !node.inputs.includes(nameOf(source))) node.inputs.push(nameOf(source));
    }
    if (ghostInput !== null) nodes[ghostInput % count]?.inputs.push(GHOST);
    if (duplicate !== null) {
      const [from, to] = duplicate;
      const node = nodes[to % count];
      if (node !== undefined) node.name = nameOf(from);
    }
    return {
      graph: { version: "v1alpha", nodes, output: nameOf(output) },
      captures: [...new Set(captures.map(nameOf))],
    };
  });

/** What checkGraph must report: [code, path] of the first broken rule, or undefined for a good graph. */
function expectedOutcome(graph: PlannedGraph): [string, string] | undefined {
  const seen = new Set<string>();
  for (const [index, node] of graph.nodes.entries()) {
    if (seen.has(node.name)) return ["E_DUPLICATE_NODE", `graph.nodes[${index}].name`];
    seen.add(node.name);
  }
  for (const [index, node] of graph.nodes.entries()) {
    const position = node.inputs.findIndex((input) => !seen.has(input));
    if (position >= 0) return ["E_UNKNOWN_NODE", `graph.nodes[${index}].inputs[${position}]`];
  }
  if (!seen.has(graph.output)) return ["E_UNKNOWN_NODE", "graph.output"];
  // Kahn: remove nodes with no remaining inputs; edges into a delay do not count (they are causal).
  const pending = graph.nodes.map((node) =>
    node.node_id === "builtin:delay" ? new Set<string>() : new Set(node.inputs),
  );
  const removed = new Set<string>();
  for (let progress = true; progress; ) {
    progress = false;
    graph.nodes.forEach((node, index) => {
      const inputs = pending[index] as Set<string>;
      if (removed.has(node.name) || [...inputs].some((input) => !removed.has(input))) return;
      removed.add(node.name);
      progress = true;
    });
  }
  return removed.size === graph.nodes.length ? undefined : ["E_GRAPH_CYCLE", ""];
}

/** The names of a reported cycle must each feed the next through a node that is not a delay. */
function expectRealCycle(graph: PlannedGraph, error: EngineError): void {
  const names = error.detail.replace(/^cycle /, "").split(" -> ");
  expect(names.length).toBeGreaterThanOrEqual(2);
  expect(names[names.length - 1]).toBe(names[0]);
  const indexOf = (name: string) => graph.nodes.findIndex((node) => node.name === name);
  for (let step = 0; step + 1 < names.length; step++) {
    const target = graph.nodes[indexOf(names[step + 1] as string)];
    expect(target?.node_id).not.toBe("builtin:delay");
    expect(target?.inputs).toContain(names[step]);
  }
  const indices = names.slice(0, -1).map(indexOf);
  expect(error.path).toBe(`graph.nodes[${Math.min(...indices)}]`);
  expect(indices[0]).toBe(Math.min(...indices));
}

fuzz(
  "checkGraph agrees with an independent oracle on generated graphs",
  graphPlan,
  ({ graph }) => {
    const parsed = parseContract(GraphDescriptorSchema, graph, "graph");
    const expected = expectedOutcome(graph);
    let thrown: EngineError | undefined;
    try {
      checkGraph(parsed, { rootLabel: "graph" });
    } catch (caught) {
      expectEngineError(caught, GRAPH_CODES, { rootLabel: "graph" });
      thrown = caught;
    }
    expect(thrown?.code).toBe(expected?.[0]);
    if (thrown === undefined || expected === undefined) return;
    if (expected[0] === "E_GRAPH_CYCLE") expectRealCycle(graph, thrown);
    else expect(thrown.path).toBe(expected[1]);
  },
  { quickRuns: 150 },
);

fuzz(
  "checkRenderRequest rejects unknown capture names after the graph's own rules",
  graphPlan,
  ({ graph, captures }) => {
    const request = parseContract(RenderRequestSchema, {
      version: "v1alpha",
      request_id: "fuzz",
      node_graph: graph,
      duration_seconds: 1,
      sample_rate: 48_000,
      channels: 2,
      options: { capture: captures },
    });
    const graphOutcome = expectedOutcome(graph);
    const known = new Set(graph.nodes.map((node) => node.name));
    const unknownCapture = captures.findIndex((name) => !known.has(name));
    let thrown: EngineError | undefined;
    try {
      checkRenderRequest(request);
    } catch (caught) {
      expectEngineError(caught, GRAPH_CODES);
      thrown = caught;
    }
    if (graphOutcome !== undefined) {
      expect(thrown?.code).toBe(graphOutcome[0]);
      expect(thrown?.path.startsWith("node_graph.")).toBe(true);
    } else if (unknownCapture >= 0) {
      expect(thrown?.message).toBe(
        `E_UNKNOWN_NODE at options.capture[${unknownCapture}]: no node named "${captures[unknownCapture]}"`,
      );
    } else {
      expect(thrown).toBeUndefined();
    }
  },
  { quickRuns: 60 },
);

fuzz(
  "parse then checkGraph on mutations of the documented graph: only contract errors",
  mutatedJson(CONTRACT_EXAMPLES["graph-descriptor"]),
  (value) => {
    const parsed = outcomeOf(
      () => parseContract(GraphDescriptorSchema, value, "graph"),
      (error) => expectEngineError(error, ["E_SCHEMA"], { rootLabel: "graph", listsIssues: true }),
    );
    if (parsed === undefined) return;
    outcomeOf(
      () => checkGraph(parsed, { rootLabel: "graph" }),
      (error) => expectEngineError(error, MUTATION_CODES, { rootLabel: "graph" }),
    );
  },
  { quickRuns: 60 },
);

fuzz(
  "parse then checkRenderRequest on mutations of the documented request: only contract errors",
  mutatedJson(CONTRACT_EXAMPLES["render-request"]),
  (value) => {
    const parsed = outcomeOf(
      () => parseContract(RenderRequestSchema, value),
      (error) => expectEngineError(error, ["E_SCHEMA"], { listsIssues: true }),
    );
    if (parsed === undefined) return;
    outcomeOf(
      () => checkRenderRequest(parsed),
      (error) => expectEngineError(error, MUTATION_CODES),
    );
  },
  { quickRuns: 60 },
);

fuzz(
  "checkGraph on long chains, with or without a loop back: a limit or a cycle, never a stack overflow",
  fc.record({
    length: fc.integer({ min: 1, max: 6000 }),
    loopBackFrom: fc.option(fc.nat(), { nil: undefined }),
    delayAt: fc.option(fc.nat(), { nil: undefined }),
  }),
  ({ length, loopBackFrom, delayAt }) => {
    const nodes = Array.from({ length }, (_, i) => ({
      name: `n${i}`,
      node_id: delayAt !== undefined && i === delayAt % length ? "builtin:delay" : "builtin:gain",
      inputs: i === 0 ? [] : [`n${i - 1}`],
    }));
    // A loop back from a later node to the first closes a cycle through the whole chain before it.
    if (loopBackFrom !== undefined) nodes[0]?.inputs.push(`n${loopBackFrom % length}`);
    const graph = parseContract(GraphDescriptorSchema, {
      version: "v1alpha",
      nodes,
      output: `n${length - 1}`,
    });
    outcomeOf(
      () => checkGraph(graph),
      (error) => expectEngineError(error, ["E_LIMIT", "E_GRAPH_CYCLE"]),
    );
  },
  { quickRuns: 8, cost: 20 },
);
