import { describe, expect, it } from "vitest";

import type { AudioClip, MidiClip } from "../../src/project/project-schema";
import {
  dragPatch,
  MAX_PIXELS_PER_BEAT,
  MIN_CLIP_BEATS,
  patchChanges,
  snapBeat,
  zoomStep,
} from "../../src/studio/timeline-math";

const TEMPO = { bpm: 120 }; // half a second a beat

const midi: MidiClip = {
  id: "m",
  name: "",
  start_beat: 4,
  length_beats: 4,
  notes: [],
  cc: [],
  pitch_bend: [],
};
const audio: AudioClip = {
  id: "a",
  name: "",
  start_beat: 4,
  length_beats: 2,
  content_id: "kick",
  source_start_seconds: 0.25,
  gain_db: 0,
  fade_in: { beats: 0, curve: "auto" },
  fade_out: { beats: 0, curve: "auto" },
  loop: null,
};

describe("snapBeat and zoomStep", () => {
  it("rounds to the grid, never below 0, and leaves beats alone with snap off", () => {
    expect(snapBeat(3.3, 1)).toBe(3);
    expect(snapBeat(3.6, 4)).toBe(4);
    expect(snapBeat(1.13, 0.25)).toBe(1.25);
    expect(snapBeat(-0.6, 1)).toBe(0);
    expect(snapBeat(3.3, 0)).toBe(3.3);
  });

  it("zooms by √2 inside the limits", () => {
    expect(zoomStep(32, "in")).toBeCloseTo(45.2548, 4);
    expect(zoomStep(32, "out")).toBeCloseTo(22.6274, 4);
    expect(zoomStep(MAX_PIXELS_PER_BEAT, "in")).toBe(MAX_PIXELS_PER_BEAT);
  });
});

describe("dragPatch", () => {
  it("moves a clip's start to the grid", () => {
    expect(dragPatch({ clip: midi }, "move", 1.2, 1, TEMPO)).toEqual({ start_beat: 5 });
    expect(dragPatch({ clip: midi }, "move", -9, 1, TEMPO)).toEqual({ start_beat: 0 });
    expect(dragPatch({ clip: midi }, "move", 0.3, 0, TEMPO)).toEqual({ start_beat: 4.3 });
  });

  it("trims a MIDI clip's end and start, leaving at least the shortest clip", () => {
    expect(dragPatch({ clip: midi }, "end", 4, 1, TEMPO)).toEqual({ length_beats: 8 });
    expect(dragPatch({ clip: midi }, "end", -10, 1, TEMPO)).toEqual({ length_beats: MIN_CLIP_BEATS });
    expect(dragPatch({ clip: midi }, "start", 1, 1, TEMPO)).toEqual({ start_beat: 5, length_beats: 3 });
    expect(dragPatch({ clip: midi }, "start", -2, 1, TEMPO)).toEqual({ start_beat: 2, length_beats: 6 });
  });

  it("keeps an audio clip's audio in place when its start is trimmed, and inside the audio", () => {
    // One beat later: the audio starts 0.5 s further in.
    expect(dragPatch({ clip: audio, audioSeconds: 2 }, "start", 1, 1, TEMPO)).toEqual({
      start_beat: 5,
      length_beats: 1,
      source_start_seconds: 0.75,
    });
    // Earlier than the audio's first frame (0.25 s = half a beat before): stopped there.
    expect(dragPatch({ clip: audio, audioSeconds: 2 }, "start", -2, 1, TEMPO)).toEqual({
      start_beat: 3.5,
      length_beats: 2.5,
      source_start_seconds: 0,
    });
  });

  it("ends an audio clip without a loop where its audio ends", () => {
    // 2 s of audio from 0.25 s: 1.75 s = 3.5 beats after beat 4.
    expect(dragPatch({ clip: audio, audioSeconds: 2 }, "end", 8, 1, TEMPO)).toEqual({ length_beats: 3.5 });
    const looped = { ...audio, loop: { start_seconds: 0, end_seconds: 1 } };
    expect(dragPatch({ clip: looped, audioSeconds: 2 }, "end", 8, 1, TEMPO)).toEqual({ length_beats: 10 });
  });

  it("says whether a patch changes the clip", () => {
    expect(patchChanges(midi, { start_beat: 4 })).toBe(false);
    expect(patchChanges(midi, { start_beat: 5 })).toBe(true);
  });
});
