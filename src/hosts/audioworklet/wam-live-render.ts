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
  type RenderRequestInput,
  RenderRequestSchema,
  type RenderResult,
  refuseRecordedAutomation,
  renderFrameCount,
} from "../../contracts/render";
import { parseContract } from "../../contracts/validate";
import { type LiveWamGraph, RETURN_GRAPH } from "./wam-live-graph";

export interface WamLiveRenderHost {
  /** The WAM graph playing now, if any. */
  live(): LiveWamGraph | null;
  /** Loads `graph` as the playing WAM graph. */
  loadGraph(graph: GraphDescriptorInput): Promise<void>;
  /** The real-time render of a request whose graph is the primary's return graph (the capture). */
  renderReturn(request: RenderRequestInput, options: RenderCallOptions): Promise<RenderResult>;
  readBuffer(handle: string): Promise<Float32Array[]>;
  uploadBuffer(channels: Float32Array[], sampleRate: number): Promise<string>;
  releaseBuffer(handle: string): Promise<void>;
}

/**
 * Renders `input` (its graph has WAM nodes) in real time; the result's extensions.wam says the
 * latency trimmed: `{ latency_frames, trimmed_frames }`.
 */
export async function renderWamLive(
  input: RenderRequestInput,
  options: RenderCallOptions,
  host: WamLiveRenderHost,
): Promise<RenderResult> {
  const request = parseContract(RenderRequestSchema, input);
  refuseRecordedAutomation(request, "a real-time render (offline: false) of a graph with WAM nodes");
  const playing = host.live();
  if (!playing || JSON.stringify(playing.graph) !== JSON.stringify(request.node_graph)) {
    await host.loadGraph(input.node_graph);
  }
  const live = host.live() as LiveWamGraph;
  const latency = live.latencyFrames;
  const frames = renderFrameCount(request);
  const { duration_beats: _beats, ...rest } = input as RenderRequestInput & { duration_beats?: unknown };
  const longer: RenderRequestInput = {
    ...rest,
    node_graph: RETURN_GRAPH,
    // (frames + N) / rate rounds back to frames + N exactly (renderFrameCount).
    duration_seconds: (frames + latency) / request.sample_rate,
  };
  const result = await host.renderReturn(
    latency === 0 ? { ...input, node_graph: RETURN_GRAPH } : longer,
    options,
  );
  const trimmed = latency === 0 ? result : await trim(result, latency, frames, request.sample_rate, host);
  return {
    ...trimmed,
    extensions: { ...trimmed.extensions, wam: { latency_frames: latency, trimmed_frames: latency } },
  };
}

/** The result without its first `latency` frames (at most `frames` left), under a new handle. */
async function trim(
  result: RenderResult,
  latency: number,
  frames: number,
  sampleRate: number,
  host: WamLiveRenderHost,
): Promise<RenderResult> {
  const handle = result.buffer_handle;
  if (handle === null) return result;
  const channels = await host.readBuffer(handle);
  const kept = Math.max(0, Math.min(frames, result.frames - latency));
  const start = Math.min(latency, result.frames);
  const cut = channels.map((channel) => channel.slice(start, start + kept));
  const trimmedHandle = await host.uploadBuffer(cut, sampleRate);
  await host.releaseBuffer(handle);
  return { ...result, buffer_handle: trimmedHandle, frames: kept };
}
