// Renders the same graph twice in OfflineAudioContexts: with webdreamer (engine.wasm in the
// AudioWorklet host) and with Chromium's native nodes, and hands both to the Playwright test.

import type { GraphProgram } from "../../src/engine/graph-program";
import { createEngineWorklet } from "../../src/hosts/audioworklet/engine-worklet";

const SAMPLE_RATE = 48000;
const FRAMES = SAMPLE_RATE;

function noise(frames: number, seed = 12345): Float32Array<ArrayBuffer> {
  let state = seed;
  return Float32Array.from({ length: frames }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 32) * 2 - 1;
  });
}

interface Comparison {
  program: GraphProgram;
  buffers: Float32Array[][];
  native(context: OfflineAudioContext): AudioNode;
  /** Output channels compared (default 1); the test compares them one after the other. */
  channels?: number;
}

function playNoise(
  context: OfflineAudioContext,
  ...channels: Float32Array<ArrayBuffer>[]
): AudioBufferSourceNode {
  const length = channels[0]?.length ?? 0;
  const buffer = new AudioBuffer({ length, sampleRate: SAMPLE_RATE, numberOfChannels: channels.length });
  channels.forEach((samples, c) => {
    buffer.copyToChannel(samples, c);
  });
  const source = new AudioBufferSourceNode(context, { buffer });
  source.start(0);
  return source;
}

const input = noise(FRAMES);
const input2 = noise(FRAMES, 777);

/** An oscillator (then gain 0.5) in webdreamer and in Chromium, the same options in both. */
function oscillatorComparison(
  params: Record<string, number>,
  options: OscillatorOptions,
  wave?: { real: number[]; imag: number[]; disableNormalization: boolean },
): Comparison {
  return {
    program: {
      nodes: [
        { kind: "oscillator", inputs: [], params, ...(wave ? { buffers: { 0: 0 } } : {}) },
        { kind: "gain", inputs: [0], params: { gain: 0.5 } },
      ],
      output: 1,
    },
    buffers: wave ? [[Float32Array.from(wave.real), Float32Array.from(wave.imag)]] : [],
    native(context) {
      const osc = new OscillatorNode(context, {
        ...options,
        ...(wave ? { periodicWave: new PeriodicWave(context, wave) } : {}),
      });
      osc.start(0);
      return osc.connect(new GainNode(context, { gain: 0.5 }));
    },
  };
}

// Harmonics with cosine and sine terms, so that both the phase and the sign conventions show.
const WAVE = { real: [0, 0.3, 0, 0.1, 0, -0.05, 0.02], imag: [0, 1, 0.5, 0, 0.25, 0, -0.1] };
const WEB_AUDIO_LEVEL = 1; // the oscillator's normalization: web_audio

