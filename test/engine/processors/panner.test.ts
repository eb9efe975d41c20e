import { describe, expect, it } from "vitest";

import { renderProgram } from "../../support/render";
import { maxAbsDifference } from "../../support/signal";
import { describeSharedBehaviour, effectProgram, testSignal } from "./shared-behaviour";

const RULES = [
  "linear",
  "balanced",
  "sin3dB",
  "sin4p5dB",
  "sin6dB",
  "squareRoot3dB",
  "squareRoot4p5dB",
] as const;
type Rule = (typeof RULES)[number];
/** Every rule of the `rule` parameter: JUCE's, then Web Audio's StereoPannerNode law. */
const ALL_RULES = [...RULES, "equalPower"] as const;

/**
 * juce::dsp::Panner::update() (JUCE 6-8, juce_Panner.cpp), rewritten here: the rule's left and
 * right values from the normalised pan p = (pan + 1) / 2, times the rule's boost, which makes every
 * rule unity gain at the centre.
 */
function juceGains(rule: Rule, pan: number): [number, number] {
  const p = 0.5 * (pan + 1);
  const q = 1 - p;
  const sinL = Math.sin((Math.PI / 2) * q);
  const sinR = Math.sin((Math.PI / 2) * p);
  const table: Record<Rule, [number, number, number]> = {
    linear: [q, p, 2],
    balanced: [Math.min(0.5, q), Math.min(0.5, p), 2],
    sin3dB: [sinL, sinR, Math.SQRT2],
    sin4p5dB: [sinL ** 1.5, sinR ** 1.5, 2 ** 0.75],
    sin6dB: [sinL ** 2, sinR ** 2, 2],
    squareRoot3dB: [Math.sqrt(q), Math.sqrt(p), Math.SQRT2],
    squareRoot4p5dB: [Math.sqrt(q) ** 1.5, Math.sqrt(p) ** 1.5, 2 ** 0.75],
  };
  const [left, right, boost] = table[rule];
  return [left * boost, right * boost];
}

const ones = new Float32Array(16).fill(1);

async function gains(
  rule: (typeof ALL_RULES)[number],
  pan: number,
  input: Float32Array[] = [ones],
): Promise<Float32Array[]> {
  const frames = input[0]?.length ?? 0;
  return renderProgram(effectProgram("panner", 1, { pan, rule: ALL_RULES.indexOf(rule) }), frames, {
    buffers: [input],
  });
}

describe("panner: JUCE pan rules", () => {
  it.each(RULES)("%s: gains at pan -1, -0.5, 0, 0.3 and 1 match juce::dsp::Panner", async (rule) => {
    for (const pan of [-1, -0.5, 0, 0.3, 1]) {
      const [left, right] = await gains(rule, pan);
      const [l, r] = juceGains(rule, Math.fround(pan));
      expect(Math.abs((left?.[0] as number) - l), `${rule} pan ${pan} left`).toBeLessThan(1e-6);
      expect(Math.abs((right?.[15] as number) - r), `${rule} pan ${pan} right`).toBeLessThan(1e-6);
    }
  });

  it("has the textbook values at the centre and the sides (JUCE's boost makes the centre unity)", async () => {
    const expected: Record<Rule, number> = {
      linear: 2,
      balanced: 1,
      sin3dB: Math.SQRT2,
      sin4p5dB: 2 ** 0.75,
      sin6dB: 2,
      squareRoot3dB: Math.SQRT2,
      squareRoot4p5dB: 2 ** 0.75,
    };
    for (const rule of RULES) {
      const [cl, cr] = await gains(rule, 0);
      expect(cl?.[0]).toBeCloseTo(1, 6);
      expect(cr?.[0]).toBeCloseTo(1, 6);
      const [hardLeft, silentRight] = await gains(rule, -1);
      expect(hardLeft?.[0]).toBeCloseTo(expected[rule], 6);
      expect(Math.abs(silentRight?.[0] as number)).toBeLessThan(1e-7);
      const [silentLeft, hardRight] = await gains(rule, 1);
      expect(hardRight?.[0]).toBeCloseTo(expected[rule], 6);
      expect(Math.abs(silentLeft?.[0] as number)).toBeLessThan(1e-7);
    }
  });

  it("pans a stereo input as JUCE does: left in * left gain, right in * right gain", async () => {
    const left = testSignal(1000, 1);
    const right = testSignal(1000, 2);
    const [l, r] = await gains("sin4p5dB", -0.4, [left, right]);
    const [gl, gr] = juceGains("sin4p5dB", Math.fround(-0.4)).map(Math.fround) as [number, number];
    expect(
      maxAbsDifference(
        l as Float32Array,
        left.map((x) => x * gl),
      ),
    ).toBe(0);
    expect(
      maxAbsDifference(
        r as Float32Array,
        right.map((x) => x * gr),
      ),
    ).toBe(0);
  });

  it("turns mono into stereo and uses only the first two of more channels", async () => {
    const mono = testSignal(1000, 3);
    const out = await gains("linear", 0.5, [mono]);
    expect(out).toHaveLength(2);
    expect(
      maxAbsDifference(
        out[0] as Float32Array,
        mono.map((x) => x * 0.5),
      ),
    ).toBe(0);
    expect(
      maxAbsDifference(
        out[1] as Float32Array,
        mono.map((x) => x * 1.5),
      ),
    ).toBe(0);
    const [l, r] = await gains("linear", 0.5, [mono, mono.map((x) => -x), mono.map((x) => 2 * x)]);
    expect(
      maxAbsDifference(
        l as Float32Array,
        mono.map((x) => x * 0.5),
      ),
    ).toBe(0);
    expect(
      maxAbsDifference(
        r as Float32Array,
        mono.map((x) => -x * 1.5),
      ),
    ).toBe(0);
  });

  it("clamps pan beyond -1 and 1 (a DawDreamer 0.9.0 fix)", async () => {
    expect(await gains("sin3dB", -5)).toEqual(await gains("sin3dB", -1));
    expect(await gains("sin3dB", 7)).toEqual(await gains("sin3dB", 1));
  });
});

