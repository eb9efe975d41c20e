/**
 * MidiRecordReader (engine Worker): drains the MIDI recording ring the audio thread fills
 * (midi-record-tap.ts) into RecordedMidiEvents, naming each node as it drains. The driver drains it
 * every MIDI_RECORD_DRAIN_MS while a recording runs, so the ring never fills in a long take.
 */
import type { RecordedMidiEvent } from "../../api/midi-recording";
import { liveMidiMessageOf } from "../../contracts/live-midi";
import type { DataRing } from "../../dataplane/spsc-ring";
import { MIDI_RECORD_FIELDS } from "./midi-record-tap";

/** How often a running recording is drained. */
export const MIDI_RECORD_DRAIN_MS = 100;

export class MidiRecordReader {
  /** Records drained since the last reset(), named or not. */
  received = 0;
  private events: RecordedMidiEvent[] = [];
  private readonly chunk = new Float64Array(256 * MIDI_RECORD_FIELDS);

  /** `nameOf` names a node index of a record (null: a node of no graph this host knows now). */
  constructor(
    private readonly ring: DataRing<Float64Array>,
    private readonly nameOf: (node: number) => string | null,
  ) {}

  /** Drops what was drained and what is left in the ring (an earlier recording's tail). */
  reset(): void {
    this.drain();
    this.events = [];
    this.received = 0;
  }

  /** Moves every whole record in the ring into the events. */
  drain(): void {
    const chunk = this.chunk;
    for (;;) {
      const whole = Math.floor(this.ring.availableRead() / MIDI_RECORD_FIELDS) * MIDI_RECORD_FIELDS;
      if (whole === 0) return;
      const n = this.ring.pop(chunk, Math.min(whole, chunk.length));
      for (let i = 0; i + MIDI_RECORD_FIELDS <= n; i += MIDI_RECORD_FIELDS) {
        this.received++;
        const bytes = chunk[i + 3] as number;
        const message = liveMidiMessageOf((bytes >> 16) & 0xff, (bytes >> 8) & 0xff, bytes & 0xff);
        const node = this.nameOf(chunk[i + 2] as number);
        if (message === null || node === null) continue;
        this.events.push({
          node,
          frame: chunk[i] as number,
          elapsedFrames: chunk[i + 1] as number,
          message,
        });
      }
    }
  }

  /** The events drained since the last reset(). */
  take(): RecordedMidiEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }
}
