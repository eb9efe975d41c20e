/**
 * The piano roll's geometry and note edits as pure functions: pitch rows and beats to pixels and back,
 * the note a click draws, the note a drag moves or resizes, kept inside the clip and the MIDI range.
 * The piano roll's view and gestures call these; test/studio/piano-roll-math.test.ts checks them.
 */
import type { MidiClip } from "../project/project-schema";

export type MidiNote = MidiClip["notes"][number];

/** The pitch rows the roll shows, top to bottom: C7 (96) down to C2 (36). */
export const ROLL_HIGHEST_NOTE = 96;
export const ROLL_LOWEST_NOTE = 36;
/** Height of one pitch row, in pixels. */
export const ROLL_ROW_PX = 14;
/** The velocity a drawn note gets. */
export const DEFAULT_VELOCITY = 100;

const NAMES = ["C", "C♯", "D", "D♯", "E", "F", "F♯", "G", "G♯", "A", "A♯", "B"] as const;

/**
 * A MIDI note's name with its octave (middle C, 60, is C4).
 * @example
 * noteName(61); // "C♯4"
 */
export function noteName(note: number): string {
  return `${NAMES[note % 12]}${Math.floor(note / 12) - 1}`;
}

/** True for the black keys' pitches. */
export function isBlackKey(note: number): boolean {
  return [1, 3, 6, 8, 10].includes(note % 12);
}

/**
 * The pitch of the row at `y` pixels from the top of the grid, inside the rows shown.
 * @example
 * pitchAtY(0); // 96
 */
export function pitchAtY(y: number): number {
  const row = Math.floor(y / ROLL_ROW_PX);
  return Math.min(ROLL_HIGHEST_NOTE, Math.max(ROLL_LOWEST_NOTE, ROLL_HIGHEST_NOTE - row));
}

/** The top of `note`'s row, in pixels from the top of the grid. */
export function rowTop(note: number): number {
  return (ROLL_HIGHEST_NOTE - note) * ROLL_ROW_PX;
}

/** The grid step of a snap (0: off) as a length: a drawn note is one step long (a 1/16 with snap off). */
export function stepBeats(grid: number): number {
  return grid > 0 ? grid : 0.25;
}

/**
 * The note a click at `beat` on `pitch`'s row draws: it starts on the grid line at or before the
 * click (the cell clicked), one grid step long, cut at the clip's end. Null past the clip's end.
 * @example
 * drawnNote(1.3, 60, 0.25, 4); // { beat: 1.25, length_beats: 0.25, note: 60, velocity: 100, channel: 1 }
 */
export function drawnNote(beat: number, pitch: number, grid: number, clipBeats: number): MidiNote | null {
  const step = stepBeats(grid);
  const start = grid > 0 ? Math.floor(beat / grid + 1e-9) * grid : beat;
  if (start < 0 || start >= clipBeats) return null;
  return {
    beat: start,
    length_beats: Math.min(step, clipBeats - start),
    note: clampPitch(pitch),
    velocity: DEFAULT_VELOCITY,
    channel: 1,
  };
}

/** Which part of a note a drag holds: its body (move) or its right edge (resize). */
export type NoteHandle = "move" | "resize";

/**
 * `origin` moved by `deltaBeats` and `deltaPitch` (move) or with its length changed by `deltaBeats`
 * (resize), the moved start or end on the grid: a moved note stays inside the clip and the MIDI
 * range, a resized one at least a grid step long (1/64 beat with snap off) and ends by the clip's end.
 * @example
 * draggedNote({ beat: 1, length_beats: 1, note: 60, velocity: 100, channel: 1 }, "move", 0.6, 2, 0.5, 4);
 * // { beat: 1.5, length_beats: 1, note: 62, ... }
 */
export function draggedNote(
  origin: MidiNote,
  handle: NoteHandle,
  deltaBeats: number,
  deltaPitch: number,
  grid: number,
  clipBeats: number,
): MidiNote {
  const snap = (beat: number) => (grid > 0 ? Math.round(beat / grid) * grid : beat);
  if (handle === "resize") {
    const shortest = grid > 0 ? grid : 1 / 64;
    const end = Math.min(
      clipBeats,
      Math.max(origin.beat + shortest, snap(origin.beat + origin.length_beats + deltaBeats)),
    );
    return { ...origin, length_beats: end - origin.beat };
  }
  // The whole note stays inside the clip (so its start stays before the clip's end, as the rules ask).
  const latest = Math.max(0, clipBeats - origin.length_beats);
  const beat = Math.min(Math.max(0, snap(origin.beat + deltaBeats)), latest);
  return { ...origin, beat, note: clampPitch(origin.note + deltaPitch) };
}

function clampPitch(note: number): number {
  return Math.min(127, Math.max(0, Math.round(note)));
}

/**
 * The clip's notes with the one at `index` replaced (`null`: removed), so each edit is one notes patch.
 * @example
 * const c4 = { beat: 0, length_beats: 1, note: 60, velocity: 100, channel: 1 };
replaceNote([c4, { ...c4, beat: 1 }], 0, null); // [{ ...c4, beat: 1 }]
 */
export function replaceNote(notes: readonly MidiNote[], index: number, note: MidiNote | null): MidiNote[] {
  const next = [...notes];
  if (note === null) next.splice(index, 1);
  else next[index] = note;
  return next;
}

/** The velocity bar's height, as a fraction of the lane (1..127 over the lane). */
export function velocityFraction(velocity: number): number {
  return Math.min(1, Math.max(0, velocity / 127));
}

/**
 * The velocity a pointer `fromBottom` pixels above the lane's bottom sets in a lane `height` tall (1..127).
 * @example
 * velocityAt(50, 100); // 64
 */
export function velocityAt(fromBottom: number, height: number): number {
  return Math.min(127, Math.max(1, Math.round((fromBottom / height) * 127)));
}
