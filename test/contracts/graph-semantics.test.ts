import { describe, expect, it } from "vitest";
import {
  capturedNodeNames,
  checkGraph,
  checkRenderRequest,
  EngineError,
  EXAMPLE_GRAPH_DESCRIPTOR,
  findCycle,
  type GraphDescriptorInput,
  GraphDescriptorSchema,
  type GraphNodeInput,
  graphBufferReferences,
  parseContract,
  RenderRequestSchema,
} from "../../src/contracts";
import { SEED_RENDER_REQUEST } from "./fixtures";

function graphOf(nodes: GraphNodeInput[], output = nodes.at(-1)?.name ?? ""): GraphDescriptorInput {
  return { version: "v1alpha", nodes, output };
}

function node(name: string, inputs: string[] = [], node_id = "builtin:gain"): GraphNodeInput {
  return { name, node_id, inputs };
}

function checkError(
  graph: GraphDescriptorInput,
  options: Parameters<typeof checkGraph>[1] = {},
): EngineError {
  try {
    checkGraph(parseContract(GraphDescriptorSchema, graph), options);
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error("expected checkGraph to throw");
}

describe("checkGraph", () => {
  it("accepts a DAG with fan-out and fan-in, whatever the node order", () => {
    const graph = graphOf(
      [
        node("mix", ["low", "high"], "builtin:mixer"),
        node("low", ["src"]),
        node("high", ["src"]),
        node("src", []),
      ],
      "mix",
    );
    expect(() => checkGraph(parseContract(GraphDescriptorSchema, graph))).not.toThrow();
  });

  it("rejects a duplicate name, naming both nodes", () => {
    const error = checkError(graphOf([node("a"), node("b", ["a"]), node("a", ["b"])]));
    expect(error.message).toBe('E_DUPLICATE_NODE at nodes[2].name: name "a" is already used by nodes[0]');
  });

  it("rejects an input that names no node", () => {
    const error = checkError(graphOf([node("a"), node("b", ["a", "ghost"])]), { rootLabel: "node_graph" });
    expect(error.message).toBe('E_UNKNOWN_NODE at node_graph.nodes[1].inputs[1]: no node named "ghost"');
  });

  it("rejects an output that names no node", () => {
    const error = checkError(graphOf([node("a")], "out"));
    expect(error.message).toBe('E_UNKNOWN_NODE at output: no node named "out"');
  });

  it("rejects a cycle, naming its nodes in signal order from the lowest index", () => {
    const error = checkError(
      graphOf([node("src"), node("x", ["src"]), node("b", ["a"]), node("a", ["x", "b"])], "a"),
      { rootLabel: "node_graph" },
    );
    expect(error.code).toBe("E_GRAPH_CYCLE");
    expect(error.path).toBe("node_graph.nodes[2]");
    expect(error.message).toBe("E_GRAPH_CYCLE at node_graph.nodes[2]: cycle b -> a -> b");
  });

  it("rejects a node that feeds itself", () => {
    expect(checkError(graphOf([node("loop", ["loop"])])).message).toBe(
      "E_GRAPH_CYCLE at nodes[0]: cycle loop -> loop",
    );
  });

  it("accepts a feedback loop through builtin:delay", () => {
    const graph = graphOf(
      [node("src"), node("mix", ["src", "echo"], "builtin:mixer"), node("echo", ["mix"], "builtin:delay")],
      "mix",
    );
    expect(() => checkGraph(parseContract(GraphDescriptorSchema, graph))).not.toThrow();
  });

  it("rejects the same loop when delay is not feedback-capable, and accepts others that are", () => {
    const graph = graphOf(
      [node("src"), node("mix", ["src", "echo"], "builtin:mixer"), node("echo", ["mix"], "builtin:delay")],
      "mix",
    );
    expect(checkError(graph, { feedbackNodeIds: new Set() }).message).toBe(
      "E_GRAPH_CYCLE at nodes[1]: cycle mix -> echo -> mix",
    );
    const custom = graphOf([node("a", ["b"], "faust:comb"), node("b", ["a"])]);
    expect(() =>
      checkGraph(parseContract(GraphDescriptorSchema, custom), { feedbackNodeIds: new Set(["faust:comb"]) }),
    ).not.toThrow();
  });

  it("still finds a cycle that avoids the delay in a graph that also has a legal feedback loop", () => {
    const graph = graphOf(
      [
        node("mix", ["echo", "y"], "builtin:mixer"),
        node("echo", ["mix"], "builtin:delay"),
        node("x", ["y"]),
        node("y", ["x"]),
      ],
      "mix",
    );
    expect(checkError(graph).message).toBe("E_GRAPH_CYCLE at nodes[2]: cycle x -> y -> x");
  });

  it("accepts the documented example graph (its echo feedback passes through builtin:delay)", () => {
    expect(() => checkGraph(parseContract(GraphDescriptorSchema, EXAMPLE_GRAPH_DESCRIPTOR))).not.toThrow();
  });
});

describe("findCycle", () => {
  /** feeds of a chain 0 -> 1 -> ... -> length-1, closed back to `closeTo` when given. */
  function chain(length: number, closeTo?: number): number[][] {
    const feeds = Array.from({ length }, (_, index) => (index + 1 < length ? [index + 1] : []));
    if (closeTo !== undefined) feeds[length - 1]?.push(closeTo);
    return feeds;
  }

  it("walks a chain of 100,000 nodes without recursion", () => {
    expect(findCycle(chain(100_000))).toBeUndefined();
  });

  it("finds a cycle through 100,000 nodes, in signal order from the lowest index", () => {
    const cycle = findCycle(chain(100_000, 0));
    expect(cycle?.length).toBe(100_000);
    expect(cycle?.slice(0, 3)).toEqual([0, 1, 2]);
    expect(cycle?.at(-1)).toBe(99_999);
  });

  it("reports a cycle at the end of a long chain, rotated to its lowest index", () => {
    expect(findCycle(chain(50_000, 49_998))).toEqual([49_998, 49_999]);
  });

  it("finds the same cycle as the graph check reports", () => {
    // 0 -> 1 -> 3 -> 2 -> 3: the cycle is 3 -> 2 -> 3, reported from index 2.
    expect(findCycle([[1], [3], [3], [2]])).toEqual([2, 3]);
  });
});

describe("graphBufferReferences", () => {
  it("lists node buffers and automation buffers with their paths", () => {
    const graph = parseContract(GraphDescriptorSchema, {
      version: "v1alpha",
      nodes: [
        { name: "drums", node_id: "builtin:playback", buffers: { data: "buf:1" } },
        {
          name: "gain",
          node_id: "builtin:gain",
          inputs: ["drums"],
          automation: {
            gain_db: { kind: "audio_rate", buffer_handle: "buf:2" },
            "/faust/x": { kind: "ppqn", ppqn: 960, buffer_handle: "buf:3" },
            other: { kind: "audio_rate", values: [0] },
          },
        },
      ],
      output: "gain",
    });
    expect(graphBufferReferences(graph, "node_graph")).toEqual([
      { path: "node_graph.nodes[0].buffers.data", handle: "buf:1" },
      { path: "node_graph.nodes[1].automation.gain_db.buffer_handle", handle: "buf:2" },
      { path: 'node_graph.nodes[1].automation["/faust/x"].buffer_handle', handle: "buf:3" },
    ]);
  });
});

describe("checkRenderRequest", () => {
  it("checks the graph with node_graph paths", () => {
    const request = parseContract(RenderRequestSchema, {
      ...SEED_RENDER_REQUEST,
      node_graph: { ...SEED_RENDER_REQUEST.node_graph, output: "nowhere" },
    });
    expect(() => checkRenderRequest(request)).toThrow(
      'E_UNKNOWN_NODE at node_graph.output: no node named "nowhere"',
    );
  });

  it("rejects a capture of a node that is not in the graph", () => {
    const request = parseContract(RenderRequestSchema, {
      ...SEED_RENDER_REQUEST,
      options: { offline: true, preroll: 0, capture: ["osc", "bass"] },
    });
    expect(() => checkRenderRequest(request)).toThrow(
      'E_UNKNOWN_NODE at options.capture[1]: no node named "bass"',
    );
  });

  it("captures nodes marked capture: true plus options.capture, in graph order", () => {
    const request = parseContract(RenderRequestSchema, {
      ...SEED_RENDER_REQUEST,
      node_graph: {
        version: "v1alpha",
        nodes: [node("a"), { ...node("b", ["a"]), capture: true }, node("c", ["b"])],
        output: "c",
      },
      options: { offline: true, preroll: 0, capture: ["c", "a"] },
    });
    expect(capturedNodeNames(request)).toEqual(["a", "b", "c"]);
  });
});
