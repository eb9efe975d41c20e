/**
 * The computer keyboard as a piano, the usual DAW way: the home row plays white keys from C
 * (A S D F G H J K L), the row above the black keys between them (W E, T Y U, O), Z and X move the
 * octave down and up. Physical keys (`KeyboardEvent.code`), so every layout plays the same places.
 */

/** Semitones above the octave's C, by physical key. */
const KEY_OFFSETS: Readonly<Record<string, number>> = {
  KeyA: 0,
  KeyW: 1,
  KeyS: 2,
  KeyE: 3,
  KeyD: 4,
  KeyF: 5,
  KeyT: 6,
  KeyG: 7,
  KeyY: 8,
  KeyH: 9,
  KeyU: 10,
  KeyJ: 11,
  KeyK: 12,
  KeyO: 13,
  KeyL: 14,
};

/** The octaves the keyboard can start on (C1 to C7), and where it starts (C4, middle C). */
export const MIN_OCTAVE = 1;
export const MAX_OCTAVE = 7;
export const DEFAULT_OCTAVE = 4;

/** The letters that play, in order, for labels and help. */
export const PLAYING_KEYS = "A W S E D F T G Y H U J K O L";

/**
 * The MIDI note a physical key plays with the keyboard on `octave` (4: A is middle C, 60), or null.
 * @example
 * noteForKey("KeyA", 4); // 60
 * noteForKey("KeyW", 3); // 49
 */
export function noteForKey(code: string, octave: number): number | null {
  const offset = KEY_OFFSETS[code];
  if (offset === undefined) return null;
  const note = (octave + 1) * 12 + offset;
  return note >= 0 && note <= 127 ? note : null;
}

/**
 * The octave after Z (down) or X (up), inside the limits; null for any other key.
 * @example
 * octaveForKey("KeyX", 4); // 5
 */
export function octaveForKey(code: string, octave: number): number | null {
  if (code === "KeyZ") return Math.max(MIN_OCTAVE, octave - 1);
  if (code === "KeyX") return Math.min(MAX_OCTAVE, octave + 1);
  return null;
}

/** The velocity the computer keys play at until the musician sets another (the field's default). */
export const DEFAULT_KEY_VELOCITY = 100;

/** The softest and the hardest a click on an on-screen key plays: at its top edge and its bottom. */
const SOFTEST_CLICK = 30;
const HARDEST_CLICK = 127;

/**
 * The velocity of a click on an on-screen key, from where it lands: near the top soft, at the bottom
 * hard (a piano key played near its pivot or at its front edge), linear between.
 * @example
 * velocityForKeyPosition(0, 100); // 30
 * velocityForKeyPosition(100, 100); // 127
 */
export function velocityForKeyPosition(offsetY: number, keyHeight: number): number {
  const along = keyHeight > 0 ? Math.min(1, Math.max(0, offsetY / keyHeight)) : 1;
  return Math.round(SOFTEST_CLICK + along * (HARDEST_CLICK - SOFTEST_CLICK));
}

/**
 * A velocity field's text as a MIDI velocity (1..127), or null when it is not a number.
 * @example
 * keyVelocity("90"); // 90
 * keyVelocity("300"); // 127
 */
export function keyVelocity(text: string): number | null {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) return null;
  return Math.min(127, Math.max(1, Math.round(value)));
}
