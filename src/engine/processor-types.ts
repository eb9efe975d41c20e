/**
 * The processor type table compiled into engine.wasm (wasm/src/processor_registry.cpp and each
 * processor's ParamSpec table), read through the C ABI. It is the one source of every fact about a
 * built-in node type: kinds, parameters, ranges, defaults, units, choices and their aliases, which
 * kinds play MIDI and what their buffer slots are called.
 *
 * Like the loader (wasm-engine.ts) it runs in AudioWorkletGlobalScope, which has no TextDecoder.
 */
import { EngineError } from "../contracts/errors";

/** The exports of engine.wasm that describe its processor types (see wasm/src/abi.cpp). */
export interface ProcessorTableExports {
  memory: WebAssembly.Memory;
  wd_type_count(): number;
  wd_type_kind(type: number): number;
  wd_type_name(type: number): number;
  wd_type_max_inputs(type: number): number;
  wd_type_param_count(type: number): number;
  wd_type_param(type: number, param: number): number;
  wd_type_instrument(type: number): number;
  wd_type_buffer_slots(type: number): number;
  wd_type_presets(type: number): number;
  wd_type_internal(type: number): number;
}

/** One parameter of a built-in processor type, as declared by the engine. */
export interface ProcessorParamInfo {
  id: string;
  name: string;
  units: string;
  min: number;
  max: number;
  default: number;
  discrete: boolean;
  choices: string[] | null;
  /**
   * Other labels a graph may use for a choice (DawDreamer's "low" for "lowpass"), alias to choice
   * label; null for none. A label that is itself a choice never goes through an alias.
   */
  choiceAliases: Readonly<Record<string, string>> | null;
}

/** One built-in processor type (its node_id is `builtin:<kind>`). */
export interface ProcessorTypeInfo {
  index: number;
  kind: string;
  name: string;
  /** -1: any number of input channels; 0: a source. */
  maxInputs: number;
  params: ProcessorParamInfo[];
  /** Plays MIDI notes (NodeDescriptor.extensions.is_instrument). */
  instrument: boolean;
  /**
   * Acts on MIDI without being an instrument: a Faust DSP with `[midi:...]` controls (a CC, the
   * pitch wheel, keys). Absent: false.
   */
  midiControls?: boolean;
  /**
   * The buffer slots in engine slot order: the names each slot answers to, the canonical one (listed
   * by NodeDescriptor.extensions.buffer_slots) first. Empty when the type takes no buffers.
   */
  bufferSlots: string[][];
  /**
   * Named presets (NodeDescriptor.extensions.presets): each the parameters it changes from their
   * defaults, by id, in natural units (a choice as its index). Empty when the type has none.
   */
  presets: ProcessorPreset[];
}

/** One named preset of a built-in type: the parameter values it sets; the others keep their defaults. */
export interface ProcessorPreset {
  name: string;
  params: Record<string, number>;
}

// Byte offsets of wd::ParamSpec in wasm32 (checked by static_asserts in wasm/src/abi.cpp).
const PARAM_SPEC_LAYOUT = {
  id: 0,
  name: 4,
  units: 8,
  min: 12,
  max: 16,
  default: 20,
  discrete: 24,
  choices: 28,
  choiceAliases: 32,
};

/**
 * A NUL-terminated engine string ("" for a null pointer). Engine strings are ASCII identifiers and
 * messages, so bytes map to characters one to one.
 */
/**
 * True when a node of this type acts on MIDI (live MIDI is refused for the others: it would do
 * nothing): an instrument, or a DSP with MIDI controls.
 * @example
 * takesMidi(samplerType); // true
 */
export function takesMidi(type: ProcessorTypeInfo): boolean {
  return type.instrument || type.midiControls === true;
}

/**
 * Throws E_SCHEMA at `path` unless node `name` of type `type` (node_id `nodeId`) takes MIDI.
 * @example
 * requireMidiNode(filterType, "filter", "builtin:filter", "send_midi.node"); // throws
 */
export function requireMidiNode(type: ProcessorTypeInfo, name: string, nodeId: string, path: string): void {
  if (takesMidi(type)) return;
  throw new EngineError(
    "E_SCHEMA",
    `node "${name}" (${nodeId}) takes no MIDI: live MIDI plays into an instrument (builtin:synth, builtin:sampler, a Faust DSP with voices or [midi:...] controls, a WAM)`,
    path,
  );
}

export function readCString(memory: WebAssembly.Memory, pointer: number): string {
  if (pointer === 0) return "";
  const bytes = new Uint8Array(memory.buffer);
  let end = pointer;
  while (bytes[end] !== 0) end++;
  let text = "";
  for (let i = pointer; i < end; i++) text += String.fromCharCode(bytes[i] as number);
  return text;
}

/** "data,sample|..." (ProcessorType::bufferSlots) as the names of each slot. */
function parseBufferSlots(encoded: string): string[][] {
  return encoded === "" ? [] : encoded.split("|").map((slot) => slot.split(","));
}

