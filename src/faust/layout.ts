/**
 * The host's view of a compiled Faust DSP, from libfaust's JSON: where each control lives in the DSP
 * struct (its zone, a byte offset), which engine parameter drives it, which controls MIDI reaches, the
 * meters and the soundfiles. No dependencies, so it loads in an AudioWorklet with faust-node.ts.
 *
 * Mapping of the JSON UI (groups are walked, their labels are already part of each address):
 * - hslider, vslider, nentry: a parameter, id = address, range [min, max], default init; discrete
 *   (the engine rounds it) when step, min, max and init are all integers;
 * - a `[style:menu{...}]` or `[style:radio{...}]` slider or nentry: a choice; the parameter's value is
 *   the label's index, the DSP receives the value the label declares (which need not be 0..n-1);
 * - checkbox, button: 0 or 1;
 * - hbargraph, vbargraph: a read-only meter, not a parameter;
 * - soundfile: buffer slots "<label>" (part 0) and "<label>#<k>" (part k).
 *
 * Polyphony: the voice controls whose address ends in /freq, /gate, /gain, /key, /vel or /velocity are
 * played by the voice allocator and are not parameters. Every other voice control is one parameter
 * for all voices (grouped, the default), or one per voice, "/V1<address>" ... "/V<n><address>"
 * (ungrouped). Controls of the `effect` keep their own addresses.
 */
import type { ParameterDescriptorInput } from "../contracts/node-descriptor";

/** The parts of libfaust's JSON description the host and the descriptor read. */
export interface FaustJson {
  name: string;
  compile_options: string;
  /** Size of the DSP struct in bytes. */
  size: number;
  inputs: number;
  outputs: number;
  meta: Record<string, string>[];
  ui: FaustUiItem[];
}

export type FaustUiItem =
  | { type: "vgroup" | "hgroup" | "tgroup"; label: string; items: FaustUiItem[] }
  | {
      type:
        | "hslider"
        | "vslider"
        | "nentry"
        | "button"
        | "checkbox"
        | "hbargraph"
        | "vbargraph"
        | "soundfile";
      label: string;
      address: string;
      /** Byte offset of the control's zone in the DSP struct. */
      index: number;
      init?: number;
      min?: number;
      max?: number;
      step?: number;
      url?: string;
      meta?: Record<string, string>[];
    };

export type FaustUiControl = Exclude<FaustUiItem, { items: FaustUiItem[] }>;

/** Which struct a binding writes: the mono DSP, every voice, the effect, or one voice (index >= 0). */
export const TARGET_ALL = -1;
export const TARGET_EFFECT = -2;

/** One engine parameter (its index is its position in FaustLayout.params). */
export interface FaustParamBinding {
  id: string;
  /** Byte offset of the zone in its struct. */
  zone: number;
  /** TARGET_ALL, TARGET_EFFECT or a voice index. */
  target: number;
  min: number;
  max: number;
  default: number;
  /** The engine rounds the value to an integer. */
  discrete: boolean;
  /** Choice parameters: the value the DSP receives for each choice index. */
  values: number[] | null;
}

/** A control a MIDI message sets, as faustwasm's `[midi:...]` handling does. */
export interface FaustMidiBinding {
  kind: "ctrl" | "pitchwheel" | "key" | "keyon" | "keyoff";
  /** Controller number (ctrl) or note (key, keyon, keyoff); 0 for pitchwheel. */
  number: number;
  /** MIDI channel 1..16, or 0 for any. */
  channel: number;
  zone: number;
  target: number;
  min: number;
  max: number;
}

export interface FaustMeterBinding {
  id: string;
  zone: number;
  target: number;
}

export interface FaustSoundfileBinding {
  label: string;
  /** Byte offset of the Soundfile* pointer in the struct. */
  zone: number;
  target: number;
  /** Part names declared in the DSP's `url:{...}` metadata (at least one). */
  parts: string[];
}

