/**
 * Compiling a graph for an EngineProcessor (engine Worker side): a GraphProgram that survives
 * structured clone, with the audio its buffers refer to. Faust nodes travel as data (compiled code and
 * soundfile audio) and are rebuilt on the audio thread; stage ports (a WAM graph's stages,
 * src/wam/partition.ts) travel as their direction and index and are built by the stage's processor.
 */
import { EngineError } from "../../contracts/errors";
import type { GraphDescriptor, GraphNode } from "../../contracts/graph-descriptor";
import { graphBufferReferences } from "../../contracts/graph-semantics";
import { type CompiledGraph, compileGraph, type ExternalNodeResolution } from "../../engine/graph-compiler";
import { type ClonedFaustNode, type StagePortSpec, stagePortOutputs } from "../../engine/graph-program";
import { isLiveInputNode, LIVE_INPUT_WORKLET_INPUT } from "../../engine/live-input-node";
import type { ProcessorTypeInfo } from "../../engine/processor-types";
import { faustMemoryBytes } from "../../faust/heap";
import type { FaustRegistry } from "../../faust/registry";
import { STAGE_INPUT_NODE_ID, STAGE_OUTPUT_NODE_ID } from "../../wam/partition";
import { MAX_METERED_NODES } from "./node-meter-tap";

export interface WorkletCompileContext {
  types: readonly ProcessorTypeInfo[];
  /** The rate of the context the program will play in. */
  sampleRate: number;
  /** The audio of a buffer handle (the engine Worker's buffers). */
  readBuffer(handle: string): Promise<Float32Array[]>;
  /** The sample rate of a buffer handle's audio; without it every buffer is taken at `sampleRate`. */
  bufferRate?(handle: string): number;
  faust?: FaustRegistry;
  /** Prefix of error paths. */
  root: string;
  /**
   * Nodes whose parameters the engine records on every frame (a live render's record_automation,
   * live-render.ts); errors at options.record_automation.nodes[i].
   */
  recordAutomation?: readonly string[];
}

export interface WorkletProgram {
  compiled: CompiledGraph;
  /** The audio the program refers to as engine buffer ids 0, 1, ... */
  audio: Float32Array[][];
}

/**
 * Compiles `graph` (validated) for an EngineProcessor.
 * @example
 * const { compiled, audio } = await compileForWorklet(graph, { types, sampleRate: 48000, readBuffer, root: "graph" });
 */
export async function compileForWorklet(
  graph: GraphDescriptor,
  context: WorkletCompileContext,
): Promise<WorkletProgram> {
  const { faust, sampleRate, root } = context;
  const handles = [...new Set(graphBufferReferences(graph).map((r) => r.handle))];
  const audio = await Promise.all(handles.map((handle) => context.readBuffer(handle)));
  const byHandle = new Map(handles.map((handle, i) => [handle, i]));
  await faust?.prepareGraph(graph, "graph");
  const faustNodes = new Map<string, ClonedFaustNode>();
  const ports = new Map<string, StagePortSpec>();
  const meters = graphMeters(graph, root);
  const compiled = compileGraph(graph, {
    capture: meters,
    captureLabel: `${root}.extensions.meters`,
    recordAutomation: context.recordAutomation,
    resolveExternal: (node, path) => {
      const port = stagePortOf(node);
      if (port) {
        ports.set(node.name, port);
        return stagePortResolution(node, port);
      }
      const resolved = faust?.resolve(node, path, (handle, slotPath) => {
        const channels = audio[byHandle.get(handle) ?? -1];
        if (!channels) throw new EngineError("E_UNKNOWN_HANDLE", `unknown buffer handle ${handle}`, slotPath);
        return { channels, sampleRate };
      });
      if (!resolved) return undefined;
      const { dsp, effect, mixer, layout } = resolved.compiled;
      const spec = {
        nodeId: node.node_id,
        numOutputs: layout.numOutputs,
        params: layout.params,
        memoryBytes: faustMemoryBytes(layout, resolved.soundfiles),
      };
      faustNodes.set(node.name, {
        ...spec,
        code: { dsp, effect, mixer, layout },
        soundfiles: [...resolved.soundfiles],
      });
      const latencyFrames = resolved.compiled.descriptor.latency_samples;
      return { type: resolved.type, spec: { ...spec, create: resolved.create, latencyFrames } };
    },
    types: context.types,
    sampleRate,
    rootLabel: root,
    resolveBuffer: (handle, path) => {
      const index = byHandle.get(handle);
      if (index === undefined)
        throw new EngineError("E_UNKNOWN_HANDLE", `unknown buffer handle ${handle}`, path);
      return index;
    },
    readBufferChannel0: (handle, path) => {
      const channel = audio[byHandle.get(handle) ?? -1]?.[0];
      if (!channel) throw new EngineError("E_UNKNOWN_HANDLE", `unknown buffer handle ${handle}`, path);
      return channel;
    },
  });
  // The ExternalNodeSpecs' create functions cannot travel: replace them by data.
  for (const [name, cloned] of faustNodes) {
    const node = compiled.program.nodes[compiled.nodeIndex.get(name) as number];
    if (node) {
      node.external = undefined;
      node.faust = cloned;
    }
  }
  for (const [name, port] of ports) {
    const node = compiled.program.nodes[compiled.nodeIndex.get(name) as number];
    if (node) {
      node.external = undefined;
      node.port = port;
    }
  }
  const { bufferRate } = context;
  if (bufferRate !== undefined && handles.length > 0) {
    compiled.program.bufferRates = handles.map((handle) => bufferRate(handle));
  }
  if (meters.length > 0) {
    compiled.program.meters = meters.map((name) => compiled.nodeIndex.get(name) as number);
  }
  return { compiled, audio };
}

