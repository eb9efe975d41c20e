// Live audio input (engine.liveInput) in the real-time AudioWorklet host, driven from Playwright
// (e2e/live-input.spec.ts): a "webdreamer:audio-input" node plays what is connected, and a take
// recorded while the transport plays has its clicks on the context frames a reference tap of the same
// source sees them on, placed on the transport less the measured input latency.

import { type InputTake, takePlacement } from "../../src/api/live-input";
import { AudioWorkletEngineClient } from "../../src/browser";
import type { GraphDescriptorInput } from "../../src/contracts";

let engine: AudioWorkletEngineClient | null = null;

function client(): AudioWorkletEngineClient {
  if (!engine) throw new Error("call start() first");
  return engine;
}

/** The audio input through a gain to the output. */
const GRAPH: GraphDescriptorInput = {
  version: "v1alpha",
  nodes: [
    { name: "mic", node_id: "webdreamer:audio-input" },
    { name: "level", node_id: "builtin:gain", inputs: ["mic"], params: { gain: 0.5 } },
  ],
  output: "level",
};

/** Frames where |x| first rises to `threshold` after at least `gap` frames below it. */
export function onsets(channel: Float32Array, threshold: number, gap: number): number[] {
  const found: number[] = [];
  let quiet = gap;
  for (let i = 0; i < channel.length; i++) {
    if (Math.abs(channel[i] as number) >= threshold) {
      if (quiet >= gap) found.push(i);
      quiet = 0;
    } else quiet++;
  }
  return found;
}

/**
 * A reference tap: an AudioWorkletProcessor that notes the context frame (currentFrame + i) of every
 * click onset of its input, to compare with the take's.
 */
const REFERENCE_PROCESSOR = `
registerProcessor("onset-reference", class extends AudioWorkletProcessor {
  constructor() { super(); this.quiet = 1e9; this.onsets = []; this.port.onmessage = () => this.port.postMessage(this.onsets); }
  process(inputs) {
    const x = inputs[0] && inputs[0][0];
    for (let i = 0; i < 128; i++) {
      const v = x ? Math.abs(x[i]) : 0;
      if (v >= 0.25) { if (this.quiet >= 1000) this.onsets.push(currentFrame + i); this.quiet = 0; } else this.quiet++;
    }
    return true;
  }
});`;

async function referenceTap(source: AudioNode): Promise<() => Promise<number[]>> {
  const context = client().context;
  const url = URL.createObjectURL(new Blob([REFERENCE_PROCESSOR], { type: "text/javascript" }));
  await context.audioWorklet.addModule(url);
  const tap = new AudioWorkletNode(context, "onset-reference", { numberOfOutputs: 0 });
  source.connect(tap);
  return () =>
    new Promise((resolve) => {
      tap.port.onmessage = (event) => resolve(event.data as number[]);
      tap.port.postMessage("read");
    });
}