/** Everything the host needs to run a compiled DSP, beside its WebAssembly modules. */
export interface FaustLayout {
  /** 0: mono. */
  voices: number;
  /** Poly: seconds a released voice keeps computing before it may be freed (0: as soon as it is quiet). */
  releaseSeconds: number;
  /** Poly: compute only the voices playing a note (true), or every voice in every block. */
  dynamicVoices: boolean;
  /** 4 (float) or 8 (-double). */
  sampleSize: 4 | 8;
  numInputs: number;
  numOutputs: number;
  /** Struct sizes in bytes (a voice's, for a polyphonic DSP). */
  dspSize: number;
  effectSize: number;
  params: FaustParamBinding[];
  midi: FaustMidiBinding[];
  meters: FaustMeterBinding[];
  soundfiles: FaustSoundfileBinding[];
  /** Poly: zones of the controls the voice allocator plays. */
  voiceControls: { freq: number[]; gate: number[]; gain: number[]; key: number[]; vel: number[] };
}

/** Address suffixes of the controls a voice allocator plays (faustwasm, DawDreamer). */
const VOICE_CONTROLS = ["freq", "gate", "gain", "key", "vel", "velocity"] as const;

function voiceControl(address: string): (typeof VOICE_CONTROLS)[number] | null {
  return VOICE_CONTROLS.find((suffix) => address.endsWith(`/${suffix}`)) ?? null;
}

/**
 * Every control of a JSON UI, groups flattened, in UI order. Groups nest as deep as the DSP source
 * nests them, so they are walked with a stack of pending lists instead of recursion.
 */
export function controls(items: readonly FaustUiItem[]): FaustUiControl[] {
  const found: FaustUiControl[] = [];
  const pending: { items: readonly FaustUiItem[]; next: number }[] = [{ items, next: 0 }];
  while (pending.length > 0) {
    const top = pending[pending.length - 1] as (typeof pending)[number];
    const item = top.items[top.next++];
    if (item === undefined) pending.pop();
    else if ("items" in item) pending.push({ items: item.items, next: 0 });
    else found.push(item);
  }
  return found;
}

