/**
 * Which graph parameters an exported WAM exposes, and how each becomes a WAM parameter: its id
 * ("<node name>/<parameter id>"), its WamParameterConfiguration from the node type's parameter table
 * (range, units, choices, integer steps) and its default, which is the value the graph sets, so a
 * freshly created plugin sounds as the graph does. Pure: no engine, no files.
 */
import type { WamParameterConfiguration } from "@webaudiomodules/api";
import { EngineError } from "../contracts/errors";
import { float32Decimal, parameterRange } from "../engine/builtin-descriptors";
import type { ProcessorParamInfo, ProcessorTypeInfo } from "../engine/processor-types";
import type { ExposedParameter } from "./plugin-format";

/** The WAM parameter id of a graph parameter. */
export function wamParameterId(nodeName: string, parameterId: string): string {
  return `${nodeName}/${parameterId}`;
}

/** A graph node as the parameter mapping needs it. */
export interface ParameterSource {
  name: string;
  /** Program index. */
  index: number;
  type: ProcessorTypeInfo;
  /** The node's parameter values before automation (the compiled program's `params`). */
  values: Readonly<Record<string, number>>;
}

/**
 * The WamParameterConfiguration of one engine parameter, defaulting to `value`. Choice parameters
 * become "choice" (value = index), integer-stepped ones "int", the rest "float"; the SDK refuses a
 * discrete step with fractional bounds, so such a parameter stays "float".
 * @example
 * const frequency = { id: "frequency", name: "Frequency", units: "Hz", min: 10, max: 24000, default: 1000,
 *   discrete: false, choices: null, choiceAliases: null };
 * wamParameterInfo(frequency, "lowpass", 1200);
 * // { label: "lowpass Frequency", type: "float", minValue: 10, maxValue: 24000, defaultValue: 1200, units: "Hz" }
 */
export function wamParameterInfo(
  param: ProcessorParamInfo,
  nodeName: string,
  value: number,
): WamParameterConfiguration {
  const label = `${nodeName} ${param.name}`;
  if (param.choices !== null && param.choices.length > 1) {
    return { label, type: "choice", choices: [...param.choices], defaultValue: value };
  }
  // The engine's float32 bounds as the decimals NodeDescriptors state (0.0001, not 9.99999974e-5),
  // and the default inside them, which the SDK checks.
  const [minValue, maxValue] = parameterRange(param);
  const defaultValue = Math.min(maxValue, Math.max(minValue, float32Decimal(value)));
  const integral = [minValue, maxValue, defaultValue].every(Number.isInteger);
  return {
    label,
    type: param.discrete && integral ? "int" : "float",
    minValue,
    maxValue,
    defaultValue,
    ...(param.discrete && integral ? { discreteStep: 1 } : {}),
    ...(param.units === "" ? {} : { units: param.units }),
  };
}

/**
 * The parameters to expose: every parameter of every node, or those `selected` (WAM ids,
 * "<node name>/<parameter id>"), in the order given. An id that names no graph parameter, or one
 * given twice, is an E_SCHEMA error at `options.parameters[i]`.
 * @example
 * const sources: ParameterSource[] = [];
 * exposedParameters(sources); // every parameter of every node: none here
 */
export function exposedParameters(
  nodes: readonly ParameterSource[],
  selected?: readonly string[],
): ExposedParameter[] {
  const all: ExposedParameter[] = [];
  for (const node of nodes) {
    node.type.params.forEach((param, index) => {
      all.push({
        id: wamParameterId(node.name, param.id),
        node: node.index,
        param: index,
        info: wamParameterInfo(param, node.name, node.values[param.id] ?? param.default),
      });
    });
  }
  if (selected === undefined) return all;
  const byId = new Map(all.map((parameter) => [parameter.id, parameter]));
  return selected.map((id, i) => {
    if (selected.indexOf(id) !== i) {
      throw new EngineError("E_SCHEMA", `"${id}" is listed twice`, `options.parameters[${i}]`);
    }
    const parameter = byId.get(id);
    if (parameter === undefined) {
      throw new EngineError(
        "E_SCHEMA",
        `"${id}" names no parameter of the graph (ids are "<node name>/<parameter id>", e.g. "${all[0]?.id ?? "synth/gain"}")`,
        `options.parameters[${i}]`,
      );
    }
    return parameter;
  });
}
