/**
 * MidiRecordTap (audio thread): the MIDI recording ring's writer. It runs two recordings side by
 * side, each in its own slot (MidiRecordSlot), started and stopped apart, neither disturbing the other:
 * - "take" (startMidiRecording): every live MIDI message the engine applies (RealtimeEngine.midiTap,
 *   on the frame it applies on), scheduleEvents' messages left out;
 * - "render" (a live render's record_midi or record_automation of WAM nodes): the live and the
 *   scheduled messages, and the parameter changes handed to WAM plugins (WamEventLanes.parameterTap).
 * A message both slots want is written once for each, tagged with its slot, so each keeps its own
 * elapsed frames, count and losses. The engine Worker drains the ring (midi-record-reader.ts).
 *
 * Record layout, MIDI_RECORD_FIELDS float64s: [transport frame, frames played since the slot started,
 * node (its group index in a WAM graph), status << 16 | data1 << 8 | data2, the slot's tag] for a
 * message; [transport frame, frames played since the render slot started, node, -1 - parameter number,
 * value] for a parameter change, which only the render slot records (a message's fourth field is never
 * negative).
 *
 * A naming mark, [program generation, group generation (-1: none), 0, MIDI_RECORD_NAMING_MARK, 0], is
 * written whenever what plays changes its naming (a graph loaded, a WAM graph's stage group led or
 * ended: named()), armed slots or not: the Worker names the records after it by those generations
 * (midi-record-naming.ts), those before it by the previous ones, whenever it drains them. A mark the
 * ring refuses stays pending and goes first when there is room again; until it is written no record
 * is (each is counted lost), so no record of the new graph can come before it. A mark carries the
 * generations in effect, so a later mark supersedes one never written.
 *
 * Audio-path rules: liveMidi() and liveParameter() write a preallocated record into the ring
 * (pushAll: whole or not at all; a full ring counts the record lost in its slot) and allocate nothing;
 * starting, stopping and marks happen in message handlers, between quanta.
 */
import type { DataRing } from "../../dataplane/spsc-ring";
import type { LiveMidiTap } from "../../engine/realtime-engine";
import type { MidiRecordSlot } from "../../protocol/worker-to-worklet";
import { NO_GROUP_NAMING } from "./midi-record-naming";
import type { LiveParameterTap } from "./wam-event-lanes";

/** Float64s per record (a message or a parameter change). */
export const MIDI_RECORD_FIELDS = 5;
/** Records the ring holds before the Worker drains it (it drains every MIDI_RECORD_DRAIN_MS). */
export const MIDI_RECORD_CAPACITY = 8192;
/**
 * The fourth field of a naming mark (a message's is never negative, a parameter change's is -1 - its
 * parameter number: never -Infinity).
 */
export const MIDI_RECORD_NAMING_MARK = Number.NEGATIVE_INFINITY;
/** The fifth field of a message's record: the slot that recorded it. */
export const MIDI_RECORD_SLOT_TAGS: Readonly<Record<MidiRecordSlot, number>> = { take: 0, render: 1 };

/** What a slot recorded between its start and its stop (the midi-record-stopped answer). */
export interface MidiRecordCounts {
  /** Records written. */
  recorded: number;
  /** Records the ring refused. */
  lost: number;
  /** Frames the transport played meanwhile. */
  elapsedFrames: number;
}

/** One recording's state on the audio thread. */
class RecordSlot {
  armed = false;
  /** The transport's played-frames clock at the start: the record's elapsed frames count from it. */
  startedAt = 0;
  recorded = 0;
  lost = 0;

  constructor(readonly tag: number) {}
}

export class MidiRecordTap implements LiveMidiTap, LiveParameterTap {
  private readonly take = new RecordSlot(MIDI_RECORD_SLOT_TAGS.take);
  private readonly render = new RecordSlot(MIDI_RECORD_SLOT_TAGS.render);
  private readonly record = new Float64Array(MIDI_RECORD_FIELDS);
  /** The naming mark, kept apart from `record`: a mark left pending must survive the records after it. */
  private readonly mark = new Float64Array(MIDI_RECORD_FIELDS);
  /** The mark holds generations not yet in the ring. */
  private markPending = false;

