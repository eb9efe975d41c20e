/**
 * Recording live MIDI: what `sendMidi` played, as the audio thread applied it (docs/realtime.md,
 * "Live MIDI"). A real-time host (and the test double) implements LiveMidiRecorder; a recording is
 * raw events on their frames, and `recordedMidiEvents` turns one node's events into the MidiEvents
 * (notes with durations) a graph or a project's MIDI clip holds (src/project/recorded-midi-clip.ts).
 */
import type { MidiEvent } from "../contracts/graph-descriptor";
import type { LiveMidiMessage } from "../contracts/live-midi";

/** One live message as the engine played it. */
export interface RecordedMidiEvent {
  /** The node it was sent to. */
  node: string;
  /** The transport frame it played on: the first frame its effect sounds. */
  frame: number;
  /**
   * Frames the transport had played since the recording started when it applied: a clock that never
   * jumps back (a seek, a loop wrap and a stop move `frame`, not this) and stands still while stopped.
   */
  elapsedFrames: number;
  message: LiveMidiMessage;
}

/** What a recording holds when it stops. */
export interface MidiRecording {
  sampleRate: number;
  /** Every live message applied while recording, in the order the audio thread applied them. */
  events: RecordedMidiEvent[];
  /** Frames the transport played during the recording (elapsedFrames at its end). */
  elapsedFrames: number;
  /** Messages applied but not recorded: the recording ring was full (0 unless nothing drained it). */
  lost: number;
}

/** A host that records what sendMidi plays: the AudioWorklet host and the test double. */
export interface LiveMidiRecorder {
  /**
   * Starts recording (a recording already running starts over); resolves once the audio thread
   * records, so every sendMidi called after it is in the recording.
   * @example
   * await engine.startMidiRecording();
   */
  startMidiRecording(): Promise<void>;
  /**
   * Stops recording and returns what was played since the start: every message applied before the
   * call (sendMidi calls that resolved before it), on its frame. E_SCHEMA when no recording runs.
   * @example
   * const take = await engine.stopMidiRecording();
   * const events = recordedMidiEvents(take, "keys");
   */
  stopMidiRecording(): Promise<MidiRecording>;
}

/**
 * True when `client` records live MIDI (LiveMidiRecorder).
 * @example
 * if (canRecordMidi(engine)) await engine.startMidiRecording();
 */
export function canRecordMidi<T extends object>(client: T): client is T & LiveMidiRecorder {
  const candidate = client as Partial<LiveMidiRecorder>;
  return (
    typeof candidate.startMidiRecording === "function" && typeof candidate.stopMidiRecording === "function"
  );
}

/**
 * The events `node` played in a recording as MidiEvents on the seconds timeline (time = frame / rate):
 * each note_on and the note_off, all_notes_off or retrigger that ended it as one note, whose duration
 * is the frames the transport played between them (at least one frame); a note still on at the end
 * lasts to the recording's end. CC and pitch bend as they came; note_offs of notes that were not on
 * and all_notes_off themselves leave nothing. Events in time order (a loop or a seek puts later
 * events earlier on the timeline).
 * @example
 * const midi = recordedMidiEvents(take, "keys"); // [{ type: "note", time: 1.5, duration: 0.25, ... }]
 */
export function recordedMidiEvents(recording: MidiRecording, node: string): MidiEvent[] {
  const rate = recording.sampleRate;
  const events: { order: number; event: MidiEvent }[] = [];
  const open = new Map<number, { on: RecordedMidiEvent; note: number; velocity: number; order: number }>();
  const key = (channel: number, note: number) => (channel - 1) * 128 + note;
  const close = (k: number, elapsed: number) => {
    const held = open.get(k);
    if (held === undefined) return;
    open.delete(k);
    const frames = Math.max(1, elapsed - held.on.elapsedFrames);
    events.push({
      order: held.order,
      event: {
        type: "note",
        timeline: "seconds",
        time: held.on.frame / rate,
        duration: frames / rate,
        note: held.note,
        velocity: held.velocity,
        channel: Math.floor(k / 128) + 1,
      },
    });
  };
  recording.events.forEach((recorded, order) => {
    if (recorded.node !== node) return;
    const { message } = recorded;
    const time = recorded.frame / rate;
    switch (message.type) {
      case "note_on": {
        const k = key(message.channel, message.note);
        close(k, recorded.elapsedFrames);
        open.set(k, { on: recorded, note: message.note, velocity: message.velocity, order });
        return;
      }
      case "note_off":
        close(key(message.channel, message.note), recorded.elapsedFrames);
        return;
      case "all_notes_off":
        for (const k of [...open.keys()]) {
          if (message.channel === null || Math.floor(k / 128) + 1 === message.channel) {
            close(k, recorded.elapsedFrames);
          }
        }
        return;
      case "cc":
        events.push({
          order,
          event: {
            type: "cc",
            timeline: "seconds",
            time,
            controller: message.controller,
            value: message.value,
            channel: message.channel,
          },
        });
        return;
      case "pitch_bend":
        events.push({
          order,
          event: {
            type: "pitch_bend",
            timeline: "seconds",
            time,
            value: message.value,
            channel: message.channel,
          },
        });
        return;
    }
  });
  for (const k of [...open.keys()]) close(k, recording.elapsedFrames);
  return events.sort((a, b) => a.event.time - b.event.time || a.order - b.order).map(({ event }) => event);
}