/** A control's metadata value for `key`. */
export function metaValue(item: FaustUiControl, key: string): string | undefined {
  for (const entry of item.meta ?? []) {
    const value = entry[key];
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * The labels and values of a `menu{...}` or `radio{...}` style. libfaust writes the single quotes
 * around labels as "-" in its JSON (`menu{-sine-:0;-saw-:1}`), so either quote is stripped.
 * @example
 * parseChoiceStyle("menu{-sine-:0;-saw-:1}"); // { labels: ["sine", "saw"], values: [0, 1] }
 */
export function parseChoiceStyle(style: string | undefined): { labels: string[]; values: number[] } | null {
  const match = style === undefined ? null : /^\s*(?:menu|radio)\s*\{(.*)\}\s*$/s.exec(style);
  if (!match) return null;
  const labels: string[] = [];
  const values: number[] = [];
  for (const entry of (match[1] as string).split(";")) {
    const colon = entry.lastIndexOf(":");
    if (colon < 0) continue;
    let label = entry.slice(0, colon).trim();
    if (label.length >= 2 && /^['-]/.test(label) && label.endsWith(label[0] as string))
      label = label.slice(1, -1);
    const value = Number(entry.slice(colon + 1));
    if (!Number.isFinite(value)) continue;
    labels.push(label);
    values.push(value);
  }
  return labels.length > 0 ? { labels, values } : null;
}

/**
 * The part names of a soundfile's url metadata, as faustwasm splits them: `{-a.wav-;-b.wav-}` holds
 * "a.wav" and "b.wav". A soundfile without url metadata has its label as its one part.
 */
export function soundfileParts(url: string | undefined, label: string): string[] {
  const parts = (url ?? "")
    .replace(/^\{|\}$/g, "")
    .split(";")
    .map((part) => (part.length <= 2 ? "" : part.slice(1, -1)).trim())
    .filter((part) => part.length > 0);
  return parts.length > 0 ? parts : [label];
}

/** The buffer slot names of a soundfile: "<label>" for part 0, "<label>#<k>" for part k. */
export function soundfileSlotNames(binding: FaustSoundfileBinding): string[] {
  return binding.parts.map((_, part) => (part === 0 ? binding.label : `${binding.label}#${part}`));
}

/** Largest number of parts a Faust soundfile holds (faustwasm's Soundfile.MAX_SOUNDFILE_PARTS). */
export const MAX_SOUNDFILE_PARTS = 256;

/**
 * The soundfile and part a buffer slot name addresses ("label", "label#k"), or null.
 * @example
 * soundfileSlot(layout, "mySample#2"); // { binding, part: 2 }
 */
export function soundfileSlot(
  layout: FaustLayout,
  slot: string,
): { binding: FaustSoundfileBinding; part: number } | null {
  const match = /^(.*?)(?:#(0|[1-9][0-9]*))?$/s.exec(slot);
  const binding = layout.soundfiles.find((candidate) => candidate.label === match?.[1]);
  const part = match?.[2] === undefined ? 0 : Number(match[2]);
  return binding === undefined || part >= MAX_SOUNDFILE_PARTS ? null : { binding, part };
}

/** One input control as a parameter: its engine binding (without target) and its descriptor. */
export interface ParameterShape {
  binding: Omit<FaustParamBinding, "id" | "target">;
  descriptor: Omit<ParameterDescriptorInput, "id">;
}

/** One input control as an engine binding and a ParameterDescriptor. */
export function parameterShape(item: FaustUiControl): ParameterShape {
  const extensions: Record<string, unknown> = {};
  const units = metaValue(item, "unit");
  if (units !== undefined) extensions.units = units;
  const hidden = metaValue(item, "hidden");
  if (hidden !== undefined && hidden !== "0") extensions.hidden = true;
  const tooltip = metaValue(item, "tooltip");
  if (tooltip !== undefined) extensions.description = tooltip;
  const midi = metaValue(item, "midi");
  if (midi !== undefined) extensions.midi = midi.trim();

  if (item.type === "button" || item.type === "checkbox") {
    extensions.type = "boolean";
    if (item.type === "button") extensions.momentary = true;
    return {
      binding: { zone: item.index, min: 0, max: 1, default: 0, discrete: true, values: null },
      descriptor: { name: item.label, default: 0, range: [0, 1], extensions },
    };
  }
  const init = item.init ?? 0;
  const choice = parseChoiceStyle(metaValue(item, "style"));
  if (choice !== null) {
    extensions.type = "choice";
    extensions.choices = choice.labels;
    let initial = choice.values.indexOf(init);
    if (initial < 0) initial = nearestIndex(choice.values, init);
    const last = choice.labels.length - 1;
    return {
      binding: {
        zone: item.index,
        min: 0,
        max: last,
        default: initial,
        discrete: true,
        values: choice.values,
      },
      // A one-label menu still needs min < max: the second value repeats the first.
      descriptor: {
        name: item.label,
        default: initial,
        range: [0, Math.max(last, 1)],
        extensions:
          last === 0 ? { ...extensions, choices: [choice.labels[0], choice.labels[0]] } : extensions,
      },
    };
  }
  const min = item.min ?? 0;
  let max = item.max ?? 1;
  const step = item.step ?? 0;
  if (!(max > min)) max = min + (step > 0 ? step : 1);
  const isInt = [step, min, max, init].every(Number.isInteger) && step >= 1;
  extensions.type = isInt ? "int" : "float";
  extensions.discrete_step = isInt ? step : 0;
  const scale = metaValue(item, "scale");
  if (scale === "log" || scale === "exp") extensions.scale = scale;
  const value = Math.min(max, Math.max(min, init));
  return {
    binding: { zone: item.index, min, max, default: value, discrete: isInt, values: null },
    descriptor: { name: item.label, default: value, range: [min, max], extensions },
  };
}

function nearestIndex(values: readonly number[], target: number): number {
  let best = 0;
  values.forEach((value, index) => {
    if (Math.abs(value - target) < Math.abs((values[best] as number) - target)) best = index;
  });
  return best;
}

const MIDI_PATTERNS: [FaustMidiBinding["kind"], RegExp][] = [
  ["ctrl", /^ctrl\s+(\d+)(?:\s+(\d+))?$/],
  ["pitchwheel", /^pitchwheel(?:\s+(\d+))?$/],
  ["keyon", /^keyon\s+(\d+)(?:\s+(\d+))?$/],
  ["keyoff", /^keyoff\s+(\d+)(?:\s+(\d+))?$/],
  ["key", /^key\s+(\d+)(?:\s+(\d+))?$/],
];

function midiBinding(item: FaustUiControl, target: number): FaustMidiBinding | null {
  const text = metaValue(item, "midi")?.trim();
  if (text === undefined) return null;
  for (const [kind, pattern] of MIDI_PATTERNS) {
    const match = pattern.exec(text);
    if (!match) continue;
    const [number, channel] =
      kind === "pitchwheel" ? [0, Number(match[1] ?? 0)] : [Number(match[1]), Number(match[2] ?? 0)];
    const isButton = item.type === "button" || item.type === "checkbox";
    return {
      kind,
      number,
      channel,
      zone: item.index,
      target,
      min: isButton ? 0 : (item.min ?? 0),
      max: isButton ? 1 : (item.max ?? 1),
    };
  }
  return null;
}

/** A control path used by both `process` and `effect`: they are separate structs, so it is an error. */
export class FaustSharedControlError extends Error {
  constructor(readonly address: string) {
    super(`the control "${address}" appears in both process and effect; give one of them another label`);
    this.name = "FaustSharedControlError";
  }
}

/**
 * The host's view of a compiled DSP. `dsp` is the mono DSP or the poly voice; `effect` the poly
 * effect or null.
 * @example
 * const layout = buildFaustLayout(JSON.parse(factory.json), null, { voices: 0, groupVoices: true });
 * layout.params.map((p) => p.id); // ["/gain/gain"]
 */
export function buildFaustLayout(
  dsp: FaustJson,
  effect: FaustJson | null,
  options: { voices: number; groupVoices: boolean; releaseLength?: number; dynamicVoices?: boolean },
): FaustLayout {
  const poly = options.voices > 0;
  const layout: FaustLayout = {
    voices: options.voices,
    releaseSeconds: options.releaseLength ?? 0,
    dynamicVoices: options.dynamicVoices ?? true,
    sampleSize: /(^|\s)-double(\s|$)/.test(dsp.compile_options) ? 8 : 4,
    numInputs: dsp.inputs,
    numOutputs: dsp.outputs,
    dspSize: dsp.size,
    effectSize: effect?.size ?? 0,
    params: [],
    midi: [],
    meters: [],
    soundfiles: [],
    voiceControls: { freq: [], gate: [], gain: [], key: [], vel: [] },
  };
  const voiceAddresses = new Set<string>();
  const walk = (json: FaustJson, isEffect: boolean) => {
    const target = isEffect ? TARGET_EFFECT : TARGET_ALL;
    for (const item of controls(json.ui)) {
      if (!isEffect) voiceAddresses.add(item.address);
      else if (voiceAddresses.has(item.address)) throw new FaustSharedControlError(item.address);
      switch (item.type) {
        case "hbargraph":
        case "vbargraph":
          layout.meters.push({ id: item.address, zone: item.index, target });
          continue;
        case "soundfile":
          layout.soundfiles.push({
            label: item.label,
            zone: item.index,
            target,
            parts: soundfileParts(item.url, item.label),
          });
          continue;
      }
      const midi = midiBinding(item, target);
      if (midi !== null) layout.midi.push(midi);
      const played = poly && !isEffect ? voiceControl(item.address) : null;
      if (played !== null) {
        layout.voiceControls[played === "velocity" ? "vel" : played].push(item.index);
        // Voices that always compute may be played through their own controls, as DawDreamer's
        // dynamic_voices=False: freq, gate and gain are parameters too (notes still set them).
        if (layout.dynamicVoices) continue;
      }
      const { binding } = parameterShape(item);
      if (poly && !isEffect && !options.groupVoices) {
        for (let voice = 0; voice < options.voices; voice++) {
          layout.params.push({ ...binding, id: voiceParameterId(voice, item.address), target: voice });
        }
      } else {
        layout.params.push({ ...binding, id: item.address, target });
      }
    }
  };
  walk(dsp, false);
  if (effect !== null) walk(effect, true);
  return layout;
}

/** The id of a voice's own parameter when voices are not grouped: "/V1/organ/cutoff". */
export function voiceParameterId(voice: number, address: string): string {
  return `/V${voice + 1}${address}`;
}
