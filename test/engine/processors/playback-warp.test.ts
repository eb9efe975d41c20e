/**
 * builtin:playback_warp quality, in numbers: length, pitch and level of a stretched harmonic tone,
 * transposition, click trains (one click per click, on its frame) and a tempo ramp through a warp map.
 */
import { describe, expect, it } from "vitest";

import {
  beatAtSeconds,
  clipPositionChannels,
  secondsAtBeat,
  type Tempo,
  tempoPieces,
  warpMapChannels,
  warpMarkerChannels,
} from "../../../src/contracts";
import { applyGraphProgram, type GraphProgram } from "../../../src/engine/graph-program";
import { RealtimeEngine } from "../../../src/engine/realtime-engine";
import { newEngine, renderProgram } from "../../support/render";
import { rms } from "../../support/signal";
import { blackmanHarris, powerSpectrum } from "../../support/spectrum";

const SR = 48000;

const warp = (params: Record<string, number> = {}, map = false): GraphProgram => ({
  nodes: [{ kind: "playback_warp", inputs: [], params, buffers: map ? { 0: 0, 1: 1 } : { 0: 0 } }],
  output: 0,
});

/** A harmonic tone: f0 with harmonics 2 and 3 at half and a quarter of its amplitude. */
function harmonicTone(frames: number, f0: number): Float32Array {
  return Float32Array.from({ length: frames }, (_, n) => {
    const w = (2 * Math.PI * f0 * n) / SR;
    return 0.4 * Math.sin(w) + 0.2 * Math.sin(2 * w + 0.3) + 0.1 * Math.sin(3 * w + 1.1);
  });
}

/**
 * The frequency of the strongest component between lo and hi Hz: the peak bin of a 2^15-point
 * Blackman-Harris spectrum (1.46 Hz bins), refined by a parabola through the log powers of it and its
 * neighbours (error under 0.05 bin for this window: 0.3 cent at 220 Hz).
 */
function peakFrequency(samples: Float32Array, from: number, lo: number, hi: number): number {
  const n = 1 << 15;
  const power = powerSpectrum(samples.subarray(from, from + n), blackmanHarris(n));
  const bin = SR / n;
  let best = Math.ceil(lo / bin);
  for (let k = best; k <= hi / bin; k++) if ((power[k] as number) > (power[best] as number)) best = k;
  const a = Math.log(power[best - 1] as number);
  const b = Math.log(power[best] as number);
  const c = Math.log(power[best + 1] as number);
  return (best + (0.5 * (a - c)) / (a - 2 * b + c)) * bin;
}

const cents = (f: number, reference: number) => 1200 * Math.log2(f / reference);
const levelDb = (out: Float32Array, end: number, source: Float32Array) =>
  20 * Math.log10(rms(out, 4096, end - 4096) / rms(source, 4096, source.length - 4096));

/** Frames of the last non-zero sample + 1. */
function soundingLength(samples: Float32Array): number {
  let last = samples.length - 1;
  while (last >= 0 && samples[last] === 0) last--;
  return last + 1;
}

/** Indices where |x| > 0.1. */
const peaksOf = (samples: Float32Array) =>
  Array.from(samples.keys()).filter((i) => Math.abs(samples[i] as number) > 0.1);

