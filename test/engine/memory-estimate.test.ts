/**
 * The engine's memory estimate is honest: for graphs that exercise every processor, every engine
 * buffer (outputs, captures, channel tables, staging) and every timeline table, the estimate made
 * before a graph is applied matches the heap bytes applying it really takes (the allocator's count
 * of bytes in use, read before and after).
 */
import { describe, expect, it } from "vitest";
import { engineMemory, estimateGraphMemory } from "../../src/engine/graph-memory";
import { applyGraphProgram, type GraphProgram } from "../../src/engine/graph-program";
import type { WasmEngine } from "../../src/engine/wasm-engine";
import { stealingSynthNode } from "../support/graph-programs";
import { newEngine } from "../support/render";
import { w1Program, w2Program } from "../support/workloads";

const ramp = (start: number) =>
  ({
    type: "ramp",
    param: "frequency",
    start,
    end: start + 4800,
    from: 200,
    to: 4000,
    curve: "linear",
  }) as const;

/** Every processor kind, fan-in, a capture, a cycle through a delay, automation of every kind and MIDI. */
const everything: GraphProgram = {
  nodes: [
    { kind: "oscillator", inputs: [], params: { channels: 6 } },
    {
      kind: "filter",
      inputs: [0],
      params: {},
      timeline: [
        ...Array.from({ length: 300 }, (_, i) => ramp(i * 5000)),
        { type: "array", param: "q", start: 1000, values: new Float32Array(100_000).fill(2) },
        { type: "step", param: "mode", frame: 9000, value: 1 },
      ],
    },
    { kind: "compressor", inputs: [1], params: { threshold: -20 } },
    { kind: "panner", inputs: [2], params: {} },
    { kind: "reverb", inputs: [3], params: {}, capture: true },
    {
      kind: "sampler",
      inputs: [],
      params: {},
      buffers: { 0: 0 },
      timeline: Array.from({ length: 2000 }, (_, i) => ({
        type: "midi" as const,
        frame: i * 100,
        status: i % 2 ? 0x80 : 0x90,
        data1: 60,
        data2: 100,
      })),
    },
    { kind: "playback", inputs: [], params: {}, buffers: { 0: 0 } },
    { kind: "mixer", inputs: [4, 5, 6, 9, 10], params: {} },
    { kind: "delay", inputs: [7], params: { time: 100 } },
    { kind: "gain", inputs: [8], params: { gain: 0.3 } },
    stealingSynthNode(),
  ],
  output: 7,
};

/** 16 channels through two delays: the lines dominate (2 x 31 MB at 48 kHz). */
const wideDelays: GraphProgram = {
  nodes: [
    { kind: "oscillator", inputs: [], params: { channels: 16 } },
    { kind: "delay", inputs: [0], params: {} },
    { kind: "delay", inputs: [1], params: {}, capture: true },
  ],
  output: 2,
};

/** Latency compensation delays (the compiler's internal kind): rings sized by their frames. */
const compensationDelays: GraphProgram = {
  nodes: [
    { kind: "oscillator", inputs: [], params: { channels: 4 } },
    { kind: "latency_delay", inputs: [0], params: { frames: 48000 } },
    { kind: "latency_delay", inputs: [0], params: { frames: 300 } },
    { kind: "mixer", inputs: [1, 2], params: {} },
  ],
  output: 3,
};

/** A hundred small nodes: the node records and channel tables dominate. */
const manySmall: GraphProgram = {
  nodes: [
    { kind: "oscillator", inputs: [], params: { channels: 2 } },
    ...Array.from({ length: 100 }, (_, i) => ({ kind: i % 2 ? "gain" : "filter", inputs: [i], params: {} })),
  ],
  output: 100,
};

/** Two oscillators playing custom waveforms (buffer 0 as their coefficients): their own tables. */
const customWaves: GraphProgram = {
  nodes: [
    { kind: "oscillator", inputs: [], params: { waveform: 5 }, buffers: { 0: 0 } },
    { kind: "oscillator", inputs: [], params: { waveform: 5, frequency: 1000 }, buffers: { 0: 0 } },
    { kind: "mixer", inputs: [0, 1], params: {} },
  ],
  output: 2,
};
/** 64 harmonics of a saw: 18 table levels, 576 KiB per oscillator. */
const sawCoefficients = [new Float32Array(65), Float32Array.from({ length: 65 }, (_, k) => (k ? 1 / k : 0))];

/** Heap bytes applying `program` takes on a fresh engine, and what was estimated before. */
async function measure(
  program: GraphProgram,
  sampleRate: number,
  blockSize: number,
  bufferChannels: Float32Array[] = [new Float32Array(48000), new Float32Array(48000)],
) {
  const engine: WasmEngine = await newEngine(sampleRate, blockSize);
  const buffer = engine.createBuffer(bufferChannels, sampleRate);
  const estimate = estimateGraphMemory(engine, program, (id) => engine.bufferShape(id));
  const before = engineMemory(engine.exports).inUseBytes;
  applyGraphProgram(engine, program);
  const taken = engineMemory(engine.exports).inUseBytes - before;
  expect(buffer).toBe(0);
  return { estimate, taken };
}

describe("the memory estimate matches what a graph takes", () => {
  it.each([
    ["every processor, automation, MIDI, a capture and a cycle", everything, 48000, 128],
    ["the same at 96 kHz with 512-frame blocks", everything, 96000, 512],
    ["16 channels through two delays", wideDelays, 48000, 128],
    ["16 channels through two delays at 44.1 kHz, 64-frame blocks", wideDelays, 44100, 64],
    ["a hundred small nodes", manySmall, 48000, 128],
    ["latency compensation delays of 1 s and 300 frames on 4 channels", compensationDelays, 48000, 128],
    ["W1", w1Program(), 48000, 128],
    ["W2", w2Program(), 48000, 128],
    ["two custom waveforms of 64 harmonics", customWaves, 48000, 128, sawCoefficients],
  ])("%s", async (_name, program, sampleRate, blockSize, coefficients?: Float32Array[]) => {
    const { estimate, taken } = await measure(program, sampleRate, blockSize, coefficients);
    // Within 0.1% or 1 KiB: temporaries of the ordering and the allocator's rounding of the few
    // blocks processors take are left out.
    expect(Math.abs(estimate.engineBytes - taken)).toBeLessThanOrEqual(Math.max(0.001 * taken, 1024));
  });
});
