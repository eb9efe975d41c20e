// Renders the same graph twice in OfflineAudioContexts: with webdreamer (engine.wasm in the
// AudioWorklet host) and with Chromium's native nodes, and hands both to the Playwright test.

import type { GraphProgram } from "../../src/engine/graph-program";
import { createEngineWorklet } from "../../src/hosts/audioworklet/engine-worklet";

const SAMPLE_RATE = 48000;
const FRAMES = SAMPLE_RATE;

function noise(frames: number): Float32Array<ArrayBuffer> {
  let state = 12345;
  return Float32Array.from({ length: frames }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 32) * 2 - 1;
  });
}

interface Comparison {
  program: GraphProgram;
  buffers: Float32Array[][];
  native(context: OfflineAudioContext): AudioNode;
}

function playNoise(context: OfflineAudioContext, samples: Float32Array<ArrayBuffer>): AudioBufferSourceNode {
  const buffer = new AudioBuffer({ length: samples.length, sampleRate: SAMPLE_RATE, numberOfChannels: 1 });
  buffer.copyToChannel(samples, 0);
  const source = new AudioBufferSourceNode(context, { buffer });
  source.start(0);
  return source;
}

const input = noise(FRAMES);

const COMPARISONS: Record<string, Comparison> = {
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
};

async function render(build: (context: OfflineAudioContext) => Promise<AudioNode>): Promise<number[]> {
  const context = new OfflineAudioContext({ numberOfChannels: 1, length: FRAMES, sampleRate: SAMPLE_RATE });
  (await build(context)).connect(context.destination);
  return Array.from((await context.startRendering()).getChannelData(0));
}

async function compareWithNative(name: string): Promise<{ webdreamer: number[]; native: number[] }> {
  const comparison = COMPARISONS[name];
  if (!comparison) throw new Error(`no comparison named ${name}`);
  const webdreamer = await render(
    async (context) =>
      (
        await createEngineWorklet(context, {
          program: comparison.program,
          buffers: comparison.buffers,
          outputChannels: 1,
        })
      ).node,
  );
  const native = await render(async (context) => comparison.native(context));
  return { webdreamer, native };
}

Object.assign(window, { compareWithNative, comparisonNames: Object.keys(COMPARISONS) });
