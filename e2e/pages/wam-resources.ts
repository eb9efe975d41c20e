// WAM resource estimates (e2e/wam-resources.spec.ts): plugins discovered by the real-time host carry
// a resource_estimate measured at discovery (wam-cost-meter.ts: instances of the plugin alone); then
// each plugin is timed again as the engine uses it, a WAM node of a graph built by the host's own
// builder (buildWamGraph: between two engine stages, through their stage ports, its parameters set
// from the graph), by the same per-quantum method (phase-cost-meter.ts).
import { AudioWorkletEngineClient } from "../../src/browser";
import { type GraphDescriptorInput, GraphDescriptorSchema } from "../../src/contracts/graph-descriptor";
import type { NodeDescriptor } from "../../src/contracts/node-descriptor";
import { parseContract } from "../../src/contracts/validate";
import { instantiateEngine } from "../../src/engine/engine-module";
import { readProcessorTypes } from "../../src/engine/processor-types";
import { engineAssets } from "../../src/hosts/assets/engine-assets";
import { createEngineWorklet, loadEngineModule } from "../../src/hosts/audioworklet/engine-worklet";
import { type CostSubject, measurePhaseCost } from "../../src/hosts/audioworklet/phase-cost-meter";
import { type BuiltWamGraph, buildWamGraph } from "../../src/hosts/audioworklet/wam-graph";
import { compileForWorklet } from "../../src/hosts/audioworklet/worklet-program";
import { type PartitionedGraph, partitionGraph } from "../../src/wam/partition";

export const PLUGINS = [
  "/build/wam/fixture/index.js",
  "/wam-corpus/plugins/wimmics/pingpongdelay/dist/index.js",
  "/wam-corpus/plugins/burns-audio/delay/index.js",
];

/** WAM nodes side by side in the graph (the meter's WAM_COPIES is 8 too). */
const GRAPH_WAMS = 8;

/** osc -> GRAPH_WAMS copies of the WAM (an effect) -> mixer: two engine stages around the WAMs. */
function effectGraph(node: NodeDescriptor): GraphDescriptorInput {
  const wams = Array.from({ length: GRAPH_WAMS }, (_, k) => ({
    name: `fx${k}`,
    node_id: node.node_id,
    inputs: ["osc"],
    extensions: { wam: { module_url: node.extensions.module_url as string } },
  }));
  return {
    version: "v1alpha",
    nodes: [
      { name: "osc", node_id: "builtin:oscillator", params: { frequency: 441, channels: 2 } },
      ...wams,
      { name: "mix", node_id: "builtin:mixer", inputs: wams.map((wam) => wam.name) },
    ],
    output: "mix",
  };
}

/**
 * The partitioned graph, whose two stage nodes stay for the whole render: add() builds its WAM nodes
 * (buildWamGraph with those stages), remove() takes them out and feeds each stage input the WAM read
 * from the signal the WAM was fed: the graph without its WAMs' work.
 */
async function graphWams(context: OfflineAudioContext, node: NodeDescriptor): Promise<CostSubject> {
  const assets = engineAssets();
  const types = readProcessorTypes(instantiateEngine(await loadEngineModule(assets.engineWasm)));
  const graph = parseContract(GraphDescriptorSchema, effectGraph(node));
  const plan: PartitionedGraph = partitionGraph(graph);
  if (plan.stages.length !== 2 || plan.wams.length !== GRAPH_WAMS)
    throw new Error("expected two stages around the WAMs");
  const stages: AudioWorkletNode[] = [];
  for (const stage of plan.stages) {
    const { compiled, audio } = await compileForWorklet(stage.graph, {
      types,
      sampleRate: context.sampleRate,
      readBuffer: async () => [],
      root: "graph",
    });
    const created = await createEngineWorklet(context, {
      program: compiled.program,
      buffers: audio,
      assets,
      stage: { inputs: stage.inputs.length, outputs: stage.taps.length },
    });
    stages.push(created.node);
  }
  const [first, second] = stages as [AudioWorkletNode, AudioWorkletNode];
  const output = plan.output;
  if (output.kind !== "stage" || output.stage !== 1) throw new Error("expected the output on stage 1");
  const join = () => {
    (plan.stages[1] as PartitionedGraph["stages"][number]).inputs.forEach((source, k) => {
      const fed = source.kind === "wam" ? plan.wams[source.wam]?.inputs[0] : source;
      if (fed?.kind !== "stage") throw new Error("expected stage 0 to feed each WAM");
      first.connect(second, fed.tap, k);
    });
    second.connect(context.destination, output.tap);
  };
  join();
  let built: BuiltWamGraph | null = null;
  return {
    copies: GRAPH_WAMS,
    async add() {
      first.disconnect();
      built = await buildWamGraph(context, {
        graph,
        plan,
        compile: async () => [null, null],
        stageNodes: new Map([
          [0, first],
          [1, second],
        ]),
        assets,
        root: "graph",
      });
      second.connect(context.destination, output.tap);
    },
    remove() {
      if (built === null) return;
      built.dispose();
      built = null;
      join();
    },
  };
}

const api = {
  /**
   * Discovers PLUGINS with measureWamResources, then times each as a WAM node of a graph: the
   * estimate, and cpu_units in the graph (with the pairs behind it).
   */
  async estimatesAndInGraph() {
    const engine = await AudioWorkletEngineClient.start({ connect: false, measureWamResources: true });
    let result: Awaited<ReturnType<typeof engine.discoverNodes>>;
    const sampleRate = engine.context.sampleRate;
    try {
      for (const url of PLUGINS) await engine.addDiscoveryRoot({ kind: "wam-module", url });
      result = await engine.discoverNodes();
    } finally {
      await engine.close();
    }
    const rows = [];
    for (const url of PLUGINS) {
      const href = new URL(url, location.href).href;
      const node = result.nodes.find((n) => n.extensions.module_url === href);
      if (!node) throw new Error(`${url} was not discovered`);
      const inGraph = await measurePhaseCost((context) => graphWams(context, node), { sampleRate });
      rows.push({
        url,
        estimate: node.resource_estimate ?? null,
        notes: node.extensions.resource_notes ?? null,
        inGraph: inGraph.cpuUnits,
        inGraphPairs: inGraph.pairs.map((pair) => Math.round(pair)),
      });
    }
    return { rows, failures: result.extensions.failures ?? [], discoveryMs: result.elapsed_ms };
  },
};

export type WamResourcesApi = typeof api;
(window as unknown as { wamResources: WamResourcesApi }).wamResources = api;