describe("playback_warp", () => {
  const tone = harmonicTone(70007, 220);

  it("stretches a harmonic tone 0.5x..2x: exact length, pitch within 2 cents, level within 0.5 dB", async () => {
    for (const ratio of [0.5, 0.8, 1, 1.3, 1.5, 2]) {
      const frames = Math.ceil(tone.length * ratio);
      const [out] = await renderProgram(warp({ time_ratio: ratio }), frames + 700, { buffers: [[tone]] });
      const o = out as Float32Array;
      expect(soundingLength(o), `length at ${ratio}`).toBe(frames);
      // The last 512 frames keep the tone's level: the end is not a fade.
      expect(rms(o, frames - 512, frames) / rms(tone, 0, tone.length), `tail at ${ratio}`).toBeGreaterThan(
        0.8,
      );
      const f = peakFrequency(o, Math.round((frames - (1 << 15)) / 2), 150, 300);
      expect(Math.abs(cents(f, 220)), `pitch at ${ratio}`).toBeLessThan(2);
      expect(Math.abs(levelDb(o, frames, tone)), `level at ${ratio}`).toBeLessThan(0.5);
    }
  });

  it("transposes by n semitones (fractional too) within 2 cents, keeping the length", async () => {
    for (const semitones of [-7, -2.5, 0.37, 3, 12]) {
      const [out] = await renderProgram(warp({ transpose: semitones }), tone.length + 500, {
        buffers: [[tone]],
      });
      const o = out as Float32Array;
      const expected = 220 * 2 ** (semitones / 12);
      const f = peakFrequency(o, 12000, expected * 0.85, expected * 1.15);
      expect(Math.abs(cents(f, expected)), `pitch at ${semitones}`).toBeLessThan(2);
      expect(soundingLength(o), `length at ${semitones}`).toBe(tone.length);
      expect(Math.abs(levelDb(o, tone.length, tone)), `level at ${semitones}`).toBeLessThan(0.5);
    }
  });

  it("stretches a click train 2x with one click per click, on its frame, and nothing after it", async () => {
    const period = 4800;
    const clicks = new Float32Array(period * 10);
    for (let k = 0; k < 10; k++) clicks[1000 + k * period] = 1;
    const [out] = await renderProgram(warp({ time_ratio: 2 }), clicks.length * 2 + 100, {
      buffers: [[clicks]],
    });
    const o = out as Float32Array;
    expect(peaksOf(o)).toEqual(Array.from({ length: 10 }, (_, k) => 2 * (1000 + k * period)));
    // Each click is played once, whole: the sample itself, and silence from 10 ms after it to the next.
    for (let k = 0; k < 10; k++) {
      const at = 2 * (1000 + k * period);
      expect(o[at]).toBe(1);
      expect(Math.max(...Array.from(o.subarray(at + 480, at + 2 * period - 480), Math.abs))).toBe(0);
    }
  });

  it("follows a tempo ramp through warp markers and the tempo map, in two clip positions", async () => {
    const beat = 24000; // the audio is at 120 bpm: a click on each beat
    const clicks = new Float32Array(beat * 4);
    for (let k = 0; k < 4; k++) clicks[1000 + k * beat] = 1;
    const tempo = {
      map: [
        { beat: 0, bpm: 90, curve: "linear" as const },
        { beat: 8, bpm: 150, curve: "step" as const },
      ],
    };
    const map = warpMapChannels({
      sample_rate: SR,
      tempo,
      markers: [
        { frame: 0, beat: 0 },
        { frame: 4 * beat, beat: 4 },
      ],
      clips: [
        { start: 0, end: 4 },
        { start: 4, end: 8 },
      ],
    });
    const total = Math.ceil(secondsAtBeat(tempo, 8) * SR) + 100;
    const [out] = await renderProgram(warp({}, true), total, { buffers: [[clicks], map] });
    const expected = Array.from({ length: 8 }, (_, k) => secondsAtBeat(tempo, k + 1000 / beat) * SR);
    const peaks = peaksOf(out as Float32Array);
    expect(peaks).toHaveLength(8);
    peaks.forEach((at, k) => {
      expect(Math.abs(at - (expected[k] as number)), `click ${k}`).toBeLessThanOrEqual(1);
    });
  });

  it("renders the same samples at block sizes 1, 128 and 1000", async () => {
    const short = harmonicTone(9000, 330);
    const params = { time_ratio: 1.37, transpose: 2.2 };
    const [reference] = await renderProgram(warp(params), 12000, { buffers: [[short]] });
    for (const blockSize of [1, 1000]) {
      const [out] = await renderProgram(warp(params), 12000, { buffers: [[short]], blockSize, chunk: 500 });
      expect(out, `block ${blockSize}`).toEqual(reference);
    }
  });
});

