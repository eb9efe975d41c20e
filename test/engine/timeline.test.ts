import { describe, expect, it } from "vitest";

import type { GraphProgram, TimelineEntry } from "../../src/engine/graph-program";
import { renderProgram, renderProgramFull } from "../support/render";

const ones = new Float32Array(4096).fill(1);

// A constant 1 through a gain whose automation is under test: the output is the gain itself.
const gainCurve = (timeline: TimelineEntry[], gain = 1): GraphProgram => ({
  nodes: [
    { kind: "playback", inputs: [], params: { loop: 1 }, buffers: { 0: 0 } },
    { kind: "gain", inputs: [0], params: { gain }, timeline },
  ],
  output: 1,
});

describe("sample-accurate automation", () => {
  it("lands a step on its exact frame at every block size", async () => {
    for (const blockSize of [1, 64, 128, 1000]) {
      const [out] = await renderProgram(
        gainCurve([{ type: "step", param: "gain", frame: 333, value: 0.25 }]),
        1000,
        {
          blockSize,
          buffers: [[ones]],
        },
      );
      expect(out?.[332], `block ${blockSize}`).toBe(1);
      expect(out?.[333]).toBe(0.25);
      expect(out?.[999]).toBe(0.25);
    }
  });

  it("ramps linearly and exponentially sample by sample, then holds the end value", async () => {
    const [linear] = await renderProgram(
      gainCurve([{ type: "ramp", param: "gain", start: 100, end: 200, from: 0, to: 1, curve: "linear" }]),
      300,
      { buffers: [[ones]] },
    );
    expect(linear?.[99]).toBe(1); // before the ramp: the base value
    expect(linear?.[100]).toBe(0);
    expect(linear?.[150]).toBeCloseTo(0.5, 7);
    expect(linear?.[199]).toBeCloseTo(0.99, 7);
    expect(linear?.[200]).toBe(1);
    const [exponential] = await renderProgram(
      gainCurve([
        { type: "ramp", param: "gain", start: 0, end: 100, from: 0.01, to: 1, curve: "exponential" },
      ]),
      200,
      { buffers: [[ones]] },
    );
    expect(exponential?.[50]).toBeCloseTo(0.1, 6); // halfway in time = geometric mean
    expect(exponential?.[150]).toBe(1);
  });

  it("plays an audio-rate array one value per frame, at any block size", async () => {
    const values = Float32Array.from({ length: 500 }, (_, i) => Math.sin(i / 10));
    for (const blockSize of [1, 128, 777]) {
      const [out] = await renderProgram(
        gainCurve([{ type: "array", param: "gain", start: 10, values }]),
        600,
        {
          blockSize,
          buffers: [[ones]],
        },
      );
      expect(out?.subarray(10, 510)).toEqual(values);
      expect(out?.[9]).toBe(1);
      expect(out?.[599]).toBe(values[499]);
    }
  });

  it("restores automation state on seek", async () => {
    const timeline: TimelineEntry[] = [
      { type: "step", param: "gain", frame: 100, value: 0.5 },
      { type: "ramp", param: "gain", start: 1000, end: 2000, from: 0.5, to: 0.75, curve: "linear" },
    ];
    const [full] = await renderProgram(gainCurve(timeline), 3000, { buffers: [[ones]] });
    const [fromMiddle] = await renderProgram(gainCurve(timeline), 1500, {
      buffers: [[ones]],
      startFrame: 1500,
    });
    expect(fromMiddle).toEqual(full?.subarray(1500));
  });
});

describe("graph", () => {
  it("concatenates inputs in order and captures any node", async () => {
    const program: GraphProgram = {
      nodes: [
        { kind: "oscillator", inputs: [], params: { frequency: 1000, amplitude: 0.5 } },
        { kind: "oscillator", inputs: [], params: { frequency: 1000, amplitude: 0.25, channels: 2 } },
        { kind: "gain", inputs: [0, 1], params: { gain: 2 } },
      ],
      output: 2,
    };
    const { output, captures } = await renderProgramFull(program, 256, { captures: [0, 1] });
    expect(output).toHaveLength(3);
    expect(output[0]).toEqual(captures.get(0)?.[0]?.map((v) => v * 2));
    expect(output[2]).toEqual(captures.get(1)?.[1]?.map((v) => v * 2));
    expect(captures.get(1)).toHaveLength(2);
  });

  it("fans out one node to many", async () => {
    const program: GraphProgram = {
      nodes: [
        { kind: "oscillator", inputs: [], params: { frequency: 440 } },
        { kind: "gain", inputs: [0], params: { gain: 0.5 } },
        { kind: "gain", inputs: [0], params: { gain: -1 } },
        { kind: "gain", inputs: [1, 2], params: { gain: 1 } },
      ],
      output: 3,
    };
    const { output, captures } = await renderProgramFull(program, 128, { captures: [0] });
    const source = captures.get(0)?.[0] as Float32Array;
    expect(output[0]).toEqual(source.map((v) => Math.fround(v * 0.5)));
    expect(output[1]).toEqual(source.map((v) => -v));
  });
});
