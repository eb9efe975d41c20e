import { describe, expect, it } from "vitest";

import type { GraphProgram, TimelineEntry } from "../../../src/engine/graph-program";
import { noteOff, noteOn } from "../../support/graph-programs";
import { newEngine, renderProgram } from "../../support/render";
import { allFinite, toDb, toneAt } from "../../support/signal";
import { svfMagnitude } from "../../support/spectrum";

const ramp = Float32Array.from({ length: 2000 }, (_, i) => (i + 1) / 2000);

const sampler = (timeline: TimelineEntry[], params: Record<string, number> = {}): GraphProgram => ({
  nodes: [{ kind: "sampler", inputs: [], params, buffers: { 0: 0 }, timeline }],
  output: 0,
});

describe("sampler", () => {
  it("starts a note on its exact frame at the root pitch, scaled by velocity", async () => {
    for (const blockSize of [1, 128, 1000]) {
      const [out] = await renderProgram(sampler([noteOn(777, 60, 127)]), 2000, {
        blockSize,
        buffers: [[ramp]],
      });
      expect(
        Array.from(out?.subarray(0, 777) ?? []).every((v) => v === 0),
        `block ${blockSize}`,
      ).toBe(true);
      expect(out?.subarray(777, 1777)).toEqual(ramp.subarray(0, 1000));
    }
    const [soft] = await renderProgram(sampler([noteOn(0, 60, 64)]), 10, { buffers: [[ramp]] });
    expect(soft?.[3]).toBe(Math.fround(Math.fround(ramp[3] as number) * Math.fround(64 / 127)));
  });

  it("repitches relative to the root note: an octave up reads every other sample", async () => {
    const [out] = await renderProgram(sampler([noteOn(0, 72)]), 500, { buffers: [[ramp]] });
    for (const i of [0, 1, 10, 499]) expect(out?.[i]).toBe(ramp[2 * i]);
    const [octaveDown] = await renderProgram(sampler([noteOn(0, 48)], { root_note: 60 }), 100, {
      buffers: [[ramp]],
    });
    expect(octaveDown?.[2]).toBe(ramp[1]); // half speed: whole samples on even frames,
    expect(octaveDown?.[1]).toBeCloseTo(((ramp[0] as number) + (ramp[1] as number)) / 2, 7); // midpoints between
  });

  it("shapes notes with a linear ADSR and releases on note-off", async () => {
    const ones = new Float32Array(48000).fill(1);
    const params = { attack: 1, decay: 1, sustain: 0.5, release: 1 }; // 48 frames each at 48 kHz
    const [out] = await renderProgram(sampler([noteOn(0, 60), noteOff(200, 60)], params), 400, {
      buffers: [[ones]],
    });
    expect(out?.[0]).toBe(0);
    expect(out?.[24]).toBeCloseTo(0.5, 5); // halfway up the attack
    expect(out?.[48]).toBeCloseTo(1, 5);
    expect(out?.[72]).toBeCloseTo(0.75, 5); // halfway down the decay
    expect(out?.[150]).toBe(0.5); // sustain
    expect(out?.[224]).toBeCloseTo(0.25, 5); // halfway through the release
    expect(out?.[260]).toBe(0);
  });

  it("plays chords, steals the oldest voice past the limit, and bends pitch", async () => {
    const ones = new Float32Array(1000).fill(1);
    const [chord] = await renderProgram(sampler([noteOn(0, 60), noteOn(0, 64), noteOn(0, 67)]), 10, {
      buffers: [[ones]],
    });
    expect(chord?.[5]).toBe(3);
    const [stolen] = await renderProgram(
      sampler([noteOn(0, 60), noteOn(0, 64), noteOn(5, 67)], { voices: 2 }),
      10,
      {
        buffers: [[ones]],
      },
    );
    expect(stolen?.[4]).toBe(2);
    expect(stolen?.[6]).toBe(2);
    // Full bend up with a 12-semitone range: an octave up.
    const bend: TimelineEntry = { type: "midi", frame: 0, status: 0xe0, data1: 0x7f, data2: 0x7f };
    const [bent] = await renderProgram(sampler([bend, noteOn(0, 60)], { bend_range: 12 }), 100, {
      buffers: [[ramp]],
    });
    expect(bent?.[10]).toBeCloseTo(ramp[20] as number, 3);
  });

  it("stays finite, resets its voices, and declares its parameters", async () => {
    const [out] = await renderProgram(
      sampler([noteOn(0, 127), noteOn(1, 0)], { attack: 0, release: 10000 }),
      3000,
      {
        buffers: [[ramp]],
      },
    );
    expect(allFinite(out as Float32Array)).toBe(true);
    const engine = await newEngine();
    const type = engine.types.find((t) => t.kind === "sampler");
    expect(type?.params.map((p) => p.id)).toEqual([
      "root_note",
      "attack",
      "decay",
      "sustain",
      "release",
      "gain",
      "bend_range",
      "voices",
      "loop_mode",
      "loop_start",
      "loop_end",
      "filter_mode",
      "filter_cutoff",
      "filter_resonance",
      "filter_env_amount",
      "filter_key_tracking",
      "filter_attack",
      "filter_decay",
      "filter_sustain",
      "filter_release",
      "velocity_to_filter",
    ]);
    expect(type?.params.find((p) => p.id === "voices")).toMatchObject({
      min: 1,
      max: 64,
      default: 16,
      discrete: true,
    });
  });
});

