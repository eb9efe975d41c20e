/**
 * NodeDescriptor.resource_estimate of a WAM plugin, measured at discovery by the AudioWorklet host
 * (docs/wam.md, "Resource estimates").
 *
 * cpu_units: WAM_COPIES instances of the plugin, side by side between two engine stages as a graph's
 * WAM nodes are (fed a stereo oscillator when it takes input), are timed on the audio thread of an
 * OfflineAudioContext at the host's rate against a chain of builtin:gain in the engine, quantum by
 * quantum, while they are added and removed in turn (phase-cost-meter.ts says how and why). It counts what the plugin's own nodes cost (its
 * AudioWorkletNode, the WAM SDK's processor, its DSP, any native nodes it builds); not the engine
 * stages a graph is split into around a WAM node (docs/wam.md, "What a WAM node costs"). One
 * measurement runs at a time (two at once would time each other). It needs a cross-origin-isolated
 * page (the audio thread's clock is too coarse otherwise); without one it throws, and discovery
 * leaves resource_estimate null with the reason in resource_notes.
 *
 * memory_mb is null: a plugin's memory is its own WebAssembly and JavaScript heaps, which the page
 * cannot see (performance.measureUserAgentSpecificMemory reports the whole page, needs cross-origin
 * isolation and answers after a garbage collection, seconds later). extensions.resource_notes says so.
 */
import type { GraphProgram, GraphProgramNode } from "../../engine/graph-program";
import type { WamConstructor } from "../../wam/load-wam";
import { STAGE_INPUT_NODE_ID, STAGE_OUTPUT_NODE_ID } from "../../wam/partition";
import { createWamHostGroup } from "../../wam/wam-host-group";
import type { EngineAssets } from "../assets/engine-assets";
import { createEngineWorklet } from "./engine-worklet";
import { type CostSubject, GAIN_COPIES, measurePhaseCost, PAIRS } from "./phase-cost-meter";

const WAM_COPIES = 8;

/** A WAM's resource estimate and how it was measured. */
export interface WamCost {
  estimate: { memory_mb: null; cpu_units: number };
  notes: string;
}

let running: Promise<unknown> = Promise.resolve();

/**
 * Measures `Plugin` (its instances fed audio when `takesInput`) against builtin:gain.
 * @example
 * const Plugin = await loadWamModule("/build/wam/fixture/index.js");
 * const { estimate } = await measureWamCost(Plugin, { sampleRate: 48000, takesInput: true });
 */
export function measureWamCost(
  Plugin: WamConstructor,
  options: { sampleRate: number; takesInput: boolean; assets?: EngineAssets },
): Promise<WamCost> {
  const next = running.then(() => measure(Plugin, options));
  running = next.catch(() => undefined);
  return next;
}

async function measure(
  Plugin: WamConstructor,
  options: { sampleRate: number; takesInput: boolean; assets?: EngineAssets },
): Promise<WamCost> {
  const cost = await measurePhaseCost(
    (context) => pluginCopies(context, Plugin, options.takesInput, options.assets),
    options,
  );
  return {
    estimate: { memory_mb: null, cpu_units: cost.cpuUnits },
    notes:
      `cpu_units: ${WAM_COPIES} instances between two engine stages timed on the audio thread of an OfflineAudioContext at ${options.sampleRate} Hz against a chain of ${GAIN_COPIES} builtin:gain in the engine, in the same quanta, added and removed in turn (median of ${PAIRS} pairs; a builtin:gain took ${cost.unitMicroseconds.toFixed(3)} µs a quantum); the plugin's own nodes, not the engine stages a graph splits into around it. ` +
      "memory_mb: unknown, a plugin's WebAssembly and JavaScript heaps are its own and the page cannot measure them.",
  };
}

/**
 * WAM_COPIES fresh instances of `Plugin` at each add(), side by side between two engine stages as a
 * graph's WAM nodes are (src/wam/partition.ts): a stage playing a stereo oscillator feeds each one
 * (when it takes input) through its tap, and each plays into its own input of a stage that mixes
 * them. Without the plugins the tap feeds those inputs directly.
 */
async function pluginCopies(
  context: OfflineAudioContext,
  Plugin: WamConstructor,
  takesInput: boolean,
  assets: EngineAssets | undefined,
): Promise<CostSubject> {
  const [groupId] = await createWamHostGroup(context);
  const source = await createEngineWorklet(context, {
    program: sourceStage(),
    stage: { inputs: 0, outputs: 1 },
    ...(assets ? { assets } : {}),
  });
  const sink = await createEngineWorklet(context, {
    program: sinkStage(WAM_COPIES),
    stage: { inputs: WAM_COPIES, outputs: 1 },
    ...(assets ? { assets } : {}),
  });
  sink.node.connect(context.destination);
  const join = () => {
    for (let k = 0; k < WAM_COPIES; k++) source.node.connect(sink.node, 0, k);
  };
  join();
  let nodes: WamNode[] = [];
  return {
    copies: WAM_COPIES,
    async add() {
      source.node.disconnect();
      const plugins = await Promise.all(
        Array.from({ length: WAM_COPIES }, () => Plugin.createInstance(groupId, context)),
      );
      nodes = plugins.map((plugin) => plugin.audioNode);
      nodes.forEach((node, k) => {
        if (takesInput) source.node.connect(node);
        node.connect(sink.node, 0, k);
      });
    },
    remove() {
      if (nodes.length === 0) return;
      source.node.disconnect();
      for (const node of nodes) {
        try {
          node.disconnect();
          node.destroy();
        } catch {
          // A plugin that cannot be destroyed goes with its context.
        }
      }
      nodes = [];
      join();
    },
  };
}

/** A stereo oscillator leaving on the stage's output 0 (the sink gain makes the engine render it). */
function sourceStage(): GraphProgram {
  return {
    nodes: [
      { kind: "oscillator", inputs: [], params: { channels: 2, frequency: 441 } },
      { kind: STAGE_OUTPUT_NODE_ID, port: { direction: "output", index: 0 }, inputs: [0], params: {} },
      { kind: "gain", inputs: [1], params: {} },
    ],
    output: 2,
  };
}

/** `inputs` stage inputs mixed, leaving on the stage's output 0. */
function sinkStage(inputs: number): GraphProgram {
  const ports: GraphProgramNode[] = Array.from({ length: inputs }, (_, k) => ({
    kind: STAGE_INPUT_NODE_ID,
    port: { direction: "input", index: k },
    inputs: [],
    params: {},
  }));
  const mixer = ports.length;
  return {
    nodes: [
      ...ports,
      { kind: "mixer", inputs: ports.map((_, k) => k), params: {} },
      { kind: STAGE_OUTPUT_NODE_ID, port: { direction: "output", index: 0 }, inputs: [mixer], params: {} },
      { kind: "gain", inputs: [mixer + 1], params: {} },
    ],
    output: mixer + 2,
  };
}

type WamNode = Awaited<ReturnType<WamConstructor["createInstance"]>>["audioNode"];
