/**
 * The arrangement's edits (arrange-math.ts): split, duplicate, move to another track, markers and the
 * loop range of a ruler drag, each as the project commands it makes; and a Node render proving a
 * split project renders sample for sample as the unsplit one (audio with fades, a looped audio clip, a
 * MIDI clip).
 */
import { describe, expect, it } from "vitest";
import type { AudioData } from "../../src/audio-io/wav-codec";
import { decodeWav } from "../../src/audio-io/wav-codec";
import { createEngine } from "../../src/create-engine";
import { exportProject } from "../../src/project/export-project";
import { applyCommand } from "../../src/project/project-commands";
import { ProjectEditor } from "../../src/project/project-editor";
import { parseProject } from "../../src/project/project-invariants";
import type { AudioClip, MidiClip, Project } from "../../src/project/project-schema";
import {
  clipAtBeat,
  duplicateCommand,
  loopRangeFromDrag,
  markerCommand,
  moveToTrackCommand,
  type SplitClips,
  splitClip,
  splitCommand,
} from "../../src/studio/arrange-math";

const RATE = 48000;
const TEMPO = { bpm: 120 }; // half a second a beat

function noise(seed: number, frames: number, channels: number): AudioData {
  let state = seed;
  const next = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  return {
    sampleRate: RATE,
    channels: Array.from({ length: channels }, () => Float32Array.from({ length: frames }, next)),
  };
}

/** Two audio tracks and a synth: a faded clip, a looped clip, a MIDI clip with notes, CC and bend. */
function song(): Project {
  return parseProject({
    format: "webdreamer-project",
    format_version: 1,
    audio: [
      { content_id: "kit", sample_rate: RATE, frames: RATE * 3, channels: 2 },
      { content_id: "loop", sample_rate: RATE, frames: RATE, channels: 1 },
    ],
    tracks: [
      {
        kind: "audio",
        id: "drums",
        name: "Drums",
        clips: [
          {
            id: "kit-clip",
            start_beat: 1,
            length_beats: 4,
            content_id: "kit",
            source_start_seconds: 0.25,
            gain_db: -3,
            fade_in: { beats: 0.5 },
            fade_out: { beats: 1 },
          },
        ],
      },
      { kind: "audio", id: "drums-2", name: "Drums 2" },
      {
        kind: "audio",
        id: "loops",
        clips: [
          {
            id: "loop-clip",
            start_beat: 0.5,
            length_beats: 5,
            content_id: "loop",
            source_start_seconds: 0.1,
            loop: { start_seconds: 0.2, end_seconds: 0.7 },
          },
        ],
      },
      {
        kind: "instrument",
        id: "synth",
        name: "Synth",
        instrument: { id: "synth-dev", node_id: "builtin:synth" },
        clips: [
          {
            id: "riff",
            start_beat: 0,
            length_beats: 4,
            notes: [
              { beat: 0, length_beats: 1, note: 60, velocity: 100 },
              { beat: 1.5, length_beats: 1, note: 64, velocity: 90 },
              { beat: 2, length_beats: 1, note: 67, velocity: 80 },
            ],
            cc: [
              { beat: 0.5, controller: 1, value: 10 },
              { beat: 2.5, controller: 1, value: 90 },
            ],
            pitch_bend: [{ beat: 3, value: 100 }],
          },
        ],
      },
    ],
  });
}

function clipsOf(project: Project, trackId: string) {
  const track = project.tracks.find((t) => t.id === trackId);
  if (!track || track.kind === "bus") throw new Error(`no clips on ${trackId}`);
  return track.clips;
}

