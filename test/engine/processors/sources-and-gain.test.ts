/** The shared behaviour suite for the gain and the sources (oscillator, playback, sampler). */
import type { GraphProgram, TimelineEntry } from "../../../src/engine/graph-program";
import { noteOff, noteOn } from "../../support/graph-programs";
import { describeSharedBehaviour, paramRow as param, testSignal } from "./shared-behaviour";

const sample = testSignal(6000, 3);

describeSharedBehaviour({
  kind: "gain",
  table: [param("gain", "Gain", "", [-1000, 1000], 1)],
  inputs: [[testSignal(6000, 1), testSignal(6000, 2)]],
  outputChannels: 2,
  params: { gain: 0.7 },
  stateful: false,
});

describeSharedBehaviour({
  kind: "oscillator",
  table: [
    param("frequency", "Frequency", "Hz", [0, 24000], 440),
    param("amplitude", "Amplitude", "", [0, 16], 1),
    param("waveform", "Waveform", "", [0, 5], 0, {
      discrete: true,
      choices: ["sine", "saw", "square", "triangle", "noise", "custom"],
      choiceAliases: { sawtooth: "saw" },
    }),
    param("phase", "Start phase", "cycles", [0, 1], 0),
    param("channels", "Channels", "", [1, 64], 1, { discrete: true }),
    param("detune", "Detune", "cents", [-153600, 153600], 0),
    param("normalization", "Normalization", "", [0, 1], 0, {
      discrete: true,
      choices: ["none", "web_audio"],
    }),
  ],
  inputs: [],
  outputChannels: 2,
  params: { frequency: 330, waveform: 1, channels: 2 },
  extremes: [0, 1, 2, 3, 4].map((waveform) => ({ waveform, frequency: 24000, channels: 2 })),
  stateful: true,
  maxInputs: 0,
  program: { nodes: [{ kind: "oscillator", inputs: [], params: {} }], output: 0 },
});

describeSharedBehaviour({
  kind: "playback",
  table: [
    param("start_offset", "Start offset", "s", [0, 86400], 0),
    param("loop", "Loop", "", [0, 1], 0, { discrete: true, choices: ["off", "on"] }),
    param("gain", "Gain", "", [0, 16], 1),
  ],
  inputs: [[sample, sample]],
  outputChannels: 2,
  params: { loop: 1 },
  // Stateless: its read position comes from the transport, so a seek replays the same audio.
  stateful: false,
  maxInputs: 0,
  program: { nodes: [{ kind: "playback", inputs: [], params: {}, buffers: { 0: 0 } }], output: 0 },
});

const notes: TimelineEntry[] = [0, 1500, 3000].flatMap((frame, i) => [
  noteOn(frame, 55 + 5 * i, 100),
  noteOff(frame + 1000, 55 + 5 * i),
]);
const samplerProgram: GraphProgram = {
  nodes: [{ kind: "sampler", inputs: [], params: {}, buffers: { 0: 0 }, timeline: notes }],
  output: 0,
};
describeSharedBehaviour({
  kind: "sampler",
  table: [
    param("root_note", "Root note", "", [0, 127], 60, { discrete: true }),
    param("attack", "Attack", "ms", [0, 10000], 0),
    param("decay", "Decay", "ms", [0, 10000], 0),
    param("sustain", "Sustain", "", [0, 1], 1),
    param("release", "Release", "ms", [0, 10000], 0),
    param("gain", "Gain", "", [0, 16], 1),
    param("bend_range", "Pitch bend range", "semitones", [0, 48], 2),
    param("voices", "Voices", "", [1, 64], 16, { discrete: true }),
    param("loop_mode", "Loop mode", "", [0, 2], 0, {
      discrete: true,
      choices: ["off", "sustain", "continuous"],
    }),
    param("loop_start", "Loop start", "s", [0, 86400], 0),
    param("loop_end", "Loop end", "s", [0, 86400], 0),
    param("filter_mode", "Filter mode", "", [0, 3], 0, {
      discrete: true,
      choices: ["off", "lowpass", "highpass", "bandpass"],
    }),
    param("filter_cutoff", "Filter cutoff", "Hz", [20, 20000], 20000),
    param("filter_resonance", "Filter resonance", "", [0.5, 20], Math.fround(Math.SQRT1_2)),
    param("filter_env_amount", "Filter envelope amount", "octaves", [-8, 8], 0),
    param("filter_key_tracking", "Filter key tracking", "", [0, 1], 0),
    param("filter_attack", "Filter attack", "ms", [0, 10000], 0),
    param("filter_decay", "Filter decay", "ms", [0, 10000], 200),
    param("filter_sustain", "Filter sustain", "", [0, 1], 0),
    param("filter_release", "Filter release", "ms", [0, 10000], 200),
    param("velocity_to_filter", "Velocity to filter", "octaves", [0, 8], 0),
  ],
  inputs: [[sample]],
  outputChannels: 1,
  // The voice filter on, swept by its envelope, so the block-size and reset checks cover it.
  params: {
    attack: 5,
    release: 20,
    filter_mode: 1,
    filter_cutoff: 800,
    filter_env_amount: 3,
    filter_resonance: 4,
  },
  stateful: true,
  maxInputs: 0,
  program: samplerProgram,
});
