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
 * How far an equal-power fade's drawing may stray from √x, as a fraction of the clip's gain: 1/8192,
 * -78 dB. The engine's automation curves are linear, exponential or step, so √x is drawn as chords
 * between knots (fadeKnots), placed so that no chord strays further.
 */
export const EQUAL_POWER_MAX_ERROR = 1 / 8192;

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

/**
 * The frames (0..frames, from the fade's start) a fade-in of `frames` frames is drawn through: its two
 * ends for linear; for equal power, knots on whole frames (the engine's grid) from 0, each as far as
 * the chord of √x from the previous one strays by at most EQUAL_POWER_MAX_ERROR. Between knots p² and
 * q² (x = j / frames) the chord strays most at ((p + q) / 2)², by (q - p)² / (4 (p + q)); solving
 * that for q gives the next knot. Dense near 0 where the root is steep (every frame at first), sparse
 * near 1: 46 knots for 100 frames, 62 for 22050, 64 for 480000.
 * @example
 * fadeKnots("linear", 48000); // [0, 48000]
 */
export function fadeKnots(curve: "linear" | "equal_power", frames: number): number[] {
  if (curve === "linear" || frames <= 1) return [0, frames];
  const tolerance = EQUAL_POWER_MAX_ERROR;
  const knots = [0];
  let frame = 0;
  while (frame < frames) {
    const p = Math.sqrt(frame / frames);
    const q = p + 2 * tolerance + Math.sqrt(8 * tolerance * p + 4 * tolerance * tolerance);
    frame = Math.min(frames, Math.max(frame + 1, Math.floor(q * q * frames)));
    knots.push(frame);
  }
  return knots;
}
