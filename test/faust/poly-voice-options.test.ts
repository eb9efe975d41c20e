/**
 * DawDreamer's polyphony options on Faust nodes: `releaseLength` (a released voice computes for that
 * long before it may be freed) and `dynamicVoices` (false: every voice computes in every block).
 */
import { describe, expect, it } from "vitest";
import { EngineError } from "../../src/contracts/errors";
import { faustNodeSource } from "../../src/faust/registry";
import { compile, maxAbsDiff, note, renderHosted, rms } from "./support";

// A voice whose tail falls silent and comes back: the dry note, then echoes of it 0.2 s and 0.8 s
// after it (9600 and 38400 frames at 48 kHz). The dry note ends well before the first echo.
const ECHOES = `
import("stdfaust.lib");
freq = hslider("freq", 440, 50, 2000, 0.01);
gain = hslider("gain", 0.5, 0, 1, 0.01);
gate = button("gate");
dry = os.osc(freq) * gain * en.adsr(0.001, 0.001, 1, 0.01, gate);
process = dry + dry@(9600) + dry@(38400);
`;

// A voice with no envelope of its own: it sounds exactly while its gate is up.
const DRONE = `
import("stdfaust.lib");
freq = hslider("freq", 440, 50, 2000, 0.01);
gain = hslider("gain", 0.5, 0, 1, 0.01);
gate = button("gate");
process = os.osc(freq) * gain * gate;
`;

// One note of 0.1 s at frame 0: gate off at 4800, the dry sound ends by about 5300.
const NOTE = note(0, 4800, 69, 127);
const FRAMES = 48000;
const FIRST_ECHO = 9600;
const SECOND_ECHO = 38400;
const ECHO_LENGTH = 4000;

function echoLevels(left: Float32Array): { first: number; second: number } {
  return {
    first: rms(left, FIRST_ECHO, FIRST_ECHO + ECHO_LENGTH),
    second: rms(left, SECOND_ECHO, SECOND_ECHO + ECHO_LENGTH),
  };
}

describe("release length of polyphonic Faust voices", () => {
  it("keeps a released voice computing for the release length, then frees it once quiet", async () => {
    const rendered = new Map<number, Float32Array>();
    for (const releaseLength of [0, 0.5, 1]) {
      const synth = await compile(ECHOES, { voices: 2, releaseLength });
      const { output } = await renderHosted(synth, { frames: FRAMES, midi: NOTE });
      rendered.set(releaseLength, output[0] as Float32Array);
    }
    const at = (seconds: number) => rendered.get(seconds) as Float32Array;
    const dry = at(0).subarray(0, FIRST_ECHO);
    expect(rms(dry)).toBeGreaterThan(0.1);
    // The dry part is the same whatever the release length.
    expect(maxAbsDiff([at(0.5).subarray(0, FIRST_ECHO)], [dry])).toBe(0);
    expect(maxAbsDiff([at(1).subarray(0, FIRST_ECHO)], [dry])).toBe(0);

    // 0 s (faustwasm's rule): the voice is freed in the silence after the dry note, no echo.
    expect(echoLevels(at(0))).toEqual({ first: 0, second: 0 });
    // 0.5 s: gate off at 0.1 s, so the voice computes to 0.6 s: the first echo, not the second.
    expect(
      maxAbsDiff([at(0.5).subarray(FIRST_ECHO, FIRST_ECHO + ECHO_LENGTH)], [dry.subarray(0, ECHO_LENGTH)]),
    ).toBe(0);
    expect(echoLevels(at(0.5)).second).toBe(0);
    // 1 s: both echoes, each the dry note again, sample for sample.
    for (const echo of [FIRST_ECHO, SECOND_ECHO]) {
      expect(maxAbsDiff([at(1).subarray(echo, echo + ECHO_LENGTH)], [dry.subarray(0, ECHO_LENGTH)])).toBe(0);
    }
  });

  it("leaves node ids of DSPs compiled without the options as they were", async () => {
    const plain = await compile(ECHOES, { voices: 2 });
    const defaults = await compile(ECHOES, { voices: 2, releaseLength: 0, dynamicVoices: true });
    const released = await compile(ECHOES, { voices: 2, releaseLength: 0.5 });
    const everyVoice = await compile(ECHOES, { voices: 2, dynamicVoices: false });
    expect(defaults.nodeId).toBe(plain.nodeId);
    expect(new Set([plain.nodeId, released.nodeId, everyVoice.nodeId]).size).toBe(3);
    expect(plain.descriptor.extensions?.faust).toMatchObject({ release_length: 0, dynamic_voices: true });
    expect(released.descriptor.extensions?.faust).toMatchObject({
      release_length: 0.5,
      dynamic_voices: true,
    });
    // A graph node carries the options only when they are set, so older sessions read the same.
    expect(faustNodeSource(plain).extensions.faust).not.toHaveProperty("release_length");
    expect(faustNodeSource(released).extensions.faust).toMatchObject({ release_length: 0.5 });
    expect(faustNodeSource(everyVoice).extensions.faust).toMatchObject({ dynamic_voices: false });
  });

  it("refuses release lengths out of range and the options on a mono DSP, naming the field", async () => {
    const failure = (options: Parameters<typeof compile>[1]) =>
      compile(ECHOES, options).then(
        () => null,
        (error: unknown) =>
          error instanceof EngineError ? `${error.code} ${error.path}: ${error.message}` : error,
      );
    expect(await failure({ voices: 2, releaseLength: -1 })).toMatch(
      /^E_SCHEMA options\.releaseLength: .*seconds in \[0, 60\]/,
    );
    expect(await failure({ voices: 2, releaseLength: Number.NaN })).toMatch(
      /^E_SCHEMA options\.releaseLength/,
    );
    expect(await failure({ voices: 0, releaseLength: 0.5 })).toMatch(
      /^E_SCHEMA options\.releaseLength: .*polyphonic DSPs only/,
    );
    expect(await failure({ voices: 0, dynamicVoices: false })).toMatch(
      /^E_SCHEMA options\.dynamicVoices: .*polyphonic DSPs only/,
    );
  });
});