const COMPARISONS: Record<string, Comparison> = {
  "oscillator detune -702 cents": oscillatorComparison(
    { frequency: 440, detune: -702 },
    { frequency: 440, detune: -702, type: "sine" },
  ),
  "periodic wave, normalised": oscillatorComparison(
    { frequency: 440, waveform: 5, normalization: WEB_AUDIO_LEVEL },
    { frequency: 440 },
    { ...WAVE, disableNormalization: false },
  ),
  "periodic wave, not normalised": oscillatorComparison(
    { frequency: 440, waveform: 5 },
    { frequency: 440 },
    { ...WAVE, disableNormalization: true },
  ),
  "periodic wave, detuned 1000 Hz": oscillatorComparison(
    { frequency: 1000, detune: 37, waveform: 5, normalization: WEB_AUDIO_LEVEL },
    { frequency: 1000, detune: 37 },
    { ...WAVE, disableNormalization: false },
  ),
  sawtooth: oscillatorComparison(
    { frequency: 440, waveform: 1, normalization: WEB_AUDIO_LEVEL },
    { frequency: 440, type: "sawtooth" },
  ),
  square: oscillatorComparison(
    { frequency: 440, waveform: 2, normalization: WEB_AUDIO_LEVEL },
    { frequency: 440, type: "square" },
  ),
  triangle: oscillatorComparison(
    { frequency: 440, waveform: 3, normalization: WEB_AUDIO_LEVEL },
    { frequency: 440, type: "triangle" },
  ),
  "oscillator+gain": {
    program: {
      nodes: [
        { kind: "oscillator", inputs: [], params: { frequency: 440, waveform: 0 } },
        { kind: "gain", inputs: [0], params: { gain: 0.5 } },
      ],
      output: 1,
    },
    buffers: [],
    native(context) {
      const osc = new OscillatorNode(context, { frequency: 440, type: "sine" });
      osc.start(0);
      return osc.connect(new GainNode(context, { gain: 0.5 }));
    },
  },
  "oscillator detune": {
    program: {
      nodes: [
        { kind: "oscillator", inputs: [], params: { frequency: 220, detune: 1200, waveform: 0 } },
        { kind: "gain", inputs: [0], params: { gain: 0.5 } },
      ],
      output: 1,
    },
    buffers: [],
    native(context) {
      const osc = new OscillatorNode(context, { frequency: 220, detune: 1200, type: "sine" });
      osc.start(0);
      return osc.connect(new GainNode(context, { gain: 0.5 }));
    },
  },
  "biquad lowpass": {
    program: {
      nodes: [
        { kind: "playback", inputs: [], params: {}, buffers: { 0: 0 } },
        { kind: "filter", inputs: [0], params: { mode: 0, frequency: 1000, q: 1 } },
      ],
      output: 1,
    },
    buffers: [[input]],
    native(context) {
      // Web Audio's lowpass Q is in dB: linear Q 1 is 0 dB.
      return playNoise(context, input).connect(
        new BiquadFilterNode(context, { type: "lowpass", frequency: 1000, Q: 0 }),
      );
    },
  },
  delay: {
    program: {
      nodes: [
        { kind: "playback", inputs: [], params: {}, buffers: { 0: 0 } },
        { kind: "delay", inputs: [0], params: { time: 10, wet: 1, dry: 0 } },
      ],
      output: 1,
    },
    buffers: [[input]],
    native(context) {
      return playNoise(context, input).connect(new DelayNode(context, { delayTime: 0.01 }));
    },
  },
  "constant source": {
    program: { nodes: [{ kind: "constant", inputs: [], params: { offset: 0.3 } }], output: 0 },
    buffers: [],
    native(context) {
      const source = new ConstantSourceNode(context, { offset: 0.3 });
      source.start(0);
      return source;
    },
  },
  "stereo panner, mono input": {
    program: {
      nodes: [
        { kind: "playback", inputs: [], params: {}, buffers: { 0: 0 } },
        { kind: "panner", inputs: [0], params: { rule: 7, pan: -0.4 } },
      ],
      output: 1,
    },
    buffers: [[input]],
    channels: 2,
    native(context) {
      return playNoise(context, input).connect(new StereoPannerNode(context, { pan: -0.4 }));
    },
  },
  "stereo panner, stereo input": {
    program: {
      nodes: [
        { kind: "playback", inputs: [], params: {}, buffers: { 0: 0 } },
        { kind: "panner", inputs: [0], params: { rule: 7, pan: 0.6 } },
      ],
      output: 1,
    },
    buffers: [[input, input2]],
    channels: 2,
    native(context) {
      return playNoise(context, input, input2).connect(new StereoPannerNode(context, { pan: 0.6 }));
    },
  },
};

/** Renders in an offline context; the channels one after the other. */
async function render(
  channels: number,
  build: (context: OfflineAudioContext) => Promise<AudioNode>,
): Promise<number[]> {
  const context = new OfflineAudioContext({
    numberOfChannels: channels,
    length: FRAMES,
    sampleRate: SAMPLE_RATE,
  });
  (await build(context)).connect(context.destination);
  const rendered = await context.startRendering();
  return Array.from({ length: channels }, (_, c) => Array.from(rendered.getChannelData(c))).flat();
}

async function compareWithNative(name: string): Promise<{ webdreamer: number[]; native: number[] }> {
  const comparison = COMPARISONS[name];
  if (!comparison) throw new Error(`no comparison named ${name}`);
  const channels = comparison.channels ?? 1;
  const webdreamer = await render(
    channels,
    async (context) =>
      (
        await createEngineWorklet(context, {
          program: comparison.program,
          buffers: comparison.buffers,
          outputChannels: channels,
        })
      ).node,
  );
  const native = await render(channels, async (context) => comparison.native(context));
  return { webdreamer, native };
}

Object.assign(window, { compareWithNative, comparisonNames: Object.keys(COMPARISONS) });
