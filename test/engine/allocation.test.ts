import { describe, expect, it } from "vitest";
import { applyGraphProgram, type GraphProgram } from "../../src/engine/graph-program";
import { stealingSynthNode } from "../support/graph-programs";
import { newEngine } from "../support/render";
import { w1Program, w2Program } from "../support/workloads";

// Every processor (the synth stealing voices too), automation (steps, ramps, arrays), MIDI and a graph cycle, in one graph.
const everything: GraphProgram = {
  nodes: [
    { kind: "oscillator", inputs: [], params: { waveform: 1 } },
    {
      kind: "filter",
      inputs: [0],
      params: {},
      timeline: [
        { type: "ramp", param: "frequency", start: 0, end: 40000, from: 200, to: 5000, curve: "exponential" },
        { type: "array", param: "q", start: 1000, values: new Float32Array(5000).fill(2) },
      ],
    },
    { kind: "compressor", inputs: [1], params: { threshold: -20 } },
    { kind: "panner", inputs: [2], params: { pan: 0.3 } },
    { kind: "reverb", inputs: [3], params: {} },
    {
      kind: "sampler",
      inputs: [],
      params: {},
      buffers: { 0: 0 },
      timeline: [0, 5000, 30000].flatMap((frame) => [
        { type: "midi" as const, frame, status: 0x90, data1: 60, data2: 100 },
        { type: "midi" as const, frame: frame + 4000, status: 0x80, data1: 60, data2: 0 },
      ]),
    },
    { kind: "playback", inputs: [], params: { loop: 1 }, buffers: { 0: 0 } },
    { kind: "mixer", inputs: [4, 5, 6, 9, 10, 11], params: {} },
    { kind: "delay", inputs: [7], params: { time: 100 } },
    { kind: "gain", inputs: [8], params: { gain: 0.3 } },
    stealingSynthNode(),
    // The compiler's latency compensation (an internal kind).
    { kind: "latency_delay", inputs: [0], params: { frames: 300 } },
  ],
  output: 7,
};

describe("the audio path allocates nothing after a graph is prepared", () => {
  it.each([
    ["every processor, automation, MIDI and a cycle", everything],
    ["W1", w1Program()],
    ["W2", w2Program()],
  ])("%s: no C++ heap allocation while rendering 2 s", async (_name, program) => {
    const engine = await newEngine();
    engine.createBuffer([Float32Array.from({ length: 4800 }, (_, i) => Math.sin(i / 10))], 48000);
    applyGraphProgram(engine, program);
    const before = engine.exports.wd_allocation_count();
    for (let done = 0; done < 96000; done += 128) engine.render(128);
    engine.seek(12345);
    engine.reset();
    for (let done = 0; done < 4096; done += 1000) engine.render(1000);
    // Monitoring while stopped: notes the timeline left on released, the graph rendered held.
    for (let done = 0; done < 9000; done += 128) engine.render(128);
    engine.releaseTimelineNotes();
    for (let done = 0; done < 48000; done += 128) engine.renderHeld(128);
    engine.renderHeld(1000);
    expect(engine.exports.wd_allocation_count() - before).toBe(0);
    // The counter does count: preparing a graph allocates.
    applyGraphProgram(engine, program);
    expect(engine.exports.wd_allocation_count()).toBeGreaterThan(before);
  });
});
