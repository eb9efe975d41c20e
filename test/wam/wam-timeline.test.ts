import { describe, expect, it } from "vitest";
import { EngineError } from "../../src/contracts/errors";
import { type GraphDescriptorInput, GraphDescriptorSchema } from "../../src/contracts/graph-descriptor";
import { parseContract } from "../../src/contracts/validate";
import { RAMP_STEP_FRAMES, wamNodeTimeline } from "../../src/wam/wam-timeline";

const PARAMS = [
  { id: "gain", label: "Gain", type: "float" as const, defaultValue: 1, minValue: -8, maxValue: 8 },
  {
    id: "mode",
    type: "choice" as const,
    defaultValue: 0,
    minValue: 0,
    maxValue: 2,
    choices: ["a", "b", "c"],
  },
];

function graphWith(node: GraphDescriptorInput["nodes"][number], extra: Partial<GraphDescriptorInput> = {}) {
  return parseContract(GraphDescriptorSchema, {
    version: "v1alpha",
    nodes: [{ name: "osc", node_id: "builtin:oscillator" }, node],
    output: node.name,
    ...extra,
  });
}

describe("wamNodeTimeline", () => {
  it("turns notes, CC and pitch bend into wam-midi events on their frames, in frame order", () => {
    const graph = graphWith({
      name: "fx",
      node_id: "wam:fixture",
      inputs: ["osc"],
      midi: [
        { type: "note", time: 0.5, duration: 0.25, note: 60, velocity: 100, channel: 2 },
        { type: "cc", time: 0.1, controller: 7, value: 90 },
        { type: "pitch_bend", time: 0.2, value: -8192 },
      ],
    });
    const { events } = wamNodeTimeline(graph, graph.nodes[1] as never, PARAMS, 48000, "node_graph.nodes[1]");
    expect(events).toEqual([
      { frame: 4800, type: "wam-midi", data: { bytes: [0xb0, 7, 90] } },
      { frame: 9600, type: "wam-midi", data: { bytes: [0xe0, 0, 0] } },
      { frame: 24000, type: "wam-midi", data: { bytes: [0x91, 60, 100] } },
      { frame: 36000, type: "wam-midi", data: { bytes: [0x81, 60, 0] } },
    ]);
  });

  it("places beat-timeline notes with the tempo map, as the engine does", () => {
    const graph = graphWith(
      {
        name: "fx",
        node_id: "wam:fixture",
        midi: [{ type: "note", timeline: "beats", time: 2, duration: 1, note: 64, velocity: 127 }],
      },
      { tempo: { bpm: 90 } },
    );
    const { events } = wamNodeTimeline(graph, graph.nodes[1] as never, PARAMS, 44100, "node_graph.nodes[1]");
    expect(events.map((event) => event.frame)).toEqual([Math.round((2 * 60 * 44100) / 90), 88200]);
  });

  it("params and choice labels become initial values; step automation one event per point", () => {
    const graph = graphWith({
      name: "fx",
      node_id: "wam:fixture",
      params: { mode: "c" },
      automation: {
        gain: {
          kind: "breakpoints",
          points: [
            { time: 0, value: 0.5, curve: "step" },
            { time: 0.25, value: 2, curve: "step" },
          ],
        },
      },
    });
    const { initial, events } = wamNodeTimeline(graph, graph.nodes[1] as never, PARAMS, 48000, "x");
    expect(initial.mode).toBe(2);
    expect(events.filter((event) => event.type === "wam-automation")).toEqual(
      expect.arrayContaining([
        { frame: 12000, type: "wam-automation", data: { id: "gain", value: 2, normalized: false } },
      ]),
    );
  });

  it("samples a linear ramp every RAMP_STEP_FRAMES frames and ends on its last value", () => {
    const graph = graphWith({
      name: "fx",
      node_id: "wam:fixture",
      automation: {
        gain: {
          kind: "breakpoints",
          points: [
            { time: 0, value: 0, curve: "linear" },
            { time: 1, value: 1 },
          ],
        },
      },
    });
    const { events } = wamNodeTimeline(graph, graph.nodes[1] as never, PARAMS, 1024 * 3, "x");
    const ramp = events.filter((event) => event.type === "wam-automation");
    expect(ramp.length).toBe(3072 / RAMP_STEP_FRAMES + 1);
    const half = ramp.find((event) => event.frame === 1536);
    expect(half?.type === "wam-automation" && half.data.value).toBeCloseTo(0.5, 12);
    expect(ramp.at(-1)).toEqual({
      frame: 3072,
      type: "wam-automation",
      data: { id: "gain", value: 1, normalized: false },
    });
  });

  it("an unknown parameter is E_SCHEMA at the node's own path", () => {
    const graph = graphWith({ name: "fx", node_id: "wam:fixture", params: { volume: 1 } });
    let error: unknown;
    try {
      wamNodeTimeline(graph, graph.nodes[1] as never, PARAMS, 48000, "node_graph.nodes[1]");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).path).toBe("node_graph.nodes[1].params.volume");
  });
});
