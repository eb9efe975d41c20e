/** The parameter sliders: one range input per control, with its value as text beside it. */
import { html } from "lit";

import type { ParameterControl } from "./demo-graph";
import { controlKey } from "./graph-controls";
import { positionOfValue, sliderRange } from "./slider-scale";
import { formatParameterValue } from "./transport-format";

export interface SlidersView {
  controls: readonly ParameterControl[];
  /** Each control's value, by controlKey. */
  values: ReadonlyMap<string, number>;
  disabled: boolean;
}

/** A slider moved: its input event, with the control it belongs to. */
export type SliderInput = (control: ParameterControl, event: Event) => void;

function slider(control: ParameterControl, index: number, view: SlidersView, onInput: SliderInput) {
  const value = view.values.get(controlKey(control)) ?? control.min;
  const range = sliderRange(control);
  const position = positionOfValue(control, value);
  const fill = ((position - range.min) / (range.max - range.min || 1)) * 100;
  const text = formatParameterValue(value, control);
  const id = `control-${index}`;
  return html`
    <div class="control">
      <label for=${id}>${control.label}</label>
      <input
        id=${id}
        type="range"
        min=${range.min}
        max=${range.max}
        step=${range.step}
        .value=${String(position)}
        aria-valuetext=${text}
        style="--fill: ${fill}%"
        ?disabled=${view.disabled}
        @input=${(event: Event) => onInput(control, event)}
      />
      <!-- Hidden from assistive technology: aria-valuetext already speaks the value. -->
      <span class="value" aria-hidden="true">${text}</span>
    </div>
  `;
}

/**
 * @example
 * import { html } from "lit";
 * import { valueAtPosition } from "./slider-scale";
 * html`${playerSliders({ controls, values, disabled: false }, (control, event) => {
 *   // a slider's value is its position: log-scaled controls map it back to a value
 *   const value = valueAtPosition(control, Number((event.target as HTMLInputElement).value));
 *   sender.send(control.node, control.param, value);
 * })}`;
 */
export function playerSliders(view: SlidersView, onInput: SliderInput) {
  return html`<div class="controls" part="sliders">${view.controls.map((control, index) => slider(control, index, view, onInput))}</div>`;
}
