/**
 * builtin:synth measured through the engine: envelope times and levels, velocity, release after
 * note-off, glide, voice stealing (which note goes, and no click), the filter (its response, its
 * envelope, key tracking), oscillator pitch and mix, aliasing, and the shared source behaviour
 * (block-size independence, reset, finite at every extreme).
 */
import { describe, expect, it } from "vitest";
import { builtinDescriptor, presetParams } from "../../../src/engine/builtin-descriptors";
import type { GraphProgram, TimelineEntry } from "../../../src/engine/graph-program";
import type { ProcessorTypeInfo } from "../../../src/engine/processor-types";
import { noteOff, noteOn } from "../../support/graph-programs";
import { newEngine, renderProgram } from "../../support/render";
import { estimateFrequency, toDb, toneAt } from "../../support/signal";
import { blackmanHarris, powerSpectrum, svfMagnitude as svfResponse } from "../../support/spectrum";
import { describeSharedBehaviour, paramRow as param } from "./shared-behaviour";

const SR = 48000;
const ms = (t: number) => Math.round((t * SR) / 1000);
const synth = (timeline: TimelineEntry[], params: Record<string, number> = {}): GraphProgram => ({
  nodes: [{ kind: "synth", inputs: [], params, timeline }],
  output: 0,
});
const render = async (timeline: TimelineEntry[], params: Record<string, number>, frames: number) => {
  const [out] = await renderProgram(synth(timeline, params), frames);
  return out as Float32Array;
};
const noteHz = (note: number) => 440 * 2 ** ((note - 69) / 12);
/** A plain sine voice: no filter, no velocity scaling; envelope as given. */
const SINE = { osc1_waveform: 0, filter_mode: 0, velocity_to_amp: 0 };

/**
 * The amplitude envelope sample by sample: a note divided by the same note with no envelope (same
 * oscillator phases), read where the reference is at least 0.5 in magnitude, elsewhere NaN.
 */
async function envelopeOf(timeline: TimelineEntry[], params: Record<string, number>, frames: number) {
  const shaped = await render(timeline, { ...SINE, ...params }, frames);
  const flat = await render(
    timeline.filter((e) => e.type !== "midi" || (e.status & 0xf0) === 0x90),
    { ...SINE, ...params, attack: 0, decay: 0, sustain: 1, release: 0 },
    frames,
  );
  return Float64Array.from(shaped, (x, i) => {
    const r = flat[i] as number;
    return Math.abs(r) >= 0.5 ? x / r : Number.NaN;
  });
}
/** The index of the last non-zero sample, or -1. */
const lastSound = (x: Float32Array) => {
  for (let i = x.length - 1; i >= 0; i--) if (x[i] !== 0) return i;
  return -1;
};
/** The envelope near frame i: the first defined value at or after it. */
const at = (env: Float64Array, i: number) => {
  for (let j = i; j < env.length; j++) if (!Number.isNaN(env[j] as number)) return env[j] as number;
  return Number.NaN;
};

