/**
 * WAM parameter info (getParameterInfo) -> v1alpha ParameterDescriptors. Pure, so the rules are tested
 * in Node (test/wam/wam-parameters.test.ts) and documented in docs/wam.md ("Parameters"):
 *
 * - id -> id; label -> name (the id when the label is empty); defaultValue -> default;
 *   [minValue, maxValue] -> range; type, units (when not empty), choices (choice only), discreteStep
 *   -> discrete_step, exponent (when not 0) -> extensions.
 * - boolean: range [0, 1]; choice: range [0, choices.length - 1] whatever the plugin says (the
 *   contract's rule, and what the SDK itself forces).
 * - default outside the range is clamped into it (a plugin's value, not ours to refuse).
 * - Omitted, with a reason the descriptor lists in extensions.omitted_parameters: a range of one value
 *   (min == max, e.g. a choice with one choice: the parameter cannot change, a descriptor range
 *   needs min < max), min > max, a bound or default that is not a finite number, an id used twice or
 *   "__proto__".
 */
import type { ParameterDescriptorInput } from "../contracts/node-descriptor";

/** What a WAM's getParameterInfo() gives per parameter, as it arrives (plain objects, any field may lack). */
export interface WamParameterInfoLike {
  id?: unknown;
  label?: unknown;
  type?: unknown;
  defaultValue?: unknown;
  minValue?: unknown;
  maxValue?: unknown;
  discreteStep?: unknown;
  exponent?: unknown;
  choices?: unknown;
  units?: unknown;
}

/** A parameter left out of the descriptor, and why. */
export interface OmittedParameter {
  id: string;
  reason: string;
}

export interface NormalizedParameters {
  parameters: ParameterDescriptorInput[];
  omitted: OmittedParameter[];
}

const TYPES = ["float", "int", "boolean", "choice"] as const;
type WamParameterType = (typeof TYPES)[number];

function typeOf(info: WamParameterInfoLike): WamParameterType {
  return TYPES.includes(info.type as WamParameterType) ? (info.type as WamParameterType) : "float";
}

function finite(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/**
 * One parameter, or the reason it cannot be a ParameterDescriptor.
 * @example
 * normalizeWamParameter("gain", { id: "gain", label: "Gain", minValue: 0, maxValue: 1, defaultValue: 0.5 });
 * // { name: "Gain", id: "gain", default: 0.5, range: [0, 1], extensions: { type: "float", discrete_step: 0 } }
 */
export function normalizeWamParameter(
  key: string,
  info: WamParameterInfoLike,
): ParameterDescriptorInput | OmittedParameter {
  const id = typeof info.id === "string" && info.id !== "" ? info.id : key;
  if (id === "__proto__") return { id, reason: 'the id "__proto__" is reserved' };
  const type = typeOf(info);
  const choices =
    Array.isArray(info.choices) && info.choices.length > 0
      ? info.choices.map((choice) => String(choice))
      : [];
  let min = finite(info.minValue);
  let max = finite(info.maxValue);
  if (type === "boolean") [min, max] = [0, 1];
  if (type === "choice") {
    if (choices.length === 0) return { id, reason: "a choice parameter without choices" };
    [min, max] = [0, choices.length - 1];
  }
  if (min === undefined || max === undefined) {
    return { id, reason: `its range [${String(info.minValue)}, ${String(info.maxValue)}] is not finite` };
  }
  if (min === max) return { id, reason: `its range [${min}, ${max}] is one value: it cannot change` };
  if (min > max) return { id, reason: `its range [${min}, ${max}] has min > max` };
  const rawDefault = finite(info.defaultValue);
  if (rawDefault === undefined) {
    return { id, reason: `its default ${String(info.defaultValue)} is not a finite number` };
  }
  const label = typeof info.label === "string" && info.label.trim() !== "" ? info.label : id;
  const step = finite(info.discreteStep);
  const exponent = finite(info.exponent);
  const units = typeof info.units === "string" ? info.units : "";
  const discrete = type === "boolean" || type === "choice";
  return {
    name: label,
    id,
    default: Math.min(max, Math.max(min, rawDefault)),
    range: [min, max],
    extensions: {
      type,
      ...(units === "" ? {} : { units }),
      ...(type === "choice" ? { choices } : {}),
      ...(discrete ? { discrete_step: 1 } : step !== undefined && step >= 0 ? { discrete_step: step } : {}),
      ...(exponent === undefined || exponent === 0 ? {} : { exponent }),
    },
  };
}

/**
 * Every parameter of a getParameterInfo() map, in its order, with the ones left out and why.
 * @example
 * const { parameters, omitted } = normalizeWamParameters(await plugin.audioNode.getParameterInfo());
 */
export function normalizeWamParameters(infos: Record<string, WamParameterInfoLike>): NormalizedParameters {
  const parameters: ParameterDescriptorInput[] = [];
  const omitted: OmittedParameter[] = [];
  const seen = new Set<string>();
  for (const [key, info] of Object.entries(infos ?? {})) {
    const normalized = normalizeWamParameter(key, info ?? {});
    if ("reason" in normalized) omitted.push(normalized);
    else if (seen.has(normalized.id)) omitted.push({ id: normalized.id, reason: "its id is used twice" });
    else {
      seen.add(normalized.id);
      parameters.push(normalized);
    }
  }
  return { parameters, omitted };
}
