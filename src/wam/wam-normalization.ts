/**
 * WAM 2.0's curve from a parameter's normalized range [0, 1] to its own units. The API declares it
 * per parameter (minValue, maxValue, exponent: WamParameterInfo) and the WAM SDK implements it in
 * WamParameterInfo.denormalize, which every SDK plugin applies to a value set with `normalized: true`.
 * This is the same arithmetic, so a host that denormalizes a value itself hands the plugin the very
 * double the plugin would have computed. Like the SDK it neither clamps nor rounds: a choice set to
 * 0.7 of three choices is 1.4, as the plugin would have taken it.
 */
import type { WamParameterInfoLike } from "./wam-timeline";

/** The SDK's skew: x ** 1.5^exponent (exponent 0: linear). */
const denormalizeSkew = (x: number, exponent: number) => (exponent === 0 ? x : x ** (1.5 ** exponent));

/**
 * The range the SDK gives a parameter from its configuration: boolean and choice parameters run from
 * 0 to 1 or to their last choice; the others default to [0, 1].
 */
function rangeOf(info: WamParameterInfoLike): [number, number] {
  if (info.type === "boolean" || info.type === "choice") {
    const choices = info.choices?.length ?? 0;
    return [0, choices > 0 ? choices - 1 : 1];
  }
  return [info.minValue ?? 0, info.maxValue ?? 1];
}

/**
 * The plain value of `normalized` for the parameter `info` describes (getParameterInfo's answer).
 * @example
 * denormalizeWamValue({ id: "gain", minValue: -8, maxValue: 8 }, 0.5); // 0
 * denormalizeWamValue({ id: "cutoff", minValue: 20, maxValue: 20000, exponent: 2 }, 0.5); // 4220.277594192305
 */
export function denormalizeWamValue(info: WamParameterInfoLike, normalized: number): number {
  const [min, max] = rangeOf(info);
  const exponent = info.exponent ?? 0;
  // The SDK's two branches, kept apart: (max - min) * x + min is not always x when [0, 1].
  return min === 0 && max === 1
    ? denormalizeSkew(normalized, exponent)
    : denormalizeSkew(normalized, exponent) * (max - min) + min;
}
