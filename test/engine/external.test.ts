import { describe, expect, it } from "vitest";

import type { ExternalBlock, ExternalProcessor } from "../../src/engine/external-nodes";
import { newEngine } from "../support/render";

/** A JavaScript processor: out = in * gain, plus note number / 1000 while a note is held. */
class ScaleAndNote implements ExternalProcessor {
  gain = 1;
  note = 0;
  calls: string[] = [];
  prepare(sampleRate: number, maxBlock: number, numInputs: number): void {
    this.calls.push(`prepare ${sampleRate} ${maxBlock} ${numInputs}`);
  }
  reset(): void {
    this.note = 0;
    this.calls.push("reset");
  }
  setParam(index: number, value: number): void {
    if (index === 0) this.gain = value;
  }
  midi(status: number, data1: number): void {
    this.note = (status & 0xf0) === 0x90 ? data1 : 0;
  }
  process(block: ExternalBlock): void {
    const heap = block.heapF32;
    for (let c = 0; c < block.numOutputs; c++) {
      const input = block.inputAddress(Math.min(c, block.numInputs - 1)) >> 2;
      const output = block.outputAddress(c) >> 2;
      for (let i = 0; i < block.frames; i++)
        heap[output + i] = (heap[input + i] as number) * this.gain + this.note / 1000;
    }
  }
}

describe("external nodes: DSP hosted outside engine.wasm, inside its graph", () => {
  it("renders in the graph with sample-accurate parameters and MIDI, at any block size", async () => {
    for (const blockSize of [1, 128, 1000]) {
      const engine = await newEngine(48000, blockSize);
      const ones = engine.createBuffer([new Float32Array(4096).fill(1)], 48000);
      const source = engine.addNode("playback");
      engine.setNodeBuffer(source, 0, ones);
      const host = new ScaleAndNote();
      const node = engine.addExternalNode(host, 2, [{ id: "gain", min: 0, max: 4, default: 1 }]);
      engine.addInput(node, source);
      engine.addParamStep(node, "gain", 300, 2);
      engine.addParamStep(node, "gain", 301, 9); // clamped to 4
      engine.addMidi(node, 500, 0x90, 60, 100);
      const out = engine.addNode("gain");
      engine.addInput(out, node);
      engine.prepare(out);
      expect(host.calls).toContain(`prepare 48000 ${blockSize} 1`);
      engine.render(1000);
      const [left, right] = [engine.outputChannel(0), engine.outputChannel(1)];
      expect(left[299]).toBe(1);
      expect(left[300]).toBe(2);
      expect(left[301]).toBe(4);
      expect(left[499]).toBe(4);
      expect(left[500]).toBe(Math.fround(4.06));
      expect(right[999]).toBe(Math.fround(4.06));
      engine.destroy();
    }
  });

  it("allocates nothing in the engine while rendering, and reset reaches the host", async () => {
    const engine = await newEngine();
    const host = new ScaleAndNote();
    const osc = engine.addNode("oscillator");
    const node = engine.addExternalNode(host, 1, [{ id: "gain", min: 0, max: 1, default: 0.5 }]);
    engine.addInput(node, osc);
    engine.prepare(node);
    const before = engine.exports.wd_allocation_count();
    for (let i = 0; i < 100; i++) engine.render(128);
    expect(engine.exports.wd_allocation_count()).toBe(before);
    host.calls.length = 0;
    engine.reset();
    expect(host.calls).toEqual(["reset"]);
  });

  it("forgets its host objects when the graph is cleared", async () => {
    const engine = await newEngine();
    const node = engine.addExternalNode(new ScaleAndNote(), 1, []);
    engine.prepare(node);
    engine.clear();
    const osc = engine.addNode("oscillator");
    engine.prepare(osc);
    expect(engine.render(128)).toBe(128);
    // A fresh registration reuses the freed host id.
    expect(engine.exports.externals.register(new ScaleAndNote())).toBe(0);
  });
});
