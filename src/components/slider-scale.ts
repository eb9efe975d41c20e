/**
 * Where a parameter value sits on its slider. A linear control uses the range input's own min, max
 * and step; a log control runs the input over 0..LOG_SLIDER_STEPS positions and maps them
 * geometrically, so 80 Hz to 12 kHz gets as much travel per octave at the bottom as at the top.
 */
import type { ParameterControl } from "./demo-graph";

/** Positions of a log slider: fine enough that one arrow key is a small, audible move. */
export const LOG_SLIDER_STEPS = 1000;

/**
 * Rounds `value` to the control's step and clamps it into [min, max].
 * @example
 * snapToStep({ min: 0, max: 1, step: 0.1 }, 0.46); // 0.5
 */
export function snapToStep(control: Pick<ParameterControl, "min" | "max" | "step">, value: number): number {
  const { min, max, step } = control;
  const snapped = step > 0 ? min + Math.round((value - min) / step) * step : value;
  // Re-round to the step's decimals: 0.1 * 3 is 0.30000000000000004.
  const tidy = step > 0 && step < 1 ? Number(snapped.toFixed(Math.ceil(-Math.log10(step)) + 1)) : snapped;
  return Math.min(max, Math.max(min, tidy));
}

function isLog(control: ParameterControl): boolean {
  return control.scale === "log" && control.min > 0 && control.max > control.min;
}

/**
 * The range input's attributes for a control.
 * @example
 * const { min, max, step } = sliderRange(control);
 */
export function sliderRange(control: ParameterControl): { min: number; max: number; step: number } {
  return isLog(control)
    ? { min: 0, max: LOG_SLIDER_STEPS, step: 1 }
    : { min: control.min, max: control.max, step: control.step };
}

/**
 * The parameter value at a slider position (the input's value).
 * @example
 * valueAtPosition(cutoff, 500); // about 980 Hz for 80 Hz .. 12 kHz
 */
export function valueAtPosition(control: ParameterControl, position: number): number {
  if (!isLog(control)) return snapToStep(control, position);
  const fraction = Math.min(1, Math.max(0, position / LOG_SLIDER_STEPS));
  return snapToStep(control, control.min * (control.max / control.min) ** fraction);
}

/**
 * The slider position showing a parameter value.
 * @example
 * input.value = String(positionOfValue(cutoff, 1400));
 */
export function positionOfValue(control: ParameterControl, value: number): number {
  if (!isLog(control)) return value;
  const clamped = Math.min(control.max, Math.max(control.min, value));
  return Math.round(
    (Math.log(clamped / control.min) / Math.log(control.max / control.min)) * LOG_SLIDER_STEPS,
  );
}
