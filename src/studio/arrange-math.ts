/**
 * The arrangement's edits beyond a drag, as pure functions returning project commands: split a clip,
 * duplicate it, move it to another track, add a marker, and the loop range a ruler drag spans. The
 * studio's buttons, keys and gestures call these; test/studio/arrange-math.test.ts checks them with
 * numbers, and proves a split clip renders exactly as the whole one did.
 *
 * Splitting follows what DAWs do:
 * - an audio clip becomes two clips that play exactly what the whole did: the right half starts its
 *   audio where the whole clip was at the split (`source_start_seconds` moves by the seconds between
 *   the clip's start and the split, wrapped into the clip's loop region when it has one). The left half
 *   keeps the fade-in, the right half the fade-out; both keep the gain and the loop;
 * - a MIDI clip's notes, CC and pitch bends go to the half they start in (re-timed from its start). A
 *   note that crosses the split stays on the left and is shortened to end there, with no new note in
 *   the right half (Ableton Live's Split; Logic's "Shorten"): a new note there would strike the
 *   instrument again, which the whole clip never did.
 */
import type { Tempo } from "../contracts/graph-descriptor";
import { secondsAtBeat } from "../contracts/tempo-map";
import type { ProjectCommand } from "../project/project-commands";
import type { AudioClip, Clip, MidiClip, Project, Track } from "../project/project-schema";
import { freshId } from "./studio-ids";
import { MIN_CLIP_BEATS, snapBeat } from "./timeline-math";

/** The two halves of a split clip: the left keeps the clip's id, the right has a fresh one. */
export interface SplitClips {
  left: Clip;
  right: Clip;
}

/** A clip on a track, as the arrangement's edits look it up. */
type Clips = { kind: "audio" | "instrument"; id: string; name: string; clips: Clip[] };

/**
 * The halves of `clip` split at the timeline beat `atBeat`, or null when `atBeat` is not inside it
 * (each half must be at least MIN_CLIP_BEATS long).
 * @example
 * const clip = { id: "m", name: "", start_beat: 4, length_beats: 4, notes: [], cc: [], pitch_bend: [] };
 * splitClip(clip, 6, "m-2", { bpm: 120 })?.right.start_beat; // 6
 */
export function splitClip(clip: Clip, atBeat: number, rightId: string, tempo: Tempo): SplitClips | null {
  const offset = atBeat - clip.start_beat;
  if (!(offset >= MIN_CLIP_BEATS && clip.length_beats - offset >= MIN_CLIP_BEATS)) return null;
  const leftLength = offset;
  const rightLength = clip.length_beats - offset;
  if ("content_id" in clip) return splitAudio(clip, atBeat, leftLength, rightLength, rightId, tempo);
  return splitMidi(clip, atBeat, leftLength, rightLength, rightId);
}

function splitAudio(
  clip: AudioClip,
  atBeat: number,
  leftLength: number,
  rightLength: number,
  rightId: string,
  tempo: Tempo,
): SplitClips {
  const elapsed = secondsAtBeat(tempo, atBeat) - secondsAtBeat(tempo, clip.start_beat);
  let source = clip.source_start_seconds + elapsed;
  const loop = clip.loop;
  if (loop !== null && source >= loop.end_seconds) {
    // Past the loop's end the audio has wrapped: the right half starts where the pass it is in is.
    const period = loop.end_seconds - loop.start_seconds;
    source = loop.start_seconds + ((source - loop.start_seconds) % period);
  }
  const noFade = { beats: 0, curve: clip.fade_in.curve };
  return {
    left: { ...clip, length_beats: leftLength, fade_out: { ...clip.fade_out, beats: 0 } },
    right: {
      ...clip,
      id: rightId,
      start_beat: atBeat,
      length_beats: rightLength,
      source_start_seconds: source,
      fade_in: noFade,
    },
  };
}

function splitMidi(
  clip: MidiClip,
  atBeat: number,
  leftLength: number,
  rightLength: number,
  rightId: string,
): SplitClips {
  const cut = leftLength;
  const leftNotes = clip.notes
    .filter((note) => note.beat < cut)
    .map((note) => (note.beat + note.length_beats > cut ? { ...note, length_beats: cut - note.beat } : note));
  const rightNotes = clip.notes
    .filter((note) => note.beat >= cut)
    .map((note) => ({ ...note, beat: note.beat - cut }));
  const before = <E extends { beat: number }>(events: E[]) => events.filter((event) => event.beat < cut);
  const after = <E extends { beat: number }>(events: E[]) =>
    events.filter((event) => event.beat >= cut).map((event) => ({ ...event, beat: event.beat - cut }));
  return {
    left: {
      ...clip,
      length_beats: leftLength,
      notes: leftNotes,
      cc: before(clip.cc),
      pitch_bend: before(clip.pitch_bend),
    },
    right: {
      ...clip,
      id: rightId,
      start_beat: atBeat,
      length_beats: rightLength,
      notes: rightNotes,
      cc: after(clip.cc),
      pitch_bend: after(clip.pitch_bend),
    },
  };
}

/**
 * The one edit that splits clip `clipId` of track `trackId` at `atBeat`: the clip shortened and the
 * right half added, as one batch (one undo step). Null when the beat is not inside the clip.
 * @example
 * const split = splitCommand(project, "synth", "riff", 6);
 * if (split) editor.execute(split.command);
 */
