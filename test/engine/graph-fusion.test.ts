/**
 * The engine's graph fusion (Engine::planFusion, docs/performance.md): sources read once by a mixer
 * add themselves as they render, gains before a mixer fold into its add, chains of single-reader
 * nodes share scratch blocks. It must not change a sample. The reference is the same graph with
 * every node captured: a captured node keeps its own buffer, so nothing is fused (fusedNodes() 0)
 * and every node renders as it did before fusion existed.
 */
import { describe, expect, it } from "vitest";

import { applyGraphProgram, type GraphProgram } from "../../src/engine/graph-program";
import { renderOffline } from "../../src/engine/render-job";
import { newEngine } from "../support/render";
import { w1Program, w2Program } from "../support/workloads";

const FRAMES = 9600;

/** The output of `program` and how many nodes were fused, after `edit` (applied after prepare). */
async function render(
  program: GraphProgram,
  blockSize: number,
  edit?: (engine: Awaited<ReturnType<typeof newEngine>>) => void,
) {
  const engine = await newEngine(48000, blockSize);
  applyGraphProgram(engine, program);
  edit?.(engine);
  const out = [new Float32Array(FRAMES), new Float32Array(FRAMES)];
  renderOffline(engine, FRAMES, out);
  const fused = engine.fusedNodes();
  engine.destroy();
  return { out, fused };
}

const unfused = (program: GraphProgram): GraphProgram => ({
  ...program,
  nodes: program.nodes.map((node) => ({ ...node, capture: true })),
});

/** Samples that differ between two renders (bit for bit: NaN never appears here). */
function differing(a: Float32Array[], b: Float32Array[]): number {
  let count = 0;
  a.forEach((channel, c) => {
    channel.forEach((value, i) => {
      if (value !== b[c]?.[i]) count++;
    });
  });
  return count;
}

/**
 * A mixer with every kind of input: a gain over an oscillator (folded), an oscillator another mixer
 * also reads (not fused), an automated gain (fused, not folded), a saw -> lowpass chain (scratch),
 * a stereo panner, and a delay closing a cycle as its last input (added at the mixer's turn); a
 * second mixer with an automated input gain (not fused), both summed by a third.
 */
const mixed: GraphProgram = {
  nodes: [
    { kind: "oscillator", inputs: [], params: { frequency: 220 } }, // 0
    { kind: "gain", inputs: [0], params: { gain: 0.3 } }, // 1: folded into 6
    { kind: "oscillator", inputs: [], params: { frequency: 330, amplitude: 0.5 } }, // 2: read by 6 and 8
    { kind: "oscillator", inputs: [], params: { frequency: 440 } }, // 3
    {
      kind: "gain",
      inputs: [3],
      params: { gain: 0.5 },
      timeline: [
        { type: "ramp", param: "gain", start: 1000, end: 5000, from: 0.5, to: 0.1, curve: "linear" },
      ],
    }, // 4: fused, not folded
    { kind: "filter", inputs: [9], params: { mode: 0, frequency: 1500, q: 2 } }, // 5
    { kind: "mixer", inputs: [1, 2, 4, 5, 10, 12], params: { input_gain_1: 0.7 } }, // 6
    { kind: "panner", inputs: [2], params: { pan: 0.3 } }, // 7
    {
      kind: "mixer",
      inputs: [2, 7],
      params: {},
      timeline: [{ type: "step", param: "input_gain_0", frame: 3000, value: 0.25 }],
    }, // 8: automated, adds at its own turn
    { kind: "oscillator", inputs: [], params: { frequency: 110, waveform: 1, amplitude: 0.8 } }, // 9
    { kind: "panner", inputs: [0], params: { pan: -0.5 } }, // 10: stereo into 6
    { kind: "delay", inputs: [6], params: { time: 20, feedback: 0, wet: 1, dry: 0 } }, // 11
    { kind: "gain", inputs: [11], params: { gain: 0.45 } }, // 12: the cycle, folded
    { kind: "mixer", inputs: [6, 8], params: { gain: 0.5 } }, // 13
  ],
  output: 13,
};

describe("graph fusion", () => {
  it.each([
    ["W1", w1Program(), 128, 512],
    ["W1 at 64-frame blocks", w1Program(), 64, 512],
    ["W2", w2Program(), 128, 97],
    ["a mixer with every kind of input", mixed, 128, 5],
    ["the same at 100-frame blocks", mixed, 100, 5],
  ])(
    "%s: fuses nodes and renders the unfused graph's samples bit for bit",
    async (_name, program, block, fused) => {
      const plain = await render(unfused(program), block);
      const result = await render(program, block);
      expect(plain.fused).toBe(0);
      expect(result.fused).toBe(fused);
      expect(differing(result.out, plain.out)).toBe(0);
    },
  );

  it("plans again when automation reaches a folded gain after prepare", async () => {
    // Gain 1 of `mixed` is folded into its mixer (the mixer scales its input and the gain is not
    // called); a step at frame 4000 unfolds it at the next render (still fused: it adds itself). Were
    // it still folded, the mixer would go on scaling by 0.3 and the samples would differ.
    const step = (engine: Awaited<ReturnType<typeof newEngine>>) => engine.addParamStep(1, "gain", 4000, 0.9);
    const plain = await render(unfused(mixed), 128, step);
    const result = await render(mixed, 128, step);
    expect(result.fused).toBe(5);
    expect(differing(result.out, plain.out)).toBe(0);
    // The step did change the output: the test compares a render that depends on it.
    const without = await render(mixed, 128);
    expect(differing(result.out, without.out)).toBeGreaterThan(1000);
  });
});
