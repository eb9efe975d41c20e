import { describe, expect, it } from "vitest";

import type { GraphProgram, GraphProgramNode, TimelineEntry } from "../../../src/engine/graph-program";
import { applyGraphProgram } from "../../../src/engine/graph-program";
import { newEngine, renderProgram } from "../../support/render";
import { allFinite, impulse, maxAbsDifference, peak, sineWave, whiteNoise } from "../../support/signal";

const f = Math.fround;

/** The delay time in ms that is `frames` frames at `sampleRate`. */
const ms = (frames: number, sampleRate = 48000) => (frames * 1000) / sampleRate;

/** Playback of buffer 0 into a delay. */
const delay = (params: Record<string, number>, timeline?: TimelineEntry[]): GraphProgram => ({
  nodes: [
    { kind: "playback", inputs: [], params: {}, buffers: { 0: 0 } },
    { kind: "delay", inputs: [0], params, ...(timeline ? { timeline } : {}) },
  ],
  output: 1,
});

/**
 * W2's feedback bus as a graph cycle: bus = mixer(playback, delay), delay = delay(bus), output the
 * bus, so y[n] = x[n] + wet * y[n - D]. The delay closes the cycle through the feedback API.
 */
const feedbackBus = (params: Record<string, number>): GraphProgram => ({
  nodes: [
    { kind: "playback", inputs: [], params: {}, buffers: { 0: 0 } },
    { kind: "mixer", inputs: [0, 2], params: {} },
    { kind: "delay", inputs: [1], params: { dry: 0, feedback: 0, ...params } },
  ],
  output: 1,
});

/** Double-precision reference of the documented equations, for fractional delays. */
function delayModel(
  x: ArrayLike<number>,
  d: number,
  feedback: number,
  wet: number,
  dry: number,
): Float64Array {
  const s = new Float64Array(x.length);
  const y = new Float64Array(x.length);
  const whole = Math.floor(d);
  const frac = d - whole;
  const at = (n: number) => (n >= 0 ? (s[n] as number) : 0);
  for (let n = 0; n < x.length; n++) {
    const xn = x[n] as number;
    let delayed: number;
    if (whole === 0) {
      // s[n] = x[n] + feedback * ((1 - f) s[n] + f s[n - 1]), solved for s[n].
      s[n] = (xn + feedback * frac * at(n - 1)) / (1 - feedback * (1 - frac));
      delayed = (1 - frac) * (s[n] as number) + frac * at(n - 1);
    } else {
      delayed = (1 - frac) * at(n - whole) + frac * at(n - whole - 1);
      s[n] = xn + feedback * delayed;
    }
    y[n] = dry * xn + wet * delayed;
  }
  return y;
}

