/**
 * The builtin node types as the v1alpha contracts see them: NodeDescriptors built from the engine's
 * own processor table (WasmEngine.types), and the naming rules a graph uses to address them (node ids,
 * parameter values in natural units, choice labels, buffer slot names).
 *
 * The engine is the single source of truth for every fact about a node type: kinds, parameters,
 * ranges, defaults, units, choices and their DawDreamer aliases, which kinds play MIDI and what their
 * buffer slots are called (see processor-types.ts). Nothing here is kept per kind.
 */
import { CONTRACT_VERSION } from "../contracts/common";
import type { NodeDescriptorInput, ParameterDescriptorInput } from "../contracts/node-descriptor";
import type { ResourceEstimate } from "./node-resources";
import type { ProcessorParamInfo, ProcessorTypeInfo } from "./processor-types";

/** The node_id prefix of every builtin processor: "builtin:" + the engine's kind. */
export const BUILTIN_PREFIX = "builtin:";

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
 * The index of a choice label (or one of its DawDreamer aliases) of a parameter, or -1. An alias is
 * used only when the label is not itself a choice, so the engine's own labels always win.
 * @example
 * choiceIndex(modeParam, "low"); // 0 ("lowpass")
 */
export function choiceIndex(param: ProcessorParamInfo, label: string): number {
  const choices = param.choices ?? [];
  const direct = choices.indexOf(label);
  if (direct >= 0) return direct;
  const aliases = param.choiceAliases;
  // Own keys only: a label such as "constructor" must not reach Object.prototype.
  const target = aliases !== null && Object.hasOwn(aliases, label) ? aliases[label] : undefined;
  return target === undefined ? -1 : choices.indexOf(target);
}

/**
 * The engine slot a buffer slot name addresses on a type ("data", "sample" or the number itself), or -1.
 * @example
 * bufferSlotIndex(playbackType, "data"); // 0
 */
export function bufferSlotIndex(type: ProcessorTypeInfo, slotName: string): number {
  const slots = type.bufferSlots;
  const byName = slots.findIndex((names) => names.includes(slotName));
  if (byName >= 0) return byName;
  const number = /^(0|[1-9][0-9]*)$/.test(slotName) ? Number(slotName) : -1;
  return number < slots.length ? number : -1;
}

/**
 * Every name a type's buffer slots accept, for error messages.
 * @example
 * bufferSlotNames(samplerType); // ["data", "sample", "0"]
 */
export function bufferSlotNames(type: ProcessorTypeInfo): string[] {
  return type.bufferSlots.flatMap((names, slot) => [...names, String(slot)]);
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
 * builtinDescriptor(filterType).node_id; // "builtin:filter"
 */
export function builtinDescriptor(
  type: ProcessorTypeInfo,
  estimate: ResourceEstimate | null = null,
  resourceNotes?: string,
): NodeDescriptorInput {
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
    // At the engine's rate and block size (node-resources.ts); null where no engine measured it.
    resource_estimate: estimate,
    extensions: {
      // maxInputs -1 means "any number of channels": the descriptor then states no fixed count.
      ...(type.maxInputs >= 0 ? { input_channels: type.maxInputs } : {}),
      is_instrument: type.instrument,
      // How cpu_units was had (builtin-cpu-units.ts): measured on this machine, or the table's.
      ...(resourceNotes === undefined ? {} : { resource_notes: resourceNotes }),
      // Each slot by its canonical name (the first one); the others are accepted, not listed.
      ...(type.bufferSlots.length === 0
        ? {}
        : { buffer_slots: type.bufferSlots.map((names) => names[0] as string) }),
      // The engine's own table (ProcessorType::presets), so presets have one source like params.
      ...(type.presets.length === 0
        ? {}
        : { presets: type.presets.map(({ name, params }) => ({ name, params: { ...params } })) }),
    },
  };
}

/**
 * Every parameter value of a named preset of a node: the descriptor's defaults with the preset's
 * values over them, ready to use as a graph node's `params` (add your own changes after it). Throws
 * when the node has no preset of that name.
 * @example
 * const synth = builtinDescriptors(engine.types).find((node) => node.node_id === "builtin:synth");
 * if (synth) presetParams(synth, "Bass").filter_cutoff; // 180
 */
export function presetParams(descriptor: NodeDescriptorInput, name: string): Record<string, number> {
  const presets = (descriptor.extensions?.presets ?? []) as {
    name: string;
    params: Record<string, number>;
  }[];
  const preset = presets.find((p) => p.name === name);
  if (!preset) {
    const known = presets.map((p) => p.name).join(", ") || "none";
    throw new Error(`${descriptor.node_id} has no preset "${name}" (presets: ${known})`);
  }
  const params: Record<string, number> = {};
  for (const parameter of descriptor.parameters ?? []) params[parameter.id] = parameter.default;
  return { ...params, ...preset.params };
}

/**
 * The NodeDescriptors of every builtin the engine provides, in the engine's table order, with the
 * resource estimates of `estimates` (builtinResourceEstimates) and `resourceNotes`
 * (extensions.resource_notes) by kind when given.
 * @example
 * const nodes = builtinDescriptors(engine.types);
 * nodes.find((node) => node.node_id === "builtin:filter")?.parameters?.map((p) => p.id); // ["mode", ...]
 */
export function builtinDescriptors(
  types: readonly ProcessorTypeInfo[],
  estimates?: ReadonlyMap<string, ResourceEstimate>,
  resourceNotes?: ReadonlyMap<string, string>,
): NodeDescriptorInput[] {
  return types.map((type) =>
    builtinDescriptor(type, estimates?.get(type.kind) ?? null, resourceNotes?.get(type.kind)),
  );
}
