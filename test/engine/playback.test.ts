import { describe, expect, it } from "vitest";

import type { GraphProgram } from "../../src/engine/graph-program";
import { renderProgram } from "../support/render";

function noise(frames: number, seed: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length: frames }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  });
}

const play = (params: Record<string, number> = {}): GraphProgram => ({
  nodes: [{ kind: "playback", inputs: [], params, buffers: { 0: 0 } }],
  output: 0,
});

describe("playback", () => {
  const left = noise(10007, 1);
  const right = noise(10007, 2);

  it("passes noise through bit-exactly at block sizes 1 to 2048 and odd render chunks", async () => {
    for (const blockSize of [1, 2, 3, 64, 127, 128, 1000, 2048]) {
      for (const chunk of [1, 100, 4096]) {
        if (blockSize === 1 && chunk === 1) continue; // 10k single-frame calls: covered by chunk 100
        const [l, r] = await renderProgram(play(), left.length, {
          blockSize,
          chunk,
          buffers: [[left, right]],
        });
        expect(l, `block ${blockSize} chunk ${chunk}`).toEqual(left);
        expect(r).toEqual(right);
      }
    }
  });

  it("renders a fractional duration to exactly round(d * sr) frames, then silence", async () => {
    const frames = Math.round(0.123457 * 48000); // 5926 frames
    const [l] = await renderProgram(play(), frames + 10, { buffers: [[left.subarray(0, frames)]] });
    expect(l?.subarray(0, frames)).toEqual(left.subarray(0, frames));
    expect(Array.from(l?.subarray(frames) ?? [])).toEqual(new Array(10).fill(0));
  });

  it("starts at an offset into the audio and loops", async () => {
    const short = Float32Array.from({ length: 100 }, (_, i) => i / 100);
    const [offset] = await renderProgram(play({ start_offset: 10 / 48000 }), 100, { buffers: [[short]] });
    expect(offset?.[0]).toBeCloseTo(0.1, 7);
    expect(offset?.[89]).toBeCloseTo(0.99, 7);
    expect(offset?.[90]).toBe(0);
    const [looped] = await renderProgram(play({ loop: 1 }), 250, { buffers: [[short]] });
    expect(looped?.subarray(100, 200)).toEqual(short);
    expect(looped?.[249]).toBe(short[49]);
  });

  it("follows the transport: rendering from frame F gives the audio from F", async () => {
    const [fromStart] = await renderProgram(play(), 3000, { buffers: [[left]], startFrame: 5000 });
    expect(fromStart).toEqual(left.subarray(5000, 8000));
  });

  it("applies its gain", async () => {
    const [half] = await renderProgram(play({ gain: 0.5 }), 1000, { buffers: [[left]] });
    expect(half).toEqual(left.subarray(0, 1000).map((v) => Math.fround(v * 0.5)));
  });
});

describe("engine memory growth", () => {
  it("keeps its output views valid after the WebAssembly memory grows", async () => {
    const { newEngine } = await import("../support/render");
    const engine = await newEngine();
    const osc = engine.addNode("oscillator");
    engine.prepare(osc);
    engine.render(128);
    const pagesBefore = engine.exports.memory.buffer.byteLength;
    engine.createBuffer([new Float32Array(8_000_000)], 48000); // 32 MB: the memory must grow
    expect(engine.exports.memory.buffer.byteLength).toBeGreaterThan(pagesBefore);
    expect(engine.exports.growths.count).toBeGreaterThan(0);
    engine.reset();
    engine.render(128);
    expect(engine.outputChannel(0)[1]).toBeCloseTo(Math.sin((2 * Math.PI * 440) / 48000), 6);
  });
});
