/**
 * webdreamer hosting a Faust DSP against faustwasm's own offline processor running the same compiled
 * modules (test/faust/support.ts), on the DSP files that ship in the @grame/faustwasm package.
 *
 * Mono DSPs are the same code computed on the same inputs: bit-exact is expected (the issue allows
 * 1e-6). Poly DSPs: notes on 128-frame boundaries, where faustwasm (which takes events between its
 * 128-frame quanta) and webdreamer (which plays them on their frame) agree on timing; webdreamer
 * frees released voices and hands stolen voices over on the same 128-frame grid as faustwasm, so
 * these render bit-exactly too (the issue asks for an SNR of 70 dB).
 */
import { describe, expect, it } from "vitest";
import type { CompiledFaust } from "../../src/faust/compiler";
import {
  compile,
  faustwasmTestDsp,
  type MidiAt,
  maxAbsDiff,
  noise,
  note,
  renderHosted,
  renderWithFaustwasm,
  rms,
  SAMPLE_RATE,
  snrDb,
} from "./support";

const FRAMES = SAMPLE_RATE;

/** Parameters that make an instrument sound without notes (mono builds of the physical models). */
function soundingParams(compiled: CompiledFaust): Record<string, number> {
  const params: Record<string, number> = {};
  for (const binding of compiled.layout.params) {
    if (binding.id.endsWith("/gate")) params[binding.id] = 1;
  }
  return params;
}

describe("mono DSPs of faustwasm's test folder match faustwasm's offline processor", () => {
  const MONO = [
    ["mono.dsp", 0],
    ["noise.dsp", 0],
    ["osc.dsp", 0],
    ["osc2.dsp", 0],
    ["osc3.dsp", 0],
    ["organ.dsp", 0],
    ["djembe.dsp", 0],
    ["clarinet.dsp", 0],
    ["guitar.dsp", 0],
    ["rev.dsp", 1],
  ] as const;

  it.each(MONO)("%s", async (file, inputs) => {
    const compiled = await compile(faustwasmTestDsp(file), { name: file.replace(".dsp", "") });
    const input = inputs > 0 ? [noise(FRAMES, 11)] : undefined;
    const params = soundingParams(compiled);
    const reference = await renderWithFaustwasm(compiled, { frames: FRAMES, inputs: input, params });
    for (const blockSize of [128, 1, 2048]) {
      const { output } = await renderHosted(compiled, { frames: FRAMES, blockSize, inputs: input, params });
      expect(maxAbsDiff(output, reference)).toBe(0);
    }
    // Not a comparison of two silences.
    expect(rms(reference[0] as Float32Array)).toBeGreaterThan(1e-4);
  });

  it("midi.dsp: [midi:key N] buttons follow notes as faustwasm's midiMessage does", async () => {
    const compiled = await compile(faustwasmTestDsp("midi.dsp"), { name: "midi" });
    const midi = [...note(0, 9600, 60, 100), ...note(4096, 19200, 62, 64), ...note(12800, 6400, 64, 127)];
    const reference = await renderWithFaustwasm(compiled, { frames: FRAMES, midi });
    const { output } = await renderHosted(compiled, { frames: FRAMES, midi, blockSize: 100 });
    expect(maxAbsDiff(output, reference)).toBe(0);
    expect(rms(reference[0] as Float32Array, 0, 9600)).toBeGreaterThan(0.05);
  });

  it("foo.dsp imports a user library given as text", async () => {
    const compiled = await compile(faustwasmTestDsp("foo.dsp"), {
      name: "foo",
      libraries: { "mylib.lib": faustwasmTestDsp("includes/mylib.lib") },
    });
    const reference = await renderWithFaustwasm(compiled, { frames: FRAMES });
    const { output } = await renderHosted(compiled, { frames: FRAMES });
    expect(maxAbsDiff(output, reference)).toBe(0);
    expect(rms(output[0] as Float32Array)).toBeGreaterThan(0.01);
  });

  it("soundfile1.dsp plays multi-part soundfiles given as audio, as faustwasm's addSoundfiles", async () => {
    const compiled = await compile(faustwasmTestDsp("soundfile1.dsp"), { name: "soundfile1" });
    const labels = compiled.layout.soundfiles.map((s) => s.label);
    expect(labels).toEqual(["Drone_1", "Drone_2"]);
    // Parts 0 and 2 of Drone_1 get audio (stereo, then mono); the others stay empty.
    const part0 = { sampleRate: SAMPLE_RATE, channels: [noise(3000, 21), noise(3000, 22)] };
    const part2 = { sampleRate: SAMPLE_RATE, channels: [noise(5000, 23)] };
    const drone1 = compiled.layout.soundfiles[0]?.parts ?? [];
    const reference = await renderWithFaustwasm(compiled, {
      frames: FRAMES,
      params: { "/DroneLAN/ON___OFF": 1, "/DroneLAN/Volume_0": 1, "/DroneLAN/Volume_2": 0.5 },
      soundfiles: {
        [drone1[0] as string]: { sampleRate: SAMPLE_RATE, audioBuffer: part0.channels },
        [drone1[2] as string]: { sampleRate: SAMPLE_RATE, audioBuffer: part2.channels },
      },
    });
    const { output } = await renderHosted(compiled, {
      frames: FRAMES,
      params: { "/DroneLAN/ON___OFF": 1, "/DroneLAN/Volume_0": 1, "/DroneLAN/Volume_2": 0.5 },
      soundfiles: new Map([["Drone_1", [part0, undefined, part2]]]),
    });
    expect(maxAbsDiff(output, reference)).toBe(0);
    expect(rms(output[0] as Float32Array)).toBeGreaterThan(0.01);
  });
});

