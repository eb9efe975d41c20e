/**
 * MidiRecordReader (engine Worker): drains the MIDI recording ring the audio thread fills
 * (midi-record-tap.ts) into RecordedMidiEvents, naming each node as it drains, and sorts each record
 * into the recording it belongs to (its slot: the user's take, a live render's record). A record is
 * named by the graph that played when it was written, not the one playing when it is drained: the
 * ring's naming marks switch the naming at their place in it (midi-record-naming.ts). The driver
 * drains it every MIDI_RECORD_DRAIN_MS while either records, so the ring never fills in a long take. A
 * live render's record carries the parameter changes handed to WAM plugins too: they are kept apart.
 */
import type { RecordedMidiEvent } from "../../api/midi-recording";
import { liveMidiMessageOf } from "../../contracts/live-midi";
import type { DataRing } from "../../dataplane/spsc-ring";
import type { MidiRecordSlot } from "../../protocol/worker-to-worklet";
import { MidiRecordNamings } from "./midi-record-naming";
import { MIDI_RECORD_FIELDS, MIDI_RECORD_NAMING_MARK, MIDI_RECORD_SLOT_TAGS } from "./midi-record-tap";

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

/** What one slot's recording holds so far. */
export interface SlotRecords {
  events: RecordedMidiEvent[];
  /** Always empty for the take: only a live render's record carries them. */
  parameters: RecordedParameterChange[];
}

/** How often a running recording is drained. */
export const MIDI_RECORD_DRAIN_MS = 100;

/** Each slot by the tag its message records carry. */
const SLOT_OF_TAG = new Map(
  Object.entries(MIDI_RECORD_SLOT_TAGS).map(([slot, tag]) => [tag, slot as MidiRecordSlot]),
);

interface SlotState extends SlotRecords {
  /** Records of the slot drained since it was opened, named or not. */
  received: number;
}

function emptySlot(): SlotState {
  return { events: [], parameters: [], received: 0 };
}

export class MidiRecordReader {
  private readonly slots: Record<MidiRecordSlot, SlotState> = { take: emptySlot(), render: emptySlot() };
  private readonly chunk = new Float64Array(256 * MIDI_RECORD_FIELDS);

  /**
   * `namings` names a record's node index as the graph playing when it was written did (the driver
   * registers each naming before the worklet can mark it).
   */
  constructor(
    private readonly ring: DataRing<Float64Array>,
    readonly namings: MidiRecordNamings = new MidiRecordNamings(),
  ) {}

  /**
   * A recording of `slot` is about to start: what the ring holds now is sorted into its slots, and
   * what `slot` held (an earlier recording's tail) is dropped. The other slot keeps its records.
   */
  open(slot: MidiRecordSlot): void {
    this.drain();
    this.slots[slot] = emptySlot();
  }

  /**
   * Records of `slot` drained since it was opened, named or not (a stop waits for as many as the
   * worklet says it wrote).
   */
  received(slot: MidiRecordSlot): number {
    return this.slots[slot].received;
  }

  /** Moves every whole record in the ring into its slot. */
  drain(): void {
    const chunk = this.chunk;
    for (;;) {
      const whole = Math.floor(this.ring.availableRead() / MIDI_RECORD_FIELDS) * MIDI_RECORD_FIELDS;
      if (whole === 0) return;
      const n = this.ring.pop(chunk, Math.min(whole, chunk.length));
      for (let i = 0; i + MIDI_RECORD_FIELDS <= n; i += MIDI_RECORD_FIELDS) this.sort(chunk, i);
    }
  }

  /**
   * The events and parameter changes of `slot` drained since it was opened (or last taken), in the
   * order they were applied or handed over.
   */
  take(slot: MidiRecordSlot): SlotRecords {
    const state = this.slots[slot];
    const { events, parameters } = state;
    state.events = [];
    state.parameters = [];
    return { events, parameters };
  }

  /**
   * Files the record at `chunk[i]` under its slot, named (a node its graph does not have is counted
   * only); a naming mark switches the naming of the records after it.
   */
  private sort(chunk: Float64Array, i: number): void {
    const bytes = chunk[i + 3] as number;
    if (bytes === MIDI_RECORD_NAMING_MARK) {
      this.namings.follow(chunk[i] as number, chunk[i + 1] as number);
      return;
    }
    // A parameter change: only the render slot records them; its fifth field is the value.
    const slot = bytes < 0 ? "render" : SLOT_OF_TAG.get(chunk[i + 4] as number);
    if (slot === undefined) return;
    const into = this.slots[slot];
    into.received++;
    const node = this.namings.nameOf(chunk[i + 2] as number);
    if (node === null) return;
    const frame = chunk[i] as number;
    const elapsedFrames = chunk[i + 1] as number;
    if (bytes < 0) {
      into.parameters.push({ node, param: -1 - bytes, value: chunk[i + 4] as number, frame, elapsedFrames });
      return;
    }
    const message = liveMidiMessageOf((bytes >> 16) & 0xff, (bytes >> 8) & 0xff, bytes & 0xff);
    if (message !== null) into.events.push({ node, frame, elapsedFrames, message });
  }
}
