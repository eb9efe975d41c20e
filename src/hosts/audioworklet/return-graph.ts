/**
 * What the real-time primary EngineProcessor plays while a graph with WAM nodes plays around it
 * (wam-live-graph.ts): silence, since the WAM graph's output returns on its input 0 and is added to
 * what it plays; an input port reading the output's channels there, and, for a live render's stems,
 * an input port per captured node reading that node's channels after the output's on the same input. Built in the engine Worker, which loads it into the
 * worklet (the Worker's own engine has no stage ports: it keeps RETURN_GRAPH).
 */
import type { GraphDescriptorInput } from "../../contracts/graph-descriptor";
import { STAGE_INPUT_NODE_ID } from "../../wam/partition";

/** What the primary plays while a WAM graph plays: silence (the WAM graph returns on its input). */
export const RETURN_GRAPH: GraphDescriptorInput = {
  version: "v1alpha",
  nodes: [{ name: "wam_graph_return", node_id: "builtin:constant", params: { offset: 0 } }],
  output: "wam_graph_return",
};

/**
 * Where a WAM graph's output and stems sit on the primary's input 0 (mergeSignals): each signal's own
 * channel count, the output first.
 */
export interface ReturnLayout {
  /** The output's channels. */
  output: number;
  /** Each stem's channels, in stem order. */
  stems: readonly number[];
}

/**
 * Channels the output takes at least on input 0: the primary plays input 0's first two channels (its
 * own output's, engine-processor.ts), so a mono output fills both, as the engine maps a mono output.
 */
export const PLAYED_RETURN_CHANNELS = 2;

/** The slots (input 0 channels) of each signal of `layout`, the output first. */
export function returnSlots(layout: ReturnLayout): number[] {
  return [Math.max(PLAYED_RETURN_CHANNELS, layout.output), ...layout.stems];
}

/**
 * The return graph of a WAM graph laid out as `layout`: an input port with capture: true reading the
 * output's channels of the primary's input 0 (a live render records the output there, with all its
 * channels: the primary plays two), for stem i an input port with capture: true reading its channels
 * after the output's and the stems' before it, and as the output a gain at 0 fed by the ports: the
 * primary plays silence (the return input is added to it), and its engine renders the ports because
 * its output depends on them. (Off the output's path, the compiler's hidden sink would make them
 * part of what the primary plays: a mono output's second channel would be a port's.) The primary's
 * live capture records the ports as its own nodes' outputs.
 */
export function returnGraph(layout: ReturnLayout): GraphDescriptorInput {
  const slots = returnSlots(layout);
  const first = slots.map((_, i) => slots.slice(0, i).reduce((sum, n) => sum + n, 0));
  const port = (name: string, channel: number, channels: number) => ({
    name,
    node_id: STAGE_INPUT_NODE_ID,
    capture: true,
    extensions: { stage_port: 0, stage_channel: channel, stage_channels: channels },
  });
  const ports = [
    port(RETURN_OUTPUT_PORT, 0, layout.output),
    ...layout.stems.map((channels, i) => port(stemPortName(i), first[i + 1] as number, channels)),
  ];
  const silence = RETURN_GRAPH.nodes[0]?.name as string;
  return {
    ...RETURN_GRAPH,
    nodes: [
      ...ports,
      { name: silence, node_id: "builtin:gain", inputs: ports.map((p) => p.name), params: { gain: 0 } },
    ],
  };
}

/** The return graph's node that carries the output, all its channels. */
export const RETURN_OUTPUT_PORT = "wam_graph_output";

/** The return graph's node that carries stem i. */
export function stemPortName(i: number): string {
  return `wam_graph_stem_${i}`;
}
