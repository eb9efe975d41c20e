/**
 * recordedMidiEvents: a recording's raw live messages as the MidiEvents a graph or a clip holds.
 */
import { describe, expect, it } from "vitest";
import { type MidiRecording, type RecordedMidiEvent, recordedMidiEvents } from "../../src/api/midi-recording";
import type { LiveMidiMessage } from "../../src/contracts/live-midi";

const SR = 48000;
const event = (
  frame: number,
  message: LiveMidiMessage,
  elapsedFrames = frame,
  node = "keys",
): RecordedMidiEvent => ({
  node,
  frame,
  elapsedFrames,
  message,
});
const take = (events: RecordedMidiEvent[], elapsedFrames = 96000): MidiRecording => ({
  sampleRate: SR,
  events,
  elapsedFrames,
  lost: 0,
});

describe("recordedMidiEvents", () => {
  it("pairs each note_on with its note_off into a note on the seconds timeline; cc and bend as they came", () => {
    const midi = recordedMidiEvents(
      take([
        event(24000, { type: "note_on", note: 60, velocity: 100, channel: 1 }),
        event(30000, { type: "cc", controller: 1, value: 64, channel: 1 }),
        event(36000, { type: "note_on", note: 64, velocity: 80, channel: 2 }),
        event(48000, { type: "note_off", note: 60, velocity: 0, channel: 1 }),
        event(50000, { type: "pitch_bend", value: -8192, channel: 1 }),
        event(60000, { type: "note_off", note: 64, velocity: 0, channel: 2 }),
        event(61000, { type: "note_on", note: 1, velocity: 1, channel: 1 }, 61000, "other"),
      ]),
      "keys",
    );
    expect(midi).toEqual([
      { type: "note", timeline: "seconds", time: 0.5, duration: 0.5, note: 60, velocity: 100, channel: 1 },
      { type: "cc", timeline: "seconds", time: 0.625, controller: 1, value: 64, channel: 1 },
      { type: "note", timeline: "seconds", time: 0.75, duration: 0.5, note: 64, velocity: 80, channel: 2 },
      { type: "pitch_bend", timeline: "seconds", time: 50000 / SR, value: -8192, channel: 1 },
    ]);
  });

  it("measures a note by the frames played while it was held, across a loop wrap; ends open notes with the take", () => {
    // Played at frame 90000, the loop wrapped at 96000 to 0, released at frame 6000: 12000 frames held.
    const midi = recordedMidiEvents(
      take(
        [
          event(90000, { type: "note_on", note: 60, velocity: 100, channel: 1 }, 90000),
          event(6000, { type: "note_off", note: 60, velocity: 0, channel: 1 }, 102000),
          event(10000, { type: "note_on", note: 62, velocity: 90, channel: 1 }, 106000),
        ],
        110000,
      ),
      "keys",
    );
    expect(midi).toEqual([
      {
        type: "note",
        timeline: "seconds",
        time: 10000 / SR,
        duration: 4000 / SR,
        note: 62,
        velocity: 90,
        channel: 1,
      },
      {
        type: "note",
        timeline: "seconds",
        time: 90000 / SR,
        duration: 12000 / SR,
        note: 60,
        velocity: 100,
        channel: 1,
      },
    ]);
  });

  it("ends notes at all_notes_off (one channel or all) and at a retrigger; ignores note_offs of notes not on", () => {
    const midi = recordedMidiEvents(
      take([
        event(0, { type: "note_off", note: 50, velocity: 0, channel: 1 }),
        event(100, { type: "note_on", note: 60, velocity: 100, channel: 1 }),
        event(200, { type: "note_on", note: 60, velocity: 50, channel: 1 }),
        event(300, { type: "note_on", note: 61, velocity: 100, channel: 3 }),
        event(400, { type: "all_notes_off", channel: 3 }),
        event(500, { type: "all_notes_off", channel: null }),
        event(500, { type: "note_off", note: 60, velocity: 0, channel: 1 }),
      ]),
      "keys",
    );
    expect(
      midi.map((e) => (e.type === "note" ? [e.time * SR, e.duration * SR, e.velocity] : e.type)),
    ).toEqual([
      [100, 100, 100],
      [200, 300, 50],
      [300, 100, 100],
    ]);
  });

  it("gives a note played and released on one frame one frame of length (a MidiEvent's duration is > 0)", () => {
    const midi = recordedMidiEvents(
      take([
        event(480, { type: "note_on", note: 60, velocity: 100, channel: 1 }),
        event(480, { type: "note_off", note: 60, velocity: 0, channel: 1 }),
      ]),
      "keys",
    );
    expect(midi).toEqual([
      {
        type: "note",
        timeline: "seconds",
        time: 0.01,
        duration: 1 / SR,
        note: 60,
        velocity: 100,
        channel: 1,
      },
    ]);
  });
});
