/**
 * MidiRecordTap (audio thread): while a MIDI recording runs, every live MIDI message the engine
 * applies (RealtimeEngine.midiTap, on the frame it applies on; for a live render's record the
 * scheduleEvents messages too) goes into the MIDI recording ring as
 * one record of MIDI_RECORD_FIELDS float64s; the engine Worker drains it (midi-record-reader.ts).
 * A live render's recording also carries the parameter changes handed to WAM plugins
 * (WamEventLanes.parameterTap): its record_automation of WAM nodes.
 *
 * Record layout: [transport frame, frames played since the recording started, node (its group index
 * in a WAM graph), status << 16 | data1 << 8 | data2, 0] for a message; [transport frame, frames
 * played, node, -1 - parameter number, value] for a parameter change (a message's fourth field is
 * never negative).
 *
 * Audio-path rules: liveMidi() and liveParameter() write a preallocated record into the ring
 * (pushAll: whole or not at all; a full ring counts the record lost) and allocate nothing; arming and
 * stopping happen in message handlers, between quanta.
 */
import type { DataRing } from "../../dataplane/spsc-ring";
import type { LiveMidiTap } from "../../engine/realtime-engine";
import type { LiveParameterTap } from "./wam-event-lanes";

/** Float64s per record (a message or a parameter change). */
export const MIDI_RECORD_FIELDS = 5;
/** Messages the ring holds before the Worker drains it (it drains every MIDI_RECORD_DRAIN_MS). */
export const MIDI_RECORD_CAPACITY = 8192;

export class MidiRecordTap implements LiveMidiTap, LiveParameterTap {
  /** Messages written since the recording started. */
  recorded = 0;
  /** Messages the ring refused since the recording started. */
  lost = 0;
  private armed = false;
  /** Scheduled messages (scheduleEvents) are kept too: a live render's record, not a take. */
  private withScheduled = false;
  private startedAt = 0;
  private readonly record = new Float64Array(MIDI_RECORD_FIELDS);

  constructor(private readonly ring: DataRing<Float64Array>) {}

  /**
   * Control: records from now on; `playedFrames` is the transport's played-frames clock now;
   * `withScheduled`: scheduleEvents' messages too (a live render's MIDI record).
   */
  start(playedFrames: number, withScheduled = false): void {
    this.armed = true;
    this.withScheduled = withScheduled;
    this.startedAt = playedFrames;
    this.recorded = 0;
    this.lost = 0;
  }

  /**
   * Control: stops recording and sends what the ring buffers (the MessagePort fallback batches);
   * returns the frames played since the start.
   */
  stop(playedFrames: number): number {
    this.armed = false;
    this.ring.flush?.();
    return playedFrames - this.startedAt;
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
    if (!this.armed || (scheduled && !this.withScheduled)) return;
    const record = this.record;
    record[0] = frame;
    record[1] = playedFrames - this.startedAt;
    record[2] = node;
    record[3] = (status << 16) | (data1 << 8) | data2;
    record[4] = 0;
    this.push();
  }

  /** Kept only in a live render's recording (started withScheduled): a take records MIDI alone. */
  liveParameter(node: number, param: number, value: number, frame: number, playedFrames: number): void {
    if (!this.armed || !this.withScheduled) return;
    const record = this.record;
    record[0] = frame;
    record[1] = playedFrames - this.startedAt;
    record[2] = node;
    record[3] = -1 - param;
    record[4] = value;
    this.push();
  }

  private push(): void {
    if (this.ring.pushAll(this.record, MIDI_RECORD_FIELDS)) this.recorded++;
    else this.lost++;
  }
}
