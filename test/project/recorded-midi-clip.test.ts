import { describe, expect, it } from "vitest";

import type { MidiRecording, RecordedMidiEvent } from "../../src/api/midi-recording";
import type { Tempo } from "../../src/contracts/graph-descriptor";
import { secondsAtBeat } from "../../src/contracts/tempo-map";
import { parseProject } from "../../src/project/project-invariants";
import { recordedMidiClip } from "../../src/project/recorded-midi-clip";

const RATE = 48000;
const NODE = "keys.dev.synth";

function event(frame: number, message: RecordedMidiEvent["message"], node = NODE): RecordedMidiEvent {
  return { node, frame, elapsedFrames: frame, message };
}

function take(events: RecordedMidiEvent[], elapsedFrames = 10 * RATE): MidiRecording {
  return { sampleRate: RATE, events, elapsedFrames, lost: 0 };
}

describe("a recording as a MIDI clip", () => {
  it("puts each note on the beat of its frame, in a clip from the bar before to the bar after", () => {
    // 120 bpm: 24000 frames a beat. A note from beat 5 for a beat and a half, one from 6.25 to 7.
    const recording = take([
      event(5 * 24000, { type: "note_on", note: 60, velocity: 90, channel: 1 }),
      event(6.25 * 24000, { type: "note_on", note: 64, velocity: 70, channel: 2 }),
      event(6.5 * 24000, { type: "note_off", note: 60, velocity: 0, channel: 1 }),
      event(7 * 24000, { type: "note_off", note: 64, velocity: 0, channel: 2 }),
      event(5.5 * 24000, { type: "cc", controller: 1, value: 30, channel: 1 }),
      event(2 * 24000, { type: "note_on", note: 70, velocity: 100, channel: 1 }, "other.dev.synth"),
    ]);
    expect(recordedMidiClip(recording, NODE, { bpm: 120 }, 4)).toEqual({
      start_beat: 4,
      length_beats: 4,
      notes: [
        { beat: 1, length_beats: 1.5, note: 60, velocity: 90, channel: 1 },
        { beat: 2.25, length_beats: 0.75, note: 64, velocity: 70, channel: 2 },
      ],
      cc: [{ beat: 1.5, controller: 1, value: 30, channel: 1 }],
      pitch_bend: [],
    });
  });

  it("converts through a tempo map, exactly as the compiler converts back", () => {
    const tempo: Tempo = {
      map: [
        { beat: 0, bpm: 100, curve: "step" },
        { beat: 3, bpm: 150, curve: "linear" },
      ],
    };
    const on = Math.round(secondsAtBeat(tempo, 3.5) * RATE);
    const off = Math.round(secondsAtBeat(tempo, 4.5) * RATE);
    const recording = take([
      event(on, { type: "note_on", note: 62, velocity: 100, channel: 1 }),
      event(off, { type: "note_off", note: 62, velocity: 0, channel: 1 }),
    ]);
    const clip = recordedMidiClip(recording, NODE, tempo, 4);
    const note = clip?.notes[0];
    expect(clip?.start_beat).toBe(0);
    expect(clip?.length_beats).toBe(8);
    // The beat is the frame's, and back through secondsAtBeat it lands on that frame.
    expect(Math.round(secondsAtBeat(tempo, (note?.beat ?? 0) + 0) * RATE)).toBe(on);
    expect(Math.round(secondsAtBeat(tempo, (note?.beat ?? 0) + (note?.length_beats ?? 0)) * RATE)).toBe(off);
    expect(note?.beat).toBeCloseTo(3.5, 3);
  });

  it("makes a clip the project accepts, and nothing from a recording without the node's notes", () => {
    const recording = take([
      event(0, { type: "note_on", note: 60, velocity: 100, channel: 1 }),
      event(24000 * 4, { type: "note_off", note: 60, velocity: 0, channel: 1 }),
    ]);
    const clip = recordedMidiClip(recording, NODE, { bpm: 120 }, 4);
    expect(clip).toMatchObject({ start_beat: 0, length_beats: 4 });
    const project = parseProject({
      format: "webdreamer-project",
      format_version: 1,
      tracks: [
        {
          kind: "instrument",
          id: "keys",
          instrument: { id: "synth", node_id: "builtin:synth" },
          clips: [{ id: "t", ...clip }],
        },
      ],
    });
    expect(project.tracks[0]?.kind).toBe("instrument");
    expect(recordedMidiClip(take([]), NODE, { bpm: 120 }, 4)).toBeNull();
    expect(recordedMidiClip(recording, "other", { bpm: 120 }, 4)).toBeNull();
  });
});
