import { describe, expect, it } from "vitest";

import { renderProgram } from "../../support/render";
import { maxAbsDifference, peak, sineWave, toDb } from "../../support/signal";
import { describeSharedBehaviour, effectProgram, testSignal } from "./shared-behaviour";

const SR = 48000;
const dc = (frames: number, level: number) => new Float32Array(frames).fill(level);
const fromDb = (db: number) => 10 ** (db / 20);

/** Giannoulis, Massberg & Reiss (2012) eq. 4: output level in dB for a static input level. */
function staticCurve(inDb: number, threshold: number, ratio: number, knee: number): number {
  const over = inDb - threshold;
  if (2 * over < -knee) return inDb;
  if (2 * Math.abs(over) <= knee && knee > 0)
    return inDb + ((1 / ratio - 1) * (over + knee / 2) ** 2) / (2 * knee);
  return threshold + over / ratio;
}

/** Renders one compressor fed by `channels`; returns its output channels. */
async function compress(
  channels: Float32Array[],
  params: Record<string, number>,
  frames = channels[0]?.length,
) {
  return renderProgram(effectProgram("compressor", 1, params), frames ?? 0, {
    buffers: [channels],
    chunk: 4096,
  });
}

describe("compressor: static curve", () => {
  let worst = 0;

  it.each([0, 6])(
    "hard knee, makeup %d dB: out = T + (in - T) / R + makeup above threshold",
    async (makeup) => {
      const params = { threshold: -20, ratio: 4, attack: 1, release: 50, knee: 0, makeup };
      for (const level of [-40, -25, -20.5, -15, -10, -3, 0]) {
        const [out] = await compress([dc(24000, fromDb(level))], params);
        const measured = toDb(Math.abs(out?.[23999] as number));
        const error = Math.abs(measured - (staticCurve(level, -20, 4, 0) + makeup));
        worst = Math.max(worst, error);
        expect(error, `${level} dB in`).toBeLessThan(1e-3);
      }
    },
  );

  it.each([2, 4, 10, 100])("ratio %d at -10 dB in, threshold -30 dB", async (ratio) => {
    const [out] = await compress([dc(24000, fromDb(-10))], { threshold: -30, ratio, attack: 1 });
    const error = Math.abs(toDb(out?.[23999] as number) - (-30 + 20 / ratio));
    worst = Math.max(worst, error);
    expect(error).toBeLessThan(1e-3);
  });

  it("soft knee follows the quadratic of Giannoulis et al. across the knee", async () => {
    const params = { threshold: -20, ratio: 4, attack: 1, knee: 12 };
    for (const level of [-30, -26, -24, -21, -20, -17, -14, -8]) {
      const [out] = await compress([dc(24000, fromDb(level))], params);
      const error = Math.abs(toDb(out?.[23999] as number) - staticCurve(level, -20, 4, 12));
      worst = Math.max(worst, error);
      expect(error, `${level} dB in`).toBeLessThan(1e-3);
    }
    // The knee's midpoint is (1/R - 1) W / 8 dB below the hard-knee curve's corner.
    expect(staticCurve(-20, -20, 4, 12)).toBeCloseTo(-20 - (0.75 * 12) / 8, 12);
  });

  it("below threshold the gain is exactly the makeup gain", async () => {
    const quiet = testSignal(24000, 7).map((x) => x * 0.05); // peaks at -26 dB
    const [unity] = await compress([quiet], { threshold: -20, ratio: 8, makeup: 0 });
    expect(maxAbsDifference(unity as Float32Array, quiet)).toBe(0);
    const [boosted] = await compress([quiet], { threshold: -20, ratio: 8, makeup: 6 });
    const makeup = Math.fround(fromDb(6));
    expect(
      maxAbsDifference(
        boosted as Float32Array,
        quiet.map((x) => x * makeup),
      ),
    ).toBe(0);
  });

  it("a steady sine's peak follows the curve within 0.1 dB (fast attack, slow release)", async () => {
    for (const amplitude of [1, 0.5, 0.2]) {
      // 1 kHz at 48 kHz puts a sample on every crest, so the peak detector sees the true peak.
      const [out] = await compress([sineWave(48000, 1000, SR, amplitude)], {
        threshold: -20,
        ratio: 4,
        attack: 0.01,
        release: 5000,
        makeup: 3,
      });
      const expected = staticCurve(toDb(amplitude), -20, 4, 0) + 3;
      const error = Math.abs(toDb(peak((out as Float32Array).subarray(43200))) - expected);
      expect(error, `amplitude ${amplitude}`).toBeLessThan(0.1);
    }
  });

  it("records the worst static-curve error", () => {
    console.log(`compressor static curve (DC): max error ${worst.toExponential(2)} dB`);
    expect(worst).toBeLessThan(1e-3);
  });
});

