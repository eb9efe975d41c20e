// Live renders (RenderRequest options.offline = false) on the real-time AudioWorklet host, driven from
// Playwright: the same request rendered live and offline, output and stems read back for comparison,
// and the transport read before and after a live render.
import { AudioWorkletEngineClient } from "../../src/browser";
import type {
  GraphDescriptorInput,
  RenderRequestInput,
  RenderResult,
  TransportState,
} from "../../src/contracts";

let engine: AudioWorkletEngineClient | null = null;

function client(): AudioWorkletEngineClient {
  if (!engine) throw new Error("call start() first");
  return engine;
}

/**
 * A 5-channel output (a stereo panner, then three mono oscillators, concatenated by the gain), a
 * stereo stem ("pan") and a mono stem ("saw", whose frequency is automated), and a delay whose tail
 * a preroll fills.
 */
export const fiveChannelGraph: GraphDescriptorInput = {
  version: "v1alpha",
  nodes: [
    { name: "sine", node_id: "builtin:oscillator", params: { frequency: 220 } },
    {
      name: "saw",
      node_id: "builtin:oscillator",
      params: { waveform: "saw" },
      automation: {
        frequency: {
          kind: "breakpoints",
          points: [
            { time: 0, value: 110 },
            { time: 1, value: 880, curve: "exponential" },
          ],
        },
      },
    },
    { name: "square", node_id: "builtin:oscillator", params: { frequency: 440, waveform: "square" } },
    { name: "pan", node_id: "builtin:panner", inputs: ["sine"], params: { pan: 0.3 } },
    { name: "echo", node_id: "builtin:delay", inputs: ["square"], params: { time: 50, wet: 0.5 } },
    { name: "mix", node_id: "builtin:gain", inputs: ["pan", "saw", "echo", "sine"], params: { gain: 0.5 } },
  ],
  output: "mix",
};

/** A stereo sine, loaded before the renders to see that a live render puts it back. */
const sineGraph: GraphDescriptorInput = {
  version: "v1alpha",
  nodes: [
    { name: "osc", node_id: "builtin:oscillator", params: { frequency: 440 } },
    { name: "g", node_id: "builtin:gain", inputs: ["osc"], params: { gain: 0.5 } },
  ],
  output: "g",
};

export interface RenderShape {
  channels: number;
  seconds: number;
  start: number;
  preroll: number;
  capture: string[];
}

function request(shape: RenderShape, offline: boolean, graph = fiveChannelGraph): RenderRequestInput {
  return {
    version: "v1alpha",
    request_id: offline ? "offline" : "live",
    node_graph: graph,
    duration_seconds: shape.seconds,
    sample_rate: client().context.sampleRate,
    channels: shape.channels,
    start_position_seconds: shape.start,
    options: { offline, preroll: shape.preroll, capture: shape.capture },
  };
}

async function channels(handle: string | null | undefined): Promise<number[][]> {
  if (!handle) return [];
  return (await client().readBuffer(handle)).map((channel) => Array.from(channel));
}

/** Everything a result returns, the audio read back. */
async function readBack(result: RenderResult) {
  const captures: Record<string, number[][]> = {};
  for (const [name, handle] of Object.entries(result.extensions.captures ?? {})) {
    captures[name] = await channels(handle);
  }
  return {
    status: result.status,
    error: result.error,
    frames: result.frames,
    output: await channels(result.buffer_handle),
    captures,
    live: (result.extensions as { live_render?: unknown }).live_render ?? null,
  };
}

function transportOf(state: TransportState) {
  return {
    running: state.running,
    position_seconds: state.position_seconds,
    loop: state.extensions.loop ?? null,
  };
}

const api = {
  async start() {
    engine = await AudioWorkletEngineClient.start();
    await engine.context.resume();
    return { sampleRate: engine.context.sampleRate, dataPlane: engine.dataPlane };
  },
  /** The same request live, then offline. */
  async liveAndOffline(shape: RenderShape) {
    const live = await readBack(await client().render(request(shape, false)));
    const offline = await readBack(await client().render(request(shape, true)));
    return { live, offline };
  },
  /**
   * With the sine graph loaded, a loop set and the playhead at `position` (playing or not): the
   * transport before, a live render of another graph, the transport after, then a live render of the
   * sine graph (kept: it is the graph playing again).
   */
  async transportAround(position: number, playing: boolean, shape: RenderShape) {
    const c = client();
    await c.loadGraph(sineGraph);
    await c.setLoop({ start_seconds: 1, end_seconds: 2 });
    await c.seek(position);
    if (playing) await c.play();
    else await c.pause();
    const before = transportOf(await c.getTransportState());
    const result = await c.render(request(shape, false));
    const after = transportOf(await c.getTransportState());
    const again = await c.render({ ...request({ ...shape, capture: [] }, false, sineGraph) });
    await c.pause();
    return {
      before,
      after,
      status: result.status,
      frames: result.frames,
      live: (result.extensions as { live_render?: unknown }).live_render ?? null,
      again: {
        status: again.status,
        live: (again.extensions as { live_render?: unknown }).live_render ?? null,
      },
    };
  },
  /** The error a live render of `shape` is refused with. */
  async refusal(shape: RenderShape) {
    try {
      await client().render(request(shape, false));
      return "accepted";
    } catch (error) {
      return (error as Error).message;
    }
  },
  async close() {
    await engine?.close();
    engine = null;
  },
};

export type LiveRenderApi = typeof api;
(window as unknown as { liveRender: LiveRenderApi }).liveRender = api;