describe("sampler channel messages", () => {
  it("releases every note on CC 123 (all notes off) and silences at once on CC 120 (all sound off)", async () => {
    const ones = new Float32Array(48000).fill(1);
    const cc = (frame: number, controller: number): TimelineEntry => ({
      type: "midi",
      frame,
      status: 0xb0,
      data1: controller,
      data2: 0,
    });
    const params = { release: 1 }; // 48 frames
    const [notesOff] = await renderProgram(sampler([noteOn(0, 60), cc(100, 123)], params), 200, {
      buffers: [[ones]],
    });
    expect(notesOff?.[99]).toBe(1);
    expect(notesOff?.[124]).toBeCloseTo(0.5, 5); // halfway through the release
    expect(notesOff?.[160]).toBe(0);
    const [soundOff] = await renderProgram(sampler([noteOn(0, 60), cc(100, 120)], params), 200, {
      buffers: [[ones]],
    });
    expect(soundOff?.[99]).toBe(1);
    expect(soundOff?.[100]).toBe(0);
  });
});

describe("sampler loops", () => {
  const SR = 48000;
  const PERIOD = 100;
  /** 10 periods of a sine, then silence: the loop [200, 700) holds 5 whole periods. */
  const sine = Float32Array.from({ length: 1500 }, (_, i) =>
    i < 1000 ? Math.sin((2 * Math.PI * i) / PERIOD) : 0,
  );
  const loop = { loop_start: 200 / SR, loop_end: 700 / SR };
  /** The largest step between two neighbouring samples of the sine itself. */
  const ownSlope = 2 * Math.sin(Math.PI / PERIOD);

  const largestStep = (x: Float32Array) => {
    let largest = 0;
    for (let i = 1; i < x.length; i++)
      largest = Math.max(largest, Math.abs((x[i] as number) - (x[i - 1] as number)));
    return largest;
  };

  it("sustain: a held note plays the loop's frames over and over, exactly, at any block size", async () => {
    for (const blockSize of [1, 128, 777]) {
      const [out = new Float32Array()] = await renderProgram(
        sampler([noteOn(0, 60)], { loop_mode: 1, ...loop }),
        6000,
        { blockSize, buffers: [[sine]] },
      );
      const expected = Float32Array.from({ length: 6000 }, (_, f) =>
        f < 700 ? (sine[f] as number) : (sine[200 + ((f - 200) % 500)] as number),
      );
      expect(out, `block ${blockSize}`).toEqual(expected);
      expect(largestStep(out)).toBeLessThanOrEqual(ownSlope + 1e-6);
    }
  });

  it("is seamless when repitched: no step at the loop point beyond the signal's own slope", async () => {
    for (const note of [55, 67, 79]) {
      const rate = 2 ** ((note - 60) / 12);
      const [out = new Float32Array()] = await renderProgram(
        sampler([noteOn(0, note)], { loop_mode: 2, ...loop }),
        8000,
        { buffers: [[sine]] },
      );
      // Linear interpolation between samples never steps further than the samples do, scaled by the rate.
      expect(largestStep(out), `note ${note}`).toBeLessThanOrEqual(ownSlope * Math.max(1, rate) + 1e-6);
      expect(Math.max(...out.subarray(6000).map(Math.abs))).toBeGreaterThan(0.99);
    }
  });

  it("after note-off, sustain plays on to the sample's end; continuous keeps looping; off never loops", async () => {
    const timeline = [noteOn(0, 60), noteOff(3000, 60)];
    const render = async (loop_mode: number) =>
      (
        await renderProgram(sampler(timeline, { loop_mode, release: 1000, ...loop }), 6000, {
          buffers: [[sine]],
        })
      )[0] ?? new Float32Array();
    const off = await render(0);
    const sustain = await render(1);
    const continuous = await render(2);
    // off: the sample ended at frame 1000 (its last 500 frames are silence).
    expect(Math.max(...off.subarray(1000).map(Math.abs))).toBe(0);
    // sustain: still looping before the note-off; after it, at most 1300 more frames of the sample.
    expect(Math.max(...sustain.subarray(2500, 3000).map(Math.abs))).toBeGreaterThan(0.99);
    expect(Math.max(...sustain.subarray(3000 + 1300).map(Math.abs))).toBe(0);
    // continuous: still sounding in the release, a second later.
    expect(Math.max(...continuous.subarray(5500).map(Math.abs))).toBeGreaterThan(0.9);
  });

  it("without a usable loop (end <= start) it plays once, as with loop_mode off", async () => {
    const once = await renderProgram(sampler([noteOn(0, 60)]), 3000, { buffers: [[sine]] });
    const badLoop = await renderProgram(
      sampler([noteOn(0, 60)], { loop_mode: 1, loop_start: 700 / SR, loop_end: 200 / SR }),
      3000,
      { buffers: [[sine]] },
    );
    expect(badLoop).toEqual(once);
  });
});

