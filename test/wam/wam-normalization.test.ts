/**
 * denormalizeWamValue (wam-normalization.ts) against the WAM SDK's own WamParameterInfo.denormalize,
 * the code an SDK plugin runs on a value set with `normalized: true`: the host must hand the plugin
 * the very same double.
 */
import getWamParameterInfo from "@webaudiomodules/sdk/src/WamParameterInfo.js";
import { describe, expect, it } from "vitest";
import { denormalizeWamValue } from "../../src/wam/wam-normalization";
import type { WamParameterInfoLike } from "../../src/wam/wam-timeline";

const SdkInfo = getWamParameterInfo("webdreamer-test") as unknown as new (
  id: string,
  config: Omit<WamParameterInfoLike, "id">,
) => WamParameterInfoLike & { denormalize(value: number): number };

const CONFIGS: WamParameterInfoLike[] = [
  { id: "unit", defaultValue: 0.5 },
  { id: "unit-skewed", defaultValue: 0.5, exponent: -1.5 },
  { id: "gain", minValue: -8, maxValue: 8, defaultValue: 1 },
  { id: "cutoff", minValue: 20, maxValue: 20000, exponent: 2, defaultValue: 440 },
  { id: "decay", minValue: 0.001, maxValue: 4, exponent: 0.7, defaultValue: 1 },
  { id: "steps", type: "int", minValue: -12, maxValue: 12, discreteStep: 1, defaultValue: 0 },
  { id: "on", type: "boolean", defaultValue: 0 },
  { id: "shape", type: "choice", choices: ["sine", "saw", "square"], defaultValue: 0 },
];
const POINTS = [0, 1e-9, 0.1, 0.25, 1 / 3, 0.5, 0.7, 0.9, 1 - 1e-12, 1, 1.25, -0.5];

describe("denormalizeWamValue", () => {
  it("gives the SDK's value, to the bit, for every kind of parameter and across [0, 1] and beyond", () => {
    for (const config of CONFIGS) {
      const { id, ...rest } = config;
      const sdk = new SdkInfo(id, rest);
      // What a plugin's getParameterInfo answers: the SDK's info as a plain object over postMessage.
      const answered = structuredClone({ ...sdk });
      for (const point of POINTS) {
        expect(
          Object.is(denormalizeWamValue(answered, point), sdk.denormalize(point)),
          `${id} at ${point}`,
        ).toBe(true);
      }
    }
  });

  it("takes the SDK's ranges when the answer leaves them out: [0, 1], a boolean's, a choice's", () => {
    expect(denormalizeWamValue({ id: "x" }, 0.25)).toBe(0.25);
    expect(denormalizeWamValue({ id: "b", type: "boolean", minValue: 5, maxValue: 9 }, 1)).toBe(1);
    expect(denormalizeWamValue({ id: "c", type: "choice", choices: ["a", "b", "c", "d"] }, 0.5)).toBe(1.5);
    expect(denormalizeWamValue({ id: "g", minValue: -8, maxValue: 8 }, 0.75)).toBe(4);
  });
});
