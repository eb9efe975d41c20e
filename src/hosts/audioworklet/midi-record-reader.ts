/**
 * MidiRecordReader (engine Worker): drains the MIDI recording ring the audio thread fills
 * (midi-record-tap.ts) into RecordedMidiEvents, naming each node as it drains. The driver drains it
 * every MIDI_RECORD_DRAIN_MS while a recording runs, so the ring never fills in a long take. A live
 * render's recording carries the parameter changes handed to WAM plugins too: they are kept apart.
 */
import type { RecordedMidiEvent } from "../../api/midi-recording";
import { liveMidiMessageOf } from "../../contracts/live-midi";
import type { DataRing } from "../../dataplane/spsc-ring";
import { MIDI_RECORD_FIELDS } from "./midi-record-tap";

/** A parameter change handed to a WAM plugin (a live render's record_automation). */
export interface RecordedParameterChange {
  node: string;
  /** The parameter's number: its place in the WAM's parameter list (wam-lanes.ts params). */
  param: number;
  value: number;
  /** The transport frame it landed on. */
  frame: number;
  elapsedFrames: number;
}

/** How often a running recording is drained. */
export const MIDI_RECORD_DRAIN_MS = 100;

export class MidiRecordReader {
  /** Records drained since the last reset(), named or not. */
  received = 0;
  private events: RecordedMidiEvent[] = [];
  private parameters: RecordedParameterChange[] = [];
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
    this.parameters = [];
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
        if (bytes < 0) {
          const node = this.nameOf(chunk[i + 2] as number);
          if (node === null) continue;
          this.parameters.push({
            node,
            param: -1 - bytes,
            value: chunk[i + 4] as number,
            frame: chunk[i] as number,
            elapsedFrames: chunk[i + 1] as number,
          });
          continue;
        }
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

  /** The parameter changes drained since the last reset(), in the order they were handed over. */
  takeParameters(): RecordedParameterChange[] {
    const parameters = this.parameters;
    this.parameters = [];
    return parameters;
  }
}
