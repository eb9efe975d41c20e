import { describe, expect, it } from "vitest";
import { EngineError } from "../../src/contracts/errors";
import { type GraphDescriptorInput, GraphDescriptorSchema } from "../../src/contracts/graph-descriptor";
import { checkGraph } from "../../src/contracts/graph-semantics";
import { parseContract } from "../../src/contracts/validate";
import { partitionGraph, STAGE_INPUT_NODE_ID, STAGE_OUTPUT_NODE_ID } from "../../src/wam/partition";

const FIXTURE = { wam: { module_url: "/build/wam/fixture/index.js" } };

function graphOf(nodes: GraphDescriptorInput["nodes"], output: string) {
  const graph = parseContract(GraphDescriptorSchema, { version: "v1alpha", nodes, output });
  checkGraph(graph);
  return graph;
}

function names(graph: { nodes: { name: string }[] }): string[] {
  return graph.nodes.map((node) => node.name);
}

describe("partitionGraph", () => {
  it("cuts osc -> wam -> filter into two stages around the WAM, wired osc tap -> WAM -> input port", () => {
    const graph = graphOf(
      [
        { name: "osc", node_id: "builtin:oscillator" },
        { name: "fx", node_id: "wam:fixture", inputs: ["osc"], extensions: FIXTURE },
        { name: "filter", node_id: "builtin:filter", inputs: ["fx"] },
      ],
      "filter",
    );
    const { stages, wams, output } = partitionGraph(graph);
    expect(stages).toHaveLength(2);
    expect(stages[0]?.taps).toEqual(["osc"]);
    expect(stages[0]?.inputs).toEqual([]);
    expect(names(stages[0]?.graph as never)).toEqual(["osc", "__stage_out_0", "__stage_sink_0"]);
    expect(stages[0]?.graph.output).toBe("__stage_sink_0");
    expect(wams).toHaveLength(1);
    expect(wams[0]?.node.name).toBe("fx");
    expect(wams[0]?.extension.module_url).toBe("/build/wam/fixture/index.js");
    expect(wams[0]?.inputs).toEqual([{ kind: "stage", stage: 0, tap: 0 }]);
    expect(stages[1]?.inputs).toEqual([{ kind: "wam", wam: 0 }]);
    const filter = stages[1]?.graph.nodes.find((node) => node.name === "filter");
    expect(filter?.inputs).toEqual(["__stage_in_0"]);
    const port = stages[1]?.graph.nodes.find((node) => node.name === "__stage_in_0");
    expect(port?.node_id).toBe(STAGE_INPUT_NODE_ID);
    expect(port?.extensions).toEqual({ stage_port: 0 });
    const tap = stages[1]?.graph.nodes.find((node) => node.name === "__stage_out_0");
    expect(tap).toMatchObject({ node_id: STAGE_OUTPUT_NODE_ID, inputs: ["filter"] });
    expect(output).toEqual({ kind: "stage", stage: 1, tap: 0 });
  });

  it("gives each captured node a source: an engine node its own tap (a stage kept for it), a WAM node its output", () => {
    const graph = graphOf(
      [
        { name: "osc", node_id: "builtin:oscillator", capture: true },
        { name: "side", node_id: "builtin:gain", inputs: ["osc"] },
        { name: "fx", node_id: "wam:fixture", inputs: ["osc"], extensions: FIXTURE },
        { name: "post", node_id: "builtin:gain", inputs: ["fx"] },
        { name: "filter", node_id: "builtin:filter", inputs: ["post"] },
      ],
      "filter",
    );
    const { stages, captures, output } = partitionGraph(graph, "node_graph", ["osc", "side", "fx", "post"]);
    expect(captures).toEqual([
      { name: "osc", source: { kind: "stage", stage: 0, tap: 0 } },
      { name: "side", source: { kind: "stage", stage: 0, tap: 1 } },
      { name: "fx", source: { kind: "wam", wam: 0 } },
      { name: "post", source: { kind: "stage", stage: 1, tap: 1 } },
    ]);
    expect(stages[0]?.taps).toEqual(["osc", "side"]);
    expect(stages[1]?.taps).toEqual(["filter", "post"]);
    expect(output).toEqual({ kind: "stage", stage: 1, tap: 0 });
    // The stages record nothing themselves: the capture flags stay out of their graphs.
    expect(stages.flatMap((stage) => stage.graph.nodes).filter((node) => node.capture)).toEqual([]);
  });

  it("keeps a WAM-free graph in one stage whose only tap is the output", () => {
    const graph = graphOf(
      [
        { name: "osc", node_id: "builtin:oscillator" },
        { name: "gain", node_id: "builtin:gain", inputs: ["osc"] },
      ],
      "gain",
    );
    const { stages, wams, output } = partitionGraph(graph);
    expect(stages).toHaveLength(1);
    expect(wams).toEqual([]);
    expect(stages[0]?.taps).toEqual(["gain"]);
    expect(output).toEqual({ kind: "stage", stage: 0, tap: 0 });
  });

  it("an instrument WAM feeds stage 0; a WAM as the graph's output needs no stage after it", () => {
    const graph = graphOf(
      [
        { name: "synth", node_id: "wam:synth101", extensions: FIXTURE },
        { name: "mix", node_id: "builtin:mixer", inputs: ["synth", "osc"] },
        { name: "osc", node_id: "builtin:oscillator" },
        { name: "fx", node_id: "wam:fixture", inputs: ["mix"], extensions: FIXTURE },
      ],
      "fx",
    );
    const { stages, wams, output } = partitionGraph(graph);
    expect(stages).toHaveLength(1);
    expect(stages[0]?.inputs).toEqual([{ kind: "wam", wam: 0 }]);
    const mix = stages[0]?.graph.nodes.find((node) => node.name === "mix");
    // Input order (channel concatenation order) is kept: the port takes the WAM's place.
    expect(mix?.inputs).toEqual(["__stage_in_0", "osc"]);
    expect(wams[1]?.inputs).toEqual([{ kind: "stage", stage: 0, tap: 0 }]);
    expect(output).toEqual({ kind: "wam", wam: 1 });
  });

  it("chains WAM -> WAM directly and reads an early engine node in a later stage through a tap", () => {
    const graph = graphOf(
      [
        { name: "osc", node_id: "builtin:oscillator" },
        { name: "a", node_id: "wam:a", inputs: ["osc"], extensions: FIXTURE },
        { name: "b", node_id: "wam:b", inputs: ["a"], extensions: FIXTURE },
        { name: "mix", node_id: "builtin:mixer", inputs: ["b", "osc"] },
      ],
      "mix",
    );
    const { stages, wams } = partitionGraph(graph);
    expect(stages).toHaveLength(2);
    expect(wams[1]?.inputs).toEqual([{ kind: "wam", wam: 0 }]);
    expect(stages[0]?.taps).toEqual(["osc"]);
    // osc is tapped once and read by both the WAM and stage 1.
    expect(stages[1]?.inputs).toEqual([
      { kind: "wam", wam: 1 },
      { kind: "stage", stage: 0, tap: 0 },
    ]);
  });

  it("three stages for two WAMs in series with engine nodes between", () => {
    const graph = graphOf(
      [
        { name: "osc", node_id: "builtin:oscillator" },
        { name: "a", node_id: "wam:a", inputs: ["osc"], extensions: FIXTURE },
        { name: "f", node_id: "builtin:filter", inputs: ["a"] },
        { name: "b", node_id: "wam:b", inputs: ["f"], extensions: FIXTURE },
        { name: "g", node_id: "builtin:gain", inputs: ["b"] },
      ],
      "g",
    );
    const { stages, wams, output } = partitionGraph(graph);
    expect(stages.map((stage) => stage.taps)).toEqual([["osc"], ["f"], ["g"]]);
    expect(wams.map((plan) => plan.inputs)).toEqual([
      [{ kind: "stage", stage: 0, tap: 0 }],
      [{ kind: "stage", stage: 1, tap: 0 }],
    ]);
    expect(output).toEqual({ kind: "stage", stage: 2, tap: 0 });
  });

  it("refuses a cycle through a WAM (closed by a builtin:delay) with E_GRAPH_CYCLE naming its nodes", () => {
    const graph = graphOf(
      [
        { name: "osc", node_id: "builtin:oscillator" },
        { name: "mix", node_id: "builtin:mixer", inputs: ["osc", "echo"] },
        { name: "fx", node_id: "wam:fixture", inputs: ["mix"], extensions: FIXTURE },
        { name: "echo", node_id: "builtin:delay", inputs: ["fx"] },
      ],
      "mix",
    );
    let error: unknown;
    try {
      partitionGraph(graph);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe("E_GRAPH_CYCLE");
    expect((error as EngineError).path).toBe("node_graph.nodes[2]");
    expect((error as EngineError).message).toContain("fx -> echo -> mix -> fx");
    expect((error as EngineError).message).toContain('WAM node "fx"');
  });

  it("keeps a delay feedback loop without a WAM inside one stage", () => {
    const graph = graphOf(
      [
        { name: "osc", node_id: "builtin:oscillator" },
        { name: "fx", node_id: "wam:fixture", inputs: ["osc"], extensions: FIXTURE },
        { name: "mix", node_id: "builtin:mixer", inputs: ["fx", "echo"] },
        { name: "echo", node_id: "builtin:delay", inputs: ["mix"] },
      ],
      "mix",
    );
    const { stages } = partitionGraph(graph);
    expect(stages).toHaveLength(2);
    expect(names(stages[1]?.graph as never)).toEqual(expect.arrayContaining(["mix", "echo"]));
    const mix = stages[1]?.graph.nodes.find((node) => node.name === "mix");
    expect(mix?.inputs).toEqual(["__stage_in_0", "echo"]);
  });

  it("E_SCHEMA at extensions.wam when a WAM node does not say where its module is", () => {
    const graph = graphOf(
      [
        { name: "osc", node_id: "builtin:oscillator" },
        { name: "fx", node_id: "wam:fixture", inputs: ["osc"] },
      ],
      "fx",
    );
    expect(() => partitionGraph(graph)).toThrowError(/nodes\[1\]\.extensions\.wam/);
  });
});
