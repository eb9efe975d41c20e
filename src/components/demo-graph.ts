/**
 * The graph and controls <webdreamer-player> plays when a page gives it none: two saws (a 16th-note
 * arpeggio and an 8th-note bass over Am, F, C, G) summed into a resonant lowpass, a feedback echo
 * and a panner, at 120 bpm. Built only from builtin processors, so it needs no buffer uploads.
 *
 * The notes are frequency automation on the beats timeline (`ppqn`): the oscillators glide from
 * pitch to pitch without retriggering, which suits a phase-continuous saw, and the engine places
 * every step on its exact frame.
 */
import type { GraphDescriptorInput } from "../contracts/graph-descriptor";

/** One slider of the player: which parameter of which live node it moves, and over what range. */
export interface ParameterControl {
  /** Node name in the graph. */
  node: string;
  /** Parameter id of that node (docs/processors.md). */
  param: string;
  /** The slider's visible, accessible label. */
  label: string;
  min: number;
  max: number;
  /** Value resolution; the slider rounds to a multiple of it. */
  step: number;
  /** "log" spreads the range geometrically (frequencies); default "linear". */
  scale?: "linear" | "log";
  /** Unit shown after the value ("Hz" also switches to kHz above 1000). */
  unit?: string;
}

/** The demo's tempo; the arpeggio's beats are placed on the graph's tempo map at this tempo. */
export const DEMO_TEMPO_BPM = 120;

/** Bars the sequence covers before it holds its last note (4:16 at 120 bpm). */
const DEMO_BARS = 128;

/** Chords of the progression, one per bar: MIDI notes of the lead's triad (Am, F, C/G, G). */
const CHORDS = [
  [57, 60, 64],
  [53, 57, 60],
  [55, 60, 64],
  [55, 59, 62],
] as const;

/** Bass roots, one per bar, an octave and more below the lead (A2, F2, C3, G2). */
const BASS_ROOTS = [45, 41, 48, 43] as const;

/** Sixteenth-note arpeggio: indexes into the triad plus its octave (0-2 triad, 3-4 an octave up). */
const ARPEGGIO = [0, 1, 2, 3, 4, 3, 2, 1, 0, 2, 3, 4, 3, 2, 4, 3] as const;

/** Eighth-note bass: 0 the root, 12 its octave. */
const BASS_RHYTHM = [0, 0, 12, 0, 0, 12, 0, 12] as const;

function hertz(note: number): number {
  return Math.round(440 * 2 ** ((note - 69) / 12) * 100) / 100;
}

function leadFrequencies(): number[] {
  const values: number[] = [];
  for (let bar = 0; bar < DEMO_BARS; bar++) {
    const [root, third, fifth] = CHORDS[bar % CHORDS.length] as readonly [number, number, number];
    const tones = [root, third, fifth, root + 12, third + 12];
    for (const step of ARPEGGIO) values.push(hertz(tones[step] as number));
  }
  return values;
}

function bassFrequencies(): number[] {
  const values: number[] = [];
  for (let bar = 0; bar < DEMO_BARS; bar++) {
    const root = BASS_ROOTS[bar % BASS_ROOTS.length] as number;
    for (const offset of BASS_RHYTHM) values.push(hertz(root + offset));
  }
  return values;
}

/**
 * A new copy of the demo graph (callers may change it).
 * @example
 * player.graph = { ...demoGraph(), tempo: { bpm: 100 } };
 */
export function demoGraph(): GraphDescriptorInput {
  return {
    version: "v1alpha",
    nodes: [
      {
        name: "lead",
        node_id: "builtin:oscillator",
        params: { waveform: "saw", amplitude: 0.11 },
        automation: { frequency: { kind: "ppqn", ppqn: 4, values: leadFrequencies() } },
      },
      {
        name: "bass",
        node_id: "builtin:oscillator",
        params: { waveform: "saw", amplitude: 0.13 },
        automation: { frequency: { kind: "ppqn", ppqn: 2, values: bassFrequencies() } },
      },
      { name: "voices", node_id: "builtin:mixer", inputs: ["lead", "bass"] },
      {
        name: "filter",
        node_id: "builtin:filter",
        inputs: ["voices"],
        params: { mode: "lowpass", frequency: 1400, q: 2.2 },
      },
      {
        // A dotted eighth at 120 bpm: the echoes fall between the arpeggio's sixteenths.
        name: "echo",
        node_id: "builtin:delay",
        inputs: ["filter"],
        params: { time: 375, feedback: 0.4, wet: 0.35, dry: 1 },
      },
      // "balanced" never boosts a side, so panning cannot push the output past full scale.
      { name: "pan", node_id: "builtin:panner", inputs: ["echo"], params: { pan: 0, rule: "balanced" } },
    ],
    output: "pan",
    tempo: { bpm: DEMO_TEMPO_BPM },
  };
}

/**
 * The sliders of the demo graph: the filter's cutoff on a log scale, the echo feedback and the pan.
 * @example
 * player.controls = [...demoControls(), { node: "filter", param: "q", label: "Resonance", min: 0.5, max: 12, step: 0.1 }];
 */
export function demoControls(): ParameterControl[] {
  return [
    {
      node: "filter",
      param: "frequency",
      label: "Cutoff",
      min: 80,
      max: 12000,
      step: 1,
      scale: "log",
      unit: "Hz",
    },
    { node: "echo", param: "feedback", label: "Echo feedback", min: 0, max: 0.9, step: 0.01 },
    { node: "pan", param: "pan", label: "Pan", min: -1, max: 1, step: 0.01 },
  ];
}
