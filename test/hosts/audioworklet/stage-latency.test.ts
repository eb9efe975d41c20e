/**
 * Latency compensation across a WAM graph's stages (stage-latency.ts): the stages are compiled by
 * the AudioWorklet host's own compiler (compileForWorklet) with each input port declaring how late
 * its signal is, so the stage that joins a WAM path and a dry path delays the dry one by exactly
 * the WAM's compensation delay. The null itself is measured in Chromium (e2e/wam-hosting.spec.ts).
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  type GraphDescriptor,
  type GraphDescriptorInput,
  GraphDescriptorSchema,
} from "../../../src/contracts";
import { checkGraph } from "../../../src/contracts/graph-semantics";
import { parseContract } from "../../../src/contracts/validate";
import { instantiateEngine } from "../../../src/engine/engine-module";
import { LATENCY_DELAY_KIND } from "../../../src/engine/latency-compensation";
import { type ProcessorTypeInfo, readProcessorTypes } from "../../../src/engine/processor-types";
import { WasmEngine } from "../../../src/engine/wasm-engine";
import { stageTapChannels } from "../../../src/hosts/audioworklet/stage-channels";
import { alignStages } from "../../../src/hosts/audioworklet/stage-latency";
import { compileForWorklet, tapLatencies } from "../../../src/hosts/audioworklet/worklet-program";
import { loadEngineModuleFromDisk } from "../../../src/hosts/in-process/engine-file";
import type { CompiledStage } from "../../../src/protocol/main-worker";
import { partitionGraph } from "../../../src/wam/partition";

const FIXTURE = { wam: { module_url: "/build/wam/fixture/index.js" } };
let types: readonly ProcessorTypeInfo[];
/** The engine Worker's probe for the stages' channel counts (stage-channels.ts). */
let probe: WasmEngine;

beforeAll(async () => {
  const module = await loadEngineModuleFromDisk();
  types = readProcessorTypes(instantiateEngine(module));
  probe = new WasmEngine(instantiateEngine(module), 48000, 128);
});

function graphOf(nodes: GraphDescriptorInput["nodes"], output: string): GraphDescriptor {
  const graph = parseContract(GraphDescriptorSchema, { version: "v1alpha", nodes, output });
  checkGraph(graph);
  return graph;
}

/** The AudioWorklet host's compileStages, counting its calls. */
function compiler() {
  const calls: number[] = [];
  const compile = async (graphs: GraphDescriptor[]): Promise<CompiledStage[]> => {
    calls.push(graphs.length);
    const stages: CompiledStage[] = [];
    for (const graph of graphs) {
      const { compiled, audio } = await compileForWorklet(graph, {
        types,
        sampleRate: 48000,
        readBuffer: async () => [],
        root: "node_graph",
      });
      stages.push({
        program: compiled.program,
        buffers: audio,
        tapLatency: tapLatencies(graph, compiled),
        tapChannels: stageTapChannels(probe, graph, compiled, audio),
      });
    }
    return stages;
  };
  return { compile, calls };
}

/** osc -> fx (WAM) -> mix and osc -> inv (gain -1) -> mix: the null test's graph (osc mono by default). */
const nullGraph = (channels = 1) =>
  graphOf(
    [
      { name: "osc", node_id: "builtin:oscillator", params: { channels } },
      { name: "fx", node_id: "wam:fixture", inputs: ["osc"], extensions: FIXTURE },
      { name: "inv", node_id: "builtin:gain", inputs: ["osc"], params: { gain: -1 } },
      { name: "mix", node_id: "builtin:mixer", inputs: ["fx", "inv"] },
    ],
    "mix",
  );

/** The program inputs of `name` in a compiled stage, each as [kind, frames of a latency_delay]. */
function inputsOf(stage: CompiledStage, graph: GraphDescriptor, name: string) {
  const index = graph.nodes.findIndex((node) => node.name === name);
  return (stage.program.nodes[index]?.inputs ?? []).map((input) => {
    const node = stage.program.nodes[input];
    return node?.kind === LATENCY_DELAY_KIND
      ? `delay ${node.params.frames}`
      : (graph.nodes[input]?.name ?? "?");
  });
}

