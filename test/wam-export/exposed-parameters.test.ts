/**
 * Graph parameters as WAM parameters (src/wam-export/exposed-parameters.ts): ids, types, ranges,
 * units, choices and defaults from the engine's processor table and the graph's values, checked
 * against the WAM SDK's own WamParameterInfo (which throws on a configuration it refuses).
 */
import getWamParameterInfo from "@webaudiomodules/sdk/src/WamParameterInfo.js";
import { beforeAll, describe, expect, it } from "vitest";
import { findBuiltinType } from "../../src/engine/builtin-descriptors";
import { instantiateEngine } from "../../src/engine/engine-module";
import type { ProcessorTypeInfo } from "../../src/engine/processor-types";
import { WasmEngine } from "../../src/engine/wasm-engine";
import { loadEngineModuleFromDisk } from "../../src/hosts/in-process/engine-file";
import {
  exposedParameters,
  type ParameterSource,
  wamParameterInfo,
} from "../../src/wam-export/exposed-parameters";

const WamParameterInfo = getWamParameterInfo();
let types: ProcessorTypeInfo[] = [];

beforeAll(async () => {
  const engine = new WasmEngine(instantiateEngine(await loadEngineModuleFromDisk()), 48000);
  types = engine.types;
  engine.destroy();
});

function type(nodeId: string): ProcessorTypeInfo {
  return findBuiltinType(types, nodeId) as ProcessorTypeInfo;
}

function param(nodeId: string, id: string) {
  return type(nodeId).params.find((p) => p.id === id) as ProcessorTypeInfo["params"][number];
}

describe("wamParameterInfo", () => {
  it("a continuous parameter is a float with the engine's range and units, defaulting to the graph's value", () => {
    expect(wamParameterInfo(param("builtin:filter", "frequency"), "lowpass", 1200)).toEqual({
      label: "lowpass Frequency",
      type: "float",
      minValue: 10,
      maxValue: 24000,
      defaultValue: 1200,
      units: "Hz",
    });
  });

  it("a choice parameter is a choice of the engine's labels, its value the index", () => {
    const info = wamParameterInfo(param("builtin:filter", "mode"), "f", 2);
    expect(info.type).toBe("choice");
    expect(info.choices).toEqual(param("builtin:filter", "mode").choices);
    expect(info.defaultValue).toBe(2);
    const sdk = new WamParameterInfo("f/mode", info);
    expect([sdk.minValue, sdk.maxValue, sdk.discreteStep]).toEqual([0, 7, 1]);
  });

  it("an integer parameter is an int stepping by 1", () => {
    expect(wamParameterInfo(param("builtin:synth", "voices"), "s", 8)).toMatchObject({
      type: "int",
      minValue: 1,
      maxValue: 64,
      discreteStep: 1,
      defaultValue: 8,
    });
  });

  it("float32 bounds are stated as decimals, and the default kept inside them", () => {
    const q = param("builtin:filter", "q");
    expect(q.min).not.toBe(0.0001); // the engine's float32
    const info = wamParameterInfo(q, "f", q.min);
    expect(info.minValue).toBe(0.0001);
    expect(info.defaultValue).toBe(0.0001);
  });

  it("the SDK accepts every parameter of every builtin type, and normalizes and denormalizes its default back", () => {
    let checked = 0;
    for (const t of types) {
      for (const p of t.params) {
        const info = wamParameterInfo(p, t.kind, p.default);
        const sdk = new WamParameterInfo(`${t.kind}/${p.id}`, info);
        const value = info.defaultValue as number;
        // Normalized values are precise relative to the range (builtin:constant's offset spans
        // ±3.4e38: its normalized round trip is exact only to ~1e-9 of that span).
        const span = sdk.maxValue - sdk.minValue;
        const error = Math.abs(sdk.denormalize(sdk.normalize(value)) - value);
        expect(error / span, `${t.kind}/${p.id}`).toBeLessThan(1e-9);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(300);
  });
});

describe("exposedParameters", () => {
  const sources = (): ParameterSource[] => [
    { name: "synth", index: 0, type: type("builtin:synth"), values: { gain: 0.5 } },
    { name: "filter", index: 1, type: type("builtin:filter"), values: { frequency: 2500, mode: 0 } },
  ];

  it("exposes every parameter of every node by default, ids '<node name>/<parameter id>', engine indices kept", () => {
    const all = exposedParameters(sources());
    expect(all).toHaveLength(type("builtin:synth").params.length + type("builtin:filter").params.length);
    const frequency = all.find((p) => p.id === "filter/frequency");
    expect(frequency).toMatchObject({ node: 1, param: 1 });
    expect(frequency?.info.defaultValue).toBe(2500);
    const gain = all.find((p) => p.id === "synth/gain");
    expect(gain?.param).toBe(type("builtin:synth").params.findIndex((p) => p.id === "gain"));
    expect(gain?.info.defaultValue).toBe(0.5);
    // A parameter the graph does not set defaults to the engine's default.
    expect(all.find((p) => p.id === "filter/q")?.info.defaultValue).toBeCloseTo(
      param("builtin:filter", "q").default,
      6,
    );
  });

  it("exposes only the parameters listed, in the order given", () => {
    expect(exposedParameters(sources(), ["filter/frequency", "synth/gain"]).map((p) => p.id)).toEqual([
      "filter/frequency",
      "synth/gain",
    ]);
  });

  it("refuses an id that names no parameter, or one listed twice, at its position", () => {
    expect(() => exposedParameters(sources(), ["synth/gain", "filter/cutoff"])).toThrow(
      /E_SCHEMA at options.parameters\[1\]: "filter\/cutoff" names no parameter/,
    );
    expect(() => exposedParameters(sources(), ["synth/gain", "synth/gain"])).toThrow(
      /E_SCHEMA at options.parameters\[1\]: "synth\/gain" is listed twice/,
    );
  });
});
