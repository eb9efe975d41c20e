import { describe, expect, it } from "vitest";

import type { ParameterDescriptor } from "../../src/contracts/node-descriptor";
import {
  controlFor,
  formatParameter,
  isLogScale,
  LOG_STEPS,
  positionOfValue,
  roundForStorage,
  valueAtPosition,
} from "../../src/studio/device-controls";

const parameter = (
  fields: Partial<ParameterDescriptor> & { extensions?: ParameterDescriptor["extensions"] },
): ParameterDescriptor => ({ name: "p", id: "p", default: 0, range: [0, 1], extensions: {}, ...fields });

// As builtin:filter's discovery describes them.
const frequency = parameter({
  name: "frequency",
  id: "frequency",
  default: 1000,
  range: [10, 24000],
  extensions: { units: "Hz" },
});
const mode = parameter({
  name: "mode",
  id: "mode",
  range: [0, 7],
  extensions: {
    type: "choice",
    choices: ["lowpass", "highpass", "bandpass", "notch", "peaking", "lowshelf", "highshelf", "allpass"],
  },
});

describe("controlFor", () => {
  it("makes a frequency over two decades a log slider: the ends at the range's ends, 490 Hz near the middle", () => {
    const control = controlFor(frequency, 1000);
    expect(control).toMatchObject({
      kind: "slider",
      log: true,
      min: 0,
      max: LOG_STEPS,
      step: 1,
      valueText: "1.00 kHz",
    });
    expect(valueAtPosition(0, frequency.range)).toBe(10);
    expect(valueAtPosition(LOG_STEPS, frequency.range)).toBeCloseTo(24000, 6);
    expect(valueAtPosition(500, frequency.range)).toBeCloseTo(10 * Math.sqrt(2400), 9); // 489.9 Hz
    // Round trip, and values outside the range clamp to its ends.
    expect(valueAtPosition(positionOfValue(1234, frequency.range), frequency.range)).toBeCloseTo(1234, 6);
    expect(positionOfValue(1, frequency.range)).toBe(0);
    expect(positionOfValue(1e6, frequency.range)).toBe(LOG_STEPS);
  });

  it("keeps a linear slider for other numbers, with the descriptor's step, an int's step of 1", () => {
    expect(controlFor(parameter({ name: "q", range: [0.0001, 40], default: 0.70710677 }))).toMatchObject({
      kind: "slider",
      log: false,
      min: 0.0001,
      max: 40,
      step: "any",
      position: 0.70710677,
      valueText: "0.707",
    });
    expect(controlFor(parameter({ range: [1, 64], default: 8, extensions: { type: "int" } }))).toMatchObject({
      log: false,
      step: 1,
      valueText: "8",
    });
    expect(controlFor(parameter({ range: [0, 1], extensions: { discrete_step: 0.25 } }), 0.5)).toMatchObject({
      step: 0.25,
    });
    // Faust's [scale:log] asks for a log slider whatever the unit; a range from 0 cannot be one.
    expect(isLogScale(parameter({ range: [1, 2], extensions: { scale: "log" } }))).toBe(true);
    expect(isLogScale(parameter({ range: [0, 20000], extensions: { units: "Hz", scale: "log" } }))).toBe(
      false,
    );
    expect(isLogScale(parameter({ range: [20, 1000], extensions: { units: "Hz" } }))).toBe(false);
  });

  it("makes a choice a select of its labels (a value stored by label too), a boolean a toggle", () => {
    expect(controlFor(mode, 1)).toEqual({
      kind: "select",
      id: "mode",
      name: "mode",
      value: 1,
      choices: mode.extensions.choices,
      valueText: "highpass",
    });
    expect(controlFor(mode, "notch")).toMatchObject({ value: 3, valueText: "notch" });
    expect(controlFor(mode, "nonsense")).toMatchObject({ value: 0, valueText: "lowpass" });
    expect(controlFor(parameter({ extensions: { type: "boolean" } }), 1)).toMatchObject({
      kind: "toggle",
      valueText: "on",
    });
  });

  it("uses the default where the device stores no value", () => {
    expect(controlFor(frequency)).toMatchObject({
      value: 1000,
      position: positionOfValue(1000, frequency.range),
    });
  });
});

describe("formatting", () => {
  it("says values with their units, three significant digits, kHz from 1000 Hz", () => {
    expect(formatParameter(1200, "Hz")).toBe("1.20 kHz");
    expect(formatParameter(489.9, "Hz")).toBe("490 Hz");
    expect(formatParameter(0.5, "")).toBe("0.500");
    expect(formatParameter(-6, "dB")).toBe("-6 dB");
    expect(formatParameter(2500, "ms")).toBe("2500 ms");
    expect(roundForStorage(489.89794855663564)).toBe(489.9);
  });
});