describe("synth amplitude envelope", () => {
  it("attack: linear, peak at the attack time (±1 ms); decay to sustain; sustain within 0.1 dB", async () => {
    // 10 ms attack, 100 ms decay to 0.5; note 69 (440 Hz).
    const env = await envelopeOf([noteOn(0, 69)], { attack: 10, decay: 100, sustain: 0.5 }, ms(400));
    const firstPeak = env.findIndex((x) => x >= 0.9999);
    expect(Math.abs(firstPeak - ms(10))).toBeLessThanOrEqual(ms(1));
    expect(at(env, ms(5))).toBeCloseTo(0.5, 1); // halfway up: linear
    // Decay: exponential, -60 dB of (1 - sustain) left after the decay time.
    const left = at(env, ms(110)) - 0.5;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(0.5 * 1e-3 * 1.2);
    // Halfway through the decay, sqrt(1000) of the distance is gone: 0.5 + 0.5 / 31.6.
    expect(at(env, ms(60))).toBeCloseTo(0.5 + 0.5 / Math.sqrt(1000), 2);
    expect(Math.abs(toDb(at(env, ms(300)) / 0.5))).toBeLessThan(0.1);
  });

  it("release after note-off: -60 dB at the release time (±0.5 dB), silent by 4/3 of it", async () => {
    const env = await envelopeOf(
      [noteOn(0, 69), noteOff(ms(200), 69)],
      { attack: 1, sustain: 0.5, release: 300 },
      ms(700),
    );
    expect(at(env, ms(199))).toBeCloseTo(0.5, 5); // held at sustain until the note-off
    const dropDb = toDb(at(env, ms(500)) / 0.5);
    expect(Math.abs(dropDb + 60)).toBeLessThan(0.5);
    expect(toDb(at(env, ms(350)) / 0.5)).toBeCloseTo(-30, 0); // exponential: half the dB at half the time
    const out = await render(
      [noteOn(0, 69), noteOff(ms(200), 69)],
      { ...SINE, attack: 1, sustain: 0.5, release: 300 },
      ms(700),
    );
    const last = lastSound(out);
    expect(last).toBeGreaterThan(ms(200 + 300));
    expect(last).toBeLessThanOrEqual(ms(200 + 400) + 1);
  });

  it("a note held at sustain 0 ends after its decay; note-off of another note does nothing", async () => {
    const out = await render(
      [noteOn(0, 69), noteOff(ms(20), 70)],
      { ...SINE, attack: 0, decay: 60, sustain: 0 },
      ms(200),
    );
    // -80 dB (the end) at 4/3 of the decay time.
    const last = lastSound(out);
    expect(Math.abs(last - ms(80))).toBeLessThanOrEqual(ms(1));
  });

  it("velocity: level ∝ 1 - amount × (1 - v / 127)", async () => {
    const level = async (velocity: number, amount: number) => {
      const out = await render(
        [noteOn(0, 69, velocity)],
        { ...SINE, attack: 0, velocity_to_amp: amount },
        ms(200),
      );
      return toneAt(out, 440, SR, ms(100), ms(200)).amplitude;
    };
    const full = await level(127, 1);
    expect(full).toBeCloseTo(1, 3);
    expect((await level(64, 1)) / full).toBeCloseTo(64 / 127, 4); // -6.0 dB
    expect((await level(64, 0.5)) / full).toBeCloseTo(1 - 0.5 * (1 - 64 / 127), 4);
    expect((await level(1, 0)) / full).toBeCloseTo(1, 5);
  });

  it("the same note played again reuses its voice: no doubling, no step", async () => {
    const out = await render([noteOn(0, 69), noteOn(ms(100), 69)], { ...SINE, attack: 5 }, ms(200));
    const after = toneAt(out, 440, SR, ms(150), ms(200)).amplitude;
    expect(after).toBeCloseTo(1, 3); // one voice, not two
    let step = 0;
    for (let i = 1; i < out.length; i++)
      step = Math.max(step, Math.abs((out[i] as number) - (out[i - 1] as number)));
    expect(step).toBeLessThan(2 * Math.sin((Math.PI * 440) / SR) + 1e-3); // a 440 Hz sine's own slope
  });
});