describe("poly DSPs of faustwasm's test folder match faustwasm's offline processor", () => {
  // Three overlapping notes, a repeated pitch, all on 128-frame boundaries.
  const NOTES: MidiAt[] = [
    ...note(0, 12800, 60, 100),
    ...note(6400, 12800, 64, 80),
    ...note(12800, 12800, 67, 127),
    ...note(25600, 6400, 60, 90),
  ];
  const POLY = [
    ["organ.dsp", 8],
    ["organ1.dsp", 8],
    ["poly.dsp", 8],
    ["guitar1.dsp", 8],
    ["organ1.dsp", 2],
  ] as const;

  it.each(POLY)("%s with %i voices", async (file, voices) => {
    const compiled = await compile(faustwasmTestDsp(file), { name: file.replace(".dsp", ""), voices });
    const reference = await renderWithFaustwasm(compiled, { frames: FRAMES, midi: NOTES });
    expect(rms(reference[0] as Float32Array)).toBeGreaterThan(1e-3);
    for (const blockSize of [128, 1, 1000, 2048]) {
      const { output } = await renderHosted(compiled, { frames: FRAMES, blockSize, midi: NOTES });
      const snr = snrDb(reference, output);
      expect(snr).toBeGreaterThanOrEqual(70);
      // Measured: identical samples.
      expect(maxAbsDiff(output, reference)).toBe(0);
    }
  });

  it("steals voices as faustwasm does (two voices, four overlapping notes)", async () => {
    const compiled = await compile(faustwasmTestDsp("organ1.dsp"), { name: "organ1", voices: 2 });
    const chord: MidiAt[] = [
      ...note(0, 23040, 48, 100),
      ...note(1280, 23040, 55, 100),
      ...note(2560, 23040, 60, 100),
      ...note(3840, 23040, 64, 100),
    ];
    const reference = await renderWithFaustwasm(compiled, { frames: FRAMES, midi: chord });
    const { output } = await renderHosted(compiled, { frames: FRAMES, midi: chord, blockSize: 64 });
    expect(maxAbsDiff(output, reference)).toBe(0);
  });

  it("a polyphonic sampler reads its soundfile in every voice, as faustwasm's", async () => {
    const source = `import("stdfaust.lib");
gate = button("gate");
position = ba.countup(1000000, gate > gate');
process = 0, position : soundfile("sample[url:{'hit.wav'}]", 1) : !, !, _
  : *(hslider("gain", 0.5, 0, 1, 0.01) * (gate : en.asr(0, 1, 0.05)));`;
    const compiled = await compile(source, { name: "sampler", voices: 4 });
    const hit = noise(20000, 51);
    const reference = await renderWithFaustwasm(compiled, {
      frames: FRAMES,
      midi: NOTES,
      soundfiles: { "hit.wav": { sampleRate: SAMPLE_RATE, audioBuffer: [hit] } },
    });
    const { output } = await renderHosted(compiled, {
      frames: FRAMES,
      midi: NOTES,
      blockSize: 64,
      soundfiles: new Map([["sample", [{ sampleRate: SAMPLE_RATE, channels: [hit] }]]]),
    });
    expect(maxAbsDiff(output, reference)).toBe(0);
    expect(rms(output[0] as Float32Array)).toBeGreaterThan(0.05);
  });
});
