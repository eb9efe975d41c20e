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

/** A custom waveform's coefficients (engine buffer 0 of every render): a saw's first 16 harmonics. */
const WAVE = [new Float32Array(17), Float32Array.from({ length: 17 }, (_, k) => (k ? 1 / k : 0))];

/**
 * The output of `program`, how many nodes were fused and how many sources added themselves into
 * their mixer's bus, after `edit` (applied after prepare).
 */
async function render(
  program: GraphProgram,
  blockSize: number,
  edit?: (engine: Awaited<ReturnType<typeof newEngine>>) => void,
) {
  const engine = await newEngine(48000, blockSize);
  engine.createBuffer(WAVE, 48000);
  applyGraphProgram(engine, program);
  edit?.(engine);
  const out = [new Float32Array(FRAMES), new Float32Array(FRAMES)];
  renderOffline(engine, FRAMES, out);
  const fused = engine.fusedNodes();
  const adding = engine.addingNodes();
  engine.destroy();
  return { out, fused, adding };
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

/**
 * Sources that add themselves into a mono bus (Processor::processAdding): an oscillator of every
 * waveform (a custom one with and without its buffer, amplitudes 1 and not) through a folded gain,
 * oscillators and lowpasses straight into the bus and through a gain, on a bus whose first input
 * adds itself (the bus cleared first) and whose input and master gains are not 1, and on a bus of
 * gains 1 (their products left out).
 */
const adding: GraphProgram = (() => {
  const nodes: GraphProgram["nodes"] = [];
  const add = (node: GraphProgram["nodes"][number]) => nodes.push(node) - 1;
  const bus: number[] = [];
  for (const waveform of [0, 1, 2, 3, 4, 5]) {
    const osc = add({
      kind: "oscillator",
      inputs: [],
      params: { waveform, frequency: 97 * (waveform + 1), amplitude: waveform % 2 ? 0.7 : 1 },
      ...(waveform === 5 ? { buffers: { 0: 0 } } : {}),
    });
    bus.push(add({ kind: "gain", inputs: [osc], params: { gain: 0.1 + 0.05 * waveform } }));
  }
  const silent = add({ kind: "oscillator", inputs: [], params: { waveform: 5, frequency: 300 } });
  bus.push(add({ kind: "gain", inputs: [silent], params: { gain: 0.5 } }));
  bus.push(add({ kind: "oscillator", inputs: [], params: { frequency: 1234.5 } }));
  bus.push(add({ kind: "oscillator", inputs: [], params: { waveform: 4, amplitude: 0.1 } }));
  const saw = add({ kind: "oscillator", inputs: [], params: { waveform: 1, frequency: 82 } });
  bus.push(add({ kind: "filter", inputs: [saw], params: { mode: 0, frequency: 900, q: 3 } }));
  const square = add({ kind: "oscillator", inputs: [], params: { waveform: 2, frequency: 61 } });
  const highpass = add({ kind: "filter", inputs: [square], params: { mode: 1, frequency: 400, q: 0.7 } });
  bus.push(add({ kind: "gain", inputs: [highpass], params: { gain: -0.3 } }));
  const first = add({
    kind: "mixer",
    inputs: bus,
    params: { gain: 0.8, input_gain_0: 0.5, input_gain_3: -1.5, input_gain_9: 2 },
  });
  const sine = add({ kind: "oscillator", inputs: [], params: { frequency: 440, amplitude: 0.25 } });
  const ones = [add({ kind: "gain", inputs: [sine], params: { gain: 0.5 } })];
  ones.push(add({ kind: "oscillator", inputs: [], params: { waveform: 3, frequency: 220 } }));
  const voice = add({ kind: "oscillator", inputs: [], params: { waveform: 1, frequency: 110 } });
  const lowpass = add({ kind: "filter", inputs: [voice], params: { mode: 0, frequency: 2000, q: 1 } });
  ones.push(add({ kind: "gain", inputs: [lowpass], params: { gain: 1 / 32 } }));
  const second = add({ kind: "mixer", inputs: ones, params: {} });
  return { nodes: [...nodes, { kind: "mixer", inputs: [first, second], params: {} }], output: nodes.length };
})();

describe("graph fusion", () => {
  it.each([
    ["W1", w1Program(), 128, 512, 256],
    ["W1 at 64-frame blocks", w1Program(), 64, 512, 256],
    ["W1 at 100-frame blocks", w1Program(), 100, 512, 256],
    ["W2", w2Program(), 128, 97, 32],
    ["W2 at 100-frame blocks", w2Program(), 100, 97, 32],
    ["a mixer with every kind of input", mixed, 128, 5, 0],
    ["the same at 100-frame blocks", mixed, 100, 5, 0],
    ["sources of every kind adding into their bus", adding, 128, 27, 14],
    ["the same at 64-frame blocks", adding, 64, 27, 14],
    ["the same at 100-frame blocks", adding, 100, 27, 14],
    ["the same at 127-frame blocks (the loops' scalar tails)", adding, 127, 27, 14],
  ])(
    "%s: fuses nodes and renders the unfused graph's samples bit for bit",
    async (_name, program, block, fused, adding) => {
      const plain = await render(unfused(program), block);
      const result = await render(program, block);
      expect(plain.fused).toBe(0);
      expect(plain.adding).toBe(0);
      expect([result.fused, result.adding]).toEqual([fused, adding]);
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