describe("synth glide", () => {
  /**
   * Pitch (MIDI note) in windows of `width` frames: the mean period between the first and last
   * rising zero crossing in the window, placed at the midpoint of those two crossings.
   */
  const pitchTrack = (x: Float32Array, from: number, to: number, width: number) => {
    const points: { centre: number; note: number }[] = [];
    for (let s = from; s + width <= to; s += width) {
      const crossings: number[] = [];
      for (let i = s + 1; i < s + width; i++) {
        const a = x[i - 1] as number;
        const b = x[i] as number;
        if (a < 0 && b >= 0) crossings.push(i - 1 + a / (a - b));
      }
      const first = crossings[0] as number;
      const last = crossings[crossings.length - 1] as number;
      const f = ((crossings.length - 1) * SR) / (last - first);
      points.push({ centre: (first + last) / 2, note: 69 + 12 * Math.log2(f / 440) });
    }
    return points;
  };

  it("mono legato: from note A to B linearly in semitones over the glide time, envelope not retriggered", async () => {
    // 57 (220 Hz) held, 69 (440 Hz) played at 100 ms with 200 ms glide.
    const params = { ...SINE, voices: 1, glide: 200, attack: 50, sustain: 1 };
    const out = await render([noteOn(0, 57), noteOn(ms(100), 69)], params, ms(500));
    expect(estimateFrequency(out.subarray(ms(60), ms(100)), SR)).toBeCloseTo(220, 0);
    for (const { centre, note } of pitchTrack(out, ms(110), ms(290), ms(10))) {
      const expected = 57 + (12 * (centre - ms(100))) / ms(200);
      expect(Math.abs(note - expected), `at ${centre}`).toBeLessThan(0.1);
    }
    expect(estimateFrequency(out.subarray(ms(310), ms(500)), SR)).toBeCloseTo(440, 1);
    // Legato: the level stays at 1 through the second note-on (no new attack from 0).
    expect(toneAt(out, 220, SR, ms(90), ms(100)).amplitude).toBeGreaterThan(0.95);
    const through = Math.max(...out.subarray(ms(100), ms(115)).map(Math.abs));
    expect(through).toBeGreaterThan(0.99);
  });

  it("mono: releasing the new note glides back to the held one; glide 0 jumps", async () => {
    const out = await render(
      [noteOn(0, 57), noteOn(ms(100), 69), noteOff(ms(200), 69)],
      { ...SINE, voices: 1, glide: 0 },
      ms(300),
    );
    expect(estimateFrequency(out.subarray(ms(101), ms(199)), SR)).toBeCloseTo(440, 1);
    expect(estimateFrequency(out.subarray(ms(201), ms(299)), SR)).toBeCloseTo(220, 1);
  });

  it("poly: a new voice glides from the last note played, over the glide time", async () => {
    // Two voices: 57 released before 69 starts; 69 starts at 57's pitch.
    const out = await render(
      [noteOn(0, 57), noteOff(ms(50), 57), noteOn(ms(100), 69)],
      { ...SINE, glide: 100, release: 1 },
      ms(300),
    );
    for (const { centre, note } of pitchTrack(out, ms(110), ms(190), ms(10))) {
      expect(Math.abs(note - (57 + (12 * (centre - ms(100))) / ms(100))), `at ${centre}`).toBeLessThan(0.1);
    }
    expect(estimateFrequency(out.subarray(ms(210), ms(300)), SR)).toBeCloseTo(440, 1);
  });
});

describe("synth voices", () => {
  const level = (x: Float32Array, note: number, from: number, to: number) =>
    toDb(toneAt(x, noteHz(note), SR, from, to).amplitude);
  const largestStep = (x: Float32Array, from: number, to: number) => {
    let step = 0;
    for (let i = from + 1; i < to; i++)
      step = Math.max(step, Math.abs((x[i] as number) - (x[i - 1] as number)));
    return step;
  };
  // 60, 64, 67 on sines at amplitude 1: the sum's slope is at most the sum of theirs.
  const slope = (notes: number[]) => notes.reduce((s, n) => s + 2 * Math.sin((Math.PI * noteHz(n)) / SR), 0);

  // Notes 45, 57, 69 (110, 220, 440 Hz): whole periods in any 100 ms window, so each note's level
  // is measured without leakage from the others.
  it("with 2 voices a third note steals the oldest, fading it in 3 ms with no step", async () => {
    const params = { ...SINE, voices: 2, attack: 5, release: 500 };
    const timeline = [noteOn(0, 45), noteOn(ms(100), 57), noteOn(ms(200), 69)];
    const out = await render(timeline, params, ms(400));
    expect(level(out, 45, ms(100), ms(200))).toBeGreaterThan(-0.5); // sounding before the steal
    expect(level(out, 45, ms(250), ms(350))).toBeLessThan(-100); // gone
    expect(level(out, 57, ms(250), ms(350))).toBeGreaterThan(-0.5);
    expect(level(out, 69, ms(250), ms(350))).toBeGreaterThan(-0.5);
    // No click: no step larger than the three tones' own slopes, through the steal.
    expect(largestStep(out, ms(190), ms(220))).toBeLessThan(slope([45, 57, 69]));
    // The stolen voice is silent from 3 ms after the steal: from there the render equals one
    // without the stolen note.
    const withoutStolen = await render(timeline.slice(1), params, ms(400));
    let differsUntil = 0;
    out.forEach((x, i) => {
      if (x !== withoutStolen[i]) differsUntil = i;
    });
    expect(differsUntil).toBe(ms(200) + ms(3) - 1);
  });

  it("steals a released voice before an older held one", async () => {
    const params = { ...SINE, voices: 2, attack: 5, release: 2000 };
    const out = await render(
      [noteOn(0, 45), noteOn(ms(100), 57), noteOff(ms(150), 57), noteOn(ms(200), 69)],
      params,
      ms(400),
    );
    expect(level(out, 45, ms(250), ms(350))).toBeGreaterThan(-0.5); // held: kept
    expect(level(out, 57, ms(250), ms(350))).toBeLessThan(-100); // released: stolen
    expect(level(out, 69, ms(250), ms(350))).toBeGreaterThan(-0.5);
  });

  it("plays chords up to the voice count; note-off releases only its note", async () => {
    const out = await render(
      [noteOn(0, 45), noteOn(0, 57), noteOn(0, 69), noteOff(ms(100), 57)],
      { ...SINE, voices: 3, release: 1 },
      ms(300),
    );
    for (const note of [45, 57, 69]) expect(level(out, note, 0, ms(100))).toBeGreaterThan(-0.5);
    expect(level(out, 57, ms(150), ms(250))).toBeLessThan(-100);
    for (const note of [45, 69]) expect(level(out, note, ms(150), ms(250))).toBeGreaterThan(-0.5);
  });
});

