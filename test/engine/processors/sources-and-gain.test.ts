/** The shared behaviour suite for the gain and the sources (oscillator, playback, sampler). */
import type { GraphProgram, TimelineEntry } from "../../../src/engine/graph-program";
import { newEngine } from "../../support/render";
import { describeSharedBehaviour, testSignal } from "./shared-behaviour";

const engine = await newEngine();
const table = (kind: string) => engine.types.find((t) => t.kind === kind)?.params ?? [];

const sample = testSignal(6000, 3);

describeSharedBehaviour({
  kind: "gain",
  table: table("gain"),
  inputs: [[testSignal(6000, 1), testSignal(6000, 2)]],
  outputChannels: 2,
  params: { gain: 0.7 },
  stateful: false,
});

describeSharedBehaviour({
  kind: "oscillator",
  table: table("oscillator"),
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
  table: table("playback"),
  inputs: [[sample, sample]],
  outputChannels: 2,
  params: { loop: 1 },
  // Stateless: its read position comes from the transport, so a seek replays the same audio.
  stateful: false,
  maxInputs: 0,
  program: { nodes: [{ kind: "playback", inputs: [], params: {}, buffers: { 0: 0 } }], output: 0 },
});

const notes: TimelineEntry[] = [0, 1500, 3000].flatMap((frame, i) => [
  { type: "midi" as const, frame, status: 0x90, data1: 55 + 5 * i, data2: 100 },
  { type: "midi" as const, frame: frame + 1000, status: 0x80, data1: 55 + 5 * i, data2: 0 },
]);
const samplerProgram: GraphProgram = {
  nodes: [{ kind: "sampler", inputs: [], params: {}, buffers: { 0: 0 }, timeline: notes }],
  output: 0,
};
describeSharedBehaviour({
  kind: "sampler",
  table: table("sampler"),
  inputs: [[sample]],
  outputChannels: 1,
  params: { attack: 5, release: 20 },
  stateful: true,
  maxInputs: 0,
  program: samplerProgram,
});
