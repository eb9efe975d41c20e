/**
 * The laws the mixer follows, in one place so the compiler, the docs and the tests agree:
 * decibels to gain, the pan law, and the shapes of fades.
 */

/**
 * Linear gain of a level in dB: 10^(dB / 20). -120 dB, the floor of faders and sends, is 1e-6.
 * @example
 * dbToGain(-6); // 0.501187...
 */
export function dbToGain(db: number): number {
  return 10 ** (db / 20);
}

/**
 * The pan law of every track: builtin:panner's `equalPower` rule, Web Audio's StereoPannerNode.
 * A mono track at pan p gets left cos(x·π/2) and right sin(x·π/2) with x = (p + 1) / 2 (-3 dB each side
 * at the centre, constant power); a stereo track is balanced (at the centre it passes unchanged).
 */
export const PAN_RULE = "equalPower";

/**
 * Left and right gains the pan law gives a mono input at `pan` (-1..1).
 * @example
 * monoPanGains(0); // [0.7071..., 0.7071...]
 */
export function monoPanGains(pan: number): [number, number] {
  const x = (pan + 1) / 2;
  return [Math.cos((x * Math.PI) / 2), Math.sin((x * Math.PI) / 2)];
}

/**
 * Segments an equal-power fade is drawn with. The engine's automation curves are linear, exponential
 * or step, so √x is drawn through points at x = (k / N)², dense where the root is steep: the largest
 * deviation is 1 / (4N) of the clip's gain, in the first segment (about -48 dB at N = 64).
 */
export const EQUAL_POWER_SEGMENTS = 64;

/** Largest |drawn - √x| of an equal-power fade, as a fraction of the clip's gain. */
export const EQUAL_POWER_MAX_ERROR = 1 / (4 * EQUAL_POWER_SEGMENTS);

/**
 * A fade-in's gain at x (0..1 through the fade), for the curve: linear x, equal power √x. A fade-out
 * is the same read backwards: gain(1 - x). Two clips crossfading with equal power keep
 * gain_in² + gain_out² = 1.
 * @example
 * fadeInGain("equal_power", 0.25); // 0.5
 */
export function fadeInGain(curve: "linear" | "equal_power", x: number): number {
  return curve === "linear" ? x : Math.sqrt(x);
}

const LINEAR_POINTS: readonly number[] = Object.freeze([0, 1]);
const EQUAL_POWER_POINTS: readonly number[] = Object.freeze(
  Array.from({ length: EQUAL_POWER_SEGMENTS + 1 }, (_, k) => (k / EQUAL_POWER_SEGMENTS) ** 2),
);

/**
 * The points (x in 0..1 through the fade) a fade-in is drawn through: the two ends for linear, the
 * squares (k / N)² for equal power. Shared and frozen: every clip's fade uses the same table.
 * @example
 * fadeInPoints("linear"); // [0, 1]
 */
export function fadeInPoints(curve: "linear" | "equal_power"): readonly number[] {
  return curve === "linear" ? LINEAR_POINTS : EQUAL_POWER_POINTS;
}
