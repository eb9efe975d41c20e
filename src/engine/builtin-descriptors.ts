/**
 * The builtin node types as the v1alpha contracts see them: NodeDescriptors built from the engine's
 * own processor table (WasmEngine.types), and the naming rules a graph uses to address them (node ids,
 * parameter values in natural units, choice labels, buffer slot names).
 *
 * The engine is the single source of truth for kinds, parameters, ranges, defaults, units and choices.
 * The few facts its table does not carry (which kinds play MIDI, what their buffer slots are called,
 * DawDreamer's choice labels) are the small tables below, keyed by kind; a kind missing from them still
 * gets a complete descriptor.
 */
import { CONTRACT_VERSION } from "../contracts/common";
import type { NodeDescriptorInput, ParameterDescriptorInput } from "../contracts/node-descriptor";
import type { ProcessorParamInfo, ProcessorTypeInfo } from "./processor-types";

/** The node_id prefix of every builtin processor: "builtin:" + the engine's kind. */
export const BUILTIN_PREFIX = "builtin:";

/** Kinds that play MIDI notes. */
const INSTRUMENT_KINDS: ReadonlySet<string> = new Set(["sampler"]);

/**
 * Buffer slot names by kind, in engine slot order (index = engine slot). The first name is the one
 * NodeDescriptor.extensions.buffer_slots lists: "data", as in DawDreamer and docs/processors.md. The
 * sampler's slot also answers to "sample", the name the GraphDescriptor docs use, and every slot to
 * its number ("0").
 */
const BUFFER_SLOTS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  playback: [["data"]],
  sampler: [["data", "sample"]],
};

/**
 * Choice labels from DawDreamer and the contract docs ("low", "high", ...) that name an engine choice
 * under another label. Used only when a label is not itself one of the engine's choices, and only when
 * the target is, so the engine's own labels always win.
 */
const CHOICE_ALIASES: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, string>>>>>> = {
  filter: {
    mode: {
      low: "lowpass",
      high: "highpass",
      band: "bandpass",
      low_shelf: "lowshelf",
      high_shelf: "highshelf",
    },
  },
};

/**
 * The shortest decimal that is the same float32 as `value`. Engine specs are float32 (0.0001 reads
 * back as 0.00009999999747); descriptors and error messages show what the author wrote.
 * @example
 * float32Decimal(Math.fround(0.33)); // 0.33
 */
export function float32Decimal(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}

/**
 * A parameter's [min, max] in natural units, as descriptors and graph checks state it.
 * @example
 * parameterRange(qParam); // [0.0001, 40]
 */
export function parameterRange(param: ProcessorParamInfo): [number, number] {
  return [float32Decimal(param.min), float32Decimal(param.max)];
}

/**
 * The processor type a node id names, or undefined when it is not a builtin the engine knows.
 * @example
 * findBuiltinType(engine.types, "builtin:filter")?.kind; // "filter"
 */
export function findBuiltinType(
  types: readonly ProcessorTypeInfo[],
  nodeId: string,
): ProcessorTypeInfo | undefined {
  if (!nodeId.startsWith(BUILTIN_PREFIX)) return undefined;
  const kind = nodeId.slice(BUILTIN_PREFIX.length);
  return types.find((type) => type.kind === kind);
}

/**
 * The index of a choice label (or one of its DawDreamer aliases) of a parameter, or -1.
 * @example
 * choiceIndex(filterType, modeParam, "low"); // 0 ("lowpass")
 */
export function choiceIndex(type: ProcessorTypeInfo, param: ProcessorParamInfo, label: string): number {
  const choices = param.choices ?? [];
  const direct = choices.indexOf(label);
  if (direct >= 0) return direct;
  const alias = CHOICE_ALIASES[type.kind]?.[param.id]?.[label];
  return alias === undefined ? -1 : choices.indexOf(alias);
}

/**
 * The engine slot a buffer slot name addresses on a kind ("data", "sample" or the number itself), or -1.
 * @example
 * bufferSlotIndex("playback", "data"); // 0
 */
export function bufferSlotIndex(kind: string, slotName: string): number {
  const slots = BUFFER_SLOTS[kind] ?? [];
  const byName = slots.findIndex((names) => names.includes(slotName));
  if (byName >= 0) return byName;
  const number = /^(0|[1-9][0-9]*)$/.test(slotName) ? Number(slotName) : -1;
  return number < slots.length ? number : -1;
}

/**
 * Every name a kind's buffer slots accept, for error messages.
 * @example
 * bufferSlotNames("sampler"); // ["data", "sample", "0"]
 */
export function bufferSlotNames(kind: string): string[] {
  return (BUFFER_SLOTS[kind] ?? []).flatMap((names, slot) => [...names, String(slot)]);
}

function parameterDescriptor(param: ProcessorParamInfo): ParameterDescriptorInput {
  const extensions: NonNullable<ParameterDescriptorInput["extensions"]> = {};
  if (param.choices !== null) {
    extensions.type = "choice";
    extensions.choices = [...param.choices];
  } else if (param.discrete) {
    extensions.type = "int";
    extensions.discrete_step = 1;
  }
  if (param.units !== "") extensions.units = param.units;
  return {
    name: param.name,
    id: param.id,
    default: float32Decimal(param.default),
    range: parameterRange(param),
    extensions,
  };
}

/**
 * The NodeDescriptor of one engine processor type.
 * @example
 * builtinDescriptor(engine.types[0]).node_id; // "builtin:oscillator"
 */
export function builtinDescriptor(type: ProcessorTypeInfo): NodeDescriptorInput {
  const slots = BUFFER_SLOTS[type.kind];
  return {
    version: CONTRACT_VERSION,
    node_id: `${BUILTIN_PREFIX}${type.kind}`,
    name: type.name,
    vendor: "webdreamer",
    format: "builtin",
    // Builtins are prepared for whatever rate the engine runs at: the contract's "any rate" is [].
    supported_sample_rates: [],
    latency_samples: 0,
    parameters: type.params.map(parameterDescriptor),
    resource_estimate: null,
    extensions: {
      // maxInputs -1 means "any number of channels": the descriptor then states no fixed count.
      ...(type.maxInputs >= 0 ? { input_channels: type.maxInputs } : {}),
      is_instrument: INSTRUMENT_KINDS.has(type.kind),
      ...(slots === undefined ? {} : { buffer_slots: slots.map((names) => names[0] as string) }),
    },
  };
}

/**
 * The NodeDescriptors of every builtin the engine provides, in the engine's table order.
 * @example
 * const nodes = builtinDescriptors(engine.types);
 * nodes.find((node) => node.node_id === "builtin:filter")?.parameters?.map((p) => p.id); // ["mode", ...]
 */
export function builtinDescriptors(types: readonly ProcessorTypeInfo[]): NodeDescriptorInput[] {
  return types.map(builtinDescriptor);
}
