/** The constant source: Web Audio's ConstantSourceNode, every sample its offset. */
import { describe, expect, it } from "vitest";
import type { GraphProgram } from "../../../src/engine/graph-program";
import { renderProgram } from "../../support/render";
import { describeSharedBehaviour } from "./shared-behaviour";

const FLT_MAX = 3.4028234663852886e38;

function constant(params: Record<string, number> = {}): GraphProgram {
  return { nodes: [{ kind: "constant", inputs: [], params }], output: 0 };
}

describe("constant", () => {
  it("outputs 1 by default, as ConstantSourceNode's offset", async () => {
    const [out] = await renderProgram(constant(), 300);
    expect(out).toHaveLength(300);
    expect(new Set(out)).toEqual(new Set([1]));
  });

  it("outputs its offset exactly, negative and large ones included", async () => {
    for (const offset of [0.3, -0.75, 0, 12345.5, -FLT_MAX]) {
      const [out] = await renderProgram(constant({ offset }), 129);
      expect(new Set(out), `offset ${offset}`).toEqual(new Set([Math.fround(offset)]));
    }
  });

  it("changes on the exact frame its offset is set, whatever the block size", async () => {
    const program: GraphProgram = {
      nodes: [
        {
          kind: "constant",
          inputs: [],
          params: { offset: 0.5 },
          timeline: [{ type: "step", param: "offset", frame: 77, value: -0.25 }],
        },
      ],
      output: 0,
    };
    for (const blockSize of [1, 32, 128]) {
      const [out = new Float32Array()] = await renderProgram(program, 200, { blockSize });
      expect(
        out.findIndex((x) => x !== 0.5),
        `block ${blockSize}`,
      ).toBe(77);
      expect(new Set(out.subarray(77))).toEqual(new Set([-0.25]));
    }
  });
});

describe("timeline order on one frame", () => {
  it("a step on the frame where a ramp ends wins over the ramp's end value (it comes later)", async () => {
    const program: GraphProgram = {
      nodes: [
        {
          kind: "constant",
          inputs: [],
          params: { offset: 0 },
          timeline: [
            { type: "ramp", param: "offset", start: 0, end: 100, from: 0, to: 1, curve: "linear" },
            { type: "step", param: "offset", frame: 100, value: 0.5 },
          ],
        },
      ],
      output: 0,
    };
    for (const blockSize of [1, 64, 128]) {
      const [out = new Float32Array()] = await renderProgram(program, 300, { blockSize });
      expect(out[50], `block ${blockSize}`).toBeCloseTo(0.5, 6);
      expect(new Set(out.subarray(100)), `block ${blockSize}`).toEqual(new Set([0.5]));
    }
  });

  it("a ramp starting on a step's frame still overrides the step", async () => {
    const program: GraphProgram = {
      nodes: [
        {
          kind: "constant",
          inputs: [],
          params: { offset: 0 },
          timeline: [
            { type: "step", param: "offset", frame: 100, value: 0.5 },
            { type: "ramp", param: "offset", start: 100, end: 200, from: 1, to: 2, curve: "linear" },
          ],
        },
      ],
      output: 0,
    };
    const [out = new Float32Array()] = await renderProgram(program, 300);
    expect(out[100]).toBe(1);
    expect(out[250]).toBe(2);
  });
});

describeSharedBehaviour({
  kind: "constant",
  table: [
    {
      id: "offset",
      name: "Offset",
      units: "",
      min: -FLT_MAX,
      max: FLT_MAX,
      default: 1,
      discrete: false,
      choices: null,
      choiceAliases: null,
    },
  ],
  inputs: [],
  outputChannels: 1,
  params: { offset: 0.4 },
  stateful: false,
  maxInputs: 0,
  program: constant(),
});
