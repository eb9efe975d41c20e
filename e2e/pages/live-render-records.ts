// What a live render (options.offline = false) records besides audio, driven from Playwright
// (e2e/live-render-records.spec.ts): a gain's ramp (record_automation, per frame and per block) and
// the MIDI a sampler played (record_midi): a note of its graph's timeline and a note sent live while
// the render plays; and a take (startMidiRecording) running around such a render. The sampler plays a constant 1 with no attack or release, so its captured output
// sounds velocity / 127 from the very frame each note reached it.
import { AudioWorkletEngineClient } from "../../src/browser";
import type { GraphDescriptorInput, RenderRequestInput, RenderResult } from "../../src/contracts";
import { plainTakeEvents } from "./take-events";

let engine: AudioWorkletEngineClient | null = null;

function client(): AudioWorkletEngineClient {
  if (!engine) throw new Error("call start() first");
  return engine;
}

/**
 * Resolves once the transport plays at or past `seconds` and before `before`; returns the frame it
 * had reached. With `before` RENDER_ONLY_BEFORE: in a live render (from 0), not in the transport's
 * own play, which takeAroundRender keeps past that.
 */
async function playedPast(seconds: number, before = Number.POSITIVE_INFINITY): Promise<number> {
  const deadline = performance.now() + 10_000;
  for (;;) {
    const state = client().readTransport();
    if (state.running && state.positionSeconds >= seconds && state.positionSeconds < before)
      return state.positionFrames;
    if (performance.now() > deadline) throw new Error(`the transport never passed ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** takeAroundRender's transport plays from here on, outside its renders: their frames are all before. */
const RENDER_ONLY_BEFORE = 2;

/** Frames where the signal changes from the frame before, with the value from there. */
function steps(channel: Float32Array): [number, number][] {
  const found: [number, number][] = [];
  for (let i = 1; i < channel.length; i++) {
    if (channel[i] !== channel[i - 1]) found.push([i, channel[i] as number]);
  }
  return found;
}

async function graph(): Promise<GraphDescriptorInput> {
  const c = client();
  const rate = c.context.sampleRate;
  const one = await c.uploadBuffer([new Float32Array(rate).fill(1)], rate);
  return {
    version: "v1alpha",
    nodes: [
      {
        name: "keys",
        node_id: "builtin:sampler",
        params: { loop_mode: "continuous", attack: 0, release: 0 },
        buffers: { data: one },
        midi: [{ type: "note", time: 0.05, duration: 0.1, note: 60, velocity: 100 }],
      },
      {
        name: "vca",
        node_id: "builtin:gain",
        inputs: ["keys"],
        automation: {
          gain: {
            kind: "breakpoints",
            points: [
              { time: 0, value: 0 },
              { time: 0.5, value: 1 },
            ],
          },
        },
      },
    ],
    output: "vca",
  };
}

function request(node_graph: GraphDescriptorInput, seconds: number): RenderRequestInput {
  return {
    version: "v1alpha",
    request_id: "live-render-records",
    node_graph,
    duration_seconds: seconds,
    sample_rate: client().context.sampleRate,
    channels: 1,
    options: {
      offline: false,
      preroll: 0,
      capture: ["keys"],
      record_automation: { nodes: ["vca"] },
      record_midi: { nodes: ["keys"] },
    },
  };
}

async function mono(handle: string | undefined): Promise<number[]> {
  if (handle === undefined) throw new Error("no buffer handle");
  const [channel] = await client().readBuffer(handle);
  return Array.from(channel ?? []);
}

function checked(result: RenderResult): RenderResult {
  if (result.status !== "ok") throw new Error(`render ${result.status}: ${result.error}`);
  return result;
}

const api = {
  async start() {
    engine = await AudioWorkletEngineClient.start({ connect: false });
    await engine.context.resume();
    return { sampleRate: engine.context.sampleRate, dataPlane: engine.dataPlane };
  },

  /**
   * A 0.6 s live render: note 64 (velocity 127) sent live once 0.25 s have played, with note 67
   * (velocity 64) scheduled for 0.5 s to 0.55 s (scheduleEvents), and 64's note_off once 0.4 s have;
   * then a 0.1 s render of the same graph recorded per block.
   */
  async take() {
    const c = client();
    const g = await graph();
    const rendering = c.render(request(g, 0.6));
    const onCalledAt = await playedPast(0.25);
    await c.sendMidi("keys", { type: "note_on", note: 64, velocity: 127 });
    // Scheduled MIDI sent during the render: note 67 on the timeline's 0.5 s to 0.55 s.
    await c.scheduleEvents("keys", [{ type: "note", time: 0.5, duration: 0.05, note: 67, velocity: 64 }]);
    const offCalledAt = await playedPast(0.4);
    await c.sendMidi("keys", { type: "note_off", note: 64 });
    const result = checked(await rendering);
    const blocks = checked(
      await c.render({
        ...request(g, 0.1),
        options: { offline: false, preroll: 0, record_automation: { nodes: ["vca"], resolution: "block" } },
      }),
    );
    return {
      frames: result.frames,
      gain: await mono(result.extensions.automation?.vca?.gain),
      blockFrames: result.extensions.automation_block_frames,
      gainPerBlock: await mono(blocks.extensions.automation?.vca?.gain),
      perBlockFrames: blocks.extensions.automation_block_frames,
      midi: result.extensions.midi?.keys ?? [],
      midiFile: result.extensions.midi_file ?? "",
      keysSteps: steps(new Float32Array(await mono(result.extensions.captures?.keys))),
      onCalledAt,
      offCalledAt,
    };
  },

  /**
   * A take (startMidiRecording) running around a live render that records MIDI, against the same
   * render alone. The graph plays from RENDER_ONLY_BEFORE seconds. The render (0.6 s) gets note 64
   * sent live for 0.25 s to 0.4 s and note 67 scheduled for 0.5 s to 0.55 s, both timed, so the alone
   * and the inside renders play the same frames. The take gets note 72 sent (timed) before the render
   * and note 74 after it; each timed 0.1 s ahead of the transport, on frames returned here.
   */
  async takeAroundRender() {
    const c = client();
    const rate = c.context.sampleRate;
    const g = await graph();
    await c.loadGraph(g);
    await c.seek(RENDER_ONLY_BEFORE);
    await c.play();
    const render = async () => {
      const rendering = c.render(request(g, 0.6));
      await playedPast(0.1, RENDER_ONLY_BEFORE);
      await c.sendMidi("keys", { type: "note_on", note: 64, velocity: 127 }, { atSeconds: 0.25 });
      await c.sendMidi("keys", { type: "note_off", note: 64 }, { atSeconds: 0.4 });
      await c.scheduleEvents("keys", [{ type: "note", time: 0.5, duration: 0.05, note: 67, velocity: 64 }]);
      const result = checked(await rendering);
      return {
        midi: result.extensions.midi?.keys ?? [],
        keysSteps: steps(new Float32Array(await mono(result.extensions.captures?.keys))),
        lostFrames: result.extensions.lost_frames,
      };
    };
    /** Note `note` on and off 0.1 s ahead of the transport, 0.05 s long; resolves once both played. */
    const timedNote = async (note: number): Promise<[on: number, off: number]> => {
      const on = c.readTransport().positionFrames + Math.round(0.1 * rate);
      const off = on + Math.round(0.05 * rate);
      await c.sendMidi("keys", { type: "note_on", note, velocity: 90 }, { atSeconds: on / rate });
      await c.sendMidi("keys", { type: "note_off", note }, { atSeconds: off / rate });
      await playedPast((off + 128) / rate);
      return [on, off];
    };

    const alone = await render();
    await c.startMidiRecording();
    const before = await timedNote(72);
    const inside = await render();
    const after = await timedNote(74);
    const take = await c.stopMidiRecording();
    await c.stop();
    return {
      sampleRate: rate,
      alone,
      inside,
      before,
      after,
      take: {
        events: plainTakeEvents(take),
        elapsedFrames: take.elapsedFrames,
        lost: take.lost,
      },
    };
  },
};

export type LiveRenderRecordsApi = typeof api;
Object.assign(window, { liveRenderRecords: api });
