/**
 * A MIDI take's events as plain objects a spec can compare (node, message type, note or -1, frame,
 * elapsed frames): what the live-render-records and wam-hosting pages return of a take.
 */
import type { MidiRecording } from "../../src/api/midi-recording";

export function plainTakeEvents(take: MidiRecording) {
  return take.events.map((e) => ({
    node: e.node,
    type: e.message.type,
    note: "note" in e.message ? e.message.note : -1,
    frame: e.frame,
    elapsedFrames: e.elapsedFrames,
  }));
}
