/**
 * The one compiler: a project (or a time range of it) to a GraphDescriptor and a RenderRequest. Real-time
 * play (EngineClient.loadGraph of `graph`) and export (EngineClient.render of `request`) use the same
 * graph, so what plays is what exports; a range only sets the request's start and length.
 *
 * Each track becomes a chain of nodes named after its id (docs/projects.md, "Compiler mapping"):
 *
 *   source -> devices -> <id>.mute -> <id>.fader -> <id>.pan -> <bus>.sum or master.sum (its output)
 *                            |                          └─> <id>.send.<send> (post-fader) -> <bus>.sum
 *                            └─> <id>.send.<send> (pre-fader) -> <bus>.sum
 *
 * where the source is one builtin:playback per audio clip summed by <id>.sum (builtin:mixer), the
 * instrument node (with the MIDI clips as its MIDI timeline) on an instrument track, and <id>.sum of
 * what is routed and sent to it on a bus. The master is master.sum -> its devices -> master.fader,
 * the graph's output. Mute and solo set each <id>.mute to 0 or 1 (track-audibility.ts), so a
 * change of either is a parameter change, not a new graph.
 *
 * A ProjectCompiler keeps each track's nodes while the track, the tempo, the audio list and what
 * feeds it stay the same objects, which they do across edits of other tracks (project-commands.ts
 * shares what an edit leaves untouched): recompiling after a fader move rebuilds one track, and
 * diffCompiled skips the nodes it was given back unchanged by reference.
 */
import type { BufferHandle } from "../contracts/common";
import { EngineError } from "../contracts/errors";
import type { GraphDescriptor, GraphNode, Tempo } from "../contracts/graph-descriptor";
import type { RenderRequest } from "../contracts/render";
import { secondsAtBeat } from "../contracts/tempo-map";
import type { LoopRegion } from "../contracts/transport-state";
import { masterChain, masterNodes, type TrackCompileContext, trackChain, trackNodes } from "./compile-track";
import type { AudioSource, Project, Track } from "./project-schema";
import { audibleTracks } from "./track-audibility";

export { masterNodes, trackNodes } from "./compile-track";

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
  /**
   * Seconds rendered before the range's start and discarded (the request's options.preroll), so a
   * range starts with the tails of what played before it. "range" renders from beat 0. Default 0.
   */
  prerollSeconds?: number | "range";
  /** The request's request_id. Default "project". */
  requestId?: string;
  /** Capture each track's output (`<id>.pan`) as a stem. Default false. */
  stems?: boolean;
  /**
   * Ask the real-time host to meter each track's output (`<id>.pan`), the first METERED_TRACKS_MAX
   * in project order: the graph's `extensions.meters` (docs/realtime.md, "Node meters"). Default false.
   */
  meters?: boolean;
}

/** The most track outputs a graph meters: the real-time host's node meter block holds 32 nodes. */
export const METERED_TRACKS_MAX = 32;

/**
 * The node names a compiled project meters, in the node meter block's order (track k: channels 2k, 2k + 1).
 * @example
 * meteredTrackNodes(project); // ["drums.pan", "bass.pan"]
 */
export function meteredTrackNodes(project: Project): string[] {
  return project.tracks.slice(0, METERED_TRACKS_MAX).map((track) => trackNodes.pan(track.id));
}

/** A compiled project: what the engine loads, what it renders, and the transport's loop. */
export interface CompiledProject {
  graph: GraphDescriptor;
  request: RenderRequest;
  /** The project's loop range in seconds when enabled, for EngineClient.setLoop. */
  loop: LoopRegion | null;
}

/** What a track's cached nodes were compiled from, besides the track itself. */
interface CachedTrack {
  tempo: Tempo;
  audio: readonly AudioSource[];
  /** Audibility and, for a bus, the nodes feeding it. */
  feed: string;
  nodes: GraphNode[];
}

/**
 * Compiles projects, keeping each track's nodes for the next compile while nothing they depend on
 * changed. Hold one per playing project; options other than the last call's start afresh.
 * @example
 * const compiler = new ProjectCompiler();
 * const playing = compiler.compile(project, { sampleRate: 48000, buffers: { kick: "buf:1" } });
 */
