/**
 * One track, and the master, as graph nodes: the chains compile-project.ts describes. Each function
 * reads only the track (the master), the tempo, the audio list and, for a bus, what is routed and
 * sent to it, so a compiler may keep a track's nodes while none of these changes.
 */
import type { BufferHandle } from "../contracts/common";
import { EngineError } from "../contracts/errors";
import type { Automation, GraphNode } from "../contracts/graph-descriptor";
import { clipFades } from "./clip-fades";
import { audioClipNode, type ClipTimeline } from "./compile-audio-clip";
import { type LaneUnits, laneAutomation } from "./compile-automation";
import { midiClipEvents } from "./compile-midi-clip";
import { dbToGain, PAN_RULE } from "./mixer-laws";
import { type AutomationLane, type Device, MASTER_ID, type Project, type Track } from "./project-schema";

/** What compiling a track needs besides the project: times, and the handle of each audio. */
export interface TrackCompileContext {
  timeline: ClipTimeline;
  /** The buffer handle of a content id; throws E_UNKNOWN_HANDLE at `path` when there is none. */
  handleOf(contentId: string, path: string): BufferHandle;
}

/** The graph node names of a track's parts; the compiler, the docs and the tests use these. */
export const trackNodes = {
  clip: (track: string, clip: string) => `${track}.clip.${clip}`,
  sum: (track: string) => `${track}.sum`,
  device: (track: string, device: string) => `${track}.dev.${device}`,
  mute: (track: string) => `${track}.mute`,
  fader: (track: string) => `${track}.fader`,
  pan: (track: string) => `${track}.pan`,
  send: (track: string, send: string) => `${track}.send.${send}`,
};

/** The master's nodes: master.sum -> devices -> master.fader (the graph's output). */
export const masterNodes = {
  sum: `${MASTER_ID}.sum`,
  fader: `${MASTER_ID}.fader`,
};

/**
 * The nodes of one track: source, devices, mute, fader, pan and sends (module comment of
 * compile-project.ts). `path` prefixes error paths; `sounding` is the track's audibility.
 * @example
 * const nodes = trackChain(project, track, "project.tracks[0]", true, {
 *   timeline: { seconds: (beat) => beat / 2, sampleRate: 48000 },
 *   handleOf: () => "buf:1",
 * });
 */
export function trackChain(
  project: Project,
  track: Track,
  path: string,
  sounding: boolean,
  context: TrackCompileContext,
): GraphNode[] {
  const { timeline, handleOf } = context;
  const id = track.id;
  const seconds = timeline.seconds;
  const nodes: GraphNode[] = [];
  let last: string;
  if (track.kind === "audio") {
    track.clips.forEach((clip, index) => {
      const source = project.audio.find((entry) => entry.content_id === clip.content_id);
      if (source === undefined)
        throw new EngineError("E_SCHEMA", `no audio "${clip.content_id}"`, `${path}.clips[${index}]`);
      const handle = handleOf(clip.content_id, `${path}.clips[${index}].content_id`);
      nodes.push(
        audioClipNode(
          trackNodes.clip(id, clip.id),
          clip,
          source,
          handle,
          clipFades(track.clips, index),
          timeline,
        ),
      );
    });
    nodes.push(
      node(
        trackNodes.sum(id),
        "builtin:mixer",
        track.clips.map((clip) => trackNodes.clip(id, clip.id)),
      ),
    );
    last = trackNodes.sum(id);
  } else if (track.kind === "instrument") {
    last = trackNodes.device(id, track.instrument.id);
    const instrument = deviceNode(last, track.instrument, [], track.automation, seconds, handleOf, path);
    nodes.push({ ...instrument, midi: midiClipEvents(track.clips, timeline) });
  } else {
    const inputs = [
      ...project.tracks.filter((other) => other.output === id).map((other) => trackNodes.pan(other.id)),
      ...project.tracks.flatMap((other) =>
        other.sends.filter((send) => send.target === id).map((send) => trackNodes.send(other.id, send.id)),
      ),
    ];
    nodes.push(node(trackNodes.sum(id), "builtin:mixer", inputs));
    last = trackNodes.sum(id);
  }
  for (const device of track.devices) {
    if (device.bypass === true) continue;
    const name = trackNodes.device(id, device.id);
    nodes.push(deviceNode(name, device, [last], track.automation, seconds, handleOf, path));
    last = name;
  }
  nodes.push(node(trackNodes.mute(id), "builtin:gain", [last], { gain: sounding ? 1 : 0 }));
  nodes.push(
    node(
      trackNodes.fader(id),
      "builtin:gain",
      [trackNodes.mute(id)],
      { gain: dbToGain(track.mixer.volume_db) },
      {
        ...lanes(track.automation, { volume: "gain" }, "db_to_gain", seconds),
      },
    ),
  );
  nodes.push(
    node(
      trackNodes.pan(id),
      "builtin:panner",
      [trackNodes.fader(id)],
      { pan: track.mixer.pan, rule: PAN_RULE },
      {
        ...lanes(track.automation, { pan: "pan" }, "as_is", seconds),
      },
    ),
  );
  for (const send of track.sends) {
    const tap = send.pre_fader ? trackNodes.mute(id) : trackNodes.pan(id);
    nodes.push(
      node(
        trackNodes.send(id, send.id),
        "builtin:gain",
        [tap],
        { gain: dbToGain(send.level_db) },
        {
          ...lanes(track.automation, { [`send:${send.id}`]: "gain" }, "db_to_gain", seconds),
        },
      ),
    );
  }
  return nodes;
}

