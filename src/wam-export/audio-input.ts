/**
 * The audio input of an exported effect. A graph names the node whose output the plugin's WAM audio
 * input replaces (exportWam's `audioInput`): a source node, typically a `builtin:playback` of a test
 * signal, so the same graph renders in every webdreamer host and, exported, takes the host's audio in
 * that node's place.
 *
 * Why a named stand-in rather than a new "input" node type: a node type for outside audio would make
 * the graph unplayable in every host that has no outside audio (Node.js, the offline Worker), and the
 * graph could no longer be rendered by webdreamer to compare with the plugin. In the plugin the
 * stand-in becomes the stage-input port WAM graphs already use (src/wam/stage-ports.ts): an external
 * node reading the processor's input 0 into the graph, one (sub-)block at a time.
 */
import { EngineError } from "../contracts/errors";
import type { GraphDescriptor, GraphNode } from "../contracts/graph-descriptor";
import type { ExternalNodeResolution } from "../engine/graph-compiler";
import { stagePortOutputs } from "../engine/graph-program";
import { sourceNodeResolution } from "../engine/source-node-resolution";
import { STAGE_CHANNELS, STAGE_INPUT_NODE_ID } from "../wam/partition";
import { createStageIo, StageInputPort } from "../wam/stage-ports";

/**
 * Channels of the plugin's audio input: stereo, an input port's default (a WAM graph's ports read
 * what their signal carries instead). A mono connection is copied to both channels (the WamNode's
 * channelInterpretation "speakers").
 */
export const AUDIO_INPUT_CHANNELS = STAGE_CHANNELS;

/** The stage-input port the stand-in becomes: the processor's input 0. */
const INPUT_PORT = { direction: "input", index: 0 } as const;

/**
 * `graph` with its node named `name` replaced by the audio input port (no inputs, params, timelines
 * or buffers: what it played is the host's audio now). E_UNKNOWN_NODE at `path` when no node has that
 * name; E_SCHEMA when the node has inputs (they would feed nothing) or is the graph's output (the
 * plugin would only pass its input through).
 * @example
 * import { GraphDescriptorSchema } from "../contracts/graph-descriptor";
 * import { parseContract } from "../contracts/validate";
 * const effect = withAudioInput(parseContract(GraphDescriptorSchema, graph, "graph"), "in", "options.audioInput");
 * effect.nodes.find((node) => node.name === "in")?.node_id; // "webdreamer:stage-input"
 */
export function withAudioInput(graph: GraphDescriptor, name: string, path: string): GraphDescriptor {
  const index = graph.nodes.findIndex((node) => node.name === name);
  const node = graph.nodes[index];
  if (node === undefined) {
    const names = graph.nodes.map((n) => `"${n.name}"`).join(", ");
    throw new EngineError(
      "E_UNKNOWN_NODE",
      `no node named "${name}" to take the plugin's audio input (the graph has ${names})`,
      path,
    );
  }
  if (node.inputs.length > 0) {
    throw new EngineError(
      "E_SCHEMA",
      `node "${name}" has inputs (${node.inputs.join(", ")}): the audio input replaces a source node's ` +
        "output, so name a node without inputs (a builtin:playback of a test signal renders the same graph in every host)",
      path,
    );
  }
  if (graph.output === name) {
    throw new EngineError(
      "E_SCHEMA",
      `node "${name}" is the graph's output: the plugin would pass its input through unchanged`,
      path,
    );
  }
  const port: GraphNode = {
    name,
    node_id: STAGE_INPUT_NODE_ID,
    inputs: [],
    params: {},
    automation: {},
    midi: [],
    buffers: {},
    capture: false,
    extensions: { stage_port: INPUT_PORT.index },
  };
  return { ...graph, nodes: graph.nodes.map((n, i) => (i === index ? port : n)) };
}

/**
 * The audio input port as the graph compiler sees it (undefined for any other node). Built in the
 * exporter's check engine it reads silence; the plugin's processor builds its own reading its input.
 */
export function audioInputResolution(node: GraphNode): ExternalNodeResolution | undefined {
  if (node.node_id !== STAGE_INPUT_NODE_ID) return undefined;
  return sourceNodeResolution(
    node.node_id,
    stagePortOutputs(INPUT_PORT),
    () => new StageInputPort(createStageIo(), INPUT_PORT.index),
  );
}

/** The port spec a program node of the audio input carries in graph.json. */
export function audioInputPort(): { direction: "input"; index: number } {
  return { ...INPUT_PORT };
}
