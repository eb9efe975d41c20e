/**
 * How the player writes transport values and parameter values as text. Pure functions, so the
 * readout's wording is tested without a browser and stays the same everywhere it appears.
 */

/**
 * A beat position as bars:beats, both counted from 1 as musicians do (beat 0 is "1:1").
 * @example
 * formatBarsBeats(9.5, 4); // "3:2"
 */
export function formatBarsBeats(beats: number, beatsPerBar: number): string {
  const whole = Math.max(0, Math.floor(beats + 1e-9));
  const bar = Math.floor(whole / beatsPerBar) + 1;
  const beat = (whole % beatsPerBar) + 1;
  return `${bar}:${beat}`;
}

/**
 * Seconds as m:ss.t (tenths), the resolution a readout can show at 60 frames a second.
 * @example
 * formatClock(65.27); // "1:05.2"
 */
export function formatClock(seconds: number): string {
  const tenths = Math.max(0, Math.floor(seconds * 10 + 1e-6));
  const minutes = Math.floor(tenths / 600);
  const rest = tenths - minutes * 600;
  const wholeSeconds = Math.floor(rest / 10);
  return `${minutes}:${wholeSeconds < 10 ? "0" : ""}${wholeSeconds}.${rest % 10}`;
}

/**
 * A tempo with one decimal, so a ramp is seen moving.
 * @example
 * formatTempo(127.96); // "128.0 bpm"
 */
export function formatTempo(bpm: number): string {
  return `${bpm.toFixed(1)} bpm`;
}

/**
 * A span of seconds with two decimals (the loop region).
 * @example
 * formatSecondsRange(0, 4); // "0.00–4.00 s"
 */
export function formatSecondsRange(start: number, end: number): string {
  return `${start.toFixed(2)}–${end.toFixed(2)} s`;
}

/** Decimals a step shows: 0.01 -> 2, 1 -> 0, 0.5 -> 1. */
function decimalsOf(step: number): number {
  if (!(step > 0) || step >= 1) return 0;
  return Math.min(6, Math.ceil(-Math.log10(step) - 1e-9));
}

/**
 * A parameter value for a slider's label and aria-valuetext: frequencies switch to kHz at 1000 Hz,
 * other values show as many decimals as their step resolves.
 * @example
 * formatParameterValue(1234, { step: 1, unit: "Hz" }); // "1.23 kHz"
 * formatParameterValue(0.4, { step: 0.01 }); // "0.40"
 */
export function formatParameterValue(value: number, control: { step: number; unit?: string }): string {
  if (control.unit === "Hz" && Math.abs(value) >= 1000) return `${(value / 1000).toFixed(2)} kHz`;
  const text = value.toFixed(decimalsOf(control.step));
  return control.unit ? `${text} ${control.unit}` : text;
}