describe("synth oscillators", () => {
  it("oscillator 2 is pitched by semitones and cents; the mix crossfades", async () => {
    const out = await render(
      [noteOn(0, 57)],
      { ...SINE, osc2_waveform: 0, osc_mix: 1, osc2_semitones: 12, osc2_detune: 50 },
      ms(200),
    );
    expect(estimateFrequency(out.subarray(ms(10)), SR)).toBeCloseTo(220 * 2 ** (12.5 / 12), 1);
    const half = await render(
      [noteOn(0, 69)],
      { ...SINE, osc2_waveform: 0, osc_mix: 0.25, osc2_semitones: 12 },
      ms(200),
    );
    expect(toneAt(half, 440, SR, ms(100), ms(200)).amplitude).toBeCloseTo(0.75, 3);
    expect(toneAt(half, 880, SR, ms(100), ms(200)).amplitude).toBeCloseTo(0.25, 3);
  });

  it("an LFO to pitch swings the frequency by its depth in cents", async () => {
    const out = await render(
      [noteOn(0, 69)],
      { ...SINE, lfo_rate: 2, lfo_to_pitch: 100, lfo_waveform: 3 },
      ms(1000),
    );
    // Square LFO at 2 Hz: +1 semitone for 250 ms, then -1.
    expect(estimateFrequency(out.subarray(ms(20), ms(240)), SR)).toBeCloseTo(440 * 2 ** (1 / 12), 0);
    expect(estimateFrequency(out.subarray(ms(270), ms(490)), SR)).toBeCloseTo(440 * 2 ** (-1 / 12), 0);
  });

  it("a high saw is alias-free: non-harmonic power below -70 dB", async () => {
    const n = 1 << 14;
    for (const note of [96, 108]) {
      const out = await render([noteOn(0, note)], { filter_mode: 0, attack: 0 }, ms(50) + n);
      const window = blackmanHarris(n);
      const power = powerSpectrum(out.subarray(ms(50), ms(50) + n), window);
      const f0Bins = (noteHz(note) / SR) * n;
      let total = 0;
      let other = 0;
      power.forEach((p, k) => {
        total += p;
        const nearest = Math.round(k / f0Bins) * f0Bins;
        if (Math.abs(k - nearest) > 5) other += p;
      });
      const db = 10 * Math.log10(other / total);
      console.log(`synth saw note ${note}: non-harmonic power ${db.toFixed(1)} dB`);
      expect(db).toBeLessThan(-70);
    }
  });
});

const svfMagnitude = (mode: "lowpass" | "highpass" | "bandpass", f: number, fc: number, q: number) =>
  svfResponse(mode, f, fc, q, SR);

