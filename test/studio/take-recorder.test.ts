import { describe, expect, it } from "vitest";

import type { LiveMidiRecorder, MidiRecording } from "../../src/api/midi-recording";
import { applyCommand } from "../../src/project/project-commands";
import { parseProject } from "../../src/project/project-invariants";
import { TakeRecorder } from "../../src/studio/take-recorder";

const NODE = "keys.dev.synth";

/** A recorder handing back `take` at stop, counting its calls. */
function engineWith(take: MidiRecording) {
  const calls: string[] = [];
  const engine: LiveMidiRecorder = {
    async startMidiRecording() {
      calls.push("start");
    },
    async stopMidiRecording() {
      calls.push("stop");
      return take;
    },
  };
  return { engine, calls };
}

const project = parseProject({
  format: "webdreamer-project",
  format_version: 1,
  tracks: [
    {
      kind: "instrument",
      id: "keys",
      instrument: { id: "synth", node_id: "builtin:synth" },
      clips: [{ id: "keys-take", name: "Take 1", start_beat: 0, length_beats: 4 }],
    },
  ],
});

describe("TakeRecorder", () => {
  it("makes the add_clip of the take's notes on the track it started on, named after the takes before", async () => {
    // 48 kHz, 120 bpm: 24000 frames a beat; a note from beat 9 for half a beat.
    const take: MidiRecording = {
      sampleRate: 48000,
      elapsedFrames: 240000,
      lost: 0,
      events: [
        {
          node: NODE,
          frame: 216000,
          elapsedFrames: 216000,
          message: { type: "note_on", note: 60, velocity: 100, channel: 1 },
        },
        {
          node: NODE,
          frame: 228000,
          elapsedFrames: 228000,
          message: { type: "note_off", note: 60, velocity: 0, channel: 1 },
        },
      ],
    };
    const { engine, calls } = engineWith(take);
    const recorder = new TakeRecorder();
    expect(await recorder.finish(engine, project, 4)).toBeNull();
    await recorder.start(engine, { trackId: "keys", node: NODE });
    expect(recorder.recording).toBe(true);
    const finished = await recorder.finish(engine, project, 4);
    expect(recorder.recording).toBe(false);
    expect(calls).toEqual(["start", "stop"]);
    expect(finished?.take).toBe(take);
    expect(finished?.clipId).toBe("keys-take-2");
    expect(finished?.command).toEqual({
      type: "add_clip",
      track_id: "keys",
      clip: {
        id: "keys-take-2",
        name: "Take 2",
        start_beat: 8,
        length_beats: 4,
        notes: [{ beat: 1, length_beats: 0.5, note: 60, velocity: 100, channel: 1 }],
        cc: [],
        pitch_bend: [],
      },
    });
  });

  it("gives no command when nothing was played on the node", async () => {
    const { engine } = engineWith({ sampleRate: 48000, elapsedFrames: 100, lost: 0, events: [] });
    const recorder = new TakeRecorder();
    await recorder.start(engine, { trackId: "keys", node: NODE });
    expect(await recorder.finish(engine, project, 4)).toMatchObject({ command: null, clipId: null });
  });

  it("overdubs a take that starts inside a clip into it: notes added on its beats, the clip lengthened", async () => {
    // The existing clip (beats 0 to 4) holds one note; a note is played from beat 3 to beat 5.
    const withNote = applyCommand(project, {
      type: "update_clip",
      track_id: "keys",
      clip_id: "keys-take",
      clip: { notes: [{ beat: 2, length_beats: 1, note: 64, velocity: 90 }] },
    });
    const take: MidiRecording = {
      sampleRate: 48000,
      elapsedFrames: 150000,
      lost: 0,
      events: [
        {
          node: NODE,
          frame: 72000,
          elapsedFrames: 72000,
          message: { type: "note_on", note: 60, velocity: 100, channel: 1 },
        },
        {
          node: NODE,
          frame: 120000,
          elapsedFrames: 120000,
          message: { type: "note_off", note: 60, velocity: 0, channel: 1 },
        },
      ],
    };
    const { engine } = engineWith(take);
    const recorder = new TakeRecorder();
    await recorder.start(engine, { trackId: "keys", node: NODE });
    const finished = await recorder.finish(engine, withNote, 4);
    expect(finished?.clipId).toBe("keys-take");
    expect(finished?.command).toEqual({
      type: "update_clip",
      track_id: "keys",
      clip_id: "keys-take",
      clip: {
        length_beats: 8,
        notes: [
          { beat: 2, length_beats: 1, note: 64, velocity: 90, channel: 1 },
          { beat: 3, length_beats: 2, note: 60, velocity: 100, channel: 1 },
        ],
        cc: [],
        pitch_bend: [],
      },
    });
    // A valid edit of the project (an add_clip at beat 0 would be refused: two clips on one start).
    const after = applyCommand(
      withNote,
      finished?.command as NonNullable<typeof finished>["command"] & object,
    );
    expect(after.tracks[0]?.kind === "instrument" ? after.tracks[0].clips : null).toHaveLength(1);
  });
});
