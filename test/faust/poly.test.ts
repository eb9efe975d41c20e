/**
 * Polyphonic Faust nodes: notes on their exact frame at any block size, grouped and ungrouped voices,
 * the first note, the `effect`, and CC / pitch bend reaching voice controls through [midi:...].
 */
import { describe, expect, it } from "vitest";
import type { CompiledFaust } from "../../src/faust/compiler";
import { compile, type MidiAt, maxAbsDiff, note, renderHosted, rms } from "./support";

// DawDreamer's tests/faust_dsp/polyphonic.dsp, reduced: saw, ADSR with a decay control, a lowpass
// `effect` with a cutoff.
const POLYPHONIC = `
declare name "MyInstrument";
import("stdfaust.lib");
freq = hslider("freq", 200, 50, 1000, 0.01);
gain = hslider("gain", 0.5, 0, 1, 0.01);
gate = button("gate");
decay = hslider("decay", 0.2, 0.01, 2, 0.01);
process = os.sawtooth(freq) * gain * en.adsr(0.005, decay, 0.4, 0.2, gate) <: _, _;
effect = fi.lowpass(2, hslider("cutoff", 8000, 100, 12000, 1)), fi.lowpass(2, hslider("cutoff", 8000, 100, 12000, 1));
`;

// DawDreamer's three notes (60/60 at 0 s for 0.25 s, 64/80 at 0.5 s, 67/127 at 0.75 s), at 48 kHz.
const NOTES: MidiAt[] = [
  ...note(0, 12000, 60, 60),
  ...note(24000, 12000, 64, 80),
  ...note(36000, 12000, 67, 127),
];
const FRAMES = 60000;

function perVoice(compiled: CompiledFaust, id: string, value: number): Record<string, number> {
  const params: Record<string, number> = {};
  for (let v = 1; v <= compiled.layout.voices; v++) params[`/V${v}${id}`] = value;
  return params;
}

