/**
 * The instrument picker's "Faust synth (code)": an instrument track whose instrument is a polyphonic
 * Faust DSP, a short sine-and-saw poly synth whose notes set `freq`, `gate` and `gain` (docs/processors.md,
 * "Faust instruments: polyphony options"). The instrument carries its code and its voice count in
 * `extensions.faust` as a rack's Faust device does (docs/projects.md), so the live engine, the Worker
 * export and a Node render of the saved project each compile it from the project alone.
 */
import type { ProjectCommand } from "../project/project-commands";
import type { Device, Project } from "../project/project-schema";

/** The picker's value for the Faust synth: not a node id discovery lists, a recipe compiled on add. */
export const FAUST_SYNTH_CHOICE = "faust-synth-code";

/** The picker's label for it. */
export const FAUST_SYNTH_LABEL = "Faust synth (code)";

/** Voices of a new Faust synth: a ninth note steals the oldest released voice, else the oldest one. */
export const FAUST_SYNTH_VOICES = 8;

/**
 * A new Faust synth's code: a sine with a quieter saw an octave up, under a short attack-release
 * envelope. `freq`, `gate` and `gain` are the controls MIDI notes set on each voice.
 */
export const DEFAULT_FAUST_SYNTH_CODE = `import("stdfaust.lib");
freq = hslider("freq", 440, 20, 20000, 0.01);
gain = hslider("gain", 0.5, 0, 1, 0.01);
gate = button("gate");
process = (os.osc(freq) + 0.2 * os.sawtooth(2 * freq)) * 0.5 * gain * en.asr(0.005, 1, 0.1, gate);
`;

/** The voices a Faust device's code compiles with (`extensions.faust.voices`), or undefined (mono). */
export function faustVoicesOf(device: Device): number | undefined {
  const faust = device.extensions?.faust as { voices?: unknown } | undefined;
  return typeof faust?.voices === "number" ? faust.voices : undefined;
}

/**
 * `instrument` in place of instrument track `trackId`'s instrument, as one undo step labelled `label`
 * (set_instrument: the track keeps its clips, mixer, sends, devices and id).
 * @example
 * const synth = { id: "faust-synth-instrument", node_id: "faust:0123456789abcdef", params: {}, buffers: {} };
 * replaceInstrumentCommand(project, "faust-synth", synth, "Edit Faust code");
 */
export function replaceInstrumentCommand(
  project: Project,
  trackId: string,
  instrument: Device,
  label: string,
): ProjectCommand {
  const track = project.tracks.find((candidate) => candidate.id === trackId);
  if (track?.kind !== "instrument") throw new Error(`"${trackId}" is not an instrument track`);
  return { type: "batch", label, commands: [{ type: "set_instrument", track_id: trackId, instrument }] };
}
