import { describe, expect, it } from "vitest";

import type { GraphProgram, GraphProgramNode, TimelineEntry } from "../../../src/engine/graph-program";
import { applyGraphProgram } from "../../../src/engine/graph-program";
import { newEngine, renderProgram } from "../../support/render";
import {
  allFinite,
  decayTime60,
  firstIndex,
  impulse,
  peak,
  rms,
  sineWave,
  whiteNoise,
} from "../../support/signal";

const f = Math.fround;
const firstNonZero = (x: ArrayLike<number>) => firstIndex(x, (v) => v !== 0);

/** Playback of buffer 0 (mono or stereo) into a reverb. */
const reverb = (params: Record<string, number> = {}, timeline?: TimelineEntry[]): GraphProgram => ({
  nodes: [
    { kind: "playback", inputs: [], params: {}, buffers: { 0: 0 } },
    { kind: "reverb", inputs: [0], params, ...(timeline ? { timeline } : {}) },
  ],
  output: 1,
});

const COMB_TUNINGS = [1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617];
const ALLPASS_TUNINGS = [556, 441, 341, 225];
const STEREO_SPREAD = 23;
// juce::Reverb::setSampleRate: int arithmetic on the truncated rate.
const scaled = (sampleRate: number, tuning: number) => Math.floor((Math.trunc(sampleRate) * tuning) / 44100);

interface ReverbParams {
  room_size: number;
  damping: number;
  wet_level: number;
  dry_level: number;
  width: number;
  freeze: number;
}
const DEFAULTS: ReverbParams = {
  room_size: 0.5,
  damping: 0.5,
  wet_level: 0.33,
  dry_level: 0.4,
  width: 1,
  freeze: 0,
};

/**
 * An independent float32 model of juce::Reverb (juce_Reverb.h, juce::SmoothedValue) with
 * JUCE_UNDENORMALISE as compiled on x86. Every operation is rounded with Math.fround, which gives
 * the IEEE single-precision result of each +, -, *, /; so the engine must match it bit for bit.
 * `changes` applies parameter changes at frames, as timeline steps do.
 */
function juceReverbModel(
  inL: Float32Array,
  inR: Float32Array,
  sampleRate: number,
  initial: Partial<ReverbParams>,
  changes: { frame: number; params: Partial<ReverbParams> }[] = [],
): [Float32Array, Float32Array] {
  const tenth = f(0.1);
  const und = (x: number) => f(f(x + tenth) - tenth);
  const steps = Math.floor(0.01 * sampleRate);
  class Ramp {
    current = 0;
    target = 0;
    step = 0;
    countdown = 0;
    set(value: number, immediate: boolean) {
      if (value === this.target) return;
      if (immediate) {
        this.current = this.target = value;
        this.countdown = 0;
        return;
      }
      this.target = value;
      this.countdown = steps;
      this.step = f(f(this.target - this.current) / steps);
    }
    next() {
      if (this.countdown <= 0) return this.target;
      this.countdown--;
      this.current = this.countdown > 0 ? f(this.current + this.step) : this.target;
      return this.current;
    }
  }
  const [damping, feedback, dry, wet1, wet2] = [new Ramp(), new Ramp(), new Ramp(), new Ramp(), new Ramp()];
  let gain = 0;
  const p = { ...DEFAULTS };
  const apply = (next: Partial<ReverbParams>, immediate: boolean) => {
    for (const [k, v] of Object.entries(next)) p[k as keyof ReverbParams] = f(v);
    const wet = f(p.wet_level * 3);
    dry.set(f(p.dry_level * 2), immediate);
    wet1.set(f(f(0.5 * wet) * f(1 + p.width)), immediate);
    wet2.set(f(f(0.5 * wet) * f(1 - p.width)), immediate);
    const frozen = p.freeze >= 0.5;
    gain = frozen ? 0 : f(0.015);
    damping.set(frozen ? 0 : f(p.damping * f(0.4)), immediate);
    feedback.set(frozen ? 1 : f(f(p.room_size * f(0.28)) + f(0.7)), immediate);
  };
  apply(initial, true);
  const combs = [0, STEREO_SPREAD].map((spread) =>
    COMB_TUNINGS.map((t) => ({ buf: new Float32Array(scaled(sampleRate, t + spread)), i: 0, last: 0 })),
  );
  const allPasses = [0, STEREO_SPREAD].map((spread) =>
    ALLPASS_TUNINGS.map((t) => ({ buf: new Float32Array(scaled(sampleRate, t + spread)), i: 0 })),
  );
  const comb = (
    c: { buf: Float32Array; i: number; last: number },
    input: number,
    damp: number,
    fb: number,
  ) => {
    const output = c.buf[c.i] as number;
    c.last = und(f(f(output * f(1 - damp)) + f(c.last * damp)));
    c.buf[c.i] = und(f(input + f(c.last * fb)));
    c.i = (c.i + 1) % c.buf.length;
    return output;
  };
  const allPass = (a: { buf: Float32Array; i: number }, input: number) => {
    const buffered = a.buf[a.i] as number;
    a.buf[a.i] = und(f(input + f(buffered * 0.5)));
    a.i = (a.i + 1) % a.buf.length;
    return f(buffered - input);
  };
  const outL = new Float32Array(inL.length);
  const outR = new Float32Array(inL.length);
  for (let n = 0; n < inL.length; n++) {
    for (const change of changes) if (change.frame === n) apply(change.params, false);
    const l = inL[n] as number;
    const r = inR[n] as number;
    const input = f(f(l + r) * gain);
    const damp = damping.next();
    const fb = feedback.next();
    let sumL = 0;
    let sumR = 0;
    for (let j = 0; j < 8; j++) {
      sumL = f(sumL + comb(combs[0]?.[j] as never, input, damp, fb));
      sumR = f(sumR + comb(combs[1]?.[j] as never, input, damp, fb));
    }
    for (let j = 0; j < 4; j++) {
      sumL = allPass(allPasses[0]?.[j] as never, sumL);
      sumR = allPass(allPasses[1]?.[j] as never, sumR);
    }
    const d = dry.next();
    const w1 = wet1.next();
    const w2 = wet2.next();
    outL[n] = f(f(f(sumL * w1) + f(sumR * w2)) + f(l * d));
    outR[n] = f(f(f(sumR * w1) + f(sumL * w2)) + f(r * d));
  }
  return [outL, outR];
}

