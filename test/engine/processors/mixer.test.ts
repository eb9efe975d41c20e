import { describe, expect, it } from "vitest";

import type { GraphProgram } from "../../../src/engine/graph-program";
import type { ProcessorParamInfo } from "../../../src/engine/processor-types";
import { renderProgram } from "../../support/render";
import { maxAbsDifference } from "../../support/signal";
import { describeSharedBehaviour, effectProgram, testSignal } from "./shared-behaviour";

/**
 * What the mixer must compute, in float32 exactly as the C++ does: per input, gain = input gain *
 * master (rounded to float), then out += gain * x in input order, starting from 0. A mono input
 * feeds every output channel; a wider one feeds channel c to output c.
 */
function mixReference(inputs: Float32Array[][], gains: number[], master: number): Float32Array[] {
  const width = Math.max(1, ...inputs.map((channels) => channels.length));
  const frames = inputs[0]?.[0]?.length ?? 0;
  const out = Array.from({ length: width }, () => new Float32Array(frames));
  inputs.forEach((channels, i) => {
    const gain = Math.fround(Math.fround(gains[i] ?? 1) * Math.fround(master));
    out.forEach((acc, c) => {
      const source = channels.length === 1 ? channels[0] : channels[c];
      if (!source) return;
      for (let n = 0; n < frames; n++) {
        acc[n] = Math.fround((acc[n] as number) + Math.fround(gain * (source[n] as number)));
      }
    });
  });
  return out;
}

function gainParams(gains: number[], master: number): Record<string, number> {
  const params: Record<string, number> = { gain: master };
  gains.forEach((g, i) => {
    params[`input_gain_${i}`] = g;
  });
  return params;
}

async function mix(inputs: Float32Array[][], gains: number[], master = 1, frames = 2000) {
  return renderProgram(effectProgram("mixer", inputs.length, gainParams(gains, master)), frames, {
    buffers: inputs,
    chunk: 4096,
  });
}

function expectSame(actual: Float32Array[], expected: Float32Array[]): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((channel, c) => {
    expect(maxAbsDifference(actual[c] as Float32Array, channel), `channel ${c}`).toBe(0);
  });
}

describe("mixer: sums", () => {
  it("sums mono inputs with per-input and master gains bit-exactly", async () => {
    const inputs = [1, 2, 3].map((seed) => [testSignal(2000, seed)]);
    const gains = [0.3, -1.7, 0.123];
    expectSame(await mix(inputs, gains, 0.77), mixReference(inputs, gains, 0.77));
  });

  it("sums 256 mono inputs (W1's bus), each with its own gain parameter", async () => {
    const inputs = Array.from({ length: 256 }, (_, i) => [testSignal(1000, i + 1)]);
    const gains = inputs.map((_, i) => (i % 2 ? 1 : -1) / (i + 2));
    const out = await mix(inputs, gains, 1.5, 1000);
    expectSame(out, mixReference(inputs, gains, 1.5));
    // Each gain reaches its own input: a wrong index would change the sum.
    const shifted = [...gains.slice(1), gains[0] as number];
    expect(
      maxAbsDifference(out[0] as Float32Array, mixReference(inputs, shifted, 1.5)[0] as Float32Array),
    ).toBeGreaterThan(1e-3);
  });

  it("takes 300 inputs: those past input_gain_255 get gain 1 (times the master)", async () => {
    // The engine caps a node at 256 input channels, so inputs 0..255 are channel-less nodes (a
    // gain with no input writes 0 channels) and the 44 inputs after them carry the audio.
    const audio = Array.from({ length: 44 }, (_, i) => [testSignal(1000, i + 1)]);
    const silentNodes = Array.from({ length: 256 }, () => ({
      kind: "gain",
      inputs: [] as number[],
      params: {},
    }));
    const sources = audio.map((_, i) => ({ kind: "playback", inputs: [], params: {}, buffers: { 0: i } }));
    const program: GraphProgram = {
      nodes: [
        ...silentNodes,
        ...sources,
        {
          kind: "mixer",
          inputs: Array.from({ length: 300 }, (_, i) => i),
          params: gainParams(new Array(256).fill(0.5), 0.25),
        },
      ],
      output: 300,
    };
    const out = await renderProgram(program, 1000, { buffers: audio });
    expectSame(out, mixReference(audio, [], 0.25));
  });
});

describe("mixer: channel rules", () => {
  const mono = [testSignal(2000, 11)];
  const stereo = [testSignal(2000, 12), testSignal(2000, 13)];
  const three = [testSignal(2000, 14), testSignal(2000, 15), testSignal(2000, 16)];

  it.each([
    ["mono + stereo -> stereo", [mono, stereo]],
    ["stereo + mono -> stereo", [stereo, mono]],
    [
      "stereo + 3 channels + mono -> 3 channels (stereo adds to channels 0 and 1 only)",
      [stereo, three, mono],
    ],
    ["one 3-channel input -> 3 channels", [three]],
    ["mono + mono -> mono", [mono, mono]],
  ] as const)("%s", async (_, inputs) => {
    const channels = inputs.map((input) => [...input]);
    const gains = [0.5, -2, 0.75];
    const out = await mix(channels, gains, 0.9);
    expectSame(out, mixReference(channels, gains, 0.9));
  });

  it("writes one silent channel when it has no inputs", async () => {
    const out = await renderProgram({ nodes: [{ kind: "mixer", inputs: [], params: {} }], output: 0 }, 256);
    expect(out).toHaveLength(1);
    expect(out[0]?.every((x) => x === 0)).toBe(true);
  });
});

const table: ProcessorParamInfo[] = [
  {
    id: "gain",
    name: "Gain",
    units: "",
    min: -1000,
    max: 1000,
    default: 1,
    discrete: false,
    choices: null,
    choiceAliases: null,
  },
  ...Array.from({ length: 256 }, (_, i) => ({
    id: `input_gain_${i}`,
    name: `Input ${i} gain`,
    units: "",
    min: -1000,
    max: 1000,
    default: 1,
    discrete: false,
    choices: null,
    choiceAliases: null,
  })),
];

describeSharedBehaviour({
  kind: "mixer",
  table,
  inputs: [[testSignal(6000, 1)], [testSignal(6000, 2), testSignal(6000, 3)]],
  outputChannels: 2,
  params: { gain: 0.8, input_gain_0: 0.5, input_gain_1: -0.25 },
  // The gains of the two connected inputs and the output one by one; the 254 unconnected inputs'
  // gains are covered by the all-at-minimum and all-at-maximum sets (514 renders took minutes).
  probeOneByOne: ["gain", "input_gain_0", "input_gain_1"],
  stateful: false,
});
