/**
 * A real-time render (options.offline = false) of a graph with WAM nodes (main thread; docs/wam.md,
 * "Latency, live"). The WAM graph plays around the primary (wam-live-graph.ts) and the primary
 * captures what returns into it, as for any real-time render. Two things differ from a graph without
 * WAMs:
 * - the playing WAM graph is kept when the request's graph is the same, with the live commands
 *   scheduled for it (as the engine keeps a loaded graph), else the request's graph is loaded;
 * - a plugin's compensation delay makes the output late by the WAM path's latency (N frames). The
 *   capture runs N frames longer and drops the first N, as an offline render trims it, so live and
 *   offline renders of the same request give the same samples. Playback itself cannot be earlier than
 *   the plugin allows: a listener hears the graph N frames late (getTransportState reports N).
 */
import type { RenderCallOptions } from "../../api/engine-client";
import type { GraphDescriptorInput } from "../../contracts/graph-descriptor";
import {
  checkRenderRequest,
  type RenderRequestInput,
  RenderRequestSchema,
  type RenderResult,
  refuseRecordedAutomation,
  renderFrameCount,
} from "../../contracts/render";
import { parseContract } from "../../contracts/validate";
import { RETURN_OUTPUT_PORT, returnGraph, stemPortName } from "./return-graph";
import { capturedNodes } from "./wam-graph";
import type { LiveWamGraph } from "./wam-live-graph";
import { wamGraphPlayedMidi } from "./wam-played-midi";

export interface WamLiveRenderHost {
  /** The WAM graph playing now, if any. */
  live(): LiveWamGraph | null;
  /** Loads `graph` as the playing WAM graph, the primary receiving the output of `stems` too. */
  loadGraph(graph: GraphDescriptorInput, stems: readonly string[]): Promise<void>;
  /** The real-time render of a request whose graph is the primary's return graph (the capture). */
  renderReturn(request: RenderRequestInput, options: RenderCallOptions): Promise<RenderResult>;
  readBuffer(handle: string): Promise<Float32Array[]>;
  uploadBuffer(channels: Float32Array[], sampleRate: number): Promise<string>;
  releaseBuffer(handle: string): Promise<void>;
}

/**
 * Renders `input` (its graph has WAM nodes) in real time; the result's extensions.wam says the
 * latency trimmed: `{ latency_frames, trimmed_frames }`. Every node captured (options.capture,
 * capture: true) is a stem in extensions.captures, trimmed by its own path's latency as offline.
 */
export async function renderWamLive(
  input: RenderRequestInput,
  options: RenderCallOptions,
  host: WamLiveRenderHost,
): Promise<RenderResult> {
  const request = parseContract(RenderRequestSchema, input);
  checkRenderRequest(request);
  // record_midi is made from the graph (wam-played-midi.ts); parameters are recorded by no stage.
  refuseRecordedAutomation(request, "a real-time render (offline: false) of a graph with WAM nodes", [
    "record_automation",
  ]);
  const stems = capturedNodes(request);
  const playing = host.live();
  if (
    !playing ||
    JSON.stringify(playing.graph) !== JSON.stringify(request.node_graph) ||
    JSON.stringify(playing.stems) !== JSON.stringify(stems)
  ) {
    await host.loadGraph(input.node_graph, stems);
  }
  const live = host.live() as LiveWamGraph;
  const latency = live.latencyFrames;
  const stemLatency = live.stemLatencyFrames;
  const frames = renderFrameCount(request);
  // The capture runs as long as the latest path needs; each source drops its own path's latency.
  const longest = Math.max(latency, ...stemLatency);
  const base: RenderRequestInput = {
    ...input,
    node_graph: returnGraph(live.returnLayout),
    // The return graph's stem ports are captured (capture: true); the request's names are not its.
    options: { ...input.options, capture: [], record_midi: undefined },
  };
  const { duration_beats: _beats, ...rest } = base as RenderRequestInput & { duration_beats?: unknown };
  // (frames + N) / rate rounds back to frames + N exactly (renderFrameCount).
  const longer = { ...rest, duration_seconds: (frames + longest) / request.sample_rate };
  const result = await host.renderReturn(longest === 0 ? base : longer, options);
  const kept = Math.max(0, Math.min(frames, result.frames - longest));
  const returned = (result.extensions.captures ?? {}) as Record<string, string>;
  // The output as it returned, all its channels (the primary plays two of them), is the render's
  // output: it replaces the played one (a render without a buffer, streamed, keeps what played).
  const output = returned[RETURN_OUTPUT_PORT];
  if (output !== undefined)
    await host.releaseBuffer(result.buffer_handle === null ? output : result.buffer_handle);
  const played = result.buffer_handle === null ? null : (output ?? result.buffer_handle);
  const trimmed = await trim(played, latency, kept, request.sample_rate, host);
  const captures: Record<string, string> = {};
  for (const [i, name] of stems.entries()) {
    const handle = returned[stemPortName(i)];
    if (handle === undefined) continue;
    Object.defineProperty(captures, name, {
      value: await trim(handle, stemLatency[i] ?? 0, kept, request.sample_rate, host),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return {
    ...result,
    buffer_handle: trimmed,
    frames: played === null ? result.frames : kept,
    extensions: {
      ...result.extensions,
      ...(stems.length > 0 ? { captures } : {}),
      // The graph's MIDI on the kept frames (messages sent live to a WAM graph are not recorded).
      ...(wamGraphPlayedMidi(
        request,
        Math.round((request.start_position_seconds ?? 0) * request.sample_rate),
        kept,
      ) ?? {}),
      wam: { latency_frames: latency, trimmed_frames: latency },
    },
  };
}

/**
 * Frames [latency, latency + frames) of the buffer `handle` under a new handle (the old one released);
 * the same handle when there is nothing to cut.
 */
async function trim(
  handle: string | null,
  latency: number,
  frames: number,
  sampleRate: number,
  host: WamLiveRenderHost,
): Promise<string | null> {
  if (handle === null) return null;
  const channels = await host.readBuffer(handle);
  if (latency === 0 && (channels[0]?.length ?? 0) === frames) return handle;
  const cut = channels.map((channel) => channel.slice(latency, latency + frames));
  const trimmedHandle = await host.uploadBuffer(cut, sampleRate);
  await host.releaseBuffer(handle);
  return trimmedHandle;
}
