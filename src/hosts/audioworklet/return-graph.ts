/**
 * What the real-time primary EngineProcessor plays while a graph with WAM nodes plays around it
 * (wam-live-graph.ts): silence, since the WAM graph's output returns on its input 0 and is added to
 * what it plays; and, for a live render's stems, an input port per captured node reading that node's
 * channels after the output's on the same input. Built in the engine Worker, which loads it into the
 * worklet (the Worker's own engine has no stage ports: it keeps RETURN_GRAPH).
 */
import type { GraphDescriptorInput } from "../../contracts/graph-descriptor";
import { STAGE_CHANNELS, STAGE_INPUT_NODE_ID } from "../../wam/partition";

/** What the primary plays while a WAM graph plays: silence (the WAM graph returns on its input). */
export const RETURN_GRAPH: GraphDescriptorInput = {
  version: "v1alpha",
  nodes: [{ name: "wam_graph_return", node_id: "builtin:constant", params: { offset: 0 } }],
  output: "wam_graph_return",
};

/** Channels of the output and of each stem on the primary's input 0 (a stage crossing's). */
export const RETURN_CHANNELS = STAGE_CHANNELS;

/**
 * The return graph of a WAM graph with `stems` captured nodes: RETURN_GRAPH, and for stem i an input
 * port with capture: true reading channels [2 (i + 1), 2 (i + 2)) of the primary's input 0, where the
 * stems follow the output (mergeSignals). The primary's live capture records them as its own nodes'
 * outputs; the compiler renders them although the output does not depend on them (off-path captures).
 */
export function returnGraph(stems: number): GraphDescriptorInput {
  if (stems === 0) return RETURN_GRAPH;
  return {
    ...RETURN_GRAPH,
    nodes: [
      ...RETURN_GRAPH.nodes,
      ...Array.from({ length: stems }, (_, i) => ({
        name: stemPortName(i),
        node_id: STAGE_INPUT_NODE_ID,
        capture: true,
        extensions: {
          stage_port: 0,
          stage_channel: RETURN_CHANNELS * (i + 1),
          stage_channels: RETURN_CHANNELS,
        },
      })),
    ],
  };
}

/** The return graph's node that carries stem i. */
export function stemPortName(i: number): string {
  return `wam_graph_stem_${i}`;
}
