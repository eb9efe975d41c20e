/**
 * The node types the test double "discovers": DawDreamer's builtin processors with plausible parameters
 * (names, ranges and defaults from DawDreamer's factories). The real catalog belongs to the engine; this
 * one only has to be valid NodeDescriptors so discovery can be tested without WASM.
 */
import type { NodeDescriptorInput, ParameterDescriptorInput } from "../contracts/node-descriptor";

function parameter(id: string, name: string, defaultValue: number, range: [number, number], units?: string) {
  return {
    id,
    name,
    default: defaultValue,
    range,
    extensions: units === undefined ? {} : { units },
  } satisfies ParameterDescriptorInput;
}

function choice(id: string, name: string, choices: string[]): ParameterDescriptorInput {
  return {
    id,
    name,
    default: 0,
    range: [0, choices.length - 1],
    extensions: { type: "choice", choices, automatable: false },
  };
}

function builtin(
  id: string,
  name: string,
  channels: { input: number; output: number },
  parameters: ParameterDescriptorInput[],
  extra: { buffer_slots?: string[]; is_instrument?: boolean; latency_samples?: number } = {},
): NodeDescriptorInput {
  return {
    version: "v1alpha",
    node_id: `builtin:${id}`,
    name,
    vendor: "webdreamer",
    format: "builtin",
    supported_sample_rates: [],
    latency_samples: extra.latency_samples ?? 0,
    parameters,
    resource_estimate: null,
    extensions: {
      input_channels: channels.input,
      output_channels: channels.output,
      is_instrument: extra.is_instrument ?? false,
      ...(extra.buffer_slots === undefined ? {} : { buffer_slots: extra.buffer_slots }),
    },
  };
}

export const TEST_DOUBLE_CATALOG: readonly NodeDescriptorInput[] = [
  builtin("oscillator", "Oscillator", { input: 0, output: 2 }, [
    parameter("frequency", "Frequency", 440, [1, 20000], "Hz"),
  ]),
  builtin("gain", "Gain", { input: 2, output: 2 }, [parameter("gain_db", "Gain", 0, [-96, 24], "dB")]),
  builtin("filter", "Filter", { input: 2, output: 2 }, [
    choice("mode", "Mode", ["low", "high", "band", "low_shelf", "high_shelf", "notch"]),
    parameter("frequency", "Frequency", 1000, [20, 20000], "Hz"),
    parameter("q", "Q", Math.SQRT1_2, [0.0001, 40]),
    parameter("gain", "Gain", 1, [0.0001, 16]),
  ]),
  builtin("playback", "Playback", { input: 0, output: 2 }, [], { buffer_slots: ["data"] }),
  builtin(
    "sampler",
    "Sampler",
    { input: 0, output: 2 },
    [
      parameter("center_note", "Center Note", 60, [0, 127]),
      parameter("amp_env_attack", "Amp Env Attack", 0, [0, 3000], "ms"),
    ],
    { buffer_slots: ["sample"], is_instrument: true },
  ),
  builtin("compressor", "Compressor", { input: 2, output: 2 }, [
    parameter("threshold", "Threshold", 0, [-96, 0], "dB"),
    parameter("ratio", "Ratio", 2, [1, 100]),
    parameter("attack", "Attack", 2, [0, 1000], "ms"),
    parameter("release", "Release", 50, [0, 5000], "ms"),
  ]),
  builtin("reverb", "Reverb", { input: 2, output: 2 }, [
    parameter("room_size", "Room Size", 0.5, [0, 1]),
    parameter("damping", "Damping", 0.5, [0, 1]),
    parameter("wet_level", "Wet Level", 0.33, [0, 1]),
    parameter("dry_level", "Dry Level", 0.4, [0, 1]),
    parameter("width", "Width", 1, [0, 1]),
  ]),
  builtin("delay", "Delay", { input: 2, output: 2 }, [
    parameter("delay_ms", "Delay", 10, [0, 10000], "ms"),
    parameter("wet_level", "Wet Level", 0.1, [0, 1]),
  ]),
  builtin("panner", "Panner", { input: 2, output: 2 }, [
    choice("rule", "Pan Law", [
      "linear",
      "balanced",
      "sin3dB",
      "sin4p5dB",
      "sin6dB",
      "squareRoot3dB",
      "squareRoot4p5dB",
    ]),
    parameter("pan", "Pan", 0, [-1, 1]),
  ]),
  builtin("mixer", "Mixer", { input: 16, output: 2 }, []),
];
