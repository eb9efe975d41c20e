/**
 * Standard MIDI File import: notes, control changes and pitch bends as v1alpha MidiEvents, on every
 * channel 1..16, parsed with @tonejs/midi.
 *
 * Two timelines, as DawDreamer's `load_midi(beats=...)`:
 * - "seconds" places events with the file's own tempo map (DawDreamer's beats=False): the graph's
 *   tempo has no effect on them;
 * - "beats" places events at ticks / ticks-per-quarter (DawDreamer's beats=True): the graph's tempo
 *   map drives their timing and the file's tempo events are ignored.
 *
 * What is not imported: program changes, aftertouch, system exclusive and meta events other than tempo;
 * note-off velocities; notes with no note-off or zero length (they would sound for no time). Before
 * the file's first tempo event the tempo is the SMF default of 120 bpm.
 */
import { readFile } from "node:fs/promises";
import * as tonejsMidi from "@tonejs/midi";
import * as z from "zod";
import type { MidiEvent } from "../contracts/graph-descriptor";
import { checkLimit } from "../contracts/limits";
import { parseContract } from "../contracts/validate";
import { SmfStructureError, type SplitTrack, smfTrackLayout } from "./smf-track-layout";

// @tonejs/midi is CommonJS for Node: there its exports arrive under `default`; bundlers expose them directly.
const { Midi } = (tonejsMidi as { default?: typeof tonejsMidi }).default ?? tonejsMidi;
type ParsedMidi = InstanceType<typeof Midi>;
type ParsedTrack = ParsedMidi["tracks"][number];

const MidiImportOptionsSchema = z.strictObject({
  timeline: z.enum(["seconds", "beats"]),
  tracks: z.array(z.int().min(0)).optional(),
  channels: z.array(z.int().min(1).max(16)).optional(),
  source: z.string().optional(),
});

export interface MidiImportOptions {
  /** "seconds": the file's tempo map places events. "beats": ticks / PPQ, so the graph's tempo does. */
  timeline: "seconds" | "beats";
  /** Keep only these tracks: indices of the file's MTrk chunks, 0-based in file order. Default: all. */
  tracks?: number[];
  /** Keep only these MIDI channels, 1..16. Default: all. */
  channels?: number[];
  /** Names the data in error messages, e.g. its file path. Default "MIDI file". */
  source?: string;
}

/** A file that is not a Standard MIDI File this module can import. */
export class MidiFileError extends Error {
  override readonly name = "MidiFileError";
  /**
   * @example
   * new MidiFileError("song.mid", "truncated").message; // "song.mid: truncated"
   */
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

/** Orders events that share a tick: controllers and bends first, so a note starts with them applied. */
const TYPE_ORDER: Record<MidiEvent["type"], number> = { cc: 0, pitch_bend: 1, note: 2 };

interface TickedEvent {
  ticks: number;
  event: MidiEvent;
}

/**
 * Converts a Standard MIDI File to v1alpha MidiEvents, sorted by time (for one node's `midi`).
 * Throws EngineError E_SCHEMA for bad options, E_LIMIT for more events than a graph may hold
 * (graphEvents), MidiFileError for a file it cannot read.
 * @example
 * const midi = importMidiFile(await readFile("song.mid"), { timeline: "beats", channels: [10] });
 * graph.nodes.push({ name: "drums", node_id: "builtin:sampler", midi });
 */
export function importMidiFile(bytes: Uint8Array | ArrayBuffer, options: MidiImportOptions): MidiEvent[] {
  const checked = parseContract(MidiImportOptionsSchema, options, "options");
  const source = checked.source ?? "MIDI file";
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const { midi, tracks, ticksPerQuarter } = parse(data, source);

  const keepTrack =
    checked.tracks === undefined ? () => true : (index: number) => checked.tracks?.includes(index);
  const keepChannel =
    checked.channels === undefined ? () => true : (channel: number) => checked.channels?.includes(channel);
  const collected: TickedEvent[] = [];
  midi.tracks.forEach((track, index) => {
    const origin = tracks[index] as SplitTrack;
    const channel = (origin.channel ?? 0) + 1;
    // Appended in place: one track may hold more events than a spread call's arguments may.
    if (keepTrack(origin.source) && keepChannel(channel)) appendTrackEvents(track, channel, collected);
  });
  // One node cannot hold more than a whole graph may: refuse before converting them all.
  checkLimit("graphEvents", collected.length, "", `imported from ${source}`);
  collected.sort(
    (a, b) =>
      a.ticks - b.ticks ||
      TYPE_ORDER[a.event.type] - TYPE_ORDER[b.event.type] ||
      a.event.channel - b.event.channel,
  );

  const toTime =
    checked.timeline === "beats"
      ? (ticks: number) => ticks / ticksPerQuarter
      : secondsOnTempoMap(midi.header.tempos, ticksPerQuarter);
  return collected.flatMap(({ ticks, event }): MidiEvent[] => {
    const time = toTime(ticks);
    if (event.type !== "note") return [{ ...event, timeline: checked.timeline, time }];
    // A note shorter than the rounding of its time in seconds sounds for no time: left out as a
    // zero-length note is (a tick at 1 us per quarter note, days into a file, rounds to 0 s).
    const duration = toTime(ticks + event.duration) - time;
    return duration > 0 ? [{ ...event, timeline: checked.timeline, time, duration }] : [];
  });
}

/**
 * Reads a Standard MIDI File from disk and imports it; errors name the file.
 * @example
 * const midi = await readMidiFile("song.mid", { timeline: "seconds" });
 */
export async function readMidiFile(
  path: string,
  options: Omit<MidiImportOptions, "source">,
): Promise<MidiEvent[]> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new MidiFileError(path, `cannot read: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`);
  }
  return importMidiFile(bytes, { ...options, source: path });
}

