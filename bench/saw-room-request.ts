/**
 * The render the farm and serve rows time (bench/farm.ts, bench/serve.ts): 1 s of stereo at 48 kHz,
 * a saw through a lowpass into the reverb; light enough that a batch finishes in seconds, heavy
 * enough (the reverb) that the render, not the plumbing around it, is most of a job.
 */
import type { RenderRequestInput } from "../src/contracts/render";

/**
 * @example
 * const request = sawRoomRequest("bench-serve", 220);
 */
export function sawRoomRequest(requestId: string, frequency: number): RenderRequestInput {
  return {
    version: "v1alpha",
    request_id: requestId,
    sample_rate: 48000,
    channels: 2,
    duration_seconds: 1,
    node_graph: {
      version: "v1alpha",
      nodes: [
        { name: "osc", node_id: "builtin:oscillator", params: { frequency, waveform: "saw" } },
        {
          name: "filter",
          node_id: "builtin:filter",
          inputs: ["osc"],
          params: { mode: "lowpass", frequency: 1500 },
        },
        { name: "room", node_id: "builtin:reverb", inputs: ["filter"] },
      ],
      output: "room",
    },
  };
}
