// RealtimeEngineClient.getParameter on the real-time AudioWorklet host, driven from Playwright
// (e2e/get-parameter.spec.ts): a constant through a gain whose lane ramps 0 -> 1 over 2 s; the value
// read while it plays, with the frame it belongs to, against the lane's own value at that frame.
import { AudioWorkletEngineClient } from "../../src/browser";
import type { GraphDescriptorInput } from "../../src/contracts";
import { FIXTURE_URL } from "./wam-hosting";

/** The lane: gain 0 at 0 s, a linear ramp to 1 at RAMP_SECONDS. */
const RAMP_SECONDS = 2;

let engine: AudioWorkletEngineClient | null = null;

function client(): AudioWorkletEngineClient {
  if (!engine) throw new Error("call start() first");
  return engine;
}

const graph: GraphDescriptorInput = {
  version: "v1alpha",
  nodes: [
    { name: "one", node_id: "builtin:constant" },
    {
      name: "vca",
      node_id: "builtin:gain",
      inputs: ["one"],
      automation: {
        gain: {
          kind: "web_audio",
          events: [
            { type: "setValueAtTime", value: 0, time: 0 },
            { type: "linearRampToValueAtTime", value: 1, time: RAMP_SECONDS },
          ],
        },
      },
    },
    { name: "tone", node_id: "builtin:oscillator", params: { frequency: 440 } },
    { name: "mix", node_id: "builtin:mixer", inputs: ["vca", "tone"] },
  ],
  output: "mix",
};

/** Waits `ms` of wall-clock time. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An error's code, path and message, or null when the call resolved. */
async function refusal(call: Promise<unknown>) {
  try {
    await call;
    return null;
  } catch (error) {
    const e = error as { code?: string; path?: string; message?: string };
    return { code: e.code, path: e.path, message: e.message };
  }
}

const api = {
  async start() {
    engine = await AudioWorkletEngineClient.start();
    await engine.context.resume();
    await engine.loadGraph(graph);
    return { sampleRate: engine.context.sampleRate };
  },

  /**
   * Set now and read back (stopped), then the ramp read three times while it plays, the timed set
   * read after its time, and the refusals.
   */
  async readWhilePlaying() {
    const c = client();
    await c.setParameter("tone", "frequency", 1234);
    const set = await c.getParameter("tone", "frequency");
    const before = await c.getParameter("vca", "gain");
    await c.play();
    const ramp = [];
    for (let i = 0; i < 3; i++) {
      await sleep(300);
      ramp.push(await c.getParameter("vca", "gain"));
    }
    const position = (await c.getTransportState()).position_seconds;
    await c.setParameter("tone", "frequency", 880, { atSeconds: position + 0.2 });
    await sleep(500);
    const timed = await c.getParameter("tone", "frequency");
    await c.pause();
    const errors = {
      node: await refusal(c.getParameter("nope", "gain")),
      parameter: await refusal(c.getParameter("vca", "volume")),
    };
    return { set, before, ramp, timed, errors };
  },

  /**
   * A graph with the fixture WAM (its one parameter, gain): set now and read back, a timed set read
   * after its time, the engine nodes in the stages around it (read, set, read again), and the
   * refusals (an unknown parameter of the WAM and of a stage's engine node).
   */
  async readWam() {
    const c = client();
    await c.loadGraph({
      version: "v1alpha",
      nodes: [
        { name: "zero", node_id: "builtin:constant", params: { offset: 0 } },
        {
          name: "wam",
          node_id: "wam:com.webdreamer.fixture",
          inputs: ["zero"],
          params: { gain: 2 },
          extensions: { wam: { module_url: FIXTURE_URL } },
        },
        { name: "post", node_id: "builtin:gain", inputs: ["wam"], params: { gain: 0.25 } },
      ],
      output: "post",
    });
    const loaded = await c.getParameter("wam", "gain");
    await c.setParameter("wam", "gain", -3.5);
    const set = await c.getParameter("wam", "gain");
    await c.play();
    const position = (await c.getTransportState()).position_seconds;
    await c.setParameter("wam", "gain", 5, { atSeconds: position + 0.2 });
    await sleep(500);
    const timed = await c.getParameter("wam", "gain");
    // Engine nodes in the stages before and after the WAM: read in the stage's engine.
    const stages = {
      zero: await c.getParameter("zero", "offset"),
      post: await c.getParameter("post", "gain"),
    };
    await c.setParameter("zero", "offset", 0.75);
    await c.setParameter("post", "gain", 0.5);
    const stagesSet = {
      zero: await c.getParameter("zero", "offset"),
      post: await c.getParameter("post", "gain"),
    };
    await c.pause();
    const errors = {
      parameter: await refusal(c.getParameter("wam", "volume")),
      stage: await refusal(c.getParameter("post", "volume")),
    };
    return { loaded, set, timed, stages, stagesSet, errors };
  },

  async close() {
    await engine?.close();
    engine = null;
  },
};

export type GetParameterApi = typeof api;
Object.assign(window, { getParameter: api });