function parse(data: Uint8Array, source: string) {
  let layout: ReturnType<typeof smfTrackLayout>;
  let midi: ParsedMidi;
  try {
    layout = smfTrackLayout(data);
    midi = new Midi(readableByParser(data, layout.longTextTypeOffsets));
  } catch (cause) {
    // midi-file, inside @tonejs/midi, throws plain strings.
    const text =
      cause instanceof SmfStructureError ? cause.message : `corrupt MIDI file: ${errorText(cause)}`;
    throw new MidiFileError(source, text);
  }
  const { ticksPerQuarter } = layout;
  if (ticksPerQuarter === null || ticksPerQuarter === 0) {
    throw new MidiFileError(
      source,
      "uses SMPTE time division (frames per second), which has no beats; only ticks-per-quarter files are supported",
    );
  }
  // @tonejs/midi drops a format-1 file's first track when it has no notes (the tempo track, usually).
  const tracks = layout.tracks.length === midi.tracks.length + 1 ? layout.tracks.slice(1) : layout.tracks;
  const consistent =
    tracks.length === midi.tracks.length &&
    midi.tracks.every((track, index) => track.notes.length === 0 || track.channel === tracks[index]?.channel);
  if (!consistent) {
    throw new MidiFileError(source, "internal error: the track layout disagrees with @tonejs/midi's parse");
  }
  return { midi, tracks, ticksPerQuarter };
}

/**
 * The file as @tonejs/midi's parser can read it: a long text event (lyrics, a marker: never imported)
 * becomes a sequencer-specific event of the same length, which the parser keeps as bytes instead of
 * building a string with one call argument per byte.
 */
function readableByParser(data: Uint8Array, longTextTypeOffsets: readonly number[]): Uint8Array {
  if (longTextTypeOffsets.length === 0) return data;
  const copy = data.slice();
  for (const offset of longTextTypeOffsets) copy[offset] = SEQUENCER_SPECIFIC;
  return copy;
}

const SEQUENCER_SPECIFIC = 0x7f;

/** Appends a track's events, with note durations still in ticks (converted once the timeline is known). */
function appendTrackEvents(track: ParsedTrack, channel: number, events: TickedEvent[]): void {
  for (const note of track.notes) {
    if (note.durationTicks <= 0) continue;
    events.push({
      ticks: note.ticks,
      event: {
        type: "note",
        timeline: "seconds",
        time: 0,
        duration: note.durationTicks,
        note: note.midi,
        // @tonejs/midi scales 7-bit values to 0..1; undo it exactly.
        velocity: Math.round(note.velocity * 127),
        channel,
      },
    });
  }
  for (const changes of Object.values(track.controlChanges)) {
    for (const change of changes) {
      events.push({
        ticks: change.ticks,
        event: {
          type: "cc",
          timeline: "seconds",
          time: 0,
          controller: change.number,
          value: Math.round(change.value * 127),
          channel,
        },
      });
    }
  }
  for (const bend of track.pitchBends) {
    events.push({
      ticks: bend.ticks,
      // @tonejs/midi divides the signed 14-bit bend by 2^13.
      event: {
        type: "pitch_bend",
        timeline: "seconds",
        time: 0,
        value: Math.round(bend.value * 8192),
        channel,
      },
    });
  }
}

/**
 * Seconds at a tick on the file's tempo map, integrated from tick 0 (120 bpm until the first tempo
 * event, the SMF default). @tonejs/midi's own ticksToSeconds measures the time before the first tempo
 * event at that event's tempo instead, which misplaces everything after it.
 */
function secondsOnTempoMap(
  tempos: readonly { ticks: number; bpm: number }[],
  ticksPerQuarter: number,
): (ticks: number) => number {
  const segments = [{ ticks: 0, bpm: 120, seconds: 0 }];
  for (const tempo of [...tempos].sort((a, b) => a.ticks - b.ticks)) {
    const last = segments[segments.length - 1] as (typeof segments)[number];
    const seconds = last.seconds + ((tempo.ticks - last.ticks) / ticksPerQuarter) * (60 / last.bpm);
    if (tempo.ticks === last.ticks) segments[segments.length - 1] = { ...last, bpm: tempo.bpm };
    else segments.push({ ticks: tempo.ticks, bpm: tempo.bpm, seconds });
  }
  return (ticks) => {
    let segment = segments[0] as (typeof segments)[number];
    for (const candidate of segments) if (candidate.ticks <= ticks) segment = candidate;
    return segment.seconds + ((ticks - segment.ticks) / ticksPerQuarter) * (60 / segment.bpm);
  };
}

function errorText(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