/**
 * The nodes `graph.extensions.meters` asks the audio thread to meter (node-meter-tap.ts): an array
 * of at most MAX_METERED_NODES node names (compileGraph checks they exist); none when it is absent.
 * @example
 * graphMeters({ ...graph, extensions: { meters: ["bass.pan"] } }, "graph"); // ["bass.pan"]
 */
export function graphMeters(graph: GraphDescriptor, root: string): string[] {
  const meters = graph.extensions.meters;
  if (meters === undefined) return [];
  const path = `${root}.extensions.meters`;
  if (!Array.isArray(meters) || meters.some((name) => typeof name !== "string")) {
    throw new EngineError("E_SCHEMA", "must be an array of node names", path);
  }
  if (meters.length > MAX_METERED_NODES) {
    throw new EngineError(
      "E_LIMIT",
      `meters at most ${MAX_METERED_NODES} nodes (the node meter block's capacity), got ${meters.length}`,
      path,
    );
  }
  return meters as string[];
}

function stagePortOf(node: GraphNode): StagePortSpec | undefined {
  // The live audio input is an input port on the engine node's live input (live-input-node.ts).
  if (isLiveInputNode(node)) return { direction: "input", index: LIVE_INPUT_WORKLET_INPUT };
  const direction =
    node.node_id === STAGE_INPUT_NODE_ID
      ? "input"
      : node.node_id === STAGE_OUTPUT_NODE_ID
        ? "output"
        : undefined;
  if (direction === undefined) return undefined;
  const port: StagePortSpec = { direction, index: Number(node.extensions.stage_port ?? 0) };
  // The primary's stem ports read their channels after the output's (wam-live-graph.ts, returnGraph).
  if (node.extensions.stage_channel !== undefined) port.channel = Number(node.extensions.stage_channel);
  if (node.extensions.stage_channels !== undefined) port.channels = Number(node.extensions.stage_channels);
  return port;
}

/** A stage port as the graph compiler sees it: no parameters, no buffers. */
function stagePortResolution(node: GraphNode, port: StagePortSpec): ExternalNodeResolution {
  return {
    type: {
      index: -1,
      kind: node.node_id,
      name: node.node_id,
      maxInputs: port.direction === "input" ? 0 : -1,
      params: [],
      instrument: false,
      bufferSlots: [],
      presets: [],
    },
    spec: {
      nodeId: node.node_id,
      numOutputs: stagePortOutputs(port),
      params: [],
      create: () => {
        throw new EngineError("E_INTERNAL", "a stage port is built by its stage's EngineProcessor");
      },
      // What an input port reads is late by the WAM path before it (stage-latency.ts): the stage's
      // compiler aligns it with the stage's other paths like any latent node.
      latencyFrames: port.direction === "input" ? stagePortLatency(node) : 0,
    },
  };
}

/** An input port's `extensions.latency_frames` (set by stage-latency.ts), 0 when absent. */
function stagePortLatency(node: GraphNode): number {
  const frames = Number(node.extensions.latency_frames ?? 0);
  return Number.isFinite(frames) && frames > 0 ? Math.round(frames) : 0;
}

/**
 * tapLatency[k] of a compiled stage (CompiledStage.tapLatency): the path latency of the tap on the
 * stage's output k, that is of the node it copies out.
 * @example
 * tapLatencies(graph, compiled); // [0, 300]: output 1 carries a signal 300 frames late
 */
export function tapLatencies(graph: GraphDescriptor, compiled: CompiledGraph): number[] {
  const latency: number[] = [];
  for (const node of graph.nodes) {
    if (node.node_id !== STAGE_OUTPUT_NODE_ID) continue;
    const k = Number(node.extensions.stage_port ?? 0);
    latency[k] = compiled.pathLatency[compiled.nodeIndex.get(node.name) as number] ?? 0;
  }
  return Array.from(latency, (frames) => frames ?? 0);
}
