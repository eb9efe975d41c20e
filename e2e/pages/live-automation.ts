// scheduleAutomation on the real-time AudioWorklet host, driven from Playwright: a constant 1 through
// a gain (so the output is the gain parameter, frame by frame) plays and is captured through the
// capture ring (a render with options.offline = false) while web_audio calls are scheduled on it.
// The same calls go to an OfflineAudioContext's GainNode, and to an offline render of the graph with
// the same automation loaded, for comparison.
import { AudioWorkletEngineClient } from "../../src/browser";
import type { GraphDescriptorInput, RenderRequestInput, WebAudioCall } from "../../src/contracts";

let engine: AudioWorkletEngineClient | null = null;

function client(): AudioWorkletEngineClient {
  if (!engine) throw new Error("call start() first");
  return engine;
}

const GAIN = 0.5;
const SECONDS = 1.5;

function graph(calls?: WebAudioCall[]): GraphDescriptorInput {
  return {
    version: "v1alpha",
    nodes: [
      { name: "one", node_id: "builtin:constant" },
      {
        name: "vca",
        node_id: "builtin:gain",
        inputs: ["one"],
        params: { gain: GAIN },
        ...(calls ? { automation: { gain: { kind: "web_audio", events: calls } } } : {}),
      },
    ],
    output: "vca",
  };
}

function request(node_graph: GraphDescriptorInput, offline: boolean): RenderRequestInput {
  return {
    version: "v1alpha",
    request_id: offline ? "offline" : "realtime",
    node_graph,
    duration_seconds: SECONDS,
    sample_rate: client().context.sampleRate,
    channels: 1,
    start_position_seconds: 0,
    options: { offline, preroll: 0 },
  };
}

async function samples(result: { status: string; error: string | null; buffer_handle: string | null }) {
  if (result.status !== "ok") throw new Error(`render ${result.status}: ${result.error}`);
  const [channel] = await client().readBuffer(result.buffer_handle as string);
  await client().releaseBuffer(result.buffer_handle as string);
  return Array.from(channel ?? []);
}

/** Resolves once the transport has played past `seconds` (polling its state). */
async function playedPast(seconds: number): Promise<number> {
  const deadline = performance.now() + 10_000;
  for (;;) {
    const state = await client().getTransportState();
    if (state.running && state.position_seconds >= seconds) return state.position_seconds;
    if (performance.now() > deadline) throw new Error(`the transport never passed ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

// Two batches of calls, appended live one after the other, all due after the calls are made.
const FIRST: WebAudioCall[] = [
  { type: "setValueAtTime", value: 0.2, time: 0.6 },
  { type: "linearRampToValueAtTime", value: 1, time: 0.8 },
  { type: "exponentialRampToValueAtTime", value: 0.05, time: 1.0 },
];
const SECOND: WebAudioCall[] = [
  { type: "setTargetAtTime", target: 0.7, time: 1.05, timeConstant: 0.02 },
  { type: "setValueCurveAtTime", values: [0.7, 0.1, 0.9, 0.3], time: 1.2, duration: 0.1 },
  { type: "linearRampToValueAtTime", value: 0.4, time: 1.45 },
];

/** The same calls on Chromium's own AudioParam, offline. */
async function native(calls: WebAudioCall[], sampleRate: number): Promise<number[]> {
  const length = Math.round(SECONDS * sampleRate);
  const context = new OfflineAudioContext({ numberOfChannels: 1, length, sampleRate });
  const source = new ConstantSourceNode(context, { offset: 1 });
  const gain = new GainNode(context, { gain: GAIN });
  const param = gain.gain;
  for (const call of calls) {
    if (call.type === "setValueAtTime") param.setValueAtTime(call.value, call.time);
    else if (call.type === "linearRampToValueAtTime") param.linearRampToValueAtTime(call.value, call.time);
    else if (call.type === "exponentialRampToValueAtTime")
      param.exponentialRampToValueAtTime(call.value, call.time);
    else if (call.type === "setTargetAtTime")
      param.setTargetAtTime(call.target, call.time, call.timeConstant);
    else if (call.type === "setValueCurveAtTime")
      param.setValueCurveAtTime(Float32Array.from(call.values), call.time, call.duration);
  }
  source.connect(gain).connect(context.destination);
  source.start(0);
  return Array.from((await context.startRendering()).getChannelData(0));
}

const api = {
  async start() {
    engine = await AudioWorkletEngineClient.start();
    await engine.context.resume();
    await engine.loadGraph(graph());
    return { sampleRate: engine.context.sampleRate };
  },

  /** Captures 1.5 s played live while the two batches are appended at 0.2 s and 0.3 s of transport time. */
  async appendWhilePlaying() {
    const c = client();
    const capture = c.render(request(graph(), false));
    const firstAt = await playedPast(0.2);
    await c.scheduleAutomation("vca", "gain", { kind: "web_audio", events: FIRST });
    const secondAt = await playedPast(0.3);
    await c.scheduleAutomation("vca", "gain", { kind: "web_audio", events: SECOND });
    const appliedBy = (await c.getTransportState()).position_seconds;
    const live = await samples(await capture);
    const offline = await samples(await c.render(request(graph([...FIRST, ...SECOND]), true)));
    return {
      live,
      offline,
      native: await native([...FIRST, ...SECOND], c.context.sampleRate),
      firstAt,
      secondAt,
      appliedBy,
    };
  },

  /**
   * Empties the lane, then captures 1.5 s while a replace with a change already due (setValueAtTime
   * at 0 s) is scheduled at 0.4 s: it lands between two quanta, on the frame it is applied.
   */
  async replaceWhilePlaying() {
    const c = client();
    await c.scheduleAutomation(
      "vca",
      "gain",
      { kind: "web_audio", events: [{ type: "cancelScheduledValues", cancelTime: 0 }] },
      { mode: "replace" },
    );
    const capture = c.render(request(graph(), false));
    const calledAt = await playedPast(0.4);
    await c.scheduleAutomation(
      "vca",
      "gain",
      { kind: "web_audio", events: [{ type: "setValueAtTime", value: 0.25, time: 0 }] },
      { mode: "replace" },
    );
    const appliedBy = (await c.getTransportState()).position_seconds;
    return { live: await samples(await capture), calledAt, appliedBy };
  },

  async close() {
    await engine?.close();
    engine = null;
  },
};

export type LiveAutomationApi = typeof api;
Object.assign(window, { liveAutomation: api });
