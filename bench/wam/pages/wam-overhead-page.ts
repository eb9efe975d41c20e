// Per-WAM overhead per quantum (bench/wam/wam-overhead.ts drives it): what one WAM node in a graph
// costs beyond its own DSP. A = osc -> fixture WAM at identity (gain 1, no latency) -> filter, built as
// the AudioWorklet host builds it (two engine stages around the WAM, their ports, the Web Audio
// connections); B = the same graph with a builtin gain in the WAM's place, one engine node. Both
// render in an OfflineAudioContext; only startRendering() is timed. C, to split A's cost: A's two
// stages with a native GainNode where the WAM was (the stage split alone, without the WAM's processor).
import {
  type GraphDescriptor,
  type GraphDescriptorInput,
  GraphDescriptorSchema,
} from "../../../src/contracts/graph-descriptor";
import { parseContract } from "../../../src/contracts/validate";
import { instantiateEngine } from "../../../src/engine/engine-module";
import { readProcessorTypes } from "../../../src/engine/processor-types";
import { WasmEngine } from "../../../src/engine/wasm-engine";
import { engineAssets } from "../../../src/hosts/assets/engine-assets";
import { createEngineWorklet, loadEngineModule } from "../../../src/hosts/audioworklet/engine-worklet";
import { stageTapChannels } from "../../../src/hosts/audioworklet/stage-channels";
import { buildWamGraph } from "../../../src/hosts/audioworklet/wam-graph";
import { compileForWorklet, tapLatencies } from "../../../src/hosts/audioworklet/worklet-program";
import { partitionGraph } from "../../../src/wam/partition";
import { interleave } from "../../pairs";

const SR = 48000;
const FIXTURE_URL = "/build/wam/fixture/index.js";

function graph(withWam: boolean): GraphDescriptorInput {
  return {
    version: "v1alpha",
    nodes: [
      { name: "osc", node_id: "builtin:oscillator", params: { frequency: 441, waveform: "saw" } },
      withWam
        ? {
            name: "fx",
            node_id: "wam:com.webdreamer.fixture",
            inputs: ["osc"],
            params: { gain: 1 },
            extensions: { wam: { module_url: FIXTURE_URL } },
          }
        : { name: "fx", node_id: "builtin:gain", inputs: ["osc"], params: { gain: 1 } },
      { name: "filter", node_id: "builtin:filter", inputs: ["fx"], params: { frequency: 2000 } },
    ],
    output: "filter",
  };
}

const api = {
  /**
   * `pairs` interleaved renders of `seconds` each (B then A, then A then B, ...): microseconds per
   * 128-frame quantum of each, and their left-channel peaks (the two must sound alike).
   */
  async wamOverhead(seconds: number, pairs: number) {
    const assets = engineAssets();
    const module = await loadEngineModule(assets.engineWasm);
    const types = readProcessorTypes(instantiateEngine(module));
    // Reads the stages' channel counts as the engine Worker does (stage-channels.ts).
    const probe = new WasmEngine(instantiateEngine(module), SR, 128);
    const compile = async (input: GraphDescriptorInput) => {
      const parsed = parseContract(GraphDescriptorSchema, input);
      return compileForWorklet(parsed, { types, sampleRate: SR, readBuffer: async () => [], root: "graph" });
    };
    const quanta = (seconds * SR) / 128;
    type Side = "wam" | "builtin" | "split";
    const render = async (side: Side) => {
      const context = new OfflineAudioContext({ numberOfChannels: 2, length: seconds * SR, sampleRate: SR });
      let dispose = () => {};
      if (side === "split") {
        // stage 0 (osc, tap 0) -> GainNode -> stage 1 input 0 (filter, tap 0) -> destination.
        const plan = partitionGraph(parseContract(GraphDescriptorSchema, graph(true)));
        const stages: AudioWorkletNode[] = [];
        for (const stage of plan.stages) {
          const { compiled, audio } = await compile(stage.graph);
          const { node } = await createEngineWorklet(context, {
            program: compiled.program,
            buffers: audio,
            assets,
            stage: { inputs: stage.inputs.length, outputs: stage.taps.length },
          });
          stages.push(node);
        }
        const gain = new GainNode(context, { gain: 1 });
        (stages[0] as AudioWorkletNode).connect(gain, 0, 0);
        gain.connect(stages[1] as AudioWorkletNode, 0, 0);
        (stages[1] as AudioWorkletNode).connect(context.destination, 0);
      } else if (side === "wam") {
        const parsed = parseContract(GraphDescriptorSchema, graph(true));
        const plan = partitionGraph(parsed);
        const compileAll = async (graphs: GraphDescriptor[]) => {
          const programs = [];
          for (const stageGraph of graphs) {
            const { compiled, audio } = await compile(stageGraph);
            programs.push({
              program: compiled.program,
              buffers: audio,
              tapLatency: tapLatencies(stageGraph, compiled),
              tapChannels: stageTapChannels(probe, stageGraph, compiled, audio),
            });
          }
          return programs;
        };
        const built = await buildWamGraph(context, {
          graph: parsed,
          plan,
          compile: compileAll,
          assets,
          root: "graph",
        });
        built.output.node.connect(context.destination, built.output.index);
        dispose = built.dispose;
      } else {
        const { compiled } = await compile(graph(false));
        const { node } = await createEngineWorklet(context, {
          program: compiled.program,
          outputChannels: 2,
          assets,
        });
        node.connect(context.destination);
      }
      const start = performance.now();
      const buffer = await context.startRendering();
      const us = ((performance.now() - start) * 1000) / quanta;
      dispose();
      let peak = 0;
      for (const x of buffer.getChannelData(0)) peak = Math.max(peak, Math.abs(x));
      return { us, peak };
    };
    // Warm-up: modules loaded, code compiled.
    for (const side of ["wam", "builtin", "split"] as const) await render(side);
    const peaks: Record<Side, number[]> = { wam: [], builtin: [], split: [] };
    const side = (name: Side) => async () => {
      const { us, peak } = await render(name);
      peaks[name].push(peak);
      return us;
    };
    // Interleaved rounds (bench/pairs.ts): the first side rotates, so a drift of the load falls on all.
    const times = await interleave(pairs, {
      builtin: side("builtin"),
      wam: side("wam"),
      split: side("split"),
    });
    return { withWam: times.wam, builtin: times.builtin, split: times.split, peaks };
  },
};

(window as unknown as { wamBench: typeof api }).wamBench = api;
