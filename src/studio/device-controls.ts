/**
 * A device's parameter controls, generated from its NodeDescriptor (docs/studio.md, "Devices"). The
 * mapping from a ParameterDescriptor to a control is pure and unit-tested: a choice is a select of its
 * labels, a boolean a checkbox, a number a slider, on a log scale where the descriptor asks for one
 * (Faust's `[scale:log]`) or where it is a frequency over two decades or more (a cutoff is heard in
 * octaves, so a linear slider would give the top decade nine tenths of its travel). Each slider speaks
 * its value with its unit (aria-valuetext "1.20 kHz").
 */
import { html, nothing } from "lit";

import type { NodeDescriptor, ParameterDescriptor } from "../contracts/node-descriptor";
import type { Device } from "../project/project-schema";

/** Slider travel of a log-scaled control: positions 0..LOG_STEPS. */
export const LOG_STEPS = 1000;

export type ParameterControl =
  | {
      kind: "slider";
      id: string;
      name: string;
      /** The slider's own min, max and step (positions when `log`). */
      min: number;
      max: number;
      step: number | "any";
      /** True: the slider moves positions 0..LOG_STEPS, mapped exponentially onto the range. */
      log: boolean;
      position: number;
      value: number;
      valueText: string;
    }
  | { kind: "select"; id: string; name: string; value: number; choices: readonly string[]; valueText: string }
  | { kind: "toggle"; id: string; name: string; value: number; valueText: string };

/**
 * A number as a control shows it, with its unit: three significant digits, kHz from 1000 Hz.
 * @example
 * formatParameter(1200, "Hz"); // "1.20 kHz"
 * formatParameter(0.5, "");    // "0.500"
 */
export function formatParameter(value: number, units: string): string {
  if (units === "Hz" && Math.abs(value) >= 1000) return `${(value / 1000).toPrecision(3)} kHz`;
  const digits = Number.isInteger(value) ? String(value) : value.toPrecision(3);
  const text = Math.abs(value) >= 1000 ? String(Math.round(value)) : digits;
  return units ? `${text} ${units}` : text;
}

/** Whether `parameter` is shown on a log slider. */
export function isLogScale(parameter: ParameterDescriptor): boolean {
  const [min, max] = parameter.range;
  if (min <= 0) return false;
  if (parameter.extensions.scale === "log") return true;
  return parameter.extensions.units === "Hz" && max / min >= 100;
}

/** The value at slider position `position` (0..LOG_STEPS) of a log control over `range`. */
export function valueAtPosition(position: number, range: readonly [number, number]): number {
  const [min, max] = range;
  return min * (max / min) ** (Math.min(LOG_STEPS, Math.max(0, position)) / LOG_STEPS);
}

/** The slider position (0..LOG_STEPS) of `value` on a log control over `range`. */
export function positionOfValue(value: number, range: readonly [number, number]): number {
  const [min, max] = range;
  const clamped = Math.min(max, Math.max(min, value));
  return (Math.log(clamped / min) / Math.log(max / min)) * LOG_STEPS;
}

/**
 * A device's value of `parameter` as a number: its stored value (a choice may be stored by label),
 * else the default.
 */
export function parameterValue(parameter: ParameterDescriptor, stored: number | string | undefined): number {
  if (typeof stored === "number") return stored;
  if (typeof stored === "string") {
    const index = parameter.extensions.choices?.indexOf(stored) ?? -1;
    if (index >= 0) return index;
  }
  return parameter.default;
}

/**
 * The control of `parameter` at the value the device stores (or the default).
 * @example
 * const cutoff = { name: "Cutoff", id: "cutoff", default: 1000, range: [10, 24000] as [number, number], extensions: { units: "Hz" } };
 * controlFor(cutoff, 1200); // { kind: "slider", log: true, valueText: "1.20 kHz", ... }
 */
export function controlFor(parameter: ParameterDescriptor, stored?: number | string): ParameterControl {
  const { id, name } = parameter;
  const value = parameterValue(parameter, stored);
  const { type, choices, units = "", discrete_step: step } = parameter.extensions;
  if (type === "choice" && choices) {
    return { kind: "select", id, name, value, choices, valueText: choices[value] ?? String(value) };
  }
  if (type === "boolean") return { kind: "toggle", id, name, value, valueText: value >= 0.5 ? "on" : "off" };
  const valueText = formatParameter(value, units);
  const [min, max] = parameter.range;
  if (isLogScale(parameter) && type !== "int") {
    const position = positionOfValue(value, parameter.range);
    return {
      kind: "slider",
      id,
      name,
      min: 0,
      max: LOG_STEPS,
      step: 1,
      log: true,
      position,
      value,
      valueText,
    };
  }
  const sliderStep = type === "int" ? Math.max(1, step ?? 1) : step && step > 0 ? step : "any";
  return {
    kind: "slider",
    id,
    name,
    min,
    max,
    step: sliderStep,
    log: false,
    position: value,
    value,
    valueText,
  };
}

export interface ControlActions {
  /** A control moved (`input`, during a drag) to `value`, in the parameter's units. */
  input(parameterId: string, value: number): void;
  /** The drag ended (`change`): the next input starts a new undo step. */
  commit(): void;
}

/**
 * The controls of `device`, from `descriptor`'s parameters. `deviceName` labels them for screen
 * readers ("Cutoff of Filter").
 */
export function deviceControls(
  device: Device,
  descriptor: NodeDescriptor | undefined,
  deviceName: string,
  actions: ControlActions,
) {
  const parameters = descriptor?.parameters ?? [];
  if (parameters.length === 0) return html`<p class="device-empty">No parameters.</p>`;
  return html`<div class="device-controls">
    ${parameters.map((parameter) => {
      const control = controlFor(parameter, device.params[parameter.id]);
      return controlView(control, parameter, `${control.name} of ${deviceName}`, actions);
    })}
  </div>`;
}

function controlView(
  control: ParameterControl,
  parameter: ParameterDescriptor,
  label: string,
  actions: ControlActions,
) {
  const id = control.id;
  switch (control.kind) {
    case "select":
      return html`<label class="device-control"><span>${control.name}</span>
        <select aria-label=${label} data-param=${id}
          @change=${(event: Event) => {
            actions.input(id, Number((event.target as HTMLSelectElement).value));
            actions.commit();
          }}>
          ${control.choices.map(
            (choice, index) =>
              html`<option value=${index} ?selected=${index === control.value}>${choice}</option>`,
          )}
        </select></label>`;
    case "toggle":
      return html`<label class="device-control"><span>${control.name}</span>
        <input type="checkbox" aria-label=${label} data-param=${id} .checked=${control.value >= 0.5}
          @change=${(event: Event) => {
            actions.input(id, (event.target as HTMLInputElement).checked ? 1 : 0);
            actions.commit();
          }} /></label>`;
    case "slider":
      return html`<label class="device-control"><span>${control.name}</span>
        <input type="range" min=${control.min} max=${control.max} step=${control.step}
          .value=${String(control.position)} aria-label=${label} aria-valuetext=${control.valueText}
          data-param=${id}
          @input=${(event: Event) => {
            const raw = Number((event.target as HTMLInputElement).value);
            actions.input(id, control.log ? roundForStorage(valueAtPosition(raw, parameter.range)) : raw);
          }}
          @change=${actions.commit} />
        <output>${control.valueText}</output></label>`;
  }
  return nothing;
}

/** A log slider's value kept to 4 significant digits, so a saved project reads "1200", not "1199.97...". */
export function roundForStorage(value: number): number {
  return Number(value.toPrecision(4));
}