describe("synth aliasing while the pitch moves", () => {
  it("a saw gliding an octave (note 84 -> 96 over 10 s): non-harmonic power below -70 dB in 4096-frame windows", async () => {
    // The increment is constant within each 16-sample control chunk and the wavetable levels are
    // chosen for it, so a moving pitch is as alias-free as a steady one. Each window masks the
    // harmonics' bins widened by how far each harmonic moves within the window.
    const glideMs = 10000;
    const out = await render(
      [noteOn(0, 84), noteOn(ms(100), 96)],
      { filter_mode: 0, attack: 0, voices: 1, glide: glideMs },
      ms(100 + glideMs),
    );
    const n = 4096;
    const window = blackmanHarris(n);
    for (const t of [2000, 5000, 8000]) {
      const start = ms(100 + t) - n / 2;
      const power = powerSpectrum(out.subarray(start, start + n), window);
      const note = 84 + (12 * t) / glideMs;
      const f0Bins = (noteHz(note) / SR) * n;
      const drift = (Math.log(2) * ((12 / glideMs) * ((n / SR) * 1000))) / 12; // relative change across the window
      let total = 0;
      let other = 0;
      power.forEach((p, k) => {
        total += p;
        const h = Math.max(1, Math.round(k / f0Bins));
        const width = 5 + (h * f0Bins * drift) / 2;
        if (Math.abs(k - h * f0Bins) > width && k > 5) other += p;
      });
      const db = 10 * Math.log10(other / total);
      console.log(
        `synth saw glide at ${t} ms (note ${note.toFixed(1)}): non-harmonic power ${db.toFixed(1)} dB`,
      );
      expect(db).toBeLessThan(-70);
    }
  });
});

describe("synth filter", () => {
  // Note 69: 440 Hz, 44 whole periods in 100 ms, so every harmonic is exact in a 100 ms window.
  const harmonic = (x: Float32Array, k: number, from: number) =>
    toneAt(x, 440 * k, SR, from, from + ms(100)).amplitude;
  const saw = (k: number) => 2 / (Math.PI * k);

  it("each mode shapes a saw's harmonics as the SVF response predicts (±0.2 dB)", async () => {
    for (const [mode, index] of [
      ["lowpass", 1],
      ["highpass", 2],
      ["bandpass", 3],
    ] as const) {
      const params = { filter_mode: index, filter_cutoff: 1500, filter_resonance: 2, attack: 0 };
      const out = await render([noteOn(0, 69)], params, ms(300));
      for (const k of [1, 2, 3, 4, 6, 10, 20]) {
        const expected = saw(k) * svfMagnitude(mode, 440 * k, 1500, 2);
        expect(Math.abs(toDb(harmonic(out, k, ms(200)) / expected)), `${mode} harmonic ${k}`).toBeLessThan(
          0.2,
        );
      }
    }
  });

  it("the filter envelope opens over its attack time, by its amount in octaves", async () => {
    // Cutoff 250 Hz + 4 octaves × envelope; attack 2 s: the envelope is 0.25, 0.5, 0.75 at 0.5, 1, 1.5 s.
    const params = {
      filter_cutoff: 250,
      filter_env_amount: 4,
      filter_attack: 2000,
      filter_sustain: 1,
      attack: 0,
    };
    const out = await render([noteOn(0, 69)], params, ms(2000));
    for (const t of [500, 1000, 1500]) {
      const fc = 250 * 2 ** ((4 * t) / 2000);
      for (const k of [3, 5]) {
        const expected = saw(k) * svfMagnitude("lowpass", 440 * k, fc, Math.SQRT1_2);
        expect(
          Math.abs(toDb(harmonic(out, k, ms(t - 50)) / expected)),
          `${t} ms, harmonic ${k}`,
        ).toBeLessThan(0.5);
      }
    }
    // Decay to sustain 0.5: the cutoff settles at 250 × 2^(4 × 0.5) = 1000 Hz; a negative amount closes it.
    const settled = await render(
      [noteOn(0, 69)],
      { ...params, filter_attack: 0, filter_decay: 50, filter_sustain: 0.5 },
      ms(400),
    );
    const down = await render(
      [noteOn(0, 69)],
      {
        ...params,
        filter_cutoff: 4000,
        filter_env_amount: -2,
        filter_attack: 0,
        filter_decay: 0,
        filter_sustain: 1,
      },
      ms(400),
    );
    for (const k of [2, 4, 8]) {
      const h = saw(k) * svfMagnitude("lowpass", 440 * k, 1000, Math.SQRT1_2);
      expect(Math.abs(toDb(harmonic(settled, k, ms(300)) / h))).toBeLessThan(0.2);
      expect(Math.abs(toDb(harmonic(down, k, ms(300)) / h))).toBeLessThan(0.2);
    }
  });

  it("key tracking 1: the cutoff follows the note (an octave up doubles it); 0: it stays", async () => {
    for (const tracking of [0, 1]) {
      for (const note of [69, 81]) {
        const out = await render(
          [noteOn(0, note)],
          { filter_cutoff: 500, filter_key_tracking: tracking, attack: 0 },
          ms(300),
        );
        const f0 = noteHz(note);
        const fc = 500 * 2 ** ((tracking * (note - 60)) / 12);
        for (const k of [1, 2, 4]) {
          const measured = toneAt(out, f0 * k, SR, ms(200), ms(300)).amplitude;
          const expected = saw(k) * svfMagnitude("lowpass", f0 * k, fc, Math.SQRT1_2);
          expect(
            Math.abs(toDb(measured / expected)),
            `tracking ${tracking}, note ${note}, harmonic ${k}`,
          ).toBeLessThan(0.2);
        }
      }
    }
  });

  it("velocity to filter: velocity 64 lowers the cutoff by amount × (1 - 64/127) octaves", async () => {
    const out = await render(
      [noteOn(0, 69, 64)],
      { filter_cutoff: 2000, velocity_to_filter: 2, velocity_to_amp: 0, attack: 0 },
      ms(300),
    );
    const fc = 2000 * 2 ** (2 * (64 / 127 - 1));
    for (const k of [2, 4, 8]) {
      const expected = saw(k) * svfMagnitude("lowpass", 440 * k, fc, Math.SQRT1_2);
      expect(Math.abs(toDb(harmonic(out, k, ms(200)) / expected))).toBeLessThan(0.2);
    }
  });
});