describe("reverb (juce::Reverb / Freeverb)", () => {
  const left = whiteNoise(6000, 7);
  const right = whiteNoise(6000, 8);

  it("with wet_level 0 outputs exactly dry_level * 2 * input (JUCE's dryScaleFactor)", async () => {
    const [l, r] = await renderProgram(reverb({ wet_level: 0, dry_level: 1 }), 6000, {
      buffers: [[left, right]],
    });
    expect(l).toEqual(left.map((v) => 2 * v));
    expect(r).toEqual(right.map((v) => 2 * v));
    const [l04] = await renderProgram(reverb({ wet_level: 0 }), 6000, { buffers: [[left, right]] });
    expect(l04).toEqual(left.map((v) => f(v * f(f(0.4) * 2))));
  });

  it("feeds a mono input to both channels", async () => {
    const [l, r] = await renderProgram(reverb(), 6000, { buffers: [[left]] });
    const [model] = juceReverbModel(left, left, 48000, {});
    expect(l).toEqual(model);
    expect(r).not.toEqual(l);
  });

  it("puts the first wet sample at the shortest comb delay, scaled to the rate like JUCE", async () => {
    for (const sampleRate of [44100, 48000, 96000]) {
      const [l, r] = await renderProgram(reverb({ dry_level: 0 }), 3000, {
        sampleRate,
        buffers: [[impulse(3000)]],
      });
      // 1116 and 1116 + 23 frames at 44.1 kHz: 1214 and 1239 at 48 kHz, 2429 and 2479 at 96 kHz.
      expect(firstNonZero(l as Float32Array), `${sampleRate} Hz`).toBe(scaled(sampleRate, 1116));
      expect(firstNonZero(r as Float32Array)).toBe(scaled(sampleRate, 1116 + STEREO_SPREAD));
      // (1 + 1) * 0.015 stored in the comb (rounded through 0.1 by JUCE_UNDENORMALISE), through
      // 4 allpasses (each passes -input at once), times wet1 = 0.5 * 0.33 * 3 * (1 + 1).
      const stored = f(f(f(2 * f(0.015)) + f(0.1)) - f(0.1));
      const wet1 = f(f(0.5 * f(f(0.33) * 3)) * 2);
      expect(l?.[scaled(sampleRate, 1116)]).toBe(f(stored * wet1));
    }
  });

  it("matches a float32 model of juce::Reverb bit for bit, parameter ramps included", async () => {
    const frames = 24000;
    const inL = new Float32Array(frames);
    const inR = new Float32Array(frames);
    inL.set(left.subarray(0, 3000));
    inR.set(right.subarray(0, 3000), 500);
    inL[12000] = 1;
    const initial = { room_size: 0.8, damping: 0.3, wet_level: 0.5, dry_level: 0.25, width: 0.6 };
    const changes = [
      { frame: 5000, params: { room_size: 0.2 } },
      { frame: 5200, params: { width: 0.1, wet_level: 0.9 } },
      { frame: 14000, params: { freeze: 1 } },
      { frame: 20000, params: { freeze: 0, damping: 1 } },
    ];
    const timeline: TimelineEntry[] = changes.flatMap(({ frame, params }) =>
      Object.entries(params).map(([param, value]) => ({ type: "step" as const, param, frame, value })),
    );
    const [l, r] = await renderProgram(reverb(initial, timeline), frames, {
      buffers: [[inL, inR]],
      blockSize: 100,
    });
    const [modelL, modelR] = juceReverbModel(inL, inR, 48000, initial, changes);
    expect(l).toEqual(modelL);
    expect(r).toEqual(modelR);
  });

  it("stays finite on a sine and decays after it stops, down to JUCE's undenormalise floor", async () => {
    const sr = 48000;
    const input = new Float32Array(sr * 8);
    input.set(sineWave(sr / 2, 440, sr, 0.8));
    const [l, r] = await renderProgram(reverb({ dry_level: 0 }), input.length, {
      buffers: [[input]],
      chunk: 4096,
    });
    const L = l as Float32Array;
    expect(allFinite(L) && allFinite(r as Float32Array)).toBe(true);
    expect(rms(L, sr / 4, sr / 2)).toBeGreaterThan(0.05);
    // Half-second windows after the input stops: each quieter than the one before.
    const windows = [1, 2, 3, 4].map((k) => rms(L, (k * sr) / 2, ((k + 1) * sr) / 2));
    for (let k = 1; k < windows.length; k++)
      expect(windows[k]).toBeLessThan((windows[k - 1] as number) * 0.5);
    // About 60 dB per 1.07 s (room 0.5): 6 s later only the rounding of x + 0.1 - 0.1 is left, a
    // limit cycle of a few multiples of 2^-27 in the combs (measured: peak 1.4e-6, RMS 4e-7).
    expect(peak(L.subarray(7 * sr))).toBeLessThan(1e-5);
    expect(rms(L, 7 * sr)).toBeLessThan(1e-6);
  });

  it("decays longer for a larger room: T30 within 1.5% of the combs' own decay (no damping)", async () => {
    const sr = 48000;
    const lengths = COMB_TUNINGS.map((t) => scaled(sr, t));
    // Comb j repeats its impulse every N_j frames scaled by g = 0.7 + 0.28 * room_size, so the energy
    // left after t frames is proportional to sum_j g^(2t / N_j) (the allpasses keep energy).
    const modelT30 = (room: number) => {
      const g = f(f(room * f(0.28)) + f(0.7));
      const edcDb = (t: number) => 10 * Math.log10(lengths.reduce((s, n) => s + g ** ((2 * t) / n), 0) / 8);
      let t5 = 0;
      while (edcDb(t5) > -5) t5++;
      let t35 = t5;
      while (edcDb(t35) > -35) t35++;
      return ((t35 - t5) / sr) * 2;
    };
    const measured: number[] = [];
    for (const room of [0, 0.25, 0.5, 0.75, 1]) {
      const seconds = room === 1 ? 40 : 12;
      const [l] = await renderProgram(
        reverb({ room_size: room, damping: 0, dry_level: 0, wet_level: 1 }),
        seconds * sr,
        {
          buffers: [[impulse(16)]],
          chunk: 4096,
        },
      );
      const t30 = decayTime60(l as Float32Array, sr);
      measured.push(t30);
      expect(Math.abs(t30 / modelT30(room) - 1), `room ${room}: T30 ${t30} s`).toBeLessThan(0.015);
    }
    // 0.64 s, 0.87 s, 1.30 s, 2.40 s, 11.2 s
    for (let k = 1; k < measured.length; k++)
      expect(measured[k]).toBeGreaterThan((measured[k - 1] as number) * 1.3);
    // Damping shortens it: the lowpass in the loop takes more from the highs every pass.
    const [damped] = await renderProgram(reverb({ damping: 1, dry_level: 0, wet_level: 1 }), 12 * sr, {
      buffers: [[impulse(16)]],
      chunk: 4096,
    });
    expect(decayTime60(damped as Float32Array, sr)).toBeLessThan((measured[2] as number) * 0.85);
  });

  it("gives L == R at width 0 for a mono input", async () => {
    const [l, r] = await renderProgram(reverb({ width: 0 }), 6000, { buffers: [[left]] });
    expect(l).toEqual(r);
    expect(peak(l as Float32Array)).toBeGreaterThan(0.1);
  });

  it("holds its tail while frozen", async () => {
    const sr = 48000;
    const [l] = await renderProgram(
      reverb({ dry_level: 0 }, [{ type: "step", param: "freeze", frame: sr / 2, value: 1 }]),
      4 * sr,
      { buffers: [[impulse(16)]], chunk: 4096 },
    );
    const L = l as Float32Array;
    const a = rms(L, sr, 2 * sr);
    const b = rms(L, 3 * sr, 4 * sr);
    expect(a).toBeGreaterThan(2e-4);
    // The combs circulate losslessly; what moves is the beating between their eight periods.
    expect(Math.abs(b / a - 1)).toBeLessThan(0.03);
    const [free] = await renderProgram(reverb({ dry_level: 0 }), 4 * sr, {
      buffers: [[impulse(16)]],
      chunk: 4096,
    });
    expect(rms(free as Float32Array, 3 * sr, 4 * sr)).toBeLessThan(a * 1e-3);
  });

  describe("shared behaviour", () => {
    it("describes its parameters from the engine's ParamSpec table", async () => {
      const engine = await newEngine();
      const type = engine.types.find((t) => t.kind === "reverb");
      expect(type?.maxInputs).toBe(-1);
      const spec = (id: string, def: number, extra: object = {}) => ({
        id,
        units: "",
        min: 0,
        max: 1,
        default: f(def),
        discrete: false,
        choices: null,
        choiceAliases: null,
        ...extra,
      });
      expect(type?.params.map(({ name: _, ...rest }) => rest)).toEqual([
        spec("room_size", 0.5),
        spec("damping", 0.5),
        spec("wet_level", 0.33),
        spec("dry_level", 0.4),
        spec("width", 1),
        spec("freeze", 0, { discrete: true, choices: ["off", "on"] }),
      ]);
      engine.destroy();
    });

    it("clamps out-of-range values to the spec and stays finite at every extreme", async () => {
      const loud = sineWave(24000, 3000, 48000, 16);
      const [clamped] = await renderProgram(
        reverb({ room_size: 5, damping: -1, wet_level: 9, width: 3 }),
        24000,
        {
          buffers: [[loud]],
        },
      );
      const [edge] = await renderProgram(
        reverb({ room_size: 1, damping: 0, wet_level: 1, width: 1 }),
        24000,
        {
          buffers: [[loud]],
        },
      );
      expect(clamped).toEqual(edge);
      for (const room_size of [0, 1]) {
        for (const damping of [0, 1]) {
          for (const freeze of [0, 1]) {
            const params = { room_size, damping, freeze, wet_level: 1, dry_level: 1, width: 0 };
            const [l, r] = await renderProgram(reverb(params), 24000, { buffers: [[loud]] });
            expect(allFinite(l as Float32Array) && allFinite(r as Float32Array), JSON.stringify(params)).toBe(
              true,
            );
          }
        }
      }
    });

    it("passes audio: wet silence until the first comb delay, then a steady reverberated sine", async () => {
      const input = sineWave(12000, 440, 48000, 0.5);
      const [w] = await renderProgram(reverb({ dry_level: 0 }), 12000, { buffers: [[input]] });
      const wet = w as Float32Array;
      expect(rms(wet, 0, 1214)).toBe(0);
      expect(firstNonZero(wet)).toBe(1215); // the sine starts at sin(0) = 0
      // Measured 0.322 against the input's 0.354.
      expect(rms(wet, 6000)).toBeGreaterThan(0.3);
      expect(rms(wet, 6000)).toBeLessThan(0.35);
    });

    it("reset() clears the tails and the ramps", async () => {
      const engine = await newEngine();
      const buffer = engine.createBuffer([left, right], 48000);
      // Steps that leave ramps behind: the dry gain's shows at once, the room's from the first echo.
      const program = reverb({}, [
        { type: "step", param: "room_size", frame: 1000, value: 0.9 },
        { type: "step", param: "dry_level", frame: 1000, value: 0.9 },
      ]);
      program.nodes[0] = { ...(program.nodes[0] as GraphProgramNode), buffers: { 0: buffer } };
      applyGraphProgram(engine, program);
      const take = () => {
        engine.render(4096);
        return [0, 1].map((c) => engine.outputChannel(c).slice(0, 4096));
      };
      const first = take();
      engine.reset();
      expect(take()).toEqual(first);
      engine.destroy();
    });

    it("renders the same samples for block sizes 1, 64, 128 and 1000", async () => {
      const timeline: TimelineEntry[] = [{ type: "step", param: "wet_level", frame: 777, value: 0.8 }];
      const render = (blockSize: number) =>
        renderProgram(reverb({}, timeline), 6000, { buffers: [[left, right]], blockSize, chunk: 999 });
      const reference = await render(128);
      for (const blockSize of [1, 64, 1000])
        expect(await render(blockSize), `block ${blockSize}`).toEqual(reference);
    });
  });
});
