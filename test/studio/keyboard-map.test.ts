import { describe, expect, it } from "vitest";

import {
  DEFAULT_KEY_VELOCITY,
  keyVelocity,
  MAX_OCTAVE,
  MIN_OCTAVE,
  noteForKey,
  octaveForKey,
  velocityForKeyPosition,
} from "../../src/studio/keyboard-map";

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

describe("velocity from the keys", () => {
  it("plays a click harder the lower it lands on the key, 30 at the top to 127 at the bottom", () => {
    expect([0, 25, 50, 100, 120, -5].map((y) => velocityForKeyPosition(y, 100))).toEqual([
      30, 54, 79, 127, 127, 30,
    ]);
    // A key with no height yet (not laid out) plays full.
    expect(velocityForKeyPosition(3, 0)).toBe(127);
  });

  it("reads the Velocity field as 1..127, rounded, and nothing for text that is no number", () => {
    expect(["90", "300", "0", "-4", "63.6", "", "loud"].map(keyVelocity)).toEqual([
      90,
      127,
      1,
      1,
      64,
      null,
      null,
    ]);
    expect(DEFAULT_KEY_VELOCITY).toBe(100);
  });
});
