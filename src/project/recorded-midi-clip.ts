/**
 * A MIDI recording as a project's MIDI clip: the notes one node played (recordedMidiEvents), each
 * moved from the seconds timeline to beats through the project's tempo map (beatAtSeconds, so a
 * tempo map or ramp converts exactly as the compiler converts back), inside a clip that starts on
 * the bar before the first note and ends on the bar after the last note's end.
 */
import { type MidiRecording, recordedMidiEvents } from "../api/midi-recording";
import type { Tempo } from "../contracts/graph-descriptor";
import { beatAtSeconds } from "../contracts/tempo-map";
import type { MidiClip } from "./project-schema";

/** A recorded clip without its id and name: the fields an add_clip command needs beside them. */
export type RecordedClip = Pick<MidiClip, "start_beat" | "length_beats" | "notes" | "cc" | "pitch_bend">;

/**
 * The clip of `node`'s notes, CC and pitch bend in `recording`, or null when it played nothing.
 * `beatsPerBar` rounds the clip's edges to bars.
 * @example
 * const clip = recordedMidiClip(take, "keys.dev.synth", { bpm: 120 }, 4);
 * // a note played on frame 48000 at 48 kHz, 120 bpm: beat 2 of the timeline
 */
export function recordedMidiClip(
  recording: MidiRecording,
  node: string,
  tempo: Tempo,
  beatsPerBar: number,
): RecordedClip | null {
  const events = recordedMidiEvents(recording, node);
  if (events.length === 0) return null;
  const beat = (seconds: number) => beatAtSeconds(tempo, seconds);
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  for (const event of events) {
    const on = beat(event.time);
    first = Math.min(first, on);
    last = Math.max(last, event.type === "note" ? beat(event.time + event.duration) : on);
  }
  const start = Math.floor(first / beatsPerBar + 1e-9) * beatsPerBar;
  const end = Math.max(start + beatsPerBar, Math.ceil(last / beatsPerBar - 1e-9) * beatsPerBar);
  const clip: RecordedClip = {
    start_beat: start,
    length_beats: end - start,
    notes: [],
    cc: [],
    pitch_bend: [],
  };
  for (const event of events) {
    const on = beat(event.time);
    if (event.type === "note") {
      clip.notes.push({
        beat: on - start,
        length_beats: beat(event.time + event.duration) - on,
        note: event.note,
        velocity: event.velocity,
        channel: event.channel ?? 1,
      });
    } else if (event.type === "cc") {
      clip.cc.push({
        beat: on - start,
        controller: event.controller,
        value: event.value,
        channel: event.channel ?? 1,
      });
    } else if (event.type === "pitch_bend") {
      clip.pitch_bend.push({ beat: on - start, value: event.value, channel: event.channel ?? 1 });
    }
  }
  return clip;
}
