/**
 * One request that needs latency compensation (docs/processors.md, "Latency compensation"), with an
 * answer known to the sample, for every host (test/engine/latency-compensation.test.ts in Node.js,
 * e2e/latency.spec.ts in Chromium):
 * - channel 0: a saw, and the same saw through a Faust DSP that delays it by 300 frames and declares
 *   so, summed with the dry one inverted in a mixer: all zeros;
 * - channel 1: a step from 0 to 1 at 0.1 s through a chain of two latent Faust DSPs (100 and 28
 *   frames): 0 before frame 0.1 * rate, 1 from it on.
 * The output's latency is 300 frames (the longer path): a render discards them, so both channels
 * are on the timeline.
 */
import type { RenderRequestInput } from "../../src/contracts";
import type { GraphNodeInput } from "../../src/contracts/graph-descriptor";
import { faustNodeId } from "../../src/faust/compiler";

/** A pure delay that declares its delay as latency (as a look-ahead limiter would). */
export function latentDelaySource(frames: number): string {
  return `declare latency_samples "${frames}";\nprocess = @(${frames});`;
}

/** The seconds at which channel 1 steps from 0 to 1. */
export const LATENCY_STEP_SECONDS = 0.1;
/** The output's latency: the longest path's. */
export const LATENCY_REQUEST_FRAMES = 300;

async function latentNode(name: string, frames: number, inputs: string[]): Promise<GraphNodeInput> {
  const source = latentDelaySource(frames);
  return { name, node_id: await faustNodeId(source), inputs, extensions: { faust: { source } } };
}

export async function latencyRequest(
  requestId: string,
  sampleRate = 48000,
  seconds = 0.25,
): Promise<RenderRequestInput> {
  return {
    version: "v1alpha",
    request_id: requestId,
    duration_seconds: seconds,
    sample_rate: sampleRate,
    channels: 2,
    node_graph: {
      version: "v1alpha",
      nodes: [
        { name: "saw", node_id: "builtin:oscillator", params: { waveform: "saw", frequency: 97 } },
        await latentNode("wet", LATENCY_REQUEST_FRAMES, ["saw"]),
        { name: "dry", node_id: "builtin:gain", inputs: ["saw"], params: { gain: -1 } },
        { name: "null", node_id: "builtin:mixer", inputs: ["wet", "dry"] },
        {
          name: "step",
          node_id: "builtin:constant",
          automation: {
            offset: {
              kind: "breakpoints",
              points: [
                { time: 0, value: 0, curve: "step" },
                { time: LATENCY_STEP_SECONDS, value: 1, curve: "step" },
              ],
            },
          },
        },
        await latentNode("a", 100, ["step"]),
        await latentNode("b", 28, ["a"]),
        // Two mono inputs: a stereo output, channel 0 the null, channel 1 the chain.
        { name: "out", node_id: "builtin:gain", inputs: ["null", "b"] },
      ],
      output: "out",
    },
  };
}

/** The samples latencyRequest must render: [zeros, step at LATENCY_STEP_SECONDS]. */
export function expectedLatencyRender(sampleRate: number, frames: number): Float32Array[] {
  const step = new Float32Array(frames);
  step.fill(1, Math.round(LATENCY_STEP_SECONDS * sampleRate));
  return [new Float32Array(frames), step];
}