/** "low=lowpass|..." (ParamSpec::choiceAliases) as alias to choice label, or null for "". */
function parseChoiceAliases(encoded: string, owner: string): Record<string, string> | null {
  if (encoded === "") return null;
  const aliases: Record<string, string> = {};
  for (const pair of encoded.split("|")) {
    const separator = pair.indexOf("=");
    if (separator <= 0 || separator === pair.length - 1) {
      throw new Error(`engine.wasm: malformed choice alias "${pair}" of ${owner}`);
    }
    aliases[pair.slice(0, separator)] = pair.slice(separator + 1);
  }
  return aliases;
}

/**
 * "Name:id=value,...|..." (ProcessorType::presets) as presets, each value checked against the
 * type's parameter table: an unknown id, a value out of range or an unknown choice label is an
 * error in the engine's table, reported when the table is read (and by the tests) rather than
 * when a graph uses the preset.
 */
function parsePresets(encoded: string, kind: string, params: ProcessorParamInfo[]): ProcessorPreset[] {
  if (encoded === "") return [];
  return encoded.split("|").map((entry) => {
    const colon = entry.indexOf(":");
    const name = colon > 0 ? entry.slice(0, colon) : "";
    if (name === "") throw new Error(`engine.wasm: malformed preset "${entry}" of ${kind}`);
    const values: Record<string, number> = {};
    const body = entry.slice(colon + 1);
    for (const pair of body === "" ? [] : body.split(",")) {
      const [id = "", text = ""] = pair.split("=");
      const param = params.find((p) => p.id === id);
      const owner = `${kind} preset "${name}"`;
      if (!param) throw new Error(`engine.wasm: ${owner} sets unknown parameter "${id}"`);
      const choice = param.choices?.indexOf(text) ?? -1;
      const value = choice >= 0 ? choice : text.trim() === "" ? Number.NaN : Number(text);
      if (!(value >= param.min && value <= param.max) || (param.discrete && !Number.isInteger(value))) {
        throw new Error(`engine.wasm: ${owner} sets ${id} to "${text}", outside its range`);
      }
      values[id] = value;
    }
    return { name, params: values };
  });
}

function readParam(
  exports: ProcessorTableExports,
  type: number,
  param: number,
  kind: string,
): ProcessorParamInfo {
  const base = exports.wd_type_param(type, param);
  const view = new DataView(exports.memory.buffer);
  const str = (offset: number) => readCString(exports.memory, view.getUint32(base + offset, true));
  const id = str(PARAM_SPEC_LAYOUT.id);
  const choices = str(PARAM_SPEC_LAYOUT.choices);
  return {
    id,
    name: str(PARAM_SPEC_LAYOUT.name),
    units: str(PARAM_SPEC_LAYOUT.units),
    min: view.getFloat32(base + PARAM_SPEC_LAYOUT.min, true),
    max: view.getFloat32(base + PARAM_SPEC_LAYOUT.max, true),
    default: view.getFloat32(base + PARAM_SPEC_LAYOUT.default, true),
    discrete: view.getUint8(base + PARAM_SPEC_LAYOUT.discrete) !== 0,
    choices: choices ? choices.split("|") : null,
    choiceAliases: parseChoiceAliases(str(PARAM_SPEC_LAYOUT.choiceAliases), `${kind}.${id}`),
  };
}

/**
 * Reads the processor type table compiled into engine.wasm: the builtin node types, or with
 * `includeInternal` also the types the engine uses for itself (the latency compensation delay the
 * graph compiler inserts, latency-compensation.ts), which no graph names and no catalog lists.
 * @example
 * import { instantiateEngine } from "./engine-module";
 * readProcessorTypes(instantiateEngine(module)).find((t) => t.kind === "sampler")?.bufferSlots;
 * // [["data", "sample"]]
 */
export function readProcessorTypes(
  exports: ProcessorTableExports,
  includeInternal = false,
): ProcessorTypeInfo[] {
  const types: ProcessorTypeInfo[] = [];
  for (let t = 0; t < exports.wd_type_count(); t++) {
    if (!includeInternal && exports.wd_type_internal(t) !== 0) continue;
    const kind = readCString(exports.memory, exports.wd_type_kind(t));
    const params: ProcessorParamInfo[] = [];
    for (let p = 0; p < exports.wd_type_param_count(t); p++) params.push(readParam(exports, t, p, kind));
    types.push({
      index: t,
      kind,
      name: readCString(exports.memory, exports.wd_type_name(t)),
      maxInputs: exports.wd_type_max_inputs(t),
      params,
      instrument: exports.wd_type_instrument(t) !== 0,
      bufferSlots: parseBufferSlots(readCString(exports.memory, exports.wd_type_buffer_slots(t))),
      presets: parsePresets(readCString(exports.memory, exports.wd_type_presets(t)), kind, params),
    });
  }
  return types;
}
