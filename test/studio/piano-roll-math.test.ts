import { describe, expect, it } from "vitest";

import {
  draggedNote,
  drawnNote,
  isBlackKey,
  noteName,
  pitchAtY,
  ROLL_HIGHEST_NOTE,
  ROLL_LOWEST_NOTE,
  ROLL_ROW_PX,
  replaceNote,
  rowTop,
  velocityAt,
} from "../../src/studio/piano-roll-math";

const note = { beat: 1, length_beats: 1, note: 60, velocity: 100, channel: 1 };

describe("piano roll geometry", () => {
  it("names notes with middle C as C4 and knows the black keys", () => {
    expect([noteName(60), noteName(61), noteName(21), noteName(127)]).toEqual(["C4", "C♯4", "A0", "G9"]);
    expect([60, 61, 62, 63, 64, 65, 66].map(isBlackKey)).toEqual([
      false,
      true,
      false,
      true,
      false,
      false,
      true,
    ]);
  });

  it("maps rows to pitches and back, clamped to the rows shown", () => {
    expect(pitchAtY(0)).toBe(ROLL_HIGHEST_NOTE);
    expect(pitchAtY(ROLL_ROW_PX - 0.5)).toBe(ROLL_HIGHEST_NOTE);
    expect(pitchAtY(rowTop(60) + 1)).toBe(60);
    expect(pitchAtY(-30)).toBe(ROLL_HIGHEST_NOTE);
    expect(pitchAtY(1e6)).toBe(ROLL_LOWEST_NOTE);
    expect(rowTop(60)).toBe(36 * ROLL_ROW_PX);
  });
});

describe("drawing", () => {
  it("draws a grid step long note in the cell clicked", () => {
    expect(drawnNote(1.3, 60, 0.25, 4)).toEqual({
      beat: 1.25,
      length_beats: 0.25,
      note: 60,
      velocity: 100,
      channel: 1,
    });
    expect(drawnNote(1.999, 64, 1, 4)?.beat).toBe(1);
    // Exactly on a line: that line (floating error does not drop a cell).
    expect(drawnNote(0.75, 64, 0.25, 4)?.beat).toBe(0.75);
  });

  it("draws where clicked with snap off, a sixteenth long, cut at the clip's end", () => {
    expect(drawnNote(1.3, 60, 0, 4)).toEqual({
      beat: 1.3,
      length_beats: 0.25,
      note: 60,
      velocity: 100,
      channel: 1,
    });
    expect(drawnNote(3.9, 60, 0, 4)?.length_beats).toBeCloseTo(0.1, 12);
    expect(drawnNote(4, 60, 0.25, 4)).toBeNull();
    expect(drawnNote(-0.1, 60, 0, 4)).toBeNull();
  });
});

describe("dragging", () => {
  it("moves a note on the grid, in time and pitch", () => {
    expect(draggedNote(note, "move", 0.6, 2, 0.5, 4)).toEqual({ ...note, beat: 1.5, note: 62 });
    expect(draggedNote(note, "move", 0.2, 0, 0.5, 4)).toEqual(note);
  });

  it("keeps a moved note inside the clip and the MIDI range", () => {
    expect(draggedNote(note, "move", -5, 0, 0.25, 4).beat).toBe(0);
    expect(draggedNote(note, "move", 10, 0, 0.25, 4).beat).toBe(3);
    expect(draggedNote(note, "move", 0, 100, 0.25, 4).note).toBe(127);
    expect(draggedNote(note, "move", 0, -100, 0.25, 4).note).toBe(0);
  });

  it("resizes to the grid, at least a step, at most to the clip's end", () => {
    expect(draggedNote(note, "resize", 0.6, 0, 0.25, 4).length_beats).toBe(1.5);
    expect(draggedNote(note, "resize", -3, 0, 0.25, 4).length_beats).toBe(0.25);
    expect(draggedNote(note, "resize", -3, 0, 0, 4).length_beats).toBe(1 / 64);
    expect(draggedNote(note, "resize", 10, 0, 0.25, 4).length_beats).toBe(3);
    // A resize never changes the pitch or the start.
    expect(draggedNote(note, "resize", 1, 5, 0.25, 4)).toEqual({ ...note, length_beats: 2 });
  });
});

describe("edits and velocity", () => {
  it("replaces or removes one note, leaving the list it was given alone", () => {
    const notes = [note, { ...note, beat: 2 }];
    expect(replaceNote(notes, 1, { ...note, beat: 3 })).toEqual([note, { ...note, beat: 3 }]);
    expect(replaceNote(notes, 0, null)).toEqual([{ ...note, beat: 2 }]);
    expect(notes).toHaveLength(2);
  });

  it("reads a velocity from the lane's height, 1..127", () => {
    expect(velocityAt(50, 100)).toBe(64);
    expect(velocityAt(100, 100)).toBe(127);
    expect(velocityAt(0, 100)).toBe(1);
    expect(velocityAt(150, 100)).toBe(127);
  });
});
