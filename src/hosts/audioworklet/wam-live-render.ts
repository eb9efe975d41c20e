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
  type RenderRequest,
  type RenderRequestInput,
  RenderRequestSchema,
  type RenderResult,
  renderFrameCount,
} from "../../contracts/render";
import { parseContract } from "../../contracts/validate";
import { isWamNode } from "../../contracts/wam-node";
import { automationBlockFrames } from "../../engine/recorded-automation";
import { type PlayedMidiExtensions, playedMidiResult } from "../in-process/played-midi";
import {
  mergePlayedMidi,
  WAM_LIVE_PARAMETERS,
  WAM_LIVE_RECORDS,
  type WamLiveParameterChange,
  type WamLiveRecords,
} from "./live-render-records";
import { RETURN_OUTPUT_PORT, returnGraph, stemPortName } from "./return-graph";
import { capturedNodes } from "./wam-graph";
import type { LiveWamGraph } from "./wam-live-graph";
import { wamGraphTimelineMidi } from "./wam-played-midi";
import { type LiveWamParameters, wamParameterAutomation } from "./wam-recorded-automation";

/** A processing block in the worklet: a render quantum (record_automation's "block" without block_size). */
const QUANTUM_FRAMES = 128;

export interface WamLiveRenderHost {
  /** The WAM graph playing now, if any. */
  live(): LiveWamGraph | null;
  /**
   * Loads `graph` as the playing WAM graph, the primary receiving the output of `stems` too, its
   * stages recording the parameters of the engine nodes `recorded` names.
   */
  loadGraph(
    graph: GraphDescriptorInput,
    stems: readonly string[],
    recorded: readonly string[],
  ): Promise<void>;
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
  const stems = capturedNodes(request);
  // record_automation: the engine nodes' parameters as their stages hand them to their processors
  // (the graph is loaded with them recorded), a WAM's as the audio thread hands them to the plugin
  // (the graph's automation and the live changes, each on the frame it lands on: wam-event-lanes.ts).
  const asked = request.options.record_automation;
  const engineRecorded = (asked?.nodes ?? []).filter((name) =>
    request.node_graph.nodes.some((node) => node.name === name && !isWamNode(node)),
  );
  const wamRecorded = (asked?.nodes ?? []).filter((name) =>
    request.node_graph.nodes.some((node) => node.name === name && isWamNode(node)),
  );
  const playing = host.live();
  if (
    !playing ||
    JSON.stringify(playing.graph) !== JSON.stringify(request.node_graph) ||
    JSON.stringify(playing.stems) !== JSON.stringify(stems) ||
    JSON.stringify(playing.recorded) !== JSON.stringify(engineRecorded)
  ) {
    await host.loadGraph(input.node_graph, stems, engineRecorded);
  }
  const live = host.live() as LiveWamGraph;
  // What each recorded WAM's plugin holds as the render starts: a value set live before it, or moved
  // in the plugin's own GUI (straight on its node, never through the audio thread), is the record's
  // first value, not the graph's (wam-recorded-automation.ts).
  const held = new Map(
    await Promise.all(wamRecorded.map(async (name) => [name, await live.parameterValues(name)] as const)),
  );
  const latency = live.latencyFrames;
  const stemLatency = live.stemLatencyFrames;
  const frames = renderFrameCount(request);
  // The capture runs as long as the latest path needs; each source drops its own path's latency.
  const longest = Math.max(latency, ...stemLatency);
  // The return graph's render records what the WAM graph around it plays (its nodes are not the
  // return graph's): the stages' recorded parameters and the live MIDI (live-render.ts).
  const records: WamLiveRecords = {
    ...(asked === undefined
      ? {}
      : { record_automation: { nodes: engineRecorded, resolution: asked.resolution } }),
    ...(request.options.record_midi === undefined ? {} : { record_midi: request.options.record_midi.nodes }),
    ...(wamRecorded.length === 0 ? {} : { wam_parameters: wamRecorded }),
  };
  const base: RenderRequestInput = {
    ...input,
    node_graph: returnGraph(live.returnLayout),
    // The return graph's stem ports are captured (capture: true); the request's names are not its.
    options: { ...input.options, capture: [], record_midi: undefined, record_automation: undefined },
    extensions: { ...input.extensions, [WAM_LIVE_RECORDS]: records },
  };
  const { duration_beats: _beats, ...rest } = base as RenderRequestInput & { duration_beats?: unknown };
  // (frames + N) / rate rounds back to frames + N exactly (renderFrameCount).
  const longer = { ...rest, duration_seconds: (frames + longest) / request.sample_rate };
  const rendered = await host.renderReturn(longest === 0 ? base : longer, options);
  // The WAM parameter changes the return render carried for the record: not a result field.
  const { [WAM_LIVE_PARAMETERS]: handed, ...extensions } =
    rendered.extensions as RenderResult["extensions"] & {
      [WAM_LIVE_PARAMETERS]?: WamLiveParameterChange[];
    };
  const result: RenderResult = { ...rendered, extensions };
  const kept = Math.max(0, Math.min(frames, result.frames - longest));
  const returned = (result.extensions.captures ?? {}) as Record<string, string>;
  const automation = await liveWamAutomation(
    request,
    result,
    live,
    kept,
    { handed: handed ?? [], held },
    host,
  );
  const midi = liveWamMidi(request, result, kept);
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
      ...(automation ?? {}),
      ...(midi ?? {}),
      wam: { latency_frames: latency, trimmed_frames: latency },
    },
  };
}

