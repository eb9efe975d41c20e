/**
 * The request the web_audio automation tests render, in Node and in Chromium: a constant 1
 * (`builtin:constant`, Web Audio's ConstantSourceNode) through a gain whose `gain` is automated, so
 * the output is the parameter itself, frame by frame.
 */
import type { GraphNodeInput } from "../../src/contracts/graph-descriptor";
import type { RenderRequestInput } from "../../src/contracts/render";

export interface AutomatedGainOptions {
  sampleRate: number;
  /** Default 1. */
  seconds?: number;
  /** The gain's own value (`params.gain`); omitted: the parameter's default. */
  gain?: number;
  blockSize?: number;
  /** start_position_seconds. */
  start?: number;
}

/** A RenderRequest whose output is `automation` applied to a gain fed a constant 1. */
export function automatedGainRequest(
  automation: NonNullable<GraphNodeInput["automation"]>[string],
  options: AutomatedGainOptions,
): RenderRequestInput {
  return {
    version: "v1alpha",
    request_id: "automated-gain",
    sample_rate: options.sampleRate,
    channels: 1,
    duration_seconds: options.seconds ?? 1,
    ...(options.blockSize ? { options: { block_size: options.blockSize } } : {}),
    ...(options.start ? { start_position_seconds: options.start } : {}),
    node_graph: {
      version: "v1alpha",
      nodes: [
        { name: "one", node_id: "builtin:constant" },
        {
          name: "vca",
          node_id: "builtin:gain",
          inputs: ["one"],
          ...(options.gain === undefined ? {} : { params: { gain: options.gain } }),
          automation: { gain: automation },
        },
      ],
      output: "vca",
    },
  };
}
