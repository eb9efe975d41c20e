/**
 * The one compiler: a project (or a time range of it) to a GraphDescriptor and a RenderRequest. Real-time
 * play (EngineClient.loadGraph of `graph`) and export (EngineClient.render of `request`) use the same
 * graph, so what plays is what exports; a range only sets the request's start and length.
 *
 * Each track becomes a chain of nodes named after its id (docs/projects.md, "Compiler mapping"):
 *
 *   source -> devices -> <id>.mute -> <id>.fader -> <id>.pan -> its output's <bus>.sum or master.sum
 *                           |                           └──> <id>.send.<send> (post-fader) -> <bus>.sum
 *                           └──> <id>.send.<send> (pre-fader) -> <bus>.sum
 *
 * where the source is one builtin:playback per audio clip summed by <id>.sum (builtin:mixer), the
 * instrument node (with the MIDI clips as its MIDI timeline) on an instrument track, and <id>.sum of
 * what is routed and sent to it on a bus. The master is master.sum -> its devices -> master.fader,
 * the graph's output. Mute and solo set each <id>.mute to 0 or 1 (track-audibility.ts), so a
 * change of either is a parameter change, not a new graph.
 */
import type { BufferHandle } from "../contracts/common";
import { EngineError } from "../contracts/errors";
import type { Automation, GraphDescriptor, GraphNode } from "../contracts/graph-descriptor";
import { type RenderRequest, RenderRequestSchema } from "../contracts/render";
import { secondsAtBeat } from "../contracts/tempo-map";
import type { LoopRegion } from "../contracts/transport-state";
import { parseContract } from "../contracts/validate";
import { clipFades } from "./clip-fades";
import { audioClipNode, type ClipTimeline } from "./compile-audio-clip";
import { type LaneUnits, laneAutomation } from "./compile-automation";
import { midiClipEvents } from "./compile-midi-clip";
import { dbToGain, PAN_RULE } from "./mixer-laws";
import { type AutomationLane, type Device, MASTER_ID, type Project, type Track } from "./project-schema";
import { audibleTracks } from "./track-audibility";

/** How to compile. */
export interface ProjectCompileOptions {
  /** The render's sample rate (the real-time context's rate for real-time play). */
  sampleRate: number;
  /** The buffer handle holding each content id's audio (EngineClient.uploadBuffer gave them). */
  buffers: Readonly<Record<string, BufferHandle>>;
  /**
   * What the request renders: "all" (default) from beat 0 to the end of the last clip; "loop" the
   * project's loop range; or beats.
   */
  range?: "all" | "loop" | { start_beat: number; end_beat: number };
  /** Seconds rendered after the range's end (reverb and delay tails). Default 0. */
  tailSeconds?: number;
  /** The request's request_id. Default "project". */
  requestId?: string;
  /** Capture each track's output (`<id>.pan`) as a stem. Default false. */
  stems?: boolean;
}

/** A compiled project: what the engine loads, what it renders, and the transport's loop. */
export interface CompiledProject {
  graph: GraphDescriptor;
  request: RenderRequest;
  /** The project's loop range in seconds when enabled, for EngineClient.setLoop. */
  loop: LoopRegion | null;
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
 * Compiles `project` for a render at `options.sampleRate`, its audio held under `options.buffers`.
 * Throws E_UNKNOWN_HANDLE for audio without a handle, E_SCHEMA for a loop range the project lacks.
 * @example
 * const { graph, request } = compileProject(project, { sampleRate: 48000, buffers: { kick: "buf:1" } });
 */
export function compileProject(project: Project, options: ProjectCompileOptions): CompiledProject {
  const seconds = (beat: number) => secondsAtBeat(project.tempo, beat);
  const timeline: ClipTimeline = { seconds, sampleRate: options.sampleRate };
  const handleOf = (contentId: string, path: string): BufferHandle => {
    const handle = Object.hasOwn(options.buffers, contentId) ? options.buffers[contentId] : undefined;
    if (handle === undefined) {
      throw new EngineError(
        "E_UNKNOWN_HANDLE",
        `no buffer handle for audio "${contentId}" in options.buffers`,
        path,
      );
    }
    return handle;
  };
  const sounding = audibleTracks(project);
  const nodes: GraphNode[] = [];
  project.tracks.forEach((track, index) => {
    nodes.push(
      ...trackChain(project, track, `project.tracks[${index}]`, sounding.has(track.id), timeline, handleOf),
    );
  });
  const masterInputs = project.tracks
    .filter((track) => track.output === MASTER_ID)
    .map((track) => trackNodes.pan(track.id));
  nodes.push(node(masterNodes.sum, "builtin:mixer", masterInputs));
  let last = masterNodes.sum;
  for (const device of project.master.devices) {
    const name = trackNodes.device(MASTER_ID, device.id);
    nodes.push(
      deviceNode(name, device, [last], project.master.automation, seconds, handleOf, "project.master"),
    );
    last = name;
  }
  nodes.push(
    node(
      masterNodes.fader,
      "builtin:gain",
      [last],
      { gain: dbToGain(project.master.volume_db) },
      {
        ...lanes(project.master.automation, { volume: "gain" }, "db_to_gain", seconds),
      },
    ),
  );
  const graph: GraphDescriptor = {
    version: "v1alpha",
    nodes,
    output: masterNodes.fader,
    tempo: project.tempo,
    ppqn: 960,
    extensions: {},
  };
  const [startBeat, endBeat] = rangeBeats(project, options.range ?? "all");
  const start = seconds(startBeat);
  const request = parseContract(
    RenderRequestSchema,
    {
      version: "v1alpha",
      request_id: options.requestId ?? "project",
      node_graph: graph,
      duration_seconds: seconds(endBeat) - start + (options.tailSeconds ?? 0),
      sample_rate: options.sampleRate,
      channels: 2,
      start_position_seconds: start,
      options: {
        offline: true,
        preroll: 0,
        ...(options.stems === true
          ? { capture: project.tracks.map((track) => trackNodes.pan(track.id)) }
          : {}),
      },
    },
    "request",
  );
  const loop =
    project.loop?.enabled === true
      ? { start_seconds: seconds(project.loop.start_beat), end_seconds: seconds(project.loop.end_beat) }
      : null;
  return { graph: request.node_graph, request, loop };
}

/**
 * Beat where the project's content ends: the last clip's end (at least one beat, so an empty project
 * still renders).
 * @example
 * projectEndBeat(project); // 16 when the last clip ends at beat 16
 */
export function projectEndBeat(project: Project): number {
  let end = 1;
  for (const track of project.tracks) {
    if (track.kind === "bus") continue;
    for (const clip of track.clips) end = Math.max(end, clip.start_beat + clip.length_beats);
  }
  return end;
}

function rangeBeats(project: Project, range: NonNullable<ProjectCompileOptions["range"]>): [number, number] {
  if (range === "all") return [0, projectEndBeat(project)];
  if (range === "loop") {
    if (project.loop === null)
      throw new EngineError("E_SCHEMA", "the project has no loop range", "options.range");
    return [project.loop.start_beat, project.loop.end_beat];
  }
  if (!(range.end_beat > range.start_beat && range.start_beat >= 0)) {
    throw new EngineError("E_SCHEMA", "must have 0 <= start_beat < end_beat", "options.range");
  }
  return [range.start_beat, range.end_beat];
}

function trackChain(
  project: Project,
  track: Track,
  path: string,
  sounding: boolean,
  timeline: ClipTimeline,
  handleOf: (contentId: string, path: string) => BufferHandle,
): GraphNode[] {
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