describe("splitClip", () => {
  it("splits an audio clip so the right half starts its audio where the whole clip was", () => {
    const clip = clipsOf(song(), "drums")[0] as AudioClip;
    const halves = splitClip(clip, 3, "kit-clip-2", TEMPO) as SplitClips;
    expect(halves.left).toMatchObject({
      id: "kit-clip",
      start_beat: 1,
      length_beats: 2,
      source_start_seconds: 0.25,
    });
    expect(halves.right).toMatchObject({ id: "kit-clip-2", start_beat: 3, length_beats: 2, gain_db: -3 });
    // Two beats at 120 bpm are one second of the audio.
    expect((halves.right as AudioClip).source_start_seconds).toBe(1.25);
    // The left keeps the fade-in, the right the fade-out.
    expect((halves.left as AudioClip).fade_in.beats).toBe(0.5);
    expect((halves.left as AudioClip).fade_out.beats).toBe(0);
    expect((halves.right as AudioClip).fade_in.beats).toBe(0);
    expect((halves.right as AudioClip).fade_out.beats).toBe(1);
  });

  it("wraps the right half's source start into the clip's loop region", () => {
    const clip = clipsOf(song(), "loops")[0] as AudioClip;
    // At beat 2.5 the clip has played 1 s from 0.1 s: 0.1 → 0.7 (0.6 s), then 0.4 s of the 0.5 s loop.
    const halves = splitClip(clip, 2.5, "r", TEMPO) as SplitClips;
    expect((halves.right as AudioClip).source_start_seconds).toBeCloseTo(0.6, 12);
    expect((halves.right as AudioClip).loop).toEqual({ start_seconds: 0.2, end_seconds: 0.7 });
  });

  it("gives MIDI events to the half they start in; a note crossing the split stays left, shortened", () => {
    const clip = clipsOf(song(), "synth")[0] as MidiClip;
    const halves = splitClip(clip, 2, "riff-2", TEMPO) as SplitClips;
    const left = halves.left as MidiClip;
    const right = halves.right as MidiClip;
    expect(left.length_beats).toBe(2);
    expect(left.notes.map((n) => [n.beat, n.length_beats, n.note])).toEqual([
      [0, 1, 60],
      [1.5, 0.5, 64],
    ]);
    expect(right.start_beat).toBe(2);
    expect(right.notes.map((n) => [n.beat, n.length_beats, n.note])).toEqual([[0, 1, 67]]);
    expect(left.cc.map((e) => [e.beat, e.value])).toEqual([[0.5, 10]]);
    expect(right.cc.map((e) => [e.beat, e.value])).toEqual([[0.5, 90]]);
    expect(right.pitch_bend.map((e) => [e.beat, e.value])).toEqual([[1, 100]]);
    expect(left.pitch_bend).toEqual([]);
  });

  it("refuses a beat at or outside the clip's edges", () => {
    const clip = clipsOf(song(), "synth")[0] as MidiClip;
    expect(splitClip(clip, 0, "x", TEMPO)).toBeNull();
    expect(splitClip(clip, 4, "x", TEMPO)).toBeNull();
    expect(splitClip(clip, 5, "x", TEMPO)).toBeNull();
    expect(splitClip(clip, 1 / 32, "x", TEMPO)).toBeNull();
  });
});