/** A click on each beat of a 120 bpm audio (24000 frames a beat at 48 kHz), 1000 frames in. */
const BEAT = 24000;
const CLICK = 1000;
function clickTrack(beats: number): Float32Array {
  const clicks = new Float32Array(BEAT * beats);
  for (let k = 0; k < beats; k++) clicks[CLICK + k * BEAT] = 1;
  return clicks;
}

/** playback_warp reading warp markers (buffer 1) and, when given, clip positions (buffer 2) on `tempo`. */
const byMarkers = (tempo: Tempo, clips: boolean): GraphProgram => ({
  nodes: [
    { kind: "playback_warp", inputs: [], params: {}, buffers: clips ? { 0: 0, 2: 1, 3: 2 } : { 0: 0, 2: 1 } },
  ],
  output: 0,
  tempo: tempoPieces(tempo),
});

describe("playback_warp with warp markers in beats, following the engine's tempo", () => {
  const ramp: Tempo = {
    map: [
      { beat: 0, bpm: 90, curve: "linear" },
      { beat: 8, bpm: 150, curve: "step" },
    ],
  };

  it("computes the contract's beats: the engine's tempo agrees with beatAtSeconds to 1e-9 beat", async () => {
    const engine = await newEngine(SR, 128);
    const tempo: Tempo = {
      map: [
        { beat: 0, bpm: 90, curve: "linear" },
        { beat: 8, bpm: 150, curve: "step" },
        { beat: 12, bpm: 70, curve: "linear" },
        { beat: 20, bpm: 200, curve: "step" },
      ],
    };
    applyGraphProgram(engine, {
      nodes: [{ kind: "constant", inputs: [], params: {} }],
      output: 0,
      tempo: tempoPieces(tempo),
    });
    for (let frame = 0; frame < 20 * SR; frame += 12345) {
      expect(
        Math.abs(engine.beatAtFrame(frame) - beatAtSeconds(tempo, frame / SR)),
        `frame ${frame}`,
      ).toBeLessThan(1e-9);
    }
  });

  it("lands the same markers on the right frames at 120 bpm and on a 90 to 150 bpm ramp, in two clips", async () => {
    const markers = warpMarkerChannels([
      { frame: 0, beat: 0 },
      { frame: 4 * BEAT, beat: 4 },
    ]);
    const clips = clipPositionChannels([
      { start: 0, end: 4 },
      { start: 4, end: 8 },
    ]);
    for (const tempo of [{ bpm: 120 }, ramp]) {
      const total = Math.ceil(secondsAtBeat(tempo, 8) * SR) + 100;
      const [out] = await renderProgram(byMarkers(tempo, true), total, {
        buffers: [[clickTrack(4)], markers, clips],
      });
      // Click k of the audio is clip beat k + 1000/24000; clip 2 plays the audio again from beat 4.
      const expected = Array.from({ length: 8 }, (_, k) => secondsAtBeat(tempo, k + CLICK / BEAT) * SR);
      const peaks = peaksOf(out as Float32Array);
      expect(peaks, JSON.stringify(tempo)).toHaveLength(8);
      peaks.forEach((at, k) => {
        expect(
          Math.abs(at - (expected[k] as number)),
          `click ${k} at ${JSON.stringify(tempo)}`,
        ).toBeLessThanOrEqual(1);
      });
      // Silent after the last clip's end, to the frame.
      expect(soundingLength(out as Float32Array)).toBeLessThanOrEqual(
        Math.ceil(secondsAtBeat(tempo, 8) * SR),
      );
    }
  });

  it("follows a live tempo change and ramp (the real-time transport's set_tempo) on their frames, and keeps them for a seek back", async () => {
    const engine = await newEngine(SR, 128);
    engine.createBuffer([clickTrack(8)], SR);
    engine.createBuffer(
      warpMarkerChannels([
        { frame: 0, beat: 0 },
        { frame: 8 * BEAT, beat: 8 },
      ]),
      SR,
    );
    const program = byMarkers({ bpm: 120 }, false);
    applyGraphProgram(engine, program);
    const realtime = new RealtimeEngine(engine, SR);
    realtime.attach(engine, 1);
    // 120 bpm to frame 60000 (beat 2.5), then 60 bpm for 2 beats (to frame 156000, beat 4.5), then a
    // ramp linear in time to 180 bpm over 1 s (beat 4.5 + t + t^2, to beat 6.5), then 180 bpm.
    const frameAtBeat = (beat: number): number => {
      if (beat <= 2.5) return beat * BEAT;
      if (beat <= 4.5) return 60000 + (beat - 2.5) * SR;
      if (beat <= 6.5) return 156000 + ((-1 + Math.sqrt(1 + 4 * (beat - 4.5))) / 2) * SR;
      return 204000 + ((beat - 6.5) / 3) * SR;
    };
    realtime.play(-1);
    realtime.setTempo(60, 0, 60000);
    realtime.setTempo(180, SR, 156000);
    const quanta = Math.ceil(frameAtBeat(8) / 128);
    const out = new Float32Array(quanta * 128);
    const outputs = [new Float32Array(128)];
    for (let q = 0; q < quanta; q++) {
      realtime.renderQuantum(outputs, 128);
      out.set(outputs[0] as Float32Array, q * 128);
    }
    expect(realtime.badCommands).toBe(0);
    const expected = Array.from({ length: 8 }, (_, k) => frameAtBeat(k + CLICK / BEAT));
    const peaks = peaksOf(out);
    expect(peaks).toHaveLength(8);
    peaks.forEach((at, k) => {
      expect(Math.abs(at - (expected[k] as number)), `click ${k}`).toBeLessThanOrEqual(1);
    });
    // The changes stay in the engine's tempo: a seek back to frame 120000 (beat 3.75, at 60 bpm) plays
    // click 4 where the 60 bpm stretch put it, not where 120 bpm would (frame 97000).
    realtime.seek(120000, -1);
    const again = new Float32Array(150 * 128);
    for (let q = 0; q < 150; q++) {
      realtime.renderQuantum(outputs, 128);
      again.set(outputs[0] as Float32Array, q * 128);
    }
    const [click4] = peaksOf(again);
    expect(Math.abs(120000 + (click4 as number) - frameAtBeat(4 + CLICK / BEAT))).toBeLessThanOrEqual(1);
  });
});