describe("sampler filter", () => {
  const SR = 48000;
  const ms = (t: number) => Math.round((t * SR) / 1000);
  // 480 Hz (period 100 frames) with harmonics 1..40 at 1/k: a saw-like sample, 1 s long. A 100 ms
  // window holds whole periods of every harmonic, so each is measured exactly.
  const rich = Float32Array.from({ length: SR }, (_, i) => {
    let x = 0;
    for (let k = 1; k <= 40; k++) x += Math.sin((2 * Math.PI * k * i) / 100) / k;
    return x;
  });
  const harmonic = (x: Float32Array, f: number, from: number) =>
    toneAt(x, f, SR, from, from + ms(100)).amplitude;

  it("lowpass, highpass, bandpass: each harmonic drops as the SVF response predicts (±0.2 dB)", async () => {
    for (const [mode, index] of [
      ["lowpass", 1],
      ["highpass", 2],
      ["bandpass", 3],
    ] as const) {
      const [out = new Float32Array()] = await renderProgram(
        sampler([noteOn(0, 60)], { filter_mode: index, filter_cutoff: 1500, filter_resonance: 2 }),
        ms(400),
        { buffers: [[rich]] },
      );
      for (const k of [1, 2, 3, 6, 12, 24]) {
        const expected = svfMagnitude(mode, 480 * k, 1500, 2, SR) / k;
        expect(
          Math.abs(toDb(harmonic(out, 480 * k, ms(200)) / expected)),
          `${mode} harmonic ${k}`,
        ).toBeLessThan(0.2);
      }
    }
  });

  it("the filter envelope opens over its attack time; key tracking follows the note from the root", async () => {
    // Cutoff 250 Hz + 4 octaves x envelope, attack 1 s: 1 kHz halfway (0.5 s), 4 kHz at the end.
    const params = {
      filter_mode: 1,
      filter_cutoff: 250,
      filter_env_amount: 4,
      filter_attack: 1000,
      filter_sustain: 1,
    };
    const [out = new Float32Array()] = await renderProgram(sampler([noteOn(0, 60)], params), SR, {
      buffers: [[rich]],
    });
    for (const [t, fc] of [
      [250, 500],
      [500, 1000],
      [900, 250 * 2 ** 3.8],
    ] as const) {
      for (const k of [2, 4]) {
        const expected = svfMagnitude("lowpass", 480 * k, fc, Math.SQRT1_2, SR) / k;
        expect(
          Math.abs(toDb(harmonic(out, 480 * k, ms(t - 50)) / expected)),
          `${t} ms, harmonic ${k}`,
        ).toBeLessThan(0.5);
      }
    }
    // An octave above the root with key tracking 1: the cutoff doubles with the pitch (960 Hz
    // fundamental, 1 kHz -> 2 kHz cutoff), so each harmonic keeps the attenuation it had at the root.
    const tracked = { filter_mode: 1, filter_cutoff: 1000, filter_key_tracking: 1 };
    const [up = new Float32Array()] = await renderProgram(sampler([noteOn(0, 72)], tracked), ms(300), {
      buffers: [[rich]],
    });
    for (const k of [1, 2, 4, 8]) {
      const expected = svfMagnitude("lowpass", 960 * k, 2000, Math.SQRT1_2, SR) / k;
      expect(Math.abs(toDb(harmonic(up, 960 * k, ms(150)) / expected)), `harmonic ${k}`).toBeLessThan(0.2);
    }
  });

  it("velocity to filter lowers the cutoff of softer notes; filter_mode off leaves every sample as it was", async () => {
    const [soft = new Float32Array()] = await renderProgram(
      sampler([noteOn(0, 60, 64)], { filter_mode: 1, filter_cutoff: 2000, velocity_to_filter: 2 }),
      ms(300),
      { buffers: [[rich]] },
    );
    const fc = 2000 * 2 ** (2 * (64 / 127 - 1));
    for (const k of [2, 4, 8]) {
      const expected = (svfMagnitude("lowpass", 480 * k, fc, Math.SQRT1_2, SR) / k) * (64 / 127);
      expect(Math.abs(toDb(harmonic(soft, 480 * k, ms(150)) / expected))).toBeLessThan(0.2);
    }
    const timeline = [noteOn(0, 60), noteOn(100, 67), noteOff(3000, 60)];
    const [plain] = await renderProgram(sampler(timeline, { release: 20 }), 6000, { buffers: [[rich]] });
    const [off] = await renderProgram(
      sampler(timeline, { release: 20, filter_mode: 0, filter_cutoff: 100, filter_env_amount: 5 }),
      6000,
      { buffers: [[rich]] },
    );
    expect(off).toEqual(plain);
  });
});