/**
 * The master's nodes: master.sum of the tracks routed to it, its devices, master.fader.
 * @example
 * const nodes = masterChain(project, { timeline: { seconds: (beat) => beat / 2, sampleRate: 48000 }, handleOf: () => "buf:1" });
 */
export function masterChain(project: Project, context: TrackCompileContext): GraphNode[] {
  const { timeline, handleOf } = context;
  const seconds = timeline.seconds;
  const inputs = project.tracks
    .filter((track) => track.output === MASTER_ID)
    .map((track) => trackNodes.pan(track.id));
  const nodes = [node(masterNodes.sum, "builtin:mixer", inputs)];
  let last = masterNodes.sum;
  for (const device of project.master.devices) {
    if (device.bypass === true) continue;
    const name = trackNodes.device(MASTER_ID, device.id);
    nodes.push(
      deviceNode(name, device, [last], project.master.automation, seconds, handleOf, "project.master"),
    );
    last = name;
  }
  const volume = lanes(project.master.automation, { volume: "gain" }, "db_to_gain", seconds);
  nodes.push(
    node(masterNodes.fader, "builtin:gain", [last], { gain: dbToGain(project.master.volume_db) }, volume),
  );
  return nodes;
}

function deviceNode(
  name: string,
  device: Device,
  inputs: string[],
  automation: Record<string, AutomationLane>,
  seconds: (beat: number) => number,
  handleOf: (contentId: string, path: string) => BufferHandle,
  path: string,
): GraphNode {
  const prefix = `device:${device.id}:`;
  const parameters: Record<string, string> = {};
  for (const address of Object.keys(automation)) {
    if (address.startsWith(prefix)) parameters[address] = address.slice(prefix.length);
  }
  const buffers: Record<string, BufferHandle> = {};
  for (const [slot, contentId] of Object.entries(device.buffers)) {
    buffers[slot] = handleOf(contentId, `${path}.buffers.${slot}`);
  }
  return {
    ...node(
      name,
      device.node_id,
      inputs,
      { ...device.params },
      lanes(automation, parameters, "as_is", seconds),
    ),
    buffers,
    ...(device.extensions === undefined ? {} : { extensions: device.extensions }),
  };
}

/** The graph automation of the lanes named in `targets` (lane address -> node parameter id). */
function lanes(
  automation: Record<string, AutomationLane>,
  targets: Record<string, string>,
  units: LaneUnits,
  seconds: (beat: number) => number,
): Record<string, Automation> {
  const result: Record<string, Automation> = {};
  for (const [address, parameter] of Object.entries(targets)) {
    const lane = Object.hasOwn(automation, address) ? automation[address] : undefined;
    if (lane !== undefined) result[parameter] = laneAutomation(lane, units, seconds);
  }
  return result;
}

function node(
  name: string,
  nodeId: string,
  inputs: string[],
  params: Record<string, number | string> = {},
  automation: Record<string, Automation> = {},
): GraphNode {
  return {
    name,
    node_id: nodeId,
    inputs,
    params,
    automation,
    midi: [],
    buffers: {},
    capture: false,
    extensions: {},
  };
}