export function splitCommand(
  project: Project,
  trackId: string,
  clipId: string,
  atBeat: number,
): { command: ProjectCommand; rightId: string } | null {
  const { track, clip } = clipOn(project, trackId, clipId);
  const rightId = freshId(project, idStemOf(clip.id));
  const halves = splitClip(clip, atBeat, rightId, project.tempo);
  if (halves === null) return null;
  const { id: _left, ...leftPatch } = halves.left;
  return {
    rightId,
    command: {
      type: "batch",
      label: `Split clip on ${track.name || track.id}`,
      commands: [
        { type: "update_clip", track_id: trackId, clip_id: clipId, clip: leftPatch },
        { type: "add_clip", track_id: trackId, clip: halves.right },
      ],
    },
  };
}

/**
 * The clip of `trackId` that `atBeat` falls inside (strictly after its start, before its end), the
 * selected one first when clips overlap there; null when none.
 * @example
 * clipAtBeat(project, "synth", 6, null); // "riff" when riff spans beats 4 to 8
 */
export function clipAtBeat(
  project: Project,
  trackId: string,
  atBeat: number,
  selected: string | null,
): string | null {
  const track = project.tracks.find((t) => t.id === trackId);
  if (!track || track.kind === "bus") return null;
  const inside = (track.clips as Clip[]).filter(
    (clip) => atBeat > clip.start_beat && atBeat < clip.start_beat + clip.length_beats,
  );
  return (inside.find((clip) => clip.id === selected) ?? inside[0])?.id ?? null;
}

/**
 * The edit that places a copy of the clip right after it (its start at the clip's end), with a fresh
 * id; a copy of an audio clip plays the same audio from the same source start.
 * @example
 * const { command, copyId } = duplicateCommand(project, "synth", "riff");
 */
export function duplicateCommand(
  project: Project,
  trackId: string,
  clipId: string,
): { command: ProjectCommand; copyId: string } {
  const { clip } = clipOn(project, trackId, clipId);
  const copyId = freshId(project, idStemOf(clip.id));
  const copy = structuredClone({ ...clip, id: copyId, start_beat: clip.start_beat + clip.length_beats });
  return { copyId, command: { type: "add_clip", track_id: trackId, clip: copy } };
}

/**
 * The edit that moves a clip from one track to another of the same kind (audio to audio, instrument
 * to instrument), starting at `startBeat`: one batch (one undo step), the clip keeping its id. Throws
 * naming the tracks when their kinds differ.
 * @example
 * moveToTrackCommand(project, "drums", "kick-clip", "drums-2", 4);
 */
export function moveToTrackCommand(
  project: Project,
  fromTrackId: string,
  clipId: string,
  toTrackId: string,
  startBeat: number,
): ProjectCommand {
  const { track: from, clip } = clipOn(project, fromTrackId, clipId);
  const to = project.tracks.find((t) => t.id === toTrackId);
  if (!to) throw new Error(`no track "${toTrackId}"`);
  if (!sameKind(from, to)) {
    throw new Error(
      `clip "${clipId}" is on ${from.kind} track "${from.id}": it cannot move to ${to.kind} track "${to.id}"`,
    );
  }
  return {
    type: "batch",
    label: `Move clip to ${to.name || to.id}`,
    commands: [
      { type: "remove_clip", track_id: fromTrackId, clip_id: clipId },
      { type: "add_clip", track_id: toTrackId, clip: { ...clip, start_beat: startBeat } },
    ],
  };
}

/** Whether a clip of `from` can live on `to` (audio on audio, MIDI on instrument tracks). */
export function sameKind(from: Pick<Track, "kind">, to: Pick<Track, "kind">): boolean {
  return from.kind === to.kind && from.kind !== "bus";
}

/**
 * The edit that adds a marker at `beat`, named "Marker N" after the markers before it.
 * @example
 * markerCommand(project, 8); // { type: "add_marker", marker: { id: "marker", beat: 8, name: "Marker 1" } }
 */
export function markerCommand(project: Project, beat: number): { command: ProjectCommand; markerId: string } {
  const markerId = freshId(project, "marker");
  const taken = new Set(project.markers.map((marker) => marker.name));
  let n = project.markers.length + 1;
  while (taken.has(`Marker ${n}`)) n++;
  return {
    markerId,
    command: { type: "add_marker", marker: { id: markerId, beat: Math.max(0, beat), name: `Marker ${n}` } },
  };
}

/**
 * The loop range a ruler drag from `fromBeat` to `toBeat` spans, on the grid (either direction),
 * or null while it spans less than one grid step (a click, not a drag).
 * @example
 * loopRangeFromDrag(4.2, 7.9, 1); // { start_beat: 4, end_beat: 8 }
 */
export function loopRangeFromDrag(
  fromBeat: number,
  toBeat: number,
  grid: number,
): { start_beat: number; end_beat: number } | null {
  const start = snapBeat(Math.min(fromBeat, toBeat), grid);
  const end = snapBeat(Math.max(fromBeat, toBeat), grid);
  if (end - start < Math.max(grid, MIN_CLIP_BEATS)) return null;
  return { start_beat: start, end_beat: end };
}

/** A clip id without its "-N" counter, so the halves and copies of "riff-2" are "riff-3", "riff-4". */
function idStemOf(id: string): string {
  return id.replace(/-\d+$/, "") || id;
}

function clipOn(project: Project, trackId: string, clipId: string): { track: Clips; clip: Clip } {
  const track = project.tracks.find((t) => t.id === trackId);
  if (!track || track.kind === "bus") throw new Error(`no track "${trackId}" with clips`);
  const clip = (track.clips as Clip[]).find((c) => c.id === clipId);
  if (!clip) throw new Error(`no clip "${clipId}" on track "${trackId}"`);
  return { track: track as Clips, clip };
}
