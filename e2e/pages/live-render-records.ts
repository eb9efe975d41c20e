// What a live render (options.offline = false) records besides audio, driven from Playwright
// (e2e/live-render-records.spec.ts): a gain's ramp (record_automation, per frame and per block) and
// the MIDI a sampler played (record_midi): a note of its graph's timeline and a note sent live while
// the render plays. The sampler plays a constant 1 with no attack or release, so its captured output
// sounds velocity / 127 from the very frame each note reached it.
import { AudioWorkletEngineClient } from "../../src/browser";
import type { GraphDescriptorInput, RenderRequestInput, RenderResult } from "../../src/contracts";

let engine: AudioWorkletEngineClient | null = null;

function client(): AudioWorkletEngineClient {
  if (!engine) throw new Error("call start() first");
  return engine;
}

/** Resolves once the transport has played past `seconds`; returns the frame it had reached. */
async function playedPast(seconds: number): Promise<number> {
  const deadline = performance.now() + 10_000;
  for (;;) {
    const state = client().readTransport();
    if (state.running && state.positionSeconds >= seconds) return state.positionFrames;
    if (performance.now() > deadline) throw new Error(`the transport never passed ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

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
    return { sampleRate: engine.context.sampleRate };
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
};

export type LiveRenderRecordsApi = typeof api;
Object.assign(window, { liveRenderRecords: api });