/**
 * extensions.automation of a real-time WAM graph's render, in the order asked: the engine nodes' from
 * the return render (its first `kept` frames: parameters belong to the timeline, which the capture
 * starts on, while the audio is late by the WAM path), the WAM nodes' from the values their plugins
 * held when it started and the changes handed to them while it played.
 */
async function liveWamAutomation(
  request: RenderRequest,
  result: RenderResult,
  live: LiveWamGraph,
  kept: number,
  played: LiveWamParameters,
  host: WamLiveRenderHost,
): Promise<{ automation: Record<string, Record<string, string>>; automation_block_frames: number } | null> {
  const asked = request.options.record_automation;
  if (asked === undefined) return null;
  const blockFrames = automationBlockFrames(request, QUANTUM_FRAMES);
  const values = Math.ceil(kept / blockFrames);
  const recorded: Record<string, Record<string, string>> = {};
  for (const [name, lanes] of Object.entries(result.extensions.automation ?? {})) {
    const cut: Record<string, string> = {};
    for (const [id, handle] of Object.entries(lanes)) {
      const [channel] = await host.readBuffer(handle);
      await host.releaseBuffer(handle);
      cut[id] = await host.uploadBuffer(
        [(channel ?? new Float32Array(0)).slice(0, values)],
        request.sample_rate,
      );
    }
    recorded[name] = cut;
  }
  Object.assign(recorded, await wamParameterAutomation(request, live.wams, kept, host, played));
  const automation: Record<string, Record<string, string>> = {};
  for (const name of asked.nodes) {
    // defineProperty: no node name reaches a prototype setter.
    if (Object.hasOwn(recorded, name))
      Object.defineProperty(automation, name, {
        value: recorded[name],
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return { automation, automation_block_frames: blockFrames };
}

/**
 * extensions.midi and midi_file of a real-time WAM graph's render: the graph's timeline MIDI on the
 * kept frames merged with the live messages the return render recorded (sendMidi, scheduleEvents to
 * its engine and WAM nodes, on the frames they were applied or handed to the plugin).
 */
function liveWamMidi(
  request: RenderRequest,
  result: RenderResult,
  kept: number,
): PlayedMidiExtensions | null {
  const nodes = request.options.record_midi?.nodes;
  if (nodes === undefined) return null;
  const startFrame = Math.round((request.start_position_seconds ?? 0) * request.sample_rate);
  const timeline = wamGraphTimelineMidi(request, nodes, startFrame, kept);
  const recordedLive = (result.extensions.midi ?? {}) as Record<string, PlayedMidiExtensions["midi"][string]>;
  const live = new Map(
    nodes.map((name) => [
      name,
      (Object.hasOwn(recordedLive, name) ? (recordedLive[name] ?? []) : []).filter((m) => m.frame < kept),
    ]),
  );
  return playedMidiResult(
    request,
    mergePlayedMidi(nodes, timeline, live),
    request.start_position_seconds ?? 0,
    kept,
  );
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
