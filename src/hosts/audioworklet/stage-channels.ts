/**
 * The channels a compiled stage's taps carry (engine Worker; docs/wam.md, "Hosting"). A node's output
 * channel count is the engine's to work out when it prepares a graph (a playback node has its
 * buffer's channels, a mixer its widest input's, a Faust node its layout's), so the stage's program is
 * prepared once in a probe engine, with silent stand-ins for its Faust nodes and stage ports and
 * one-frame stand-ins for its buffers, and each tap's channel count is read there: the stage node's
 * AudioWorkletNode output gets that many channels, and the port that reads it in a later stage as many.
 */
import type { GraphDescriptor } from "../../contracts/graph-descriptor";
import type { CompiledGraph } from "../../engine/graph-compiler";
import { applyGraphProgram, type ExternalNodeSpec, stagePortOutputs } from "../../engine/graph-program";
import type { WasmEngine } from "../../engine/wasm-engine";
import { MAX_STAGE_CHANNELS, STAGE_OUTPUT_NODE_ID } from "../../wam/partition";

/** An external node that renders silence: the probe prepares the graph, it never renders. */
function silentNode(
  nodeId: string,
  numOutputs: number,
  params: ExternalNodeSpec["params"],
): ExternalNodeSpec {
  return {
    nodeId,
    numOutputs,
    params,
    create: () => ({ prepare() {}, reset() {}, setParam() {}, midi() {}, process() {} }),
  };
}

/**
 * tapChannels[k]: the channel count of the node tapped on stage output k (1 to MAX_STAGE_CHANNELS),
 * read from `compiled` (compileForWorklet's, Faust nodes and ports as data) prepared in `engine`,
 * a probe engine the caller owns and holds no buffers (its graph is replaced; its buffers released
 * again, so the next stage's buffer ids start at 0 too).
 * @example
 * stageTapChannels(probe, graph, compiled, audio); // [4, 1]: a 4-channel oscillator, a mono filter
 */
export function stageTapChannels(
  engine: WasmEngine,
  graph: GraphDescriptor,
  compiled: CompiledGraph,
  audio: readonly Float32Array[][],
): number[] {
  // Only a buffer's channel count matters to a node's channels, not its length.
  const ids = audio.map((channels) =>
    engine.createBuffer(
      channels.map(() => new Float32Array(1)),
      engine.sampleRate,
    ),
  );
  try {
    return tapChannels(engine, graph, compiled);
  } finally {
    engine.clear();
    for (const id of ids) engine.releaseBuffer(id);
  }
}

function tapChannels(engine: WasmEngine, graph: GraphDescriptor, compiled: CompiledGraph): number[] {
  const indices = applyGraphProgram(
    engine,
    compiled.program,
    (faust) => silentNode(faust.nodeId, faust.numOutputs, faust.params),
    (port) => silentNode(`stage-${port.direction}:${port.index}`, stagePortOutputs(port), []),
  );
  const channels: number[] = [];
  for (const node of graph.nodes) {
    if (node.node_id !== STAGE_OUTPUT_NODE_ID) continue;
    const tap = compiled.program.nodes[compiled.nodeIndex.get(node.name) as number];
    const source = indices[tap?.inputs[0] ?? -1];
    const count = source === undefined ? 1 : engine.nodeOutputChannels(source);
    channels[Number(node.extensions.stage_port ?? 0)] = Math.min(MAX_STAGE_CHANNELS, Math.max(1, count));
  }
  return Array.from(channels, (count) => count ?? 1);
}
