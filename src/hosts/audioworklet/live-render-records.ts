/**
 * What a live render (live-render.ts) records besides audio, turned into the result's extensions as
 * an offline render's are: the recorded parameters (options.record_automation, carried in the
 * capture's ring after the audio) and the MIDI played (options.record_midi): the graph's timeline
 * MIDI on the kept frames, and the live messages (sendMidi) the audio thread applied on them, as the
 * worklet's MIDI recorder saw them.
 */
import type { RecordedMidiEvent } from "../../api/midi-recording";
import type { BufferHandle } from "../../contracts/common";
import { liveMidiBytes } from "../../contracts/live-midi";
import type { RenderRequest } from "../../contracts/render";
import type { RecordedNode } from "../../engine/graph-compiler";
import { type AutomationExtensions, valuesPerBlock } from "../../engine/recorded-automation";
import { type PlayedMidiExtensions, playedMidi, playedMidiResult } from "../in-process/played-midi";
import type { LiveCaptureReader } from "./live-capture-reader";
import type { RecordedParameterChange } from "./midi-record-reader";
import type { LoadedSources } from "./worklet-driver";

/**
 * RenderRequest.extensions[WAM_LIVE_RECORDS] of the return graph's render of a real-time WAM graph
 * (wam-live-render.ts): what to record of the WAM graph playing around the primary, whose nodes the
 * return graph lacks. record_automation: engine nodes of its stages (loaded recording them:
 * compileStages); record_midi: any of its nodes (the live MIDI applied to them; the timeline's is
 * the main thread's).
 */
export const WAM_LIVE_RECORDS = "wam_live_records";

export interface WamLiveRecords {
  record_automation?: { nodes: string[]; resolution: "frame" | "block" };
  record_midi?: string[];
  /**
   * WAM nodes whose parameter changes, as the audio thread hands them to the plugin, are recorded:
   * the result carries them in extensions[WAM_LIVE_PARAMETERS] (wam-live-render.ts makes the record).
   */
  wam_parameters?: string[];
}

/** The result's extension carrying the WamLiveParameterChanges of WamLiveRecords.wam_parameters. */
export const WAM_LIVE_PARAMETERS = "wam_live_parameters";

/**
 * A parameter change handed to a WAM plugin during a live render: `frame` on the render's frames
 * (negative: it landed during the preroll, before frame 0), `param` the parameter's number (its
 * place in the WAM's parameter list), in the order handed over.
 */
export interface WamLiveParameterChange {
  node: string;
  param: number;
  value: number;
  frame: number;
}

/**
 * The changes of `changes` for `nodes` that landed before frame `startFrame + frames`, on frames
 * relative to startFrame.
 * @example
 * const gain = { node: "fx", param: 0, value: 0.5, frame: 52800, elapsedFrames: 4800 };
 * wamParameterChangesIn([gain], ["fx"], 48000, 48000); // [{ node: "fx", param: 0, value: 0.5, frame: 4800 }]
 */
export function wamParameterChangesIn(
  changes: readonly RecordedParameterChange[],
  nodes: readonly string[],
  startFrame: number,
  frames: number,
): WamLiveParameterChange[] {
  return changes
    .filter((change) => nodes.includes(change.node) && change.frame < startFrame + frames)
    .map(({ node, param, value, frame }) => ({ node, param, value, frame: frame - startFrame }));
}

/** One message on a frame of the render (played-midi.ts's; this folder does not import src/midi). */
type FramedMidiMessage = PlayedMidiExtensions["midi"][string][number];

/**
 * The recorded nodes that carry parameters in the capture's ring, in the order the ring carries them
 * (a node without parameters records nothing, as offline).
 */
export function recordedParameterSources(
  loaded: LoadedSources,
  nodes: readonly string[] | undefined,
): { name: string; node: RecordedNode }[] {
  const sources: { name: string; node: RecordedNode }[] = [];
  for (const name of nodes ?? []) {
    const node = loaded.recorded.get(name);
    if (node !== undefined && node.params.length > 0) sources.push({ name, node });
  }
  return sources;
}