describe("polyphonic Faust nodes", () => {
  it("render the same with grouped and ungrouped voices (defaults, static and automated controls)", async () => {
    const grouped = await compile(POLYPHONIC, { voices: 8 });
    const ungrouped = await compile(POLYPHONIC, { voices: 8, groupVoices: false });
    expect(ungrouped.nodeId).not.toBe(grouped.nodeId);
    const cases: [Record<string, number>, Record<string, number>][] = [
      [{}, {}],
      [{ "/MyInstrument/cutoff": 2000 }, { "/MyInstrument/cutoff": 2000 }],
      [{ "/MyInstrument/decay": 0.5 }, perVoice(ungrouped, "/MyInstrument/decay", 0.5)],
    ];
    for (const [groupedParams, ungroupedParams] of cases) {
      const a = await renderHosted(grouped, { frames: FRAMES, midi: NOTES, params: groupedParams });
      const b = await renderHosted(ungrouped, { frames: FRAMES, midi: NOTES, params: ungroupedParams });
      expect(maxAbsDiff(a.output, b.output)).toBe(0);
      expect(rms(a.output[0] as Float32Array)).toBeGreaterThan(0.01);
    }
    // A decay automated at 1000 frames on both sides.
    const steps = (id: string) => ({ [id]: [[1000, 1.5] as [number, number]] });
    const a = await renderHosted(grouped, {
      frames: FRAMES,
      midi: NOTES,
      steps: steps("/MyInstrument/decay"),
    });
    const voiceSteps: Record<string, [number, number][]> = {};
    for (let v = 1; v <= 8; v++) Object.assign(voiceSteps, steps(`/V${v}/MyInstrument/decay`));
    const b = await renderHosted(ungrouped, { frames: FRAMES, midi: NOTES, steps: voiceSteps });
    expect(maxAbsDiff(a.output, b.output)).toBe(0);
  });

  it("sounds from its first note, which starts on its exact frame at any block size", async () => {
    const synth = await compile(POLYPHONIC, { voices: 4 });
    const atZero = await renderHosted(synth, { frames: 11000, midi: note(0, 4800, 60, 100) });
    const reference = atZero.output[0] as Float32Array;
    expect(rms(reference, 0, 12000 / 4)).toBeGreaterThan(0.01);
    expect(reference.subarray(0, 8).some((x) => x !== 0)).toBe(true);
    for (const blockSize of [1, 128, 2048]) {
      // The same note 1000 frames later: silence, then the same samples shifted by exactly 1000.
      const { output } = await renderHosted(synth, {
        frames: 12000,
        midi: note(1000, 4800, 60, 100),
        blockSize,
      });
      const left = output[0] as Float32Array;
      expect(left.subarray(0, 1000).every((x) => x === 0)).toBe(true);
      expect(maxAbsDiff([left.subarray(1000)], [reference])).toBe(0);
    }
  });

  it("applies the effect in place on the voices' mix", async () => {
    const synth = await compile(POLYPHONIC, { voices: 4 });
    const open = await renderHosted(synth, {
      frames: 24000,
      midi: NOTES,
      params: { "/MyInstrument/cutoff": 12000 },
    });
    const dark = await renderHosted(synth, {
      frames: 24000,
      midi: NOTES,
      params: { "/MyInstrument/cutoff": 100 },
    });
    const openRms = rms(open.output[0] as Float32Array);
    expect(rms(dark.output[0] as Float32Array)).toBeLessThan(openRms / 4);
  });

  it("routes CC and pitch bend to voice controls through [midi:...] metadata", async () => {
    const source = `import("stdfaust.lib");
bend = hslider("bend[midi:pitchwheel]", 0, -2, 2, 0.001) : ba.semi2ratio;
process = os.osc(hslider("freq", 440, 20, 2000, 0.01) * bend) * hslider("gain", 0.5, 0, 1, 0.01)
  * (button("gate") : en.asr(0, 1, 0)) * hslider("volume[midi:ctrl 7]", 1, 0, 1, 0.01);`;
    const synth = await compile(source, { voices: 2 });
    const held = note(0, 20000, 69, 127);
    const plain = await renderHosted(synth, { frames: 20000, midi: held });
    const controlled = await renderHosted(synth, {
      frames: 20000,
      midi: [
        ...held,
        { frame: 5000, status: 0xb0, data1: 7, data2: 0 },
        { frame: 10000, status: 0xb0, data1: 7, data2: 127 },
        { frame: 10000, status: 0xe0, data1: 0x7f, data2: 0x7f },
      ],
    });
    const a = plain.output[0] as Float32Array;
    const b = controlled.output[0] as Float32Array;
    expect(maxAbsDiff([a.subarray(0, 5000)], [b.subarray(0, 5000)])).toBe(0);
    expect(b.subarray(5000, 10000).every((x) => x === 0)).toBe(true);
    // Bent up two semitones: more zero crossings than the plain 440 Hz in the same span.
    const crossings = (x: Float32Array) =>
      x.reduce((n, v, i) => (i > 0 && (x[i - 1] as number) < 0 && v >= 0 ? n + 1 : n), 0);
    expect(crossings(a.subarray(10000, 19600))).toBe(88);
    expect(crossings(b.subarray(10000, 19600))).toBe(99);
  });

  it("frees every voice on all-notes-off (CC 123)", async () => {
    const synth = await compile(POLYPHONIC, { voices: 4 });
    const { output } = await renderHosted(synth, {
      frames: 24000,
      midi: [
        ...note(0, 20000, 60, 100),
        ...note(0, 20000, 64, 100),
        { frame: 6000, status: 0xb0, data1: 123, data2: 0 },
      ],
      params: { "/MyInstrument/cutoff": 12000 },
    });
    expect(rms(output[0] as Float32Array, 0, 6000)).toBeGreaterThan(0.01);
    // The lowpass effect rings on for a few samples after the voices stop.
    expect(rms(output[0] as Float32Array, 6200, 24000)).toBe(0);
  });
});