describe("warpMarkerChannels and clipPositionChannels", () => {
  it("name what is wrong", () => {
    expect(() => warpMarkerChannels([{ frame: 0, beat: 0 }])).toThrow(/warp_markers/);
    expect(() =>
      warpMarkerChannels([
        { frame: 0, beat: 0 },
        { frame: 10, beat: 0 },
      ]),
    ).toThrow("E_SCHEMA at warp_markers[1]: must come after marker 0 in both frame and beat");
    expect(() => clipPositionChannels([{ start: 4, end: 2 }])).toThrow(
      "E_SCHEMA at clip_positions[0].end: must be after start",
    );
    expect(() =>
      clipPositionChannels([
        { start: 0, end: 4 },
        { start: 3, end: 6 },
      ]),
    ).toThrow("E_SCHEMA at clip_positions[1].start: must not be before clip 0's end");
  });
});

describe("warpMapChannels", () => {
  it("names what is wrong", () => {
    const base = { sample_rate: SR, tempo: { bpm: 120 }, clips: [{ start: 0, end: 4 }] };
    expect(() => warpMapChannels({ ...base, markers: [{ frame: 0, beat: 0 }] })).toThrow(/markers/);
    expect(() =>
      warpMapChannels({
        ...base,
        markers: [
          { frame: 100, beat: 0 },
          { frame: 50, beat: 1 },
        ],
      }),
    ).toThrow(/marker 0/);
  });
});
