/**
 * What the Instrument picker offers and the instrument device each choice becomes (pure but for the
 * compile and the fetch it is handed; unit-tested). The picker lists, from one discovery:
 *
 * - builtin instruments (builtin:synth first: the one that sounds without a sample loaded, then by name);
 * - Faust DSPs discovery lists that are instruments: declared so (`declare isInstrument "true";`, or
 *   compiled with voices), or with the `freq` and `gate` controls a note sets (docs/processors.md,
 *   "Faust instruments: polyphony options"). A new track compiles the DSP's file with the voices asked
 *   for, and the instrument carries its code and voices in `extensions.faust`, so the live engine, the
 *   Worker's export and a Node render of the saved project each compile it from the project alone;
 * - WAM instruments (`is_instrument`: the descriptor says so, or MIDI in and no audio in), which keep
 *   their module URL in `extensions.wam.module_url` as a rack's WAM device does (browser hosts only);
 * - last, "Faust synth (code)": the studio's own poly synth, written in place (faust-instrument.ts).
 */
import type { FaustCompiling } from "../api/engine-client";
import type { NodeDescriptor } from "../contracts/node-descriptor";
import type { Device } from "../project/project-schema";
import {
  DEFAULT_FAUST_SYNTH_CODE,
  FAUST_SYNTH_CHOICE,
  FAUST_SYNTH_LABEL,
  FAUST_SYNTH_VOICES,
} from "./faust-instrument";

export type InstrumentKind = "builtin" | "faust" | "wam" | "faust-code";

export interface InstrumentChoice {
  /** The picker's value: the node id discovery lists, or FAUST_SYNTH_CHOICE. */
  value: string;
  label: string;
  kind: InstrumentKind;
  /** Discovery's descriptor (none for the Faust synth written in place). */
  descriptor?: NodeDescriptor;
}

/** Voices a polyphonic Faust instrument may have (the Faust node's own limit is 256). */
export const MIN_VOICES = 1;
export const MAX_VOICES = 64;

/** The voice controls a Faust note sets end a parameter's address ("/Pluck/freq"). */
const endsWith = (node: NodeDescriptor, control: string) =>
  (node.parameters ?? []).some(
    (parameter) => parameter.id === control || parameter.id.endsWith(`/${control}`),
  );

/** Whether a discovered node plays notes (see the module's comment for the Faust rule). */
export function isInstrumentNode(node: NodeDescriptor): boolean {
  if (node.extensions.is_instrument === true) return true;
  return node.format === "faust" && endsWith(node, "freq") && endsWith(node, "gate");
}

const FORMAT_ORDER: Record<string, number> = { builtin: 0, faust: 1, wam: 2 };
const rank = (node: NodeDescriptor) => (node.node_id === "builtin:synth" ? 0 : 1);

/**
 * The picker's choices from a discovery's nodes: builtin (the synth first), Faust, WAM, each by name,
 * then the Faust synth written in place. A Faust DSP compiled with voices (a track's instrument that
 * discovery lists since it was compiled) is left out: its file's mono entry is the one to pick.
 * @example
 * instrumentChoices((await engine.discoverNodes()).nodes)[0]?.value; // "builtin:synth"
 */
export function instrumentChoices(nodes: readonly NodeDescriptor[]): InstrumentChoice[] {
  const listed = nodes
    .filter((node) => node.format in FORMAT_ORDER && isInstrumentNode(node))
    .filter((node) => node.format !== "faust" || typeof node.extensions.module_url === "string")
    .sort(
      (a, b) =>
        (FORMAT_ORDER[a.format] ?? 9) - (FORMAT_ORDER[b.format] ?? 9) ||
        rank(a) - rank(b) ||
        a.name.localeCompare(b.name),
    );
  return [
    ...listed.map((node) => ({
      value: node.node_id,
      label:
        node.format === "builtin" ? node.name : `${node.name} (${node.format === "wam" ? "WAM" : "Faust"})`,
      kind: node.format as "builtin" | "faust" | "wam",
      descriptor: node,
    })),
    { value: FAUST_SYNTH_CHOICE, label: FAUST_SYNTH_LABEL, kind: "faust-code" },
  ];
}

/** Whether a choice is compiled with a voice count (the picker's Voices field applies). */
export function takesVoices(choice: InstrumentChoice | undefined): boolean {
  return choice?.kind === "faust" || choice?.kind === "faust-code";
}

/**
 * The voice count typed in the Voices field, checked: a whole number from MIN_VOICES to MAX_VOICES.
 * @example
 * parseVoices("8"); // 8
 * parseVoices("0"); // throws: Voices must be a whole number from 1 to 64, not "0"
 */
export function parseVoices(text: string): number {
  const voices = Number(text);
  if (!Number.isInteger(voices) || voices < MIN_VOICES || voices > MAX_VOICES || text.trim() === "") {
    throw new Error(`Voices must be a whole number from ${MIN_VOICES} to ${MAX_VOICES}, not "${text}"`);
  }
  return voices;
}

export interface InstrumentSources {
  /** Compiles Faust code (the Worker engine). */
  compiler(): Promise<Pick<FaustCompiling, "compileFaust">>;
  /** Reads a Faust DSP's file (its descriptor's `extensions.module_url`). */
  fetchText(url: string): Promise<string>;
}

/**
 * The instrument device `id` of a new track playing `choice` (`voices` for a Faust one): a builtin by
 * its node id, a WAM with its module URL, a Faust DSP compiled from its file (the Faust synth from
 * `code`) with `voices`. A Faust
 * compile error or a file that cannot be read rejects, naming it.
 * @example
 * const [choice] = instrumentChoices(await offline.nodes());
 * const sources = { compiler: () => offline.client(48000), fetchText: (url: string) => fetch(url).then((r) => r.text()) };
 * if (choice) await instrumentDevice(choice, "synth-instrument", 8, sources);
 */
export async function instrumentDevice(
  choice: InstrumentChoice,
  id: string,
  voices: number,
  sources: InstrumentSources,
  /** The code of the Faust synth written in place (default: DEFAULT_FAUST_SYNTH_CODE). */
  code: string = DEFAULT_FAUST_SYNTH_CODE,
): Promise<Device> {
  if (choice.kind === "builtin") return { id, node_id: choice.value, params: {}, buffers: {} };
  if (choice.kind === "wam") {
    const moduleUrl = choice.descriptor?.extensions.module_url;
    if (typeof moduleUrl !== "string") throw new Error(`The WAM "${choice.label}" has no module URL`);
    return {
      id,
      node_id: choice.value,
      params: {},
      buffers: {},
      extensions: { wam: { module_url: moduleUrl } },
    };
  }
  let source = code;
  if (choice.kind === "faust") {
    const url = choice.descriptor?.extensions.module_url;
    if (typeof url !== "string") throw new Error(`The Faust DSP "${choice.label}" has no file to read`);
    source = await sources.fetchText(url);
  }
  const compiled = await (await sources.compiler()).compileFaust(source, { voices });
  return {
    id,
    node_id: compiled.node_id,
    params: {},
    buffers: {},
    extensions: { faust: { source, voices } },
  };
}

/** The voices a new Faust instrument gets unless the Voices field says otherwise. */
export const DEFAULT_VOICES = FAUST_SYNTH_VOICES;
