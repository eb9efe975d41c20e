import type { RenderRequestInput } from "../../src/contracts";

/** A 220 Hz sine through the Faust node `nodeId`, 0.5 s, stereo. */
export function faustRequest(nodeId: string): RenderRequestInput {
  return {
    version: "v1alpha",
    request_id: "faust-in-worker",
    duration_seconds: 0.5,
    sample_rate: 48000,
    channels: 2,
    node_graph: {
      version: "v1alpha",
      nodes: [
        { name: "osc", node_id: "builtin:oscillator", params: { frequency: 220 } },
        { name: "dsp", node_id: nodeId, inputs: ["osc"] },
      ],
      output: "dsp",
    },
    options: { offline: true, preroll: 0 },
  };
}