describe("dynamic voices of polyphonic Faust nodes", () => {
  it("false computes every voice in every block: voices played by their own parameters sound", async () => {
    const dynamic = await compile(DRONE, { voices: 4, groupVoices: false });
    const always = await compile(DRONE, { voices: 4, groupVoices: false, dynamicVoices: false });
    const params = {
      "/V1/webdreamer/gate": 1,
      "/V1/webdreamer/freq": 300,
      "/V3/webdreamer/gate": 1,
      "/V3/webdreamer/freq": 500,
    };
    // With dynamic voices the allocator owns freq, gate and gain; without, each voice has its own.
    const ids = (compiled: typeof dynamic) => compiled.descriptor.parameters?.map((p) => p.id) ?? [];
    expect(ids(dynamic)).not.toContain("/V1/webdreamer/gate");
    expect(ids(always)).toEqual(
      expect.arrayContaining(Object.keys(params).concat("/V2/webdreamer/gate", "/V4/webdreamer/gain")),
    );
    const running = await renderHosted(always, { frames: 9600, params });
    // Every voice computes: the two gated voices sound, two sines of 0.5: RMS sqrt(2 x 0.125) = 0.5.
    const left = running.output[0] as Float32Array;
    expect(rms(left, 4800, 9600)).toBeCloseTo(0.5, 2);
    const mono = await compile(
      'import("stdfaust.lib"); process = os.osc(hslider("a", 300, 50, 2000, 0.01)) * 0.5 + os.osc(hslider("b", 500, 50, 2000, 0.01)) * 0.5;',
    );
    const reference = await renderHosted(mono, { frames: 9600 });
    expect(maxAbsDiff([left], [reference.output[0] as Float32Array])).toBeLessThan(1e-6);
  });

  it("false plays MIDI notes as true does; free voices run on, so oscillators keep their phase", async () => {
    const notes = [...note(0, 12000, 60, 100), ...note(6000, 12000, 64, 80), ...note(9000, 12000, 67, 60)];
    const dynamic = await compile(DRONE, { voices: 4 });
    const always = await compile(DRONE, { voices: 4, dynamicVoices: false });
    expect(always.descriptor.parameters?.map((p) => p.id)).toEqual([
      "/webdreamer/freq",
      "/webdreamer/gain",
      "/webdreamer/gate",
    ]);
    const a = (await renderHosted(dynamic, { frames: 30000, midi: notes })).output[0] as Float32Array;
    const b = (await renderHosted(always, { frames: 30000, midi: notes })).output[0] as Float32Array;
    // The first note takes voice 1, which both start from phase 0: the same samples until the second.
    expect(rms(a, 0, 6000)).toBeGreaterThan(0.3);
    expect(maxAbsDiff([b.subarray(0, 6000)], [a.subarray(0, 6000)])).toBe(0);
    // Later notes start where their voice's oscillator ran to: same level, other phase.
    for (const [from, to] of [
      [6000, 9000],
      [9000, 12000],
      [12000, 18000],
      [18000, 21000],
    ] as const) {
      expect(rms(b, from, to)).toBeCloseTo(rms(a, from, to), 1);
    }
    expect(maxAbsDiff([b.subarray(6000, 21000)], [a.subarray(6000, 21000)])).toBeGreaterThan(0.01);
    // Silence once every gate is down.
    expect(rms(b, 21000, 30000)).toBe(0);
  });
});
