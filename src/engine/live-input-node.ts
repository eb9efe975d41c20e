/**
 * The live audio input node, "webdreamer:audio-input": a graph source whose output is the audio the
 * real-time host's AudioWorkletNode receives on its live input (a microphone or a line in, through
 * getUserMedia, or any AudioNode). docs/realtime.md, "Live audio input".
 *
 * Why a node type (where an exported WAM effect uses a named stand-in, src/wam-export/audio-input.ts):
 * a graph that records or processes a microphone means the microphone; rendering it in a host with no
 * microphone would silently play something else. So only the audioworklet host plays it, and the
 * in-process and Worker hosts refuse the graph, naming the node and the host that can
 * (liveInputUnavailable). The AudioWorklet host's own engine Worker, which checks every graph before
 * the worklet plays it and renders offline requests, builds it as silence (silentLiveInput).
 *
 * The node has no inputs and no parameters; it outputs two channels (a mono input is copied to both,
 * as Web Audio's "speakers" up-mix does).
 */

import { EngineError } from "../contracts/errors";
import type { GraphNode } from "../contracts/graph-descriptor";
import type { NodeDescriptorInput } from "../contracts/node-descriptor";
import { formatPath } from "../contracts/validate";
import { CONTRACT_VERSION } from "../contracts/version";
import type { ExternalBlock, ExternalProcessor } from "./external-nodes";
import type { ExternalNodeResolution } from "./graph-compiler";
import { sourceNodeResolution } from "./source-node-resolution";

/** node_id of the live audio input node. */
export const LIVE_INPUT_NODE_ID = "webdreamer:audio-input";
/** Channels the node outputs. */
export const LIVE_INPUT_CHANNELS = 2;
/**
 * The engine AudioWorkletNode's input that carries the live input (input 0 is the return path of a
 * real-time WAM graph's output).
 */
export const LIVE_INPUT_WORKLET_INPUT = 1;

/** True for a graph node of the live audio input type. */
export function isLiveInputNode(node: Pick<GraphNode, "node_id">): boolean {
  return node.node_id === LIVE_INPUT_NODE_ID;
}

/** The node's NodeDescriptor (discovery lists it in the audioworklet host only). */
export function liveInputDescriptor(): NodeDescriptorInput {
  return {
    version: CONTRACT_VERSION,
    node_id: LIVE_INPUT_NODE_ID,
    name: "Audio input",
    vendor: "webdreamer",
    format: "builtin",
    supported_sample_rates: [],
    latency_samples: 0,
    parameters: [],
    // Copying a quantum costs next to nothing; no engine measures it.
    resource_estimate: null,
    extensions: {
      input_channels: 0,
      output_channels: LIVE_INPUT_CHANNELS,
      is_instrument: false,
      description:
        "The engine node's live audio input (getUserMedia or an AudioNode, connectLiveInput); audioworklet host only.",
    },
  };
}

/**
 * The refusal of a host without live input: E_HOST_UNAVAILABLE at the node's node_id, naming the node,
 * this host and the one that plays it.
 * @example
 * throw liveInputUnavailable(node, "load_graph.graph.nodes[0]", "in-process");
 */
export function liveInputUnavailable(node: GraphNode, path: string, host: string): EngineError {
  return new EngineError(
    "E_HOST_UNAVAILABLE",
    `node "${node.name}" is a live audio input (${LIVE_INPUT_NODE_ID}): the ${host} host has no audio ` +
      "input; the audioworklet host plays it (createRealtimeEngine in a page, then connectLiveInput(stream))",
    formatPath(["node_id"], path),
  );
}

/** A source of silence with the live input's shape (the engine Worker's stand-in for the input). */
class SilentInput implements ExternalProcessor {
  prepare(): void {}
  reset(): void {}
  setParam(): void {}
  midi(): void {}
  process(block: ExternalBlock): void {
    const heap = block.heapF32;
    for (let c = 0; c < block.numOutputs; c++) {
      const to = block.outputAddress(c) >> 2;
      heap.fill(0, to, to + block.frames);
    }
  }
}

/** The node as the graph compiler sees it, built as silence (offline renders, checks). */
export function silentLiveInput(node: GraphNode): ExternalNodeResolution {
  return sourceNodeResolution(node.node_id, LIVE_INPUT_CHANNELS, () => new SilentInput());
}
