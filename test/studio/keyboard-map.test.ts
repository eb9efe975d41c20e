import { describe, expect, it } from "vitest";

import { MAX_OCTAVE, MIN_OCTAVE, noteForKey, octaveForKey } from "../../src/studio/keyboard-map";

describe("the computer keyboard as a piano", () => {
  it("plays an octave and a third from A, the black keys on the row above", () => {
    const codes = [
      "KeyA",
      "KeyW",
      "KeyS",
      "KeyE",
      "KeyD",
      "KeyF",
      "KeyT",
      "KeyG",
      "KeyY",
      "KeyH",
      "KeyU",
      "KeyJ",
      "KeyK",
      "KeyO",
      "KeyL",
    ];
    expect(codes.map((code) => noteForKey(code, 4))).toEqual([
      60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74,
    ]);
    expect(noteForKey("KeyA", 3)).toBe(48);
    expect(noteForKey("KeyQ", 4)).toBeNull();
    expect(noteForKey("Space", 4)).toBeNull();
    // Above G9 there is no MIDI note.
    expect(noteForKey("KeyL", 9)).toBeNull();
  });

  it("moves the octave with Z and X inside its limits", () => {
    expect(octaveForKey("KeyZ", 4)).toBe(3);
    expect(octaveForKey("KeyX", 4)).toBe(5);
    expect(octaveForKey("KeyZ", MIN_OCTAVE)).toBe(MIN_OCTAVE);
    expect(octaveForKey("KeyX", MAX_OCTAVE)).toBe(MAX_OCTAVE);
    expect(octaveForKey("KeyA", 4)).toBeNull();
  });
});
