/**
 * The reference workloads of docs/benchmarks.md as webdreamer GraphPrograms: W1 "sine bank" and W2
 * "subtractive synth". The benchmarks time them against Chromium's native nodes (bench/workloads.ts);
 * the allocation tests render them to prove the audio path allocates nothing.
 */
import type { GraphProgram, GraphProgramNode } from "../../src/engine/graph-program";

export const SAMPLE_RATE = 48000;
export type WorkloadId = "W1" | "W2";

/** W1 "sine bank": 256 sines at 100 + i Hz, each through a gain of 1/256, summed to one bus. */
export function w1Program(): GraphProgram {
  const nodes: GraphProgramNode[] = [];
  for (let i = 0; i < 256; i++) {
    nodes.push({ kind: "oscillator", inputs: [], params: { frequency: 100 * (1 + 0.01 * i), waveform: 0 } });
  }
  for (let i = 0; i < 256; i++) nodes.push({ kind: "gain", inputs: [i], params: { gain: 1 / 256 } });
  nodes.push({ kind: "mixer", inputs: nodes.slice(256).map((_, i) => 256 + i), params: {} });
  return { nodes, output: nodes.length - 1 };
}

/** A mixer takes at most this many inputs (wasm/src/processors/mixer): more voices go through submixers. */
const MIXER_INPUTS = 256;
/** Voices per submixer when a W2 has more than a mixer takes. */
const SUBMIX_VOICES = 128;

/**
 * W2 "subtractive synth": 32 band-limited saws at 55 * 2^(v/12) Hz, each through an RBJ lowpass
 * (2000 Hz, Q 1) and a gain of 1/32, summed into a bus x; y = x + 0.4 * y[n - 12000] through a
 * delay of 0.25 s and a gain of 0.4 fed back into the bus (a graph cycle closed by the delay).
 * `voices` other than 32 builds the same graph with that many voices (the memory and live-voice
 * rows), their pitches repeating every 32 voices; past what one mixer takes, the voices are summed
 * in submixers of SUBMIX_VOICES that feed the bus.
 */
export function w2Program(voices = 32): GraphProgram {
  const nodes: GraphProgramNode[] = [];
  const gains: number[] = [];
  for (let v = 0; v < voices; v++) {
    const frequency = 55 * 2 ** ((v % 32) / 12);
    const osc = nodes.push({ kind: "oscillator", inputs: [], params: { frequency, waveform: 1 } }) - 1;
    const filter =
      nodes.push({ kind: "filter", inputs: [osc], params: { mode: 0, frequency: 2000, q: 1 } }) - 1;
    gains.push(nodes.push({ kind: "gain", inputs: [filter], params: { gain: 1 / 32 } }) - 1);
  }
  const busInputs: number[] = [];
  if (voices < MIXER_INPUTS) busInputs.push(...gains);
  else {
    for (let first = 0; first < voices; first += SUBMIX_VOICES) {
      const inputs = gains.slice(first, first + SUBMIX_VOICES);
      busInputs.push(nodes.push({ kind: "mixer", inputs, params: {} }) - 1);
    }
  }
  const bus = nodes.length;
  const delay = bus + 1;
  const feedback = bus + 2;
  nodes.push({ kind: "mixer", inputs: [...busInputs, feedback], params: {} });
  nodes.push({ kind: "delay", inputs: [bus], params: { time: 250, feedback: 0, wet: 1, dry: 0 } });
  nodes.push({ kind: "gain", inputs: [delay], params: { gain: 0.4 } });
  return { nodes, output: bus };
}

export const PROGRAMS: Record<WorkloadId, () => GraphProgram> = { W1: w1Program, W2: () => w2Program() };
