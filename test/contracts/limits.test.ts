/**
 * Every limit of src/contracts/limits.ts that a request or a graph carries is E_LIMIT at the field
 * that exceeds it, checked after parsing (the schema's own errors stay E_SCHEMA and come first), with
 * the limit's name, its value and what the input needs. Inputs exactly at a limit pass.
 */
import { describe, expect, it } from "vitest";
import { HeldBufferBytes } from "../../src/api/held-buffer-bytes";
import {
  checkGraph,
  checkRenderRequest,
  EngineError,
  type GraphDescriptorInput,
  GraphDescriptorSchema,
  type GraphNodeInput,
  LIMITS,
  limitError,
  parseContract,
  type RenderRequestInput,
  RenderRequestSchema,
} from "../../src/contracts";
import { chainGraph } from "../api/limits-names-suite";
import { SEED_RENDER_REQUEST } from "./fixtures";

function graphError(graph: GraphDescriptorInput): EngineError {
  try {
    checkGraph(parseContract(GraphDescriptorSchema, graph), { rootLabel: "graph" });
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error("expected checkGraph to throw");
}

function requestError(overrides: Partial<RenderRequestInput>): EngineError {
  try {
    checkRenderRequest(parseContract(RenderRequestSchema, { ...SEED_RENDER_REQUEST, ...overrides }));
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error("expected checkRenderRequest to throw");
}

const accepts = (graph: GraphDescriptorInput) => () =>
  checkGraph(parseContract(GraphDescriptorSchema, graph), { rootLabel: "graph" });

function oneNode(node: Partial<GraphNodeInput>): GraphDescriptorInput {
  return { version: "v1alpha", nodes: [{ name: "a", node_id: "builtin:gain", ...node }], output: "a" };
}

describe("graph limits", () => {
  it("graphNodes: 4096 nodes pass, 4097 are E_LIMIT at nodes, before any other check", () => {
    const sources = (count: number): GraphDescriptorInput => ({
      version: "v1alpha",
      nodes: Array.from({ length: count }, (_, i) => ({ name: `n${i}`, node_id: "builtin:oscillator" })),
      output: "n0",
    });
    expect(accepts(sources(4096))).not.toThrow();
    const error = graphError({ ...sources(4097), output: "ghost" });
    expect(error.message).toBe(
      "E_LIMIT at graph.nodes: needs 4,097 nodes, over the limit graphNodes = 4,096 nodes: nodes in one graph",
    );
  });

  it("graphNodes: a chain of 100,000 nodes is E_LIMIT, not a RangeError", () => {
    expect(graphError(chainGraph(100_000))).toMatchObject({ code: "E_LIMIT", path: "graph.nodes" });
  });

  it("graphDepth: a chain of 1024 passes, 1025 is E_LIMIT at the last node's inputs", () => {
    expect(accepts(chainGraph(1024))).not.toThrow();
    expect(graphError(chainGraph(1025))).toMatchObject({
      code: "E_LIMIT",
      path: "graph.nodes[1024].inputs",
      detail: expect.stringMatching(/^needs 1,025 nodes \(the chain of inputs that ends at "n1024"\)/),
    });
  });

  it("graphDepth: a builtin:delay starts a new chain, also inside a feedback loop", () => {
    const graph = chainGraph(2000);
    const nodes = graph.nodes.map((node, i) =>
      i === 1000 ? { ...node, node_id: "builtin:delay", inputs: ["n999", "n1999"] } : node,
    );
    expect(accepts({ ...graph, nodes })).not.toThrow();
  });

  it("tempoPoints: 4097 points of a tempo map are E_LIMIT at tempo.map", () => {
    const map = Array.from({ length: 4097 }, (_, i) => ({ beat: i, bpm: 120 }));
    expect(graphError({ ...oneNode({}), tempo: { map } })).toMatchObject({
      code: "E_LIMIT",
      path: "graph.tempo.map",
    });
    expect(accepts({ ...oneNode({}), tempo: { map: map.slice(0, 4096) } })).not.toThrow();
  });

  it("automationPoints: inline values and breakpoints over 65,536 are E_LIMIT at their array", () => {
    const values = new Array<number>(65_537).fill(1);
    expect(graphError(oneNode({ automation: { gain: { kind: "audio_rate", values } } })).message).toBe(
      "E_LIMIT at graph.nodes[0].automation.gain.values: needs 65,537 points, over the limit " +
        "automationPoints = 65,536 points: breakpoints, inline values or web_audio events (with curve values) of one automation",
    );
    expect(graphError(oneNode({ automation: { gain: { kind: "ppqn", ppqn: 960, values } } })).path).toBe(
      "graph.nodes[0].automation.gain.values",
    );
    const points = values.map((value, time) => ({ time, value }));
    expect(graphError(oneNode({ automation: { gain: { kind: "breakpoints", points } } })).path).toBe(
      "graph.nodes[0].automation.gain.points",
    );
    expect(
      accepts(oneNode({ automation: { gain: { kind: "audio_rate", values: values.slice(1) } } })),
    ).not.toThrow();
    // web_audio: events, each curve counting its values.
    const sets = values.map((value, time) => ({ type: "setValueAtTime" as const, value, time }));
    expect(graphError(oneNode({ automation: { gain: { kind: "web_audio", events: sets } } })).path).toBe(
      "graph.nodes[0].automation.gain.events",
    );
    const curve = { type: "setValueCurveAtTime" as const, values: values.slice(2), time: 1, duration: 1 };
    const events = [curve, { type: "setValueAtTime" as const, value: 0, time: 0 }];
    expect(accepts(oneNode({ automation: { gain: { kind: "web_audio", events } } }))).not.toThrow();
    const over = [...events, { type: "setValueAtTime" as const, value: 0, time: 3 }];
    expect(graphError(oneNode({ automation: { gain: { kind: "web_audio", events: over } } })).message).toBe(
      "E_LIMIT at graph.nodes[0].automation.gain.events: needs 65,537 points, over the limit " +
        "automationPoints = 65,536 points: breakpoints, inline values or web_audio events (with curve values) of one automation",
    );
  });

  it("graphEvents: counted over all nodes, E_LIMIT at the node that crosses the limit", () => {
    const cc = (count: number) =>
      Array.from({ length: count }, () => ({ type: "cc" as const, time: 0, controller: 1, value: 1 }));
    const graph = (first: number, second: number): GraphDescriptorInput => ({
      version: "v1alpha",
      nodes: [
        { name: "a", node_id: "builtin:sampler", midi: cc(first) },
        { name: "b", node_id: "builtin:sampler", midi: cc(second) },
      ],
      output: "a",
    });
    expect(accepts(graph(131_072, 131_072))).not.toThrow();
    expect(graphError(graph(131_072, 131_073)).message).toBe(
      "E_LIMIT at graph.nodes[1].midi: needs 262,145 events (nodes[0] to nodes[1] together), over the " +
        "limit graphEvents = 262,144 events: MIDI events in one graph, all nodes together (inline, from " +
        "MIDI files, scheduled)",
    );
  });

  it("leaves schema errors to E_SCHEMA, which come first", () => {
    expect(() => parseContract(GraphDescriptorSchema, { ...chainGraph(5000), version: "v2" })).toThrow(
      /^E_SCHEMA at version/,
    );
  });
});

describe("render limits", () => {
  it("channels: 32 pass, 33 are E_LIMIT at channels (not E_SCHEMA)", () => {
    expect(() =>
      checkRenderRequest(parseContract(RenderRequestSchema, { ...SEED_RENDER_REQUEST, channels: 32 })),
    ).not.toThrow();
    expect(requestError({ channels: 33 })).toMatchObject({ code: "E_LIMIT", path: "channels" });
  });

  it("renderSeconds: in seconds, and in beats on the graph's tempo", () => {
    expect(requestError({ duration_seconds: 3601 }).message).toBe(
      "E_LIMIT at duration_seconds: needs 3,601 s, over the limit renderSeconds = 3,600 s: duration of one " +
        "render (duration_seconds, or the seconds of duration_beats)",
    );
    // 7200 beats at 120 bpm are exactly an hour; the ramp of a tempo map counts as it plays.
    expect(
      requestError({ duration_seconds: null, duration_beats: 7201 }).detail.startsWith(
        "needs 3,600.5 s (7,201 beats on the graph's tempo)",
      ),
    ).toBe(true);
  });

  it("startSeconds and prerollSeconds at their fields", () => {
    expect(requestError({ start_position_seconds: 86_400.5 })).toMatchObject({
      code: "E_LIMIT",
      path: "start_position_seconds",
    });
    expect(requestError({ options: { preroll: 600.5 } })).toMatchObject({
      code: "E_LIMIT",
      path: "options.preroll",
    });
  });

  it("renderSamples: output and captures together", () => {
    // 20 min at 48 kHz in stereo is 115,200,000 samples; with two captures, three times that.
    const graph = {
      ...SEED_RENDER_REQUEST.node_graph,
      nodes: SEED_RENDER_REQUEST.node_graph.nodes.map((node) => ({ ...node, capture: true })),
    };
    const error = requestError({ duration_seconds: 1200, sample_rate: 48000, node_graph: graph });
    expect(error.message).toBe(
      "E_LIMIT at duration_seconds: needs 345,600,000 samples (57,600,000 frames × 2 channels, for the " +
        "output and 2 captures), over the limit renderSamples = 268,435,456 samples: frames × channels a " +
        "render returns, output and captures together",
    );
  });
});

describe("limitError and HeldBufferBytes", () => {
  it("names the limit, its value, what it limits and what the input needs", () => {
    expect(limitError("heldBufferBytes", 3 * 2 ** 30, "upload.channels").message).toBe(
      "E_LIMIT at upload.channels: needs 3,221,225,472 bytes, over the limit heldBufferBytes = " +
        "2,147,483,648 bytes (2 GiB): audio one client holds by handle (uploads, results, captures) " +
        "before it refuses more",
    );
  });

  it("counts held and reserved bytes against heldBufferBytes", () => {
    const limit = LIMITS.heldBufferBytes.value;
    const bytes = new HeldBufferBytes();
    bytes.add(limit - 100);
    expect(() => bytes.ensureRoom(100, "p")).not.toThrow();
    expect(() => bytes.ensureRoom(101, "p")).toThrow(/^E_LIMIT at p: needs 2,147,483,649 bytes/);
    bytes.remove(100);
    const unreserve = bytes.reserve(200, "r");
    expect(() => bytes.ensureRoom(1, "p")).toThrow(/200 reserved for renders in progress/);
    unreserve();
    unreserve();
    expect(() => bytes.ensureRoom(200, "p")).not.toThrow();
    bytes.clear();
    expect(bytes.heldBytes).toBe(0);
  });
});
