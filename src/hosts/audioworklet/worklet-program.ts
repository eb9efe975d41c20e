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
import type { ProcessorTypeInfo } from "../../engine/processor-types";
import { faustMemoryBytes } from "../../faust/heap";
import type { FaustRegistry } from "../../faust/registry";
import { STAGE_INPUT_NODE_ID, STAGE_OUTPUT_NODE_ID } from "../../wam/partition";

export interface WorkletCompileContext {
  types: readonly ProcessorTypeInfo[];
  /** The rate of the context the program will play in. */
  sampleRate: number;
  /** The audio of a buffer handle (the engine Worker's buffers). */
  readBuffer(handle: string): Promise<Float32Array[]>;
  faust?: FaustRegistry;
  /** Prefix of error paths. */
  root: string;
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
  const compiled = compileGraph(graph, {
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
  return { compiled, audio };
}

function stagePortOf(node: GraphNode): StagePortSpec | undefined {
  const direction =
    node.node_id === STAGE_INPUT_NODE_ID
      ? "input"
      : node.node_id === STAGE_OUTPUT_NODE_ID
        ? "output"
        : undefined;
  if (direction === undefined) return undefined;
  return { direction, index: Number(node.extensions.stage_port ?? 0) };
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
    },
  };
}
