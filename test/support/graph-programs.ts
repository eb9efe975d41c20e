/** Small GraphPrograms the tests (Node and browser pages) render directly, without a GraphDescriptor. */
import type { GraphProgram, GraphProgramNode, TimelineEntry } from "../../src/engine/graph-program";

/** The platform smoke graph: a sine at `frequency` Hz through a gain of `gain`. */
export function sineThroughGain(frequency: number, gain: number): GraphProgram {
  return {
    nodes: [
      { kind: "oscillator", inputs: [], params: { frequency, waveform: 0 } },
      { kind: "gain", inputs: [0], params: { gain } },
    ],
    output: 1,
  };
}

/** A note-on at `frame` (channel 1), as a program timeline entry. */
export function noteOn(frame: number, note: number, velocity = 127): TimelineEntry {
  return { type: "midi", frame, status: 0x90, data1: note, data2: velocity };
}

/** A note-off at `frame` (channel 1), as a program timeline entry. */
export function noteOff(frame: number, note: number): TimelineEntry {
  return { type: "midi", frame, status: 0x80, data1: note, data2: 0 };
}

/**
 * A two-voice synth with every per-voice feature moving (glide, noise, both oscillators, LFO to the
 * cutoff, filter envelope), played chords of three past its voice count, so voices are stolen too:
 * the synth's part in the graphs that check allocation and memory estimates.
 */
export function stealingSynthNode(): GraphProgramNode {
  return {
    kind: "synth",
    inputs: [],
    params: { voices: 2, glide: 20, noise: 0.1, osc_mix: 0.5, lfo_to_cutoff: 1, filter_env_amount: 2 },
    timeline: [0, 3000, 6000, 20000].flatMap((frame) =>
      [60, 64, 67].flatMap((note, i) => [
        noteOn(frame + i * 100, note, 100),
        noteOff(frame + 2500 + i, note),
      ]),
    ),
  };
}