describe("delay", () => {
  it("puts an impulse at D frames with amplitude wet, then wet * feedback^k at (k + 1) D", async () => {
    const [out] = await renderProgram(delay({ time: 10, wet: 0.5, feedback: 0.6, dry: 0.25 }), 3000, {
      buffers: [[impulse(3000)]],
    });
    // 10 ms at 48 kHz = 480 frames; the line holds s[kD] = 0.6^k, rounded to float each pass.
    const expected = new Float32Array(3000);
    expected[0] = 0.25;
    let s = 1;
    for (let k = 1; k * 480 < 3000; k++) {
      expected[k * 480] = f(f(0.5) * s);
      s = f(f(0.6) * s);
    }
    expect(out).toEqual(expected);
    expect(out?.[960]).toBeCloseTo(0.5 * 0.6, 7);
    expect(out?.[2880]).toBeCloseTo(0.5 * 0.6 ** 5, 7);
  });

  it("interpolates fractional delays linearly, including echoes of echoes", async () => {
    // At 32 kHz one frame is 1/32 ms, so 10.25 frames is exactly 0.3203125 ms in float.
    const [out] = await renderProgram(delay({ time: 0.3203125, feedback: 0.5 }), 40, {
      sampleRate: 32000,
      buffers: [[impulse(40)]],
    });
    const expected = new Float32Array(40);
    expected[10] = 0.75;
    expected[11] = 0.25;
    // s[10] = 0.5 * 0.75 and s[11] = 0.5 * 0.25, read 10.25 frames later.
    expected[20] = 0.375 * 0.75;
    expected[21] = 0.125 * 0.75 + 0.375 * 0.25;
    expected[22] = 0.125 * 0.25;
    expected[30] = 0.140625 * 0.75;
    expected[31] = 0.09375 * 0.75 + 0.140625 * 0.25;
    expected[32] = 0.015625 * 0.75 + 0.09375 * 0.25;
    expected[33] = 0.015625 * 0.25;
    expect(out).toEqual(expected);
  });

  it("delays a ramp by a fractional D to float precision", async () => {
    const ramp = Float32Array.from({ length: 2000 }, (_, n) => n / 1000);
    const [out] = await renderProgram(delay({ time: 1.2345 }), 2000, { buffers: [[ramp]] });
    const d = (f(1.2345) * 48000) / 1000; // 59.256 frames
    for (const n of [60, 61, 500, 1999]) expect(out?.[n]).toBeCloseTo((n - d) / 1000, 6);
    expect(out?.[59]).toBe(0);
    const input = whiteNoise(5000, 3);
    const [noisy] = await renderProgram(delay({ time: 1.2345, feedback: 0.9, wet: 0.7, dry: 0.3 }), 5000, {
      buffers: [[input]],
    });
    expect(
      maxAbsDifference(noisy as Float32Array, delayModel(input, d, f(0.9), f(0.7), f(0.3))),
    ).toBeLessThan(1e-5);
  });

  it("solves the line equation for delays under one frame", async () => {
    const input = whiteNoise(2000, 4);
    for (const frames of [0, 0.5, 0.75]) {
      const time = ms(frames, 32000); // exact in float at 32 kHz
      const [out] = await renderProgram(delay({ time, feedback: 0.5, wet: 0.8, dry: 0.1 }), 2000, {
        sampleRate: 32000,
        buffers: [[input]],
      });
      const model = delayModel(input, frames, 0.5, f(0.8), f(0.1));
      expect(maxAbsDifference(out as Float32Array, model), `D = ${frames}`).toBeLessThan(1e-6);
    }
    // D = 0 is a gain of dry + wet / (1 - feedback).
    const [zero] = await renderProgram(delay({ time: 0, feedback: 0.5, wet: 0.8, dry: 0.1 }), 2000, {
      buffers: [[input]],
    });
    expect(
      maxAbsDifference(
        zero as Float32Array,
        input.map((v) => v * (0.1 + 0.8 / 0.5)),
      ),
    ).toBeLessThan(1e-6);
  });

  it("is an exact copy for whole-frame times, even when the ms value is not exact in float", async () => {
    const input = whiteNoise(3000, 5);
    for (const frames of [1, 7, 441, 1999]) {
      const [out] = await renderProgram(delay({ time: ms(frames) }), 3000, { buffers: [[input]] });
      const expected = new Float32Array(3000);
      expected.set(input.subarray(0, 3000 - frames), frames);
      expect(out, `${frames} frames`).toEqual(expected);
    }
  });

  describe("W2: y[n] = x[n] + 0.4 * y[n - 12000]", () => {
    const frames = 4 * 12000 + 500;
    const pulse = Float32Array.from({ length: frames }, (_, n) =>
      n < 256 ? Math.sin((Math.PI * n) / 256) ** 2 * Math.sin((2 * Math.PI * 1000 * n) / 48000) : 0,
    );
    const expected = new Float32Array(frames);
    for (let n = 0; n < frames; n++) {
      expected[n] = f((pulse[n] as number) + (n >= 12000 ? f(f(0.4) * (expected[n - 12000] as number)) : 0));
    }

    it("as delay(time=250, feedback=0.4, wet=0.4, dry=1), bit-exact at blocks 1, 64, 128, 1000", async () => {
      for (const blockSize of [1, 64, 128, 1000]) {
        const [out] = await renderProgram(delay({ time: 250, feedback: 0.4, wet: 0.4, dry: 1 }), frames, {
          blockSize,
          chunk: 4096,
          buffers: [[pulse]],
        });
        expect(out, `block ${blockSize}`).toEqual(expected);
      }
      expect(expected[12100]).toBeCloseTo(0.4 * (pulse[100] as number), 7);
      expect(expected[36100]).toBeCloseTo(0.064 * (pulse[100] as number), 7);
    });

    it("as a cycle bus -> delay(250 ms, wet 0.4) -> bus, bit-exact at blocks 1, 64, 128, 1000", async () => {
      for (const blockSize of [1, 64, 128, 1000]) {
        const [out] = await renderProgram(feedbackBus({ time: 250, wet: 0.4 }), frames, {
          blockSize,
          chunk: 4096,
          buffers: [[pulse]],
        });
        expect(out, `block ${blockSize}`).toEqual(expected);
      }
    });
  });

  it("closes a cycle shorter than the block (7, 7.5 frames) like the same delay without one", async () => {
    const input = whiteNoise(3000, 6);
    for (const frames of [7, 7.5]) {
      const time = ms(frames, 32000);
      const [cycle] = await renderProgram(feedbackBus({ time, wet: 0.4 }), 3000, {
        sampleRate: 32000,
        buffers: [[input]],
      });
      const [line] = await renderProgram(delay({ time, feedback: 0.4, wet: 0.4, dry: 1 }), 3000, {
        sampleRate: 32000,
        buffers: [[input]],
      });
      expect(cycle, `${frames} frames`).toEqual(line);
    }
    // In a cycle the node outputs only the wet part: dry needs x[n], which the cycle computes
    // from this very output.
    const [withDry] = await renderProgram(feedbackBus({ time: ms(7, 32000), wet: 0.4, dry: 1 }), 3000, {
      sampleRate: 32000,
      buffers: [[input]],
    });
    const [withoutDry] = await renderProgram(feedbackBus({ time: ms(7, 32000), wet: 0.4 }), 3000, {
      sampleRate: 32000,
      buffers: [[input]],
    });
    expect(withDry).toEqual(withoutDry);
  });

  it("in a cycle, feeds its own line back exactly, for 1, 2, 3 and 40 frames and across the line's wrap", async () => {
    // At 8 kHz the line holds 80,002 frames: 170,000 frames wrap it twice, inside blocks.
    const sampleRate = 8000;
    const length = 170_000;
    const input = whiteNoise(length, 9);
    const wet = 0.4;
    const feedback = 0.5;
    for (const frames of [1, 2, 3, 40]) {
      const [cycle] = await renderProgram(
        feedbackBus({ time: ms(frames, sampleRate), wet, feedback }),
        length,
        {
          sampleRate,
          buffers: [[input]],
        },
      );
      // bus[n] = x[n] + wet s[n - W]; s[n] = bus[n] + feedback s[n - W], in float32 as the engine
      // (whose parameters are floats too).
      const s = new Float32Array(length);
      const bus = new Float32Array(length);
      for (let n = 0; n < length; n++) {
        const delayed = n >= frames ? (s[n - frames] as number) : 0;
        bus[n] = f(f(input[n] as number) + f(f(wet) * delayed));
        s[n] = f((bus[n] as number) + f(feedback * delayed));
      }
      expect(maxAbsDifference(cycle as Float32Array, bus), `${frames} frames`).toBe(0);
    }
  });

  it("keeps one independent line per channel", async () => {
    const left = whiteNoise(2000, 7);
    const right = whiteNoise(2000, 8);
    const [l, r] = await renderProgram(delay({ time: ms(100) }), 2000, { buffers: [[left, right]] });
    const shifted = (x: Float32Array) => {
      const y = new Float32Array(x.length);
      y.set(x.subarray(0, x.length - 100), 100);
      return y;
    };
    expect(l).toEqual(shifted(left));
    expect(r).toEqual(shifted(right));
  });

  describe("shared behaviour", () => {
    it("describes its parameters from the engine's ParamSpec table", async () => {
      const engine = await newEngine();
      const type = engine.types.find((t) => t.kind === "delay");
      expect(type?.maxInputs).toBe(-1);
      expect(type?.params.map(({ name: _, ...rest }) => rest)).toEqual([
        {
          id: "time",
          units: "ms",
          min: 0,
          max: 10000,
          default: 10,
          discrete: false,
          choices: null,
          choiceAliases: null,
        },
        {
          id: "feedback",
          units: "",
          min: 0,
          max: f(0.999),
          default: 0,
          discrete: false,
          choices: null,
          choiceAliases: null,
        },
        {
          id: "wet",
          units: "",
          min: 0,
          max: 1,
          default: 1,
          discrete: false,
          choices: null,
          choiceAliases: null,
        },
        {
          id: "dry",
          units: "",
          min: 0,
          max: 1,
          default: 0,
          discrete: false,
          choices: null,
          choiceAliases: null,
        },
      ]);
      engine.destroy();
    });

    it("by default is a pure 10 ms delay", async () => {
      const input = whiteNoise(1000, 9);
      const [out] = await renderProgram(delay({}), 1000, { buffers: [[input]] });
      const expected = new Float32Array(1000);
      expected.set(input.subarray(0, 520), 480);
      expect(out).toEqual(expected);
    });

    it("passes audio: a sine comes out as wet * sin(2 pi f (n - D) / sr)", async () => {
      const sine = sineWave(4000, 440, 48000);
      const [out] = await renderProgram(delay({ time: 25, wet: 0.5 }), 4000, { buffers: [[sine]] });
      for (const n of [1200, 1201, 2345, 3999]) {
        expect(out?.[n]).toBeCloseTo(0.5 * Math.sin((2 * Math.PI * 440 * (n - 1200)) / 48000), 7);
      }
      expect(peak((out as Float32Array).subarray(0, 1200))).toBe(0);
    });

    it("clamps to 0..10000 ms, holds the full 10 s, and stays finite at the extremes", async () => {
      const sr = 48000;
      const [longest] = await renderProgram(delay({ time: 1e9, wet: 0.5 }), 10 * sr + 10, {
        buffers: [[impulse(16)]],
        chunk: 4096,
      });
      expect(longest?.[10 * sr]).toBe(0.5);
      expect(peak((longest as Float32Array).subarray(0, 10 * sr))).toBe(0);
      const loud = Float32Array.from({ length: 20000 }, (_, n) => 16 * Math.sin(n / 3));
      for (const time of [-5, 0, ms(1), 0.01, 10000]) {
        const [out] = await renderProgram(delay({ time, feedback: 5, wet: 1, dry: 1 }), 20000, {
          buffers: [[loud]],
        });
        expect(allFinite(out as Float32Array), `time ${time}`).toBe(true);
      }
      // feedback 5 is clamped to 0.999: the echo train of an impulse still decays.
      const [train] = await renderProgram(delay({ time: ms(10), feedback: 5 }), 48000, {
        buffers: [[impulse(16)]],
      });
      expect(train?.[10]).toBe(1);
      expect(train?.[20]).toBe(f(0.999));
    });

    it("reset() clears the lines, after the ring has wrapped too", async () => {
      const engine = await newEngine();
      const buffer = engine.createBuffer([whiteNoise(3000, 10)], 48000);
      const program = delay({ time: 1.5, feedback: 0.9, wet: 0.8, dry: 0.5 });
      program.nodes[0] = { ...(program.nodes[0] as GraphProgramNode), buffers: { 0: buffer } };
      const [playback, node] = applyGraphProgram(engine, program) as [number, number];
      const take = () => {
        engine.render(4096);
        return engine.outputChannel(0).slice(0, 4096);
      };
      const first = take();
      expect(peak(first.subarray(3000))).toBeGreaterThan(0.01); // the tail outlives the input
      engine.reset();
      expect(take()).toEqual(first);
      // Loop the noise past the 10 s line, then a longer time reads slots written a lap ago
      // unless reset() cleared them.
      engine.setParam(playback, "loop", 1);
      for (let done = 0; done < 11 * 48000; done += 4096) take();
      engine.reset();
      engine.setParam(playback, "loop", 0);
      engine.setParam(node, "time", 1000);
      const late = take();
      expect(late.subarray(3000)).toEqual(new Float32Array(1096));
      engine.destroy();
    });

    it("renders the same samples for block sizes 1, 64, 128 and 1000, time automation included", async () => {
      const input = whiteNoise(6000, 11);
      const timeline: TimelineEntry[] = [
        { type: "step", param: "time", frame: 1234, value: 3.3 },
        { type: "ramp", param: "feedback", start: 2000, end: 4000, from: 0.2, to: 0.95, curve: "linear" },
      ];
      const render = (blockSize: number) =>
        renderProgram(delay({ time: 0.77, feedback: 0.5, wet: 0.9, dry: 0.2 }, timeline), 6000, {
          buffers: [[input]],
          blockSize,
          chunk: 999,
        });
      const reference = await render(128);
      for (const blockSize of [1, 64, 1000])
        expect(await render(blockSize), `block ${blockSize}`).toEqual(reference);
    });
  });
});