/**
 * extensions.automation of a live render: each recorded parameter's `frames` values (ring source
 * `firstSource + k` for the k-th recorded node), at the resolution asked for, kept under a handle.
 */
export async function liveAutomationExtensions(
  reader: LiveCaptureReader,
  recorded: readonly { name: string; node: RecordedNode }[],
  firstSource: number,
  frames: number,
  blockFrames: number,
  upload: (channels: Float32Array[]) => Promise<BufferHandle>,
): Promise<AutomationExtensions> {
  const automation: Record<string, Record<string, BufferHandle>> = {};
  for (const [k, { name, node }] of recorded.entries()) {
    const channels = reader.sources[firstSource + k] ?? [];
    const handles: [string, BufferHandle][] = [];
    for (const [p, id] of node.params.entries()) {
      const values = (channels[p] ?? new Float32Array(frames)).slice(0, frames);
      handles.push([id, await upload([valuesPerBlock(values, blockFrames)])]);
    }
    // defineProperty: no node name reaches a prototype setter.
    Object.defineProperty(automation, name, {
      value: Object.fromEntries(handles),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return { automation, automation_block_frames: blockFrames };
}

/**
 * The live messages `events` holds for each of `nodes` on transport frames [startFrame, startFrame +
 * frames), as MIDI bytes on frames relative to startFrame, in the order applied.
 * @example
 * const on = { node: "synth", frame: 52096, elapsedFrames: 4096, message: { type: "note_on", note: 60, velocity: 100, channel: 1 } } as const;
 * liveMidiPlayed([on], ["synth"], 48000, 96000).get("synth"); // [{ frame: 4096, status: 144, data1: 60, data2: 100 }]
 */
export function liveMidiPlayed(
  events: readonly RecordedMidiEvent[],
  nodes: readonly string[],
  startFrame: number,
  frames: number,
): Map<string, FramedMidiMessage[]> {
  const played = new Map<string, FramedMidiMessage[]>(nodes.map((name) => [name, []]));
  for (const event of events) {
    const messages = played.get(event.node);
    if (messages === undefined || event.frame < startFrame || event.frame >= startFrame + frames) continue;
    for (const [status, data1, data2] of liveMidiBytes(event.message)) {
      messages.push({ frame: event.frame - startFrame, status, data1, data2 });
    }
  }
  return played;
}

/**
 * extensions.midi and midi_file of a live render: per node, the timeline's messages and the live
 * ones merged in frame order (on one frame the timeline's first, as the engine applies them before
 * a piece that a live message starts).
 */
export function liveMidiExtensions(
  request: RenderRequest,
  nodes: readonly string[] | undefined,
  loaded: LoadedSources,
  liveEvents: readonly RecordedMidiEvent[],
  startFrame: number,
  frames: number,
): PlayedMidiExtensions | null {
  if (nodes === undefined) return null;
  const timeline = playedMidi(loaded, nodes, startFrame, frames);
  const live = liveMidiPlayed(liveEvents, nodes, startFrame, frames);
  return playedMidiResult(
    request,
    mergePlayedMidi(nodes, timeline, live),
    request.start_position_seconds ?? 0,
    frames,
  );
}

/**
 * Per node, the timeline's messages and the live ones merged in frame order (on one frame the
 * timeline's first, as the engine applies them before a piece that a live message starts).
 */
export function mergePlayedMidi(
  nodes: readonly string[],
  timeline: ReadonlyMap<string, FramedMidiMessage[]>,
  live: ReadonlyMap<string, FramedMidiMessage[]>,
): Map<string, FramedMidiMessage[]> {
  return new Map(
    nodes.map((name) => {
      const messages = [...(timeline.get(name) ?? []), ...(live.get(name) ?? [])];
      // A stable sort: each source keeps its own order on a frame.
      messages.sort((a, b) => a.frame - b.frame);
      return [name, messages] as const;
    }),
  );
}
