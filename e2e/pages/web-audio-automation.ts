// Renders one AudioParam schedule twice: in Chromium (an OfflineAudioContext: ConstantSourceNode with
// offset 1 into a GainNode whose gain takes the calls) and in webdreamer (the Worker host, `web_audio`
// automation of a gain fed a constant 1), and hands both to the Playwright test.
import { createBrowserEngine } from "../../src/browser";
import type { WebAudioCall } from "../../src/contracts";
import { automatedGainRequest } from "../../test/support/automated-gain";

const SAMPLE_RATE = 44100;
const FRAMES = SAMPLE_RATE;

interface Case {
  /** The gain's own value: GainNode's initial gain, the graph's `params.gain`. */
  intrinsic: number;
  calls: WebAudioCall[];
}

// Every event type, alone and together; times on and off frame boundaries.
const CASES: Record<string, Case> = {
  setValueAtTime: {
    intrinsic: 1,
    calls: [
      { type: "setValueAtTime", value: 0.25, time: 0.1 },
      { type: "setValueAtTime", value: -0.5, time: 0.30001 },
      { type: "setValueAtTime", value: 0.75, time: 0.7 },
      // 0.55 * 44100 = 24255.000000000004 in doubles: Chromium starts it at frame 24256.
      { type: "setValueAtTime", value: 0.125, time: 0.55 },
    ],
  },
  linearRampToValueAtTime: {
    intrinsic: 1,
    calls: [
      { type: "setValueAtTime", value: 0.2, time: 0.1 },
      { type: "linearRampToValueAtTime", value: 0.8, time: 0.6 },
      { type: "linearRampToValueAtTime", value: -0.25, time: 0.80003 },
    ],
  },
  exponentialRampToValueAtTime: {
    intrinsic: 1,
    calls: [
      { type: "setValueAtTime", value: 0.01, time: 0.05 },
      { type: "exponentialRampToValueAtTime", value: 1, time: 0.55 },
      { type: "exponentialRampToValueAtTime", value: 0.05, time: 0.90001 },
    ],
  },
  setTargetAtTime: {
    intrinsic: 1,
    calls: [
      { type: "setTargetAtTime", target: 0.2, time: 0.1, timeConstant: 0.05 },
      { type: "setValueAtTime", value: 0.8, time: 0.5 },
      { type: "setTargetAtTime", target: 0, time: 0.6, timeConstant: 0.02 },
    ],
  },
  setValueCurveAtTime: {
    intrinsic: 1,
    calls: [
      { type: "setValueCurveAtTime", values: [0, 1, 0.25, 0.5, -1], time: 0.10001, duration: 0.3 },
      { type: "linearRampToValueAtTime", value: 0.5, time: 0.8 },
    ],
  },
  cancelScheduledValues: {
    intrinsic: 1,
    calls: [
      { type: "setValueAtTime", value: 0.5, time: 0.1 },
      { type: "linearRampToValueAtTime", value: 1, time: 0.5 },
      { type: "setValueAtTime", value: 0.1, time: 0.7 },
      { type: "cancelScheduledValues", cancelTime: 0.3 },
      { type: "linearRampToValueAtTime", value: 0, time: 0.9 },
    ],
  },
  cancelAndHoldAtTime: {
    intrinsic: 1,
    calls: [
      { type: "setValueAtTime", value: 0, time: 0.1 },
      { type: "linearRampToValueAtTime", value: 1, time: 0.6 },
      { type: "setValueAtTime", value: 0.2, time: 0.7 },
      { type: "cancelAndHoldAtTime", cancelTime: 0.35 },
    ],
  },
  "cancelAndHoldAtTime in a setTarget and a curve": {
    intrinsic: 1,
    calls: [
      { type: "setTargetAtTime", target: 0.5, time: 0.1, timeConstant: 0.1 },
      { type: "setValueAtTime", value: 0, time: 0.45 },
      { type: "cancelAndHoldAtTime", cancelTime: 0.3 },
      { type: "setValueCurveAtTime", values: [0, 1, 0, 1], time: 0.5, duration: 0.4 },
      { type: "cancelAndHoldAtTime", cancelTime: 0.65 },
    ],
  },
  "a first ramp from the intrinsic value": {
    intrinsic: 0.5,
    calls: [{ type: "linearRampToValueAtTime", value: 1, time: 0.5 }],
  },
  "every event type": {
    intrinsic: 0.3,
    calls: [
      { type: "setValueAtTime", value: 0.1, time: 0.05 },
      { type: "linearRampToValueAtTime", value: 0.9, time: 0.2 },
      { type: "exponentialRampToValueAtTime", value: 0.02, time: 0.35 },
      { type: "setTargetAtTime", target: 0.6, time: 0.4, timeConstant: 0.03 },
      { type: "setValueCurveAtTime", values: [0.6, -0.2, 0.4], time: 0.55, duration: 0.1 },
      { type: "setValueAtTime", value: 0.7, time: 0.7 },
      { type: "linearRampToValueAtTime", value: 0.1, time: 0.95 },
      { type: "cancelAndHoldAtTime", cancelTime: 0.8 },
    ],
  },
};