  constructor(private readonly ring: DataRing<Float64Array>) {
    this.mark[1] = NO_GROUP_NAMING;
    this.mark[3] = MIDI_RECORD_NAMING_MARK;
  }

  /**
   * Control: what plays names its nodes by the driver's generation `program` (the primary's graph)
   * and, while a WAM graph plays, `group` (its stage group; NO_GROUP_NAMING: none). Writes a naming
   * mark when that changes, and sends it (the MessagePort fallback batches): the Worker drops the
   * namings the mark leaves behind, recording or not.
   */
  named(program: number, group: number): void {
    const mark = this.mark;
    if (mark[0] === program && mark[1] === group) return;
    mark[0] = program;
    mark[1] = group;
    this.markPending = true;
    if (this.writeMark()) this.ring.flush?.();
  }

  /**
   * Control: `slot` records from now on, afresh (a recording it ran starts over); `playedFrames` is
   * the transport's played-frames clock now. The other slot is left as it is.
   */
  start(slot: MidiRecordSlot, playedFrames: number): void {
    const state = this.slotOf(slot);
    state.armed = true;
    state.startedAt = playedFrames;
    state.recorded = 0;
    state.lost = 0;
  }

  /**
   * Control: `slot` stops recording, and what the ring buffers is sent (the MessagePort fallback
   * batches); returns what the slot recorded, and the frames played since its start.
   */
  stop(slot: MidiRecordSlot, playedFrames: number): MidiRecordCounts {
    const state = this.slotOf(slot);
    state.armed = false;
    this.ring.flush?.();
    return { recorded: state.recorded, lost: state.lost, elapsedFrames: playedFrames - state.startedAt };
  }

  liveMidi(
    node: number,
    status: number,
    data1: number,
    data2: number,
    frame: number,
    playedFrames: number,
    scheduled: boolean,
  ): void {
    // A take records what is played live; a render's record what its nodes were sent, scheduled too.
    if (this.take.armed && !scheduled)
      this.pushMidi(this.take, node, status, data1, data2, frame, playedFrames);
    if (this.render.armed) this.pushMidi(this.render, node, status, data1, data2, frame, playedFrames);
  }

  /** Kept only in the render slot (a live render's record_automation): a take records MIDI alone. */
  liveParameter(node: number, param: number, value: number, frame: number, playedFrames: number): void {
    const slot = this.render;
    if (!slot.armed) return;
    const record = this.record;
    record[0] = frame;
    record[1] = playedFrames - slot.startedAt;
    record[2] = node;
    record[3] = -1 - param;
    record[4] = value;
    this.push(slot);
  }

  private pushMidi(
    slot: RecordSlot,
    node: number,
    status: number,
    data1: number,
    data2: number,
    frame: number,
    playedFrames: number,
  ): void {
    const record = this.record;
    record[0] = frame;
    record[1] = playedFrames - slot.startedAt;
    record[2] = node;
    record[3] = (status << 16) | (data1 << 8) | data2;
    record[4] = slot.tag;
    this.push(slot);
  }

  private push(slot: RecordSlot): void {
    // Behind a pending mark a record would be named by the graph before it: it is lost instead.
    if (this.writeMark() && this.ring.pushAll(this.record, MIDI_RECORD_FIELDS)) slot.recorded++;
    else slot.lost++;
  }

  /** Writes the pending mark if any; false while the ring refuses it. */
  private writeMark(): boolean {
    if (!this.markPending) return true;
    this.markPending = !this.ring.pushAll(this.mark, MIDI_RECORD_FIELDS);
    return !this.markPending;
  }

  private slotOf(slot: MidiRecordSlot): RecordSlot {
    return slot === "take" ? this.take : this.render;
  }
}
