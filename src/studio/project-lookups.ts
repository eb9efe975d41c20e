/**
 * What the studio's parts read off a project: its clips by id, the tempo at the start, the bar's
 * length, the live keyboard's instrument track. Plain functions of the project, no state.
 */
import { trackNodes } from "../project/compile-track";
import { parseProject } from "../project/project-invariants";
import type { Project } from "../project/project-schema";

/** An empty project: one 4/4 bar at 120 bpm, no tracks. */
export function emptyProject(name = "Untitled"): Project {
  return parseProject({ format: "webdreamer-project", format_version: 1, name });
}

/** The tempo at beat 0, in bpm. */
export function startBpm(project: Project): number {
  return project.tempo.bpm ?? project.tempo.map?.[0]?.bpm ?? 120;
}

/** Beats per bar of the first time signature, in quarter notes (6/8: 3). */
export function beatsPerBar(project: Project): number {
  const signature = project.time_signatures[0];
  return signature ? (signature.numerator * 4) / signature.denominator : 4;
}

/** The clip `clipId` of the track `trackId` (audio or MIDI), if both exist. */
export function findClip(project: Project, trackId?: string, clipId?: string) {
  const track = project.tracks.find((t) => t.id === trackId);
  if (!track || track.kind === "bus") return undefined;
  return track.clips.find((clip) => clip.id === clipId);
}

/** The id of the track holding the clip `clipId`, if one does. */
export function trackOfClip(project: Project, clipId: string): string | undefined {
  return project.tracks.find(
    (track) => track.kind !== "bus" && track.clips.some((clip) => clip.id === clipId),
  )?.id;
}

/** The instrument track the live keyboard plays and records, and the node its notes go to. */
export interface LiveTarget {
  trackId: string;
  name: string;
  node: string;
}

/**
 * The instrument track the keyboard plays and records: `selectedTrack` when it is an instrument
 * track, else the first instrument track. Its node is the instrument's node in the compiled graph
 * (trackNodes.device, as compileProject names it).
 */
export function liveTarget(project: Project, selectedTrack: string | null): LiveTarget | null {
  const tracks = project.tracks;
  const selected = tracks.find((t) => t.id === selectedTrack && t.kind === "instrument");
  const track = selected ?? tracks.find((t) => t.kind === "instrument");
  if (track?.kind !== "instrument") return null;
  return {
    trackId: track.id,
    name: track.name || track.id,
    node: trackNodes.device(track.id, track.instrument.id),
  };
}

/** How long the project's audio `contentId` lasts, in seconds, if the project holds it. */
export function audioSeconds(project: Project, contentId: string): number | undefined {
  const source = project.audio.find((a) => a.content_id === contentId);
  return source ? source.frames / source.sample_rate : undefined;
}