describe("compressor: time constants", () => {
  // A DC step from -40 dB (below threshold) to 0 dB: the target gain reduction jumps from 0 to
  // (0 - -20) * (1 - 1/4) = 15 dB and the smooth branching detector approaches it as a one-pole
  // filter: reduction[k] = 15 (1 - alpha^(k + 1)), alpha = exp(-1 / (tau fs)).
  const step = 4800;
  const input = Float32Array.from({ length: 3 * step }, (_, i) => (i < step ? 0.01 : 1));
  const reduction = (out: Float32Array, i: number) => toDb(input[i] as number) - toDb(out[i] as number);

  it.each([0.5, 2, 10, 100])(
    "attack %d ms: the reduction reaches 1 - 1/e of 15 dB after the attack time",
    async (ms) => {
      const [out] = await compress([input], { threshold: -20, ratio: 4, attack: ms, release: 5000 });
      const alpha = Math.exp(-1 / ((ms / 1000) * SR));
      let maxError = 0;
      let crossing = -1;
      for (let k = 0; k < 2 * step; k++) {
        const r = reduction(out as Float32Array, step + k);
        maxError = Math.max(maxError, Math.abs(r - 15 * (1 - alpha ** (k + 1))));
        if (crossing < 0 && r >= 15 * (1 - 1 / Math.E)) crossing = k + 1; // frames since the step
      }
      expect(maxAbsDifference((out as Float32Array).subarray(0, step), input.subarray(0, step))).toBe(0);
      expect(maxError).toBeLessThan(1e-3);
      const tau = (ms / 1000) * SR;
      expect(Math.abs(crossing - tau)).toBeLessThanOrEqual(Math.max(1, 0.1 * tau));
    },
  );

  it("release 100 ms: the reduction falls to 1/e of 15 dB after the release time", async () => {
    const down = Float32Array.from({ length: 4 * step }, (_, i) => (i < step ? 1 : 0.01));
    const [out] = await compress([down], { threshold: -20, ratio: 4, attack: 0.5, release: 100 });
    const alpha = Math.exp(-1 / (0.1 * SR));
    let crossing = -1;
    let maxError = 0;
    for (let k = 0; k < 3 * step; k++) {
      const r = toDb(down[step + k] as number) - toDb(out?.[step + k] as number);
      maxError = Math.max(maxError, Math.abs(r - 15 * alpha ** (k + 1)));
      if (crossing < 0 && r <= 15 / Math.E) crossing = k + 1;
    }
    expect(maxError).toBeLessThan(1e-3);
    expect(Math.abs(crossing - 0.1 * SR)).toBeLessThanOrEqual(1);
  });
});

describe("compressor: channels", () => {
  it("links channels: one gain from the loudest channel, applied to all", async () => {
    const loud = Float32Array.from({ length: 9600 }, (_, i) => (i < 2400 ? 0.05 : 1));
    const quiet = testSignal(9600, 3).map((x) => 0.1 * x);
    const params = { threshold: -20, ratio: 4, attack: 2, release: 30 };
    const [l, r] = await compress([loud, quiet], params);
    // out = in * gain in float: with the left input at 1 the left output is the gain itself.
    const gain = Float32Array.from(l as Float32Array, (x, i) => x / (loud[i] as number));
    expect(
      maxAbsDifference(
        r as Float32Array,
        quiet.map((x, i) => x * (gain[i] as number)),
      ),
    ).toBe(0);
    // Swapping the channels changes nothing.
    const [r2, l2] = await compress([quiet, loud], params);
    expect(maxAbsDifference(l2 as Float32Array, l as Float32Array)).toBe(0);
    expect(maxAbsDifference(r2 as Float32Array, r as Float32Array)).toBe(0);
    // And the quiet channel alone would not be compressed at all.
    const [alone] = await compress([quiet], params);
    expect(maxAbsDifference(alone as Float32Array, quiet)).toBe(0);
  });

  it("takes any channel count", async () => {
    const channels = [1, 2, 3, 4, 5].map((seed) => testSignal(3000, seed));
    const out = await compress(channels, { threshold: -30 });
    expect(out).toHaveLength(5);
  });
});

describeSharedBehaviour({
  kind: "compressor",
  table: [
    {
      id: "threshold",
      name: "Threshold",
      units: "dB",
      min: -60,
      max: 0,
      default: 0,
      discrete: false,
      choices: null,
      choiceAliases: null,
    },
    {
      id: "ratio",
      name: "Ratio",
      units: "",
      min: 1,
      max: 100,
      default: 2,
      discrete: false,
      choices: null,
      choiceAliases: null,
    },
    {
      id: "attack",
      name: "Attack",
      units: "ms",
      min: Math.fround(0.01),
      max: 1000,
      default: 2,
      discrete: false,
      choices: null,
      choiceAliases: null,
    },
    {
      id: "release",
      name: "Release",
      units: "ms",
      min: 1,
      max: 5000,
      default: 50,
      discrete: false,
      choices: null,
      choiceAliases: null,
    },
    {
      id: "knee",
      name: "Knee",
      units: "dB",
      min: 0,
      max: 24,
      default: 0,
      discrete: false,
      choices: null,
      choiceAliases: null,
    },
    {
      id: "makeup",
      name: "Makeup gain",
      units: "dB",
      min: -24,
      max: 48,
      default: 0,
      discrete: false,
      choices: null,
      choiceAliases: null,
    },
  ],
  inputs: [[testSignal(6000, 1), testSignal(6000, 2)]],
  outputChannels: 2,
  params: { threshold: -24, ratio: 4, attack: 3, release: 40, knee: 6 },
  extremes: [
    { threshold: -60, ratio: 100, attack: 0.01, release: 1, knee: 24, makeup: 48 },
    { threshold: 0, ratio: 1, attack: 1000, release: 5000, knee: 24, makeup: -24 },
    { threshold: -60, ratio: 1, knee: 0 },
  ],
  stateful: true,
});