describe("synth noise and presets", () => {
  it("noise is deterministic: the same render twice is the same samples", async () => {
    const a = await render([noteOn(0, 60), noteOn(100, 64)], { noise: 0.5, osc1_waveform: 0 }, 4000);
    const b = await render([noteOn(0, 60), noteOn(100, 64)], { noise: 0.5, osc1_waveform: 0 }, 4000);
    expect(a).toEqual(b);
    const quiet = await render([noteOn(0, 60), noteOn(100, 64)], { noise: 0, osc1_waveform: 0 }, 4000);
    expect(a).not.toEqual(quiet);
  });
});

const WAVES = { discrete: true, choices: ["sine", "saw", "square", "triangle"] };

describeSharedBehaviour({
  kind: "synth",
  table: [
    param("osc1_waveform", "Oscillator 1 waveform", "", [0, 3], 1, WAVES),
    param("osc2_waveform", "Oscillator 2 waveform", "", [0, 3], 1, WAVES),
    param("osc2_semitones", "Oscillator 2 semitones", "semitones", [-24, 24], 0, { discrete: true }),
    param("osc2_detune", "Oscillator 2 detune", "cents", [-100, 100], 0),
    param("osc_mix", "Oscillator mix", "", [0, 1], 0),
    param("noise", "Noise level", "", [0, 1], 0),
    param("filter_mode", "Filter mode", "", [0, 3], 1, {
      discrete: true,
      choices: ["off", "lowpass", "highpass", "bandpass"],
    }),
    param("filter_cutoff", "Filter cutoff", "Hz", [20, 20000], 20000),
    param("filter_resonance", "Filter resonance", "", [0.5, 20], Math.SQRT1_2),
    param("filter_env_amount", "Filter envelope amount", "octaves", [-8, 8], 0),
    param("filter_key_tracking", "Filter key tracking", "", [0, 1], 0),
    param("filter_attack", "Filter attack", "ms", [0, 10000], 0),
    param("filter_decay", "Filter decay", "ms", [0, 10000], 200),
    param("filter_sustain", "Filter sustain", "", [0, 1], 0),
    param("filter_release", "Filter release", "ms", [0, 10000], 200),
    param("attack", "Attack", "ms", [0, 10000], 2),
    param("decay", "Decay", "ms", [0, 10000], 100),
    param("sustain", "Sustain", "", [0, 1], 1),
    param("release", "Release", "ms", [0, 10000], 100),
    param("lfo_waveform", "LFO waveform", "", [0, 3], 0, {
      discrete: true,
      choices: ["sine", "triangle", "saw", "square"],
    }),
    param("lfo_rate", "LFO rate", "Hz", [0.01, 50], 5),
    param("lfo_to_pitch", "LFO to pitch", "cents", [0, 1200], 0),
    param("lfo_to_cutoff", "LFO to cutoff", "octaves", [0, 8], 0),
    param("lfo_to_amp", "LFO to amplitude", "", [0, 1], 0),
    param("velocity_to_amp", "Velocity to amplitude", "", [0, 1], 1),
    param("velocity_to_filter", "Velocity to filter", "octaves", [0, 8], 0),
    param("glide", "Glide", "ms", [0, 10000], 0),
    param("voices", "Voices", "", [1, 64], 8, { discrete: true }),
    param("bend_range", "Pitch bend range", "semitones", [0, 48], 2),
    param("gain", "Gain", "", [0, 16], 1),
  ],
  inputs: [],
  outputChannels: 1,
  // Everything moving at once: both oscillators, noise, a swept resonant filter, the LFO on all
  // three targets, glide, velocity, stealing (3 voices, 5 notes) and a pitch bend.
  params: {
    osc_mix: 0.4,
    osc2_waveform: 2,
    osc2_detune: 7,
    noise: 0.1,
    filter_cutoff: 600,
    filter_resonance: 3,
    filter_env_amount: 3,
    filter_key_tracking: 0.5,
    lfo_to_pitch: 30,
    lfo_to_cutoff: 1,
    lfo_to_amp: 0.5,
    velocity_to_filter: 1,
    glide: 30,
    voices: 3,
    attack: 3,
    release: 40,
  },
  stateful: true,
  maxInputs: 0,
  program: synth([
    noteOn(0, 60, 100),
    noteOn(500, 64, 60),
    noteOn(777, 67, 127),
    { type: "midi", frame: 900, status: 0xe0, data1: 0, data2: 0x50 },
    noteOff(1500, 64),
    noteOn(1501, 72, 90),
    noteOn(2222, 48, 110),
    noteOff(3000, 60),
    noteOn(3001, 60, 30),
    noteOff(4500, 67),
    noteOff(4800, 72),
  ]),
});