/** Resolves once the transport has played past `seconds`. */
async function playedPast(seconds: number): Promise<void> {
  const deadline = performance.now() + 20_000;
  while (!(client().readTransport().running && client().readTransport().positionSeconds >= seconds)) {
    if (performance.now() > deadline) throw new Error(`the transport never passed ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function summary(take: InputTake, reference: number[]) {
  const takeOnsets = onsets(take.channels[0], 0.25, 1000);
  const placement = takePlacement({ startFrame: take.startFrame, latencyFrames: take.latency.frames });
  return {
    sampleRate: take.sampleRate,
    frames: take.channels[0].length,
    startFrame: take.startFrame,
    startContextFrame: take.startContextFrame,
    lostFrames: take.lostFrames,
    latency: take.latency,
    placement,
    // Take onsets as context frames, and where they land on the timeline once compensated.
    takeOnsetsContext: takeOnsets.map((i) => take.startContextFrame + i),
    clipOnsetsTransport: takeOnsets.map((i) => placement.startFrame + i - placement.trimFrames),
    rightEqualsLeft: take.channels[0].every((v, i) => v === take.channels[1][i]),
    reference,
  };
}

export interface LiveInputApi {
  start(): Promise<{ sampleRate: number; dataPlane: string }>;
  /** Clicks from an AudioBufferSourceNode started at a known context time (no capture latency). */
  nodeTake(): Promise<
    ReturnType<typeof summary> & { peakWhileConnected: number; clickContextFrames: number[] }
  >;
  /** The fake capture device (getUserMedia), recorded for `seconds` of play. */
  deviceTake(seconds: number): Promise<ReturnType<typeof summary> & { trackSettings: unknown }>;
  discovered(): Promise<string[]>;
}

const api: LiveInputApi = {
  async start() {
    engine = await AudioWorkletEngineClient.start({ sampleRate: 48000 });
    await engine.context.resume();
    await engine.loadGraph(GRAPH);
    return { sampleRate: engine.context.sampleRate, dataPlane: engine.dataPlane };
  },

  async nodeTake() {
    const c = client();
    const context = c.context;
    const rate = context.sampleRate;
    // The level passes through: a constant 0.8 on the input is 0.4 at the output.
    const constant = new ConstantSourceNode(context, { offset: 0.8 });
    constant.start();
    c.liveInput.connectLiveInput(constant);
    await c.setMonitoring(true);
    const reading = c.createMeterReading();
    const target = c.readTransport().quantum + 20;
    while (c.readTransport().quantum < target) await new Promise((resolve) => setTimeout(resolve, 5));
    c.readMeters(reading);
    const peakWhileConnected = reading.peak[0] as number;
    await c.setMonitoring(false);
    constant.stop();
    // Clicks (one frame of 0.9) every 0.25 s from a context time 0.3 s ahead.
    const clip = new AudioBuffer({ length: rate * 2, sampleRate: rate, numberOfChannels: 1 });
    const data = clip.getChannelData(0);
    const offsets = [0, 0.25, 0.5, 0.75, 1, 1.25].map((s) => Math.round(s * rate) + 37);
    for (const at of offsets) data[at] = 0.9;
    const source = new AudioBufferSourceNode(context, { buffer: clip });
    c.liveInput.connectLiveInput(source);
    const readReference = await referenceTap(source);
    await c.stop();
    await c.liveInput.startInputRecording();
    await c.play();
    // Whole quanta: start on a quantum boundary so the context frame of each click is exact.
    const startFrame = (Math.ceil(((context.currentTime + 0.3) * rate) / 128) + 1) * 128;
    source.start(startFrame / rate);
    await playedPast(2);
    const take = await c.liveInput.stopInputRecording();
    await c.pause();
    c.liveInput.disconnectLiveInput();
    return {
      ...summary(take, await readReference()),
      peakWhileConnected,
      clickContextFrames: offsets.map((o) => startFrame + o),
    };
  },

  async deviceTake(seconds) {
    const c = client();
    const stream = await navigator.mediaDevices.getUserMedia({
      // The clicks must arrive as they are: no echo cancelling, noise suppression or gain control.
      audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
    });
    const trackSettings = stream.getAudioTracks()[0]?.getSettings();
    // One source node feeds both the engine and the reference tap.
    const source = c.context.createMediaStreamSource(stream);
    c.liveInput.connectLiveInput(source);
    const readReference = await referenceTap(source);
    await c.stop();
    await c.liveInput.startInputRecording();
    await c.play();
    await playedPast(seconds);
    const take = await c.liveInput.stopInputRecording();
    await c.pause();
    c.liveInput.disconnectLiveInput();
    for (const track of stream.getTracks()) track.stop();
    return { ...summary(take, await readReference()), trackSettings };
  },

  async discovered() {
    const result = await client().discoverNodes();
    return result.nodes.map((node) => node.node_id).filter((id) => !id.startsWith("builtin:"));
  },
};

window.liveInput = api;

declare global {
  interface Window {
    liveInput: LiveInputApi;
  }
}