/** Makes the calls on a real AudioParam, in order. */
function schedule(param: AudioParam, calls: readonly WebAudioCall[]): void {
  for (const call of calls) {
    switch (call.type) {
      case "setValueAtTime":
        param.setValueAtTime(call.value, call.time);
        break;
      case "linearRampToValueAtTime":
        param.linearRampToValueAtTime(call.value, call.time);
        break;
      case "exponentialRampToValueAtTime":
        param.exponentialRampToValueAtTime(call.value, call.time);
        break;
      case "setTargetAtTime":
        param.setTargetAtTime(call.target, call.time, call.timeConstant);
        break;
      case "setValueCurveAtTime":
        param.setValueCurveAtTime(Float32Array.from(call.values), call.time, call.duration);
        break;
      case "cancelScheduledValues":
        param.cancelScheduledValues(call.cancelTime);
        break;
      case "cancelAndHoldAtTime":
        param.cancelAndHoldAtTime(call.cancelTime);
        break;
    }
  }
}

async function native(test: Case): Promise<number[]> {
  const context = new OfflineAudioContext({ numberOfChannels: 1, length: FRAMES, sampleRate: SAMPLE_RATE });
  const source = new ConstantSourceNode(context, { offset: 1 });
  const gain = new GainNode(context, { gain: test.intrinsic });
  schedule(gain.gain, test.calls);
  source.connect(gain).connect(context.destination);
  source.start(0);
  return Array.from((await context.startRendering()).getChannelData(0));
}

async function webdreamer(test: Case): Promise<number[]> {
  const engine = await createBrowserEngine({ host: "worker", hostOptions: { sampleRate: SAMPLE_RATE } });
  try {
    const request = automatedGainRequest(
      { kind: "web_audio", events: test.calls },
      { sampleRate: SAMPLE_RATE, seconds: FRAMES / SAMPLE_RATE, gain: test.intrinsic },
    );
    const result = await engine.render(request);
    if (result.status !== "ok") throw new Error(`render ${result.status}: ${result.error}`);
    const [channel] = await engine.readBuffer(result.buffer_handle as string);
    return Array.from(channel ?? []);
  } finally {
    await engine.close();
  }
}

async function compare(name: string): Promise<{ webdreamer: number[]; native: number[] }> {
  const test = CASES[name];
  if (test === undefined) throw new Error(`no case named ${name}`);
  return { webdreamer: await webdreamer(test), native: await native(test) };
}

const api = { compare, names: Object.keys(CASES) };
export type WebAudioAutomationApi = typeof api;
Object.assign(window, { webAudioAutomation: api });