describe("synth presets", () => {
  it("every preset plays a chord: sound, finite, no louder than the notes it plays", async () => {
    const engine = await newEngine();
    const synthType = engine.types.find((t) => t.kind === "synth");
    engine.destroy();
    const descriptor = builtinDescriptor(synthType as ProcessorTypeInfo);
    for (const preset of ["Init", "Bass", "Pad", "Lead", "Pluck"]) {
      const params = presetParams(descriptor, preset);
      const out = await render(
        [
          noteOn(0, 48, 100),
          noteOn(ms(10), 55, 90),
          noteOn(ms(20), 60, 110),
          noteOff(ms(800), 48),
          noteOff(ms(800), 55),
          noteOff(ms(800), 60),
        ],
        params,
        ms(1500),
      );
      expect(out.every(Number.isFinite), preset).toBe(true);
      const loudest = Math.max(...out.map(Math.abs));
      expect(loudest, preset).toBeGreaterThan(0.05);
      expect(loudest, preset).toBeLessThan(3 * 4); // three notes; a resonant peak may rise above 1
    }
  });

  it("every preset leaves headroom: one note at full velocity peaks between -9 and -3 dBFS", async () => {
    const engine = await newEngine();
    const synthType = engine.types.find((t) => t.kind === "synth");
    engine.destroy();
    const descriptor = builtinDescriptor(synthType as ProcessorTypeInfo);
    const peaks: Record<string, number> = {};
    for (const preset of ["Init", "Bass", "Pad", "Lead", "Pluck"]) {
      const out = await render(
        [noteOn(0, 48, 127), noteOff(ms(1000), 48)],
        presetParams(descriptor, preset),
        SR * 2,
      );
      peaks[preset] = Number(toDb(Math.max(...out.map(Math.abs))).toFixed(1));
    }
    console.log("one note at velocity 127, peak dBFS:", peaks);
    for (const [preset, peak] of Object.entries(peaks)) {
      expect(peak, preset).toBeGreaterThan(-9);
      expect(peak, preset).toBeLessThan(-3);
    }
  });
});