describe("alignStages", () => {
  it("delays the dry path by the WAM's 300 frames where the paths meet; the output is 300 frames late", async () => {
    const plan = partitionGraph(nullGraph());
    const { compile, calls } = compiler();
    const aligned = await alignStages(plan, [300], compile);
    expect(aligned.latencyFrames).toBe(300);
    const mixStage = plan.stages.findIndex((stage) => stage.graph.nodes.some((node) => node.name === "mix"));
    expect(mixStage).toBe(1);
    const graph = aligned.graphs[1] as GraphDescriptor;
    const ports = graph.nodes.filter((node) => node.node_id === "webdreamer:stage-input");
    // Each port reads its signal's channels too: the fixture's two, the mono inverter's one.
    expect(ports.map((port) => port.extensions)).toEqual([
      { stage_port: 0, latency_frames: 300, stage_channels: 2 },
      { stage_port: 1, stage_channels: 1 },
    ]);
    // fx comes in on port 0 (late), inv on port 1: the mixer reads port 1 through a 300-frame delay.
    expect(inputsOf(aligned.programs[1] as CompiledStage, graph, "mix")).toEqual([
      "__stage_in_0",
      "delay 300",
    ]);
    expect(aligned.programs[1]?.tapLatency).toEqual([300]);
    // One compile to learn the latencies, then one per stage in order.
    expect(calls).toEqual([2, 1, 1]);
  });

  it("adds WAM latencies along a chain (100 + 28) and aligns the dry path to their sum", async () => {
    const graph = graphOf(
      [
        { name: "osc", node_id: "builtin:oscillator" },
        { name: "a", node_id: "wam:fixture", inputs: ["osc"], extensions: FIXTURE },
        { name: "b", node_id: "wam:fixture", inputs: ["a"], extensions: FIXTURE },
        { name: "mix", node_id: "builtin:mixer", inputs: ["osc", "b"] },
      ],
      "mix",
    );
    const plan = partitionGraph(graph);
    const aligned = await alignStages(plan, [100, 28], compiler().compile);
    expect(aligned.latencyFrames).toBe(128);
    const last = aligned.graphs.length - 1;
    expect(
      inputsOf(aligned.programs[last] as CompiledStage, aligned.graphs[last] as GraphDescriptor, "mix"),
    ).toEqual(["delay 128", "__stage_in_1"]);
  });

  it("compiles once and changes nothing when no WAM is late and every crossing is stereo", async () => {
    const plan = partitionGraph(nullGraph(2));
    const { compile, calls } = compiler();
    const aligned = await alignStages(plan, [0], compile);
    expect(aligned.latencyFrames).toBe(0);
    expect(calls).toEqual([2]);
    expect(aligned.graphs).toEqual(plan.stages.map((stage) => stage.graph));
    expect(
      inputsOf(aligned.programs[1] as CompiledStage, aligned.graphs[1] as GraphDescriptor, "mix"),
    ).toEqual(["__stage_in_0", "__stage_in_1"]);
  });

  it("gives each port its signal's channels: a 4-channel and a mono tap, a stereo WAM; the mixer after them carries 4", async () => {
    const graph = graphOf(
      [
        { name: "osc", node_id: "builtin:oscillator", params: { channels: 2 } },
        { name: "fx", node_id: "wam:fixture", inputs: ["osc"], extensions: FIXTURE },
        { name: "wide", node_id: "builtin:oscillator", params: { channels: 4 } },
        { name: "mono", node_id: "builtin:oscillator" },
        { name: "mix", node_id: "builtin:mixer", inputs: ["fx", "wide", "mono"] },
      ],
      "mix",
    );
    const plan = partitionGraph(graph);
    const { compile, calls } = compiler();
    const aligned = await alignStages(plan, [0], compile, [2]);
    // Stage 0 taps osc (for the WAM), wide and mono; stage 1 reads fx, wide and mono.
    expect(plan.stages[0]?.taps).toEqual(["osc", "wide", "mono"]);
    expect(aligned.programs[0]?.tapChannels).toEqual([2, 4, 1]);
    const ports = (aligned.graphs[1] as GraphDescriptor).nodes.filter(
      (node) => node.node_id === "webdreamer:stage-input",
    );
    expect(ports.map((port) => port.extensions.stage_channels)).toEqual([2, 4, 1]);
    expect(aligned.programs[1]?.tapChannels).toEqual([4]);
    expect(aligned.channelsOf(plan.output)).toBe(4);
    // A WAM node is read with its node's channels (wamChannels), 2 when not given.
    expect(aligned.channelsOf({ kind: "wam", wam: 0 })).toBe(2);
    // Stage 0's 4-channel and mono taps differ from the ports' default two: compiled again, in order.
    expect(calls).toEqual([2, 1, 1]);
  });

  it("reads a tapped node's channels from its buffer: a 3-channel playback crosses with 3", async () => {
    const graph = graphOf(
      [
        { name: "play", node_id: "builtin:playback", buffers: { data: "buf-3" } },
        { name: "fx", node_id: "wam:fixture", inputs: ["play"], extensions: FIXTURE },
      ],
      "fx",
    );
    const stage = partitionGraph(graph).stages[0]?.graph as GraphDescriptor;
    const { compiled, audio } = await compileForWorklet(stage, {
      types,
      sampleRate: 48000,
      readBuffer: async () => [new Float32Array(10), new Float32Array(10), new Float32Array(10)],
      root: "node_graph",
    });
    expect(stageTapChannels(probe, stage, compiled, audio)).toEqual([3]);
    // The probe released its stand-in: the next stage's buffer ids start at 0 again.
    expect(probe.bufferChannels(0)).toBe(-1);
  });
});
