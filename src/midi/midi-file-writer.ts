/**
 * Standard MIDI File export: MIDI messages on frames (what a render played to a node, what a live
 * recording took) as a type 1 file written with @tonejs/midi, in the browser as in Node.
 *
 * Placement is musical: an event's tick is its beat on the graph's tempo map (beatAtSeconds), times
 * the file's 480 ticks per quarter note, and file time 0 is the timeline's 0. The file's tempo events
 * follow the map: a step point is one tempo event; a linear ramp is a tempo event every sixteenth
 * note, each the tempo that gives the sixteenth its exact length in seconds, so a player places every
 * sixteenth where the map does; an event lands within a tick (1/480 of a quarter note) of its time.
 *
 * Notes are note-on/note-off pairs per channel and key (a note-on of velocity 0 is a note-off); a note
 * still on at the end lasts to `endFrame`. Control changes and pitch bends are kept; other messages
 * (program change, aftertouch) are not written.
 */
import * as tonejsMidi from "@tonejs/midi";
import type { Tempo } from "../contracts/graph-descriptor";
import { beatAtSeconds, secondsAtBeat } from "../contracts/tempo-map";

// @tonejs/midi is CommonJS for Node: there its exports arrive under `default`; bundlers expose them directly.
const { Midi } = (tonejsMidi as { default?: typeof tonejsMidi }).default ?? tonejsMidi;

/** One MIDI channel message on a frame (status byte with the channel in its low nibble). */
export interface FramedMidiMessage {
  frame: number;
  status: number;
  data1: number;
  data2: number;
}

/** A track of the file: its name and its messages, frames counted from `startSeconds`. */
export interface MidiFileTrack {
  name: string;
  messages: readonly FramedMidiMessage[];
}

export interface MidiFileTiming {
  sampleRate: number;
  tempo: Tempo;
  /** Timeline seconds of frame 0 (a render's start position). Default 0. */
  startSeconds?: number;
  /** The frame notes still on at the end stop at (a render's length). */
  endFrame: number;
}

const NOTE_OFF = 0x80;
const NOTE_ON = 0x90;
const CONTROL_CHANGE = 0xb0;
const PITCH_BEND = 0xe0;

/**
 * The bytes of a type 1 Standard MIDI File holding `tracks` (one MTrk per track and channel used).
 * @example
 * const bytes = writeMidiFile([{ name: "synth", messages: [{ frame: 0, status: 0x90, data1: 60, data2: 100 },
 *   { frame: 24000, status: 0x80, data1: 60, data2: 0 }] }], { sampleRate: 48000, tempo: { bpm: 120 }, endFrame: 48000 });
 */
export function writeMidiFile(tracks: readonly MidiFileTrack[], timing: MidiFileTiming): Uint8Array {
  const midi = new Midi();
  const ppq = midi.header.ppq;
  const start = timing.startSeconds ?? 0;
  const tickOf = (frame: number) =>
    Math.round(beatAtSeconds(timing.tempo, start + frame / timing.sampleRate) * ppq);
  const endTick = tickOf(timing.endFrame);
  midi.header.tempos = tempoEvents(timing.tempo, endTick / ppq, ppq);
  midi.header.update();
  for (const { name, messages } of tracks) {
    for (const channel of channelsOf(messages)) {
      const track = midi.addTrack();
      track.name = name;
      track.channel = channel;
      const held = new Map<number, { ticks: number; velocity: number }[]>();
      for (const message of messages) {
        if ((message.status & 0x0f) !== channel) continue;
        const kind = message.status & 0xf0;
        const ticks = tickOf(message.frame);
        if (kind === NOTE_ON && message.data2 > 0) {
          const list = held.get(message.data1) ?? [];
          list.push({ ticks, velocity: message.data2 });
          held.set(message.data1, list);
        } else if (kind === NOTE_OFF || kind === NOTE_ON) {
          const on = held.get(message.data1)?.shift();
          if (on !== undefined) addNote(track, message.data1, on, ticks);
        } else if (kind === CONTROL_CHANGE) {
          track.addCC({ number: message.data1, value: message.data2 / 127, ticks });
        } else if (kind === PITCH_BEND) {
          const value = ((message.data2 << 7) | message.data1) - 8192;
          track.addPitchBend({ value: value / 8192, ticks });
        }
      }
      for (const [key, list] of held) for (const on of list) addNote(track, key, on, endTick);
    }
  }
  return midi.toArray();
}

type Track = ReturnType<InstanceType<typeof Midi>["addTrack"]>;

function addNote(track: Track, key: number, on: { ticks: number; velocity: number }, offTicks: number): void {
  track.addNote({
    midi: key,
    ticks: on.ticks,
    durationTicks: Math.max(0, offTicks - on.ticks),
    velocity: on.velocity / 127,
  });
}

/** The channels (0..15) the messages use, in order of first use. */
function channelsOf(messages: readonly FramedMidiMessage[]): number[] {
  const channels: number[] = [];
  for (const { status } of messages) if (!channels.includes(status & 0x0f)) channels.push(status & 0x0f);
  return channels;
}

/** The file's tempo events up to `endBeat` (see the module comment). */
function tempoEvents(
  tempo: Tempo,
  endBeat: number,
  ppq: number,
): { ticks: number; bpm: number; time?: number }[] {
  const points = tempo.map ?? [{ beat: 0, bpm: tempo.bpm ?? 120, curve: "step" as const }];
  const events: { ticks: number; bpm: number }[] = [];
  points.forEach((point, index) => {
    if (index > 0 && point.beat >= endBeat) return;
    const next = points[index + 1];
    if (point.curve !== "linear" || next === undefined) {
      events.push({ ticks: Math.round(point.beat * ppq), bpm: point.bpm });
      return;
    }
    const until = Math.min(next.beat, Math.max(endBeat, point.beat + 0.25));
    for (let beat = point.beat; beat < until; beat += 0.25) {
      const length = Math.min(0.25, next.beat - beat);
      const seconds = secondsAtBeat(tempo, beat + length) - secondsAtBeat(tempo, beat);
      events.push({ ticks: Math.round(beat * ppq), bpm: (60 * length) / seconds });
    }
  });
  return events;
}

/**
 * Base64 of bytes (a MIDI file inside a JSON result), in the browser as in Node.
 * @example
 * bytesToBase64(Uint8Array.of(77, 84, 104, 100)); // "TVRoZA=="
 */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let at = 0; at < bytes.length; at += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  }
  return btoa(binary);
}
