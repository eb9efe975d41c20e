import { describe, expect, it } from "vitest";
import { NodeDescriptorSchema, ParameterDescriptorSchema, parseContract } from "../../src/contracts";
import { normalizeWamParameter, normalizeWamParameters } from "../../src/wam/wam-parameters";

describe("normalizeWamParameter", () => {
  it("maps id, label, default, range and the WAM fields of a float", () => {
    const parameter = normalizeWamParameter("cutoff", {
      id: "cutoff",
      label: "Cutoff",
      type: "float",
      defaultValue: 1000,
      minValue: 20,
      maxValue: 20000,
      discreteStep: 0,
      exponent: 2,
      units: "Hz",
      choices: [],
    });
    expect(parameter).toEqual({
      name: "Cutoff",
      id: "cutoff",
      default: 1000,
      range: [20, 20000],
      extensions: { type: "float", units: "Hz", discrete_step: 0, exponent: 2 },
    });
    expect(() => parseContract(ParameterDescriptorSchema, parameter)).not.toThrow();
  });

  it("names a parameter by its id when the label is empty, and keys it by the map key without an id", () => {
    expect(
      normalizeWamParameter("mix", { label: "", minValue: 0, maxValue: 1, defaultValue: 0.5 }),
    ).toMatchObject({
      id: "mix",
      name: "mix",
      extensions: { type: "float" },
    });
  });

  it("gives a choice the range [0, n - 1] whatever the plugin says, and its labels", () => {
    const parameter = normalizeWamParameter("mode", {
      id: "mode",
      label: "Mode",
      type: "choice",
      choices: ["a", "b", "c"],
      minValue: 0,
      maxValue: 1,
      defaultValue: 2,
    });
    expect(parameter).toMatchObject({
      range: [0, 2],
      default: 2,
      extensions: { choices: ["a", "b", "c"], discrete_step: 1 },
    });
    expect(() => parseContract(ParameterDescriptorSchema, parameter)).not.toThrow();
  });

  it("gives a boolean the range [0, 1], step 1", () => {
    expect(
      normalizeWamParameter("on", { id: "on", type: "boolean", minValue: 0, maxValue: 0, defaultValue: 1 }),
    ).toMatchObject({ range: [0, 1], default: 1, extensions: { type: "boolean", discrete_step: 1 } });
  });

  it("clamps a default outside the range into it", () => {
    expect(normalizeWamParameter("g", { id: "g", minValue: 0, maxValue: 1, defaultValue: 3 })).toMatchObject({
      default: 1,
    });
  });

  it("omits, with a reason, what a descriptor cannot hold", () => {
    expect(
      normalizeWamParameter("one", { id: "one", type: "choice", choices: ["only"], defaultValue: 0 }),
    ).toEqual({
      id: "one",
      reason: "its range [0, 0] is one value: it cannot change",
    });
    expect(normalizeWamParameter("flat", { id: "flat", minValue: 3, maxValue: 3, defaultValue: 3 })).toEqual({
      id: "flat",
      reason: "its range [3, 3] is one value: it cannot change",
    });
    expect(
      normalizeWamParameter("upside", { id: "upside", minValue: 3, maxValue: 1, defaultValue: 2 }),
    ).toMatchObject({
      reason: "its range [3, 1] has min > max",
    });
    expect(normalizeWamParameter("nan", { id: "nan", minValue: 0, maxValue: Number.NaN })).toMatchObject({
      reason: expect.stringContaining("not finite"),
    });
    expect(
      normalizeWamParameter("d", { id: "d", minValue: 0, maxValue: 1, defaultValue: "x" }),
    ).toMatchObject({
      reason: "its default x is not a finite number",
    });
    expect(normalizeWamParameter("__proto__", { id: "__proto__", minValue: 0, maxValue: 1 })).toMatchObject({
      reason: 'the id "__proto__" is reserved',
    });
    expect(normalizeWamParameter("c", { id: "c", type: "choice", choices: [] })).toMatchObject({
      reason: "a choice parameter without choices",
    });
  });
});

describe("normalizeWamParameters", () => {
  it("keeps the plugin's order, drops a duplicate id and lists what it left out; the result validates", () => {
    const { parameters, omitted } = normalizeWamParameters({
      b: { id: "b", minValue: 0, maxValue: 1, defaultValue: 0 },
      a: { id: "a", minValue: 0, maxValue: 10, defaultValue: 5, type: "int", discreteStep: 1 },
      again: { id: "b", minValue: 0, maxValue: 2, defaultValue: 0 },
      fixed: { id: "fixed", minValue: 1, maxValue: 1, defaultValue: 1 },
    });
    expect(parameters.map((parameter) => parameter.id)).toEqual(["b", "a"]);
    expect(omitted).toEqual([
      { id: "b", reason: "its id is used twice" },
      { id: "fixed", reason: "its range [1, 1] is one value: it cannot change" },
    ]);
    expect(() =>
      parseContract(NodeDescriptorSchema, {
        version: "v1alpha",
        node_id: "wam:x",
        name: "x",
        format: "wam",
        supported_sample_rates: [],
        latency_samples: 0,
        parameters,
        extensions: { omitted_parameters: omitted },
      }),
    ).not.toThrow();
  });
});