/**
 * Web Audio's StereoPannerNode, from the spec's "Stereo Panning" algorithm, in doubles:
 * mono: x = (pan + 1) / 2, L = in * cos(x pi/2), R = in * sin(x pi/2);
 * stereo, pan <= 0: x = pan + 1, L = inL + inR * cos(x pi/2), R = inR * sin(x pi/2);
 * stereo, pan > 0: x = pan, L = inL * cos(x pi/2), R = inR + inL * sin(x pi/2).
 */
function stereoPanner(pan: number, left: Float32Array, right?: Float32Array): [Float64Array, Float64Array] {
  const p = Math.min(1, Math.max(-1, pan));
  const outL = new Float64Array(left.length);
  const outR = new Float64Array(left.length);
  for (let i = 0; i < left.length; i++) {
    const l = left[i] as number;
    if (right === undefined) {
      const x = ((p + 1) / 2) * (Math.PI / 2);
      outL[i] = l * Math.cos(x);
      outR[i] = l * Math.sin(x);
      continue;
    }
    const r = right[i] as number;
    const x = (p <= 0 ? p + 1 : p) * (Math.PI / 2);
    outL[i] = p <= 0 ? l + r * Math.cos(x) : l * Math.cos(x);
    outR[i] = p <= 0 ? r * Math.sin(x) : r + l * Math.sin(x);
  }
  return [outL, outR];
}

describe("panner: equalPower, Web Audio's StereoPannerNode", () => {
  const left = testSignal(2000, 4);
  const right = testSignal(2000, 5);

  it.each([-1, -0.6, -0.25, 0, 0.25, 0.6, 1])(
    "pan %f: a mono input follows the spec's formula",
    async (pan) => {
      const [l, r] = await gains("equalPower", pan, [left]);
      const [el, er] = stereoPanner(Math.fround(pan), left);
      expect(maxAbsDifference(l as Float32Array, el)).toBeLessThan(1e-6);
      expect(maxAbsDifference(r as Float32Array, er)).toBeLessThan(1e-6);
    },
  );

  it.each([-1, -0.6, -0.25, 0, 0.25, 0.6, 1])(
    "pan %f: a stereo input follows the spec's formula",
    async (pan) => {
      const [l, r] = await gains("equalPower", pan, [left, right]);
      const [el, er] = stereoPanner(Math.fround(pan), left, right);
      expect(maxAbsDifference(l as Float32Array, el)).toBeLessThan(2e-6);
      expect(maxAbsDifference(r as Float32Array, er)).toBeLessThan(2e-6);
    },
  );

  it("is equal power for mono (L^2 + R^2 = 1) and passes stereo unchanged at the centre", async () => {
    for (const pan of [-0.8, -0.1, 0.45, 0.9]) {
      const [l, r] = await gains("equalPower", pan);
      expect((l?.[0] as number) ** 2 + (r?.[0] as number) ** 2).toBeCloseTo(1, 6);
    }
    const [l, r] = await gains("equalPower", 0, [left, right]);
    expect(maxAbsDifference(l as Float32Array, left)).toBe(0);
    expect(maxAbsDifference(r as Float32Array, right)).toBe(0);
    const [centreL, centreR] = await gains("equalPower", 0);
    expect(centreL?.[0]).toBeCloseTo(Math.SQRT1_2, 7);
    expect(centreR?.[0]).toBeCloseTo(Math.SQRT1_2, 7);
  });
});

describeSharedBehaviour({
  kind: "panner",
  table: [
    {
      id: "pan",
      name: "Pan",
      units: "",
      min: -1,
      max: 1,
      default: 0,
      discrete: false,
      choices: null,
      choiceAliases: null,
    },
    {
      id: "rule",
      name: "Rule",
      units: "",
      min: 0,
      max: 7,
      default: 0,
      discrete: true,
      choices: [...ALL_RULES],
      choiceAliases: null,
    },
  ],
  inputs: [[testSignal(6000, 1), testSignal(6000, 2)]],
  outputChannels: 2,
  params: { pan: 0.3, rule: 2 },
  extremes: ALL_RULES.flatMap((_, rule) => [
    { rule, pan: -1 },
    { rule, pan: 1 },
  ]),
  stateful: false,
});
