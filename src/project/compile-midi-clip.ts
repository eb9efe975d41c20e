/**
 * MIDI clips as the MIDI timeline of their track's instrument node: each event at its clip's start
 * plus its own beat, on the seconds timeline (seconds on the project's tempo map, so the engine puts
 * it on frame round(seconds × rate) without the ppqn grid), notes cut at the clip's end.
 */
import type { MidiEvent } from "../contracts/graph-descriptor";
import type { ClipTimeline } from "./compile-audio-clip";
import type { MidiClip } from "./project-schema";

/**
 * The events of `clips` in clip order, each clip's notes, then control changes, then pitch bends.
 * @example
 * const midi = midiClipEvents(keys.clips, { seconds: (beat) => beat / 2, sampleRate: 48000 });
 */
export function midiClipEvents(clips: readonly MidiClip[], timeline: ClipTimeline): MidiEvent[] {
  const events: MidiEvent[] = [];
  for (const clip of clips) {
    const end = clip.start_beat + clip.length_beats;
    for (const note of clip.notes) {
      const onBeat = clip.start_beat + note.beat;
      const time = timeline.seconds(onBeat);
      const off = timeline.seconds(Math.min(onBeat + note.length_beats, end));
      events.push({
        type: "note",
        timeline: "seconds",
        time,
        duration: off - time,
        note: note.note,
        velocity: note.velocity,
        channel: note.channel,
      });
    }
    for (const cc of clip.cc) {
      const time = timeline.seconds(clip.start_beat + cc.beat);
      events.push({
        type: "cc",
        timeline: "seconds",
        time,
        controller: cc.controller,
        value: cc.value,
        channel: cc.channel,
      });
    }
    for (const bend of clip.pitch_bend) {
      const time = timeline.seconds(clip.start_beat + bend.beat);
      events.push({
        type: "pitch_bend",
        timeline: "seconds",
        time,
        value: bend.value,
        channel: bend.channel,
      });
    }
  }
  return events;
}