describe("the arrangement's commands", () => {
  it("splits as one batch the project accepts, and one undo step gives the clip back", () => {
    const project = song();
    const editor = new ProjectEditor(project);
    const split = splitCommand(project, "drums", "kit-clip", 3);
    expect(split?.rightId).toBe("kit-clip-2");
    editor.execute(split?.command as never);
    expect(clipsOf(editor.project, "drums").map((c) => [c.id, c.start_beat, c.length_beats])).toEqual([
      ["kit-clip", 1, 2],
      ["kit-clip-2", 3, 2],
    ]);
    expect(editor.undoLabel).toBe("Split clip on Drums");
    editor.undo();
    expect(editor.project).toBe(project);
    expect(splitCommand(project, "drums", "kit-clip", 1)).toBeNull();
    expect(() => splitCommand(project, "drums", "nope", 2)).toThrow('no clip "nope" on track "drums"');
  });

  it("finds the clip a beat falls in, the selected one first", () => {
    const project = song();
    expect(clipAtBeat(project, "drums", 2, null)).toBe("kit-clip");
    expect(clipAtBeat(project, "drums", 1, null)).toBeNull();
    expect(clipAtBeat(project, "drums", 5, null)).toBeNull();
    expect(clipAtBeat(project, "drums-2", 2, null)).toBeNull();
  });

  it("duplicates a clip right after itself with a fresh id", () => {
    const project = song();
    const { command, copyId } = duplicateCommand(project, "synth", "riff");
    expect(copyId).toBe("riff-2");
    const next = applyCommand(project, command);
    const [original, copy] = clipsOf(next, "synth") as MidiClip[];
    expect(copy?.start_beat).toBe(4);
    expect(copy?.notes).toEqual(original?.notes);
    expect(copy?.notes).not.toBe(original?.notes);
  });

  it("moves a clip to a track of the same kind only", () => {
    const project = song();
    const next = applyCommand(project, moveToTrackCommand(project, "drums", "kit-clip", "drums-2", 6));
    expect(clipsOf(next, "drums")).toEqual([]);
    expect(clipsOf(next, "drums-2").map((c) => [c.id, c.start_beat])).toEqual([["kit-clip", 6]]);
    expect(() => moveToTrackCommand(project, "drums", "kit-clip", "synth", 0)).toThrow(
      'clip "kit-clip" is on audio track "drums": it cannot move to instrument track "synth"',
    );
  });

  it("adds markers named after the ones before them", () => {
    const first = markerCommand(song(), 8);
    expect(first.command).toEqual({
      type: "add_marker",
      marker: { id: "marker", beat: 8, name: "Marker 1" },
    });
    const next = applyCommand(song(), first.command);
    const second = markerCommand(next, 2);
    expect(second.markerId).toBe("marker-2");
    expect(applyCommand(next, second.command).markers.map((m) => [m.name, m.beat])).toEqual([
      ["Marker 2", 2],
      ["Marker 1", 8],
    ]);
  });

  it("turns a ruler drag into a loop range on the grid, either direction", () => {
    expect(loopRangeFromDrag(4.2, 7.9, 1)).toEqual({ start_beat: 4, end_beat: 8 });
    expect(loopRangeFromDrag(7.9, 4.2, 4)).toEqual({ start_beat: 4, end_beat: 8 });
    expect(loopRangeFromDrag(4.2, 4.4, 1)).toBeNull();
    expect(loopRangeFromDrag(1.25, 1.5, 0)).toEqual({ start_beat: 1.25, end_beat: 1.5 });
  });
});

describe("a split project renders as the unsplit one", () => {
  it("has the same mixdown, sample for sample (max diff 0)", async () => {
    const whole = song();
    let split = whole;
    for (const [track, clip, beat] of [
      ["drums", "kit-clip", 2.75],
      ["loops", "loop-clip", 2.5],
      ["loops", "loop-clip", 1.25],
      ["synth", "riff", 1.5],
    ] as const) {
      split = applyCommand(split, splitCommand(split, track, clip, beat)?.command as never);
    }
    expect(clipsOf(split, "loops")).toHaveLength(3);
    const audio = new Map([
      ["kit", noise(1, RATE * 3, 2)],
      ["loop", noise(2, RATE, 1)],
    ]);
    const engine = await createEngine({ sampleRate: RATE });
    const render = async (project: Project) =>
      decodeWav(
        (await exportProject(engine, { project, audio }, { sampleRate: RATE, tailSeconds: 0.5 })).mixdown,
      ).channels;
    const a = await render(whole);
    const b = await render(split);
    // A split through a sounding note (the E4 from beat 1.5 to 2.5) ends it at the split: the one
    // difference a split makes, and proof this comparison sees one.
    const crossing = await render(
      applyCommand(whole, splitCommand(whole, "synth", "riff", 2)?.command as never),
    );
    await engine.close();
    expect(b.map((channel) => channel.length)).toEqual(a.map((channel) => channel.length));
    const compare = (x: Float32Array[], y: Float32Array[]) => {
      let maxDiff = 0;
      let peak = 0;
      for (let c = 0; c < x.length; c++) {
        const p = x[c] as Float32Array;
        const q = y[c] as Float32Array;
        for (let i = 0; i < p.length; i++) {
          maxDiff = Math.max(maxDiff, Math.abs((p[i] as number) - (q[i] as number)));
          peak = Math.max(peak, Math.abs(p[i] as number));
        }
      }
      return { maxDiff, peak };
    };
    const same = compare(a, b);
    expect(same.peak).toBeGreaterThan(0.1);
    expect(same.maxDiff).toBe(0);
    expect(compare(a, crossing).maxDiff).toBeGreaterThan(0.001);
  });
});