export class ProjectCompiler {
  private tracks = new WeakMap<Track, CachedTrack>();
  private lastOptions: { sampleRate: number; buffers: ProjectCompileOptions["buffers"] } | null = null;

  /** compileProject, reusing the nodes of tracks that did not change. */
  compile(project: Project, options: ProjectCompileOptions): CompiledProject {
    if (this.lastOptions?.sampleRate !== options.sampleRate || this.lastOptions.buffers !== options.buffers) {
      this.tracks = new WeakMap();
      this.lastOptions = { sampleRate: options.sampleRate, buffers: options.buffers };
    }
    const seconds = (beat: number) => secondsAtBeat(project.tempo, beat);
    const context: TrackCompileContext = {
      timeline: { seconds, sampleRate: options.sampleRate },
      handleOf: (contentId, path) => {
        const handle = Object.hasOwn(options.buffers, contentId) ? options.buffers[contentId] : undefined;
        if (handle === undefined) {
          throw new EngineError(
            "E_UNKNOWN_HANDLE",
            `no buffer handle for audio "${contentId}" in options.buffers`,
            path,
          );
        }
        return handle;
      },
    };
    const sounding = audibleTracks(project);
    const nodes: GraphNode[] = [];
    project.tracks.forEach((track, index) => {
      const feed = `${sounding.has(track.id)}|${track.kind === "bus" ? busFeed(project, track.id) : ""}`;
      const cached = this.tracks.get(track);
      if (
        cached !== undefined &&
        cached.tempo === project.tempo &&
        cached.audio === project.audio &&
        cached.feed === feed
      ) {
        nodes.push(...cached.nodes);
        return;
      }
      const compiled = trackChain(
        project,
        track,
        `project.tracks[${index}]`,
        sounding.has(track.id),
        context,
      );
      this.tracks.set(track, { tempo: project.tempo, audio: project.audio, feed, nodes: compiled });
      nodes.push(...compiled);
    });
    nodes.push(...masterChain(project, context));
    const graph: GraphDescriptor = {
      version: "v1alpha",
      nodes,
      output: masterNodes.fader,
      tempo: project.tempo,
      ppqn: 960,
      extensions: options.meters === true ? { meters: meteredTrackNodes(project) } : {},
    };
    const [startBeat, endBeat] = rangeBeats(project, options.range ?? "all");
    const start = seconds(startBeat);
    // Built in the parsed form (every default written out), without a parse: validating a large graph
    // costs more than compiling it, and the engine validates what it is given anyway.
    const capture =
      options.stems === true ? { capture: project.tracks.map((track) => trackNodes.pan(track.id)) } : {};
    const request: RenderRequest = {
      version: "v1alpha",
      request_id: options.requestId ?? "project",
      node_graph: graph,
      duration_seconds: seconds(endBeat) - start + (options.tailSeconds ?? 0),
      duration_beats: null,
      sample_rate: options.sampleRate,
      channels: 2,
      start_position_seconds: start,
      options: {
        offline: true,
        preroll: options.prerollSeconds === "range" ? start : (options.prerollSeconds ?? 0),
        ...capture,
      },
      extensions: {},
    };
    const loop =
      project.loop?.enabled === true
        ? { start_seconds: seconds(project.loop.start_beat), end_seconds: seconds(project.loop.end_beat) }
        : null;
    return { graph, request, loop };
  }
}

/**
 * Compiles `project` for a render at `options.sampleRate`, its audio held under `options.buffers`.
 * Throws E_UNKNOWN_HANDLE for audio without a handle, E_SCHEMA for a loop range the project lacks.
 * @example
 * const { graph, request } = compileProject(project, { sampleRate: 48000, buffers: { kick: "buf:1" } });
 */
export function compileProject(project: Project, options: ProjectCompileOptions): CompiledProject {
  return new ProjectCompiler().compile(project, options);
}

/** What feeds a bus: the tracks routed to it and the sends to it, as node names. */
function busFeed(project: Project, busId: string): string {
  const names: string[] = [];
  for (const track of project.tracks) {
    if (track.output === busId) names.push(trackNodes.pan(track.id));
  }
  for (const track of project.tracks) {
    for (const send of track.sends) if (send.target === busId) names.push(trackNodes.send(track.id, send.id));
  }
  return names.join(",");
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
