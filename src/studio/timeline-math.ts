/**
 * The arrangement's geometry and the clip edits a drag makes, as pure functions: beats to pixels and
 * back at a zoom, snapping to a grid, and the patch of a clip moved or trimmed by some beats. The
 * views and the drag controller call these; test/studio/timeline-math.test.ts checks them with numbers.
 */
import type { Tempo } from "../contracts/graph-descriptor";
import { beatAtSeconds, secondsAtBeat } from "../contracts/tempo-map";
import type { AudioClip, Clip } from "../project/project-schema";

/** The grid choices of the snap menu, in beats; 0 turns snapping off. */
export const SNAP_CHOICES = [
  { beats: 0, label: "Off" },
  { beats: 4, label: "Bar" },
  { beats: 1, label: "Beat" },
  { beats: 0.5, label: "1/8" },
  { beats: 0.25, label: "1/16" },
] as const;

/** Zoom limits, in pixels per beat. */
export const MIN_PIXELS_PER_BEAT = 6;
export const MAX_PIXELS_PER_BEAT = 240;
/** The shortest clip a trim leaves, in beats. */
export const MIN_CLIP_BEATS = 1 / 16;

/**
 * `beat` on the grid of `grid` beats (0: unchanged), never below 0.
 * @example
 * snapBeat(3.3, 1); // 3
 */
export function snapBeat(beat: number, grid: number): number {
  const snapped = grid > 0 ? Math.round(beat / grid) * grid : beat;
  return Math.max(0, snapped);
}

/**
 * The next zoom step in or out (a factor of √2), inside the limits.
 * @example
 * zoomStep(32, "in"); // about 45.25
 */
export function zoomStep(pixelsPerBeat: number, direction: "in" | "out"): number {
  const next = direction === "in" ? pixelsPerBeat * Math.SQRT2 : pixelsPerBeat / Math.SQRT2;
  return Math.min(MAX_PIXELS_PER_BEAT, Math.max(MIN_PIXELS_PER_BEAT, next));
}

/** Which part of a clip a drag holds: its body (move) or an edge (trim). */
export type DragHandle = "move" | "start" | "end";

/** What a clip looked like when the drag began, and the audio's length for audio clips. */
export interface DragOrigin {
  clip: Clip;
  /** Seconds of the clip's audio (audio clips), so a trim does not run past the audio's ends. */
  audioSeconds?: number;
}

/**
 * The clip fields a drag of `deltaBeats` sets, snapped to `grid` (the moved edge or the start lands
 * on the grid). The same fields for every delta of one handle, so the drag's commands coalesce into
 * one undo step (command-labels.ts), and the clip as it was when the drag gives nothing better.
 * - move: `start_beat`;
 * - start: the left edge moves, the right stays (`start_beat`, `length_beats`); an audio clip's
 *   `source_start_seconds` follows, so its audio stays where it was on the timeline and cannot start
 *   before the audio does;
 * - end: `length_beats`; an audio clip without a loop ends where its audio ends at the latest.
 * @example
 * const clip = { id: "c1", name: "", start_beat: 4, length_beats: 4, notes: [], cc: [], pitch_bend: [] };
 * dragPatch({ clip }, "move", 1.2, 1, { bpm: 120 }); // { start_beat: 5 }
 */
export function dragPatch(
  origin: DragOrigin,
  handle: DragHandle,
  deltaBeats: number,
  grid: number,
  tempo: Tempo,
): Record<string, number> {
  const { clip } = origin;
  const start = clip.start_beat;
  const end = start + clip.length_beats;
  const audio = audioClip(clip);
  if (handle === "move") return { start_beat: snapBeat(start + deltaBeats, grid) };
  if (handle === "end") {
    let nextEnd = snapBeat(end + deltaBeats, grid);
    if (audio && audio.loop === null && origin.audioSeconds !== undefined) {
      nextEnd = Math.min(nextEnd, beatAtAudioEnd(audio, origin.audioSeconds, tempo));
    }
    return { length_beats: Math.max(nextEnd, start + MIN_CLIP_BEATS) - start };
  }
  let nextStart = Math.min(snapBeat(start + deltaBeats, grid), end - MIN_CLIP_BEATS);
  if (!audio) return { start_beat: nextStart, length_beats: end - nextStart };
  // The audio keeps its place on the timeline: the source start moves by the seconds the edge moved.
  const startSeconds = secondsAtBeat(tempo, start);
  let source = audio.source_start_seconds + secondsAtBeat(tempo, nextStart) - startSeconds;
  if (source < 0) {
    // The edge cannot go before the audio's first frame: stop it there.
    nextStart = beatAtSeconds(tempo, startSeconds - audio.source_start_seconds);
    source = 0;
  }
  if (origin.audioSeconds !== undefined && source >= origin.audioSeconds) {
    return {
      start_beat: start,
      length_beats: clip.length_beats,
      source_start_seconds: audio.source_start_seconds,
    };
  }
  return { start_beat: nextStart, length_beats: end - nextStart, source_start_seconds: source };
}

/**
 * True when `patch` would leave `clip` as it is.
 * @example
 * const clip = { id: "c1", name: "", start_beat: 4, length_beats: 4, notes: [], cc: [], pitch_bend: [] };
 * patchChanges(clip, { start_beat: 4 }); // false
 */
export function patchChanges(clip: Clip, patch: Record<string, number>): boolean {
  const fields = clip as unknown as Record<string, unknown>;
  return Object.entries(patch).some(([key, value]) => fields[key] !== value);
}

/** The beat where an audio clip's audio runs out (its last frame), at the project's tempo. */
export function beatAtAudioEnd(clip: AudioClip, audioSeconds: number, tempo: Tempo): number {
  const startSeconds = secondsAtBeat(tempo, clip.start_beat);
  return beatAtSeconds(tempo, startSeconds + audioSeconds - clip.source_start_seconds);
}

function audioClip(clip: Clip): AudioClip | null {
  return "content_id" in clip ? clip : null;
}
