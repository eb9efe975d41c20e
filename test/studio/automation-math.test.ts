/**
 * The automation lanes' pure parts: values as heights and back, the lane's value at a beat, points
 * inserted, moved and removed in beat order, thinning within its tolerance, a recording written
 * over a lane; the targets a track offers (from its devices' descriptors); the recorder's writes.
 */
import { describe, expect, it } from "vitest";

import type { NodeDescriptor } from "../../src/contracts/node-descriptor";
import type { ProjectCommand } from "../../src/project/project-commands";
import { ProjectEditor } from "../../src/project/project-editor";
import { parseProject } from "../../src/project/project-invariants";
import type { AutomationPoint } from "../../src/project/project-schema";
import {
  clampValue,
  insertPoint,
  laneValueAt,
  levelAtY,
  levelOfValue,
  mergeRecorded,
  movePoint,
  pointNear,
  removePoint,
  thinPoints,
  valueAtLevel,
} from "../../src/studio/automation-math";
import { AutomationRecorder } from "../../src/studio/automation-recorder";
import { automationTargets, staticValue } from "../../src/studio/automation-targets";

const VOLUME = { min: -60, max: 12, discrete: false };
const WAVEFORM = { min: 0, max: 3, discrete: true };
const p = (beat: number, value: number, curve: AutomationPoint["curve"] = "linear"): AutomationPoint => ({
  beat,
  value,
  curve,
});

describe("values and heights", () => {
  it("maps the range onto the lane's height, clamped", () => {
    expect(levelOfValue(-60, VOLUME)).toBe(0);
    expect(levelOfValue(12, VOLUME)).toBe(1);
    expect(levelOfValue(-24, VOLUME)).toBe(0.5);
    expect(levelOfValue(-100, VOLUME)).toBe(0);
    expect(levelOfValue(30, VOLUME)).toBe(1);
    expect(valueAtLevel(0.5, VOLUME)).toBe(-24);
    expect(valueAtLevel(0.25, { min: -1, max: 1, discrete: false })).toBe(-0.5);
    expect(valueAtLevel(-0.2, VOLUME)).toBe(-60);
    expect(valueAtLevel(1.3, VOLUME)).toBe(12);
  });

  it("rounds a discrete parameter to whole steps", () => {
    expect(valueAtLevel(0.45, WAVEFORM)).toBe(1); // 1.35
    expect(valueAtLevel(0.55, WAVEFORM)).toBe(2); // 1.65
    expect(clampValue(7, WAVEFORM)).toBe(3);
    expect(clampValue(-0.4, WAVEFORM)).toBe(0);
  });

  it("reads a pointer's height from the top of the value area", () => {
    expect(levelAtY(0, 48)).toBe(1);
    expect(levelAtY(48, 48)).toBe(0);
    expect(levelAtY(12, 48)).toBe(0.75);
    expect(levelAtY(5, 0)).toBe(0);
  });
});

describe("the lane's value at a beat", () => {
  const lane = [p(1, -20), p(3, 0, "step"), p(5, -10, "exponential"), p(7, -40)];
  it("holds before the first point and after the last", () => {
    expect(laneValueAt(lane, 0)).toBe(-20);
    expect(laneValueAt(lane, 9)).toBe(-40);
  });
  it("follows each segment's curve", () => {
    expect(laneValueAt(lane, 2)).toBe(-10);
    expect(laneValueAt(lane, 4.9)).toBe(0);
    expect(laneValueAt(lane, 6)).toBeCloseTo(-20, 12); // -10 · 4^0.5
    expect(laneValueAt(lane, 7)).toBe(-40);
  });
  it("refuses an empty lane", () => {
    expect(() => laneValueAt([], 0)).toThrow("laneValueAt: a lane has at least one point");
  });
});

describe("point edits", () => {
  const lane = [p(0, 0), p(2, 1), p(4, 0)];
  it("inserts in beat order, after the points on the same beat", () => {
    expect(insertPoint(lane, p(3, 5))).toEqual({ points: [p(0, 0), p(2, 1), p(3, 5), p(4, 0)], index: 2 });
    expect(insertPoint(lane, p(2, 5)).index).toBe(2);
    expect(insertPoint([], p(1, 1))).toEqual({ points: [p(1, 1)], index: 0 });
    expect(insertPoint(lane, p(9, 1)).index).toBe(3);
  });
  it("moves a point between its neighbours, never before beat 0", () => {
    expect(movePoint(lane, 1, 3, 0.5)).toEqual([p(0, 0), p(3, 0.5), p(4, 0)]);
    expect(movePoint(lane, 1, 5, 1)[1]).toEqual(p(4, 1));
    expect(movePoint(lane, 1, -1, 1)[1]).toEqual(p(0, 1));
    expect(movePoint(lane, 0, -2, 1)[0]).toEqual(p(0, 1));
    expect(movePoint(lane, 2, 10, 1)[2]).toEqual(p(10, 1));
    expect(() => movePoint(lane, 3, 1, 1)).toThrow("movePoint: no point 3 (the lane has 3)");
    expect(lane).toEqual([p(0, 0), p(2, 1), p(4, 0)]);
  });
  it("removes a point, and finds the nearest one", () => {
    expect(removePoint(lane, 1)).toEqual([p(0, 0), p(4, 0)]);
    expect(pointNear(lane, 1.8, 0.25)).toBe(1);
    expect(pointNear(lane, 1, 0.25)).toBeNull();
  });
});

describe("thinning", () => {
  it("keeps the ends of a straight ramp only", () => {
    const ramp = Array.from({ length: 50 }, (_, i) => p(i / 10, -30 + i * 0.5));
    expect(thinPoints(ramp, 0.01)).toEqual([p(0, -30), p(4.9, -30 + 49 * 0.5)]);
  });
  it("keeps the corner of a ramp up then down", () => {
    const tent = [0, 1, 2, 3, 4, 5, 6].map((beat) => p(beat, beat <= 3 ? beat : 6 - beat));
    expect(thinPoints(tent, 0.01).map((point) => point.beat)).toEqual([0, 3, 6]);
  });
  it("stays within the tolerance of every recorded value", () => {
    const wobble = Array.from({ length: 200 }, (_, i) => p(i / 20, Math.sin(i / 15) * 10));
    const thinned = thinPoints(wobble, 0.2);
    expect(thinned.length).toBeLessThan(40);
    expect(thinned.length).toBeGreaterThan(5);
    const worst = Math.max(
      ...wobble.map((point) => Math.abs(laneValueAt(thinned, point.beat) - point.value)),
    );
    expect(worst).toBeLessThanOrEqual(0.2 + 1e-9);
  });
  it("keeps points of step segments, and short lanes as they are", () => {
    const steps = [p(0, 0, "step"), p(1, 1, "step"), p(2, 2, "step")];
    expect(thinPoints(steps, 10)).toEqual(steps);
    expect(thinPoints([p(0, 0), p(1, 1)], 10)).toEqual([p(0, 0), p(1, 1)]);
  });
});

describe("a recording written over a lane", () => {
  it("replaces the points in the beats it covers and keeps the rest", () => {
    const old = [p(0, 0), p(4, 0), p(8, 0)];
    expect(mergeRecorded(old, [p(5, -3), p(3, -6)])).toEqual([p(0, 0), p(3, -6), p(5, -3), p(8, 0)]);
    expect(mergeRecorded(old, [])).toEqual(old);
  });
});

const synth: NodeDescriptor = {
  node_id: "builtin:synth",
  name: "Synth",
  format: "builtin",
  latency_samples: 0,
  tail_samples: 0,
  parameters: [
    {
      id: "osc1_waveform",
      name: "Osc 1 waveform",
      default: 1,
      range: [0, 3],
      extensions: { type: "choice", choices: ["sine", "saw", "square", "triangle"] },
    },
    {
      id: "filter_cutoff",
      name: "Filter cutoff",
      default: 20000,
      range: [20, 20000],
      extensions: { units: "Hz" },
    },
    { id: "voices", name: "Voices", default: 8, range: [1, 32], extensions: { automatable: false } },
  ],
  extensions: { is_instrument: true },
} as unknown as NodeDescriptor;

function synthProject() {
  return parseProject({
    format: "webdreamer-project",
    format_version: 1,
    tracks: [
      {
        kind: "instrument",
        id: "lead",
        name: "Lead",
        mixer: { volume_db: -6, pan: 0.25 },
        instrument: { id: "syn", node_id: "builtin:synth", params: { filter_cutoff: 800 } },
        devices: [{ id: "verb", node_id: "builtin:reverb" }],
        automation: {
          "device:verb:wet_level": {
            points: [
              { beat: 0, value: 0.2 },
              { beat: 4, value: 0.6 },
            ],
          },
        },
      },
    ],
  });
}

describe("automation targets", () => {
  it("lists volume, pan, the devices' automatable parameters, and the lanes the track has", () => {
    const project = synthProject();
    const track = project.tracks[0];
    if (!track) throw new Error("no track");
    const targets = automationTargets(track, [synth]);
    expect(targets.map((t) => [t.address, t.name, t.min, t.max, t.discrete, t.curve])).toEqual([
      ["volume", "Volume", -60, 12, false, "linear"],
      ["pan", "Pan", -1, 1, false, "linear"],
      ["device:syn:osc1_waveform", "Synth: Osc 1 waveform", 0, 3, true, "step"],
      ["device:syn:filter_cutoff", "Synth: Filter cutoff", 20, 20000, false, "linear"],
      // The reverb's descriptor is not known: its lane stays reachable, ranged by its points.
      ["device:verb:wet_level", "verb:wet_level", 0.2, 0.6, false, "linear"],
    ]);
    expect(targets[0]?.format(-6)).toBe("-6.0 dB");
    expect(targets[1]?.format(-0.2)).toBe("20% left");
    expect(targets[2]?.format(2)).toBe("square");
    expect(targets[3]?.format(800)).toBe("800 Hz");
    expect(targets.map((target) => staticValue(track, target, [synth]))).toEqual([-6, 0.25, 1, 800, 0.2]);
  });
});

describe("send level targets", () => {
  it("lists each send's level after pan, named after its bus, in dB over the send slider's range", () => {
    const project = parseProject({
      format: "webdreamer-project",
      format_version: 1,
      tracks: [
        {
          kind: "audio",
          id: "keys",
          sends: [
            { id: "s1", target: "verb", level_db: -9 },
            { id: "s2", target: "echo", level_db: -80 },
          ],
        },
        { kind: "bus", id: "verb", name: "Reverb bus" },
        { kind: "bus", id: "echo" },
      ],
    });
    const track = project.tracks[0];
    if (!track) throw new Error("no track");
    const targets = automationTargets(track, [], project);
    expect(targets.map((t) => [t.address, t.name, t.min, t.max, t.discrete, t.curve])).toEqual([
      ["volume", "Volume", -60, 12, false, "linear"],
      ["pan", "Pan", -1, 1, false, "linear"],
      ["send:s1", "Send to Reverb bus", -60, 12, false, "linear"],
      ["send:s2", "Send to echo", -60, 12, false, "linear"],
    ]);
    expect(targets[2]?.format(-6)).toBe("-6.0 dB");
    expect(targets[2]?.format(-60)).toBe("-∞ dB");
    // The send's level when it has no lane, clamped into the slider's range (-80 dB shows at its floor).
    expect(targets.map((target) => staticValue(track, target, []))).toEqual([0, 0, -9, -60]);
    // Without the project, the send is named by its target's id.
    expect(automationTargets(track, [])[2]?.name).toBe("Send to verb");
  });

  it("records a send level's moves as the others: one set_automation on send:<id>, one undo step", () => {
    const editor = new ProjectEditor(
      parseProject({
        format: "webdreamer-project",
        format_version: 1,
        tracks: [
          { kind: "audio", id: "keys", sends: [{ id: "s1", target: "bus", level_db: 0 }] },
          { kind: "bus", id: "bus" },
        ],
      }),
    );
    const target = automationTargets(editor.project.tracks[0] as never, [], editor.project)[2];
    if (!target) throw new Error("no send target");
    const recorder = new AutomationRecorder();
    for (const [beat, value] of [
      [1, -20],
      [2, -10],
      [3, 0],
    ] as const) {
      const write = recorder.move(editor.project, "keys", target, beat, value);
      editor.execute(write.command, { gesture: write.gesture });
    }
    for (const write of recorder.finish()) editor.execute(write.command, { gesture: write.gesture });
    const lane = editor.project.tracks[0]?.automation["send:s1"];
    // A straight ramp in dB thins to its ends.
    expect(lane?.points.map((point) => [point.beat, point.value])).toEqual([
      [1, -20],
      [3, 0],
    ]);
    expect(editor.history.done.length).toBe(1);
  });
});

describe("AutomationRecorder", () => {
  it("writes moves at the playhead over the lane, then lands them thinned as one undo step", () => {
    const editor = new ProjectEditor(synthProject());
    const volume = automationTargets(editor.project.tracks[0] as never, [synth])[0];
    if (!volume) throw new Error("no volume target");
    editor.execute({
      type: "set_automation",
      track_id: "lead",
      address: "volume",
      lane: { points: [p(0, -12), p(2, -12), p(10, -12)] },
    });
    const recorder = new AutomationRecorder();
    // A fader moved linearly from -30 dB to -10 dB between beats 1 and 5, a move every 1/8 beat;
    // one move past the top of the range is clamped to 12.
    const moves = Array.from({ length: 33 }, (_, i) => [1 + i / 8, -30 + (20 * i) / 32] as const);
    for (const [beat, value] of moves) {
      const write = recorder.move(editor.project, "lead", volume, beat, value);
      editor.execute(write.command, { gesture: write.gesture });
    }
    const tail = recorder.move(editor.project, "lead", volume, 6, 40);
    editor.execute(tail.command, { gesture: tail.gesture });
    expect(recorder.recording).toBe(true);
    // Already thinned while playing: the ramp's ends and the clamped move.
    const live = editor.project.tracks[0]?.automation.volume?.points ?? [];
    expect(live.map((point) => point.beat)).toEqual([0, 1, 5, 6, 10]);
    const writes = recorder.finish();
    expect(recorder.recording).toBe(false);
    expect(writes).toHaveLength(1);
    for (const write of writes) editor.execute(write.command, { gesture: write.gesture });
    // The old point at beat 2 gave way; the ramp is two points, the clamped move a third.
    expect(editor.project.tracks[0]?.automation.volume?.points).toEqual([
      p(0, -12),
      p(1, -30),
      p(5, -10),
      p(6, 12),
      p(10, -12),
    ]);
    expect(editor.history.done.length).toBe(2);
    editor.undo();
    expect(editor.project.tracks[0]?.automation.volume?.points).toEqual([p(0, -12), p(2, -12), p(10, -12)]);
  });

  it("lands two controls moved at once (writes interleaved) as one undo step, a new take as the next", () => {
    const editor = new ProjectEditor(synthProject());
    const [volume, pan] = automationTargets(editor.project.tracks[0] as never, [synth]);
    if (!volume || !pan) throw new Error("no volume or pan target");
    const recorder = new AutomationRecorder();
    const run = (write: { command: ProjectCommand; gesture: string }) =>
      editor.execute(write.command, { gesture: write.gesture, wholeGesture: true });
    const volumes = [-10, -30, -12];
    const pans = [0.25, 0.75, 0.3];
    for (const [i, beat] of [1, 2, 3].entries()) {
      run(recorder.move(editor.project, "lead", volume, beat, volumes[i] as number));
      run(recorder.move(editor.project, "lead", pan, beat, pans[i] as number));
    }
    for (const write of recorder.finish()) run(write);
    expect(editor.history.done.length).toBe(1);
    expect(editor.undoLabel).toBe("Automation of volume on Lead");
    const lanes = editor.project.tracks[0]?.automation;
    expect(lanes?.volume?.points.map((point) => point.value)).toEqual(volumes);
    expect(lanes?.pan?.points.map((point) => point.value)).toEqual(pans);
    // The next take is its own step; without wholeGesture the interleaved writes were 6 steps.
    run(recorder.move(editor.project, "lead", pan, 5, 0));
    for (const write of recorder.finish()) run(write);
    expect(editor.history.done.length).toBe(2);
    editor.undo();
    editor.undo();
    expect(editor.project.tracks[0]?.automation.volume).toBeUndefined();
    expect(editor.project.tracks[0]?.automation.pan).toBeUndefined();
  });

  it("keeps the live writes small: a long straight ride sends its ends only, and lands as thinPoints says", () => {
    const project = synthProject();
    const volume = automationTargets(project.tracks[0] as never, [synth])[0];
    if (!volume) throw new Error("no volume target");
    const recorder = new AutomationRecorder();
    const sizes: number[] = [];
    // 2000 moves (a minute of a fader ride at 33 moves a second) on a straight line, then a turn.
    const moves = Array.from({ length: 2000 }, (_, i) => p(i / 16, -50 + i / 40));
    moves.push(p(2000 / 16, -40), p(2001 / 16, -40));
    for (const move of moves) {
      const write = recorder.move(project, "lead", volume, move.beat, move.value);
      sizes.push(write.command.type === "set_automation" ? (write.command.lane?.points?.length ?? 0) : -1);
    }
    expect(Math.max(...sizes)).toBe(4);
    const [write] = recorder.finish();
    const landed = write?.command.type === "set_automation" ? write.command.lane?.points : undefined;
    expect(landed).toEqual(thinPoints(moves, 0.005 * 72));
    expect(landed?.map((point) => point.beat)).toEqual([0, 1999 / 16, 2000 / 16, 2001 / 16]);
  });

  it("starts a new pass when the loop wraps, written over the passes before", () => {
    const project = synthProject();
    const pan = automationTargets(project.tracks[0] as never, [synth])[1];
    if (!pan) throw new Error("no pan target");
    const recorder = new AutomationRecorder();
    recorder.move(project, "lead", pan, 2, -1);
    recorder.move(project, "lead", pan, 3, -1);
    // The loop wrapped to beat 0: the second pass from 0 to 2.5 writes over the first's beat 2.
    recorder.move(project, "lead", pan, 0, 1);
    recorder.move(project, "lead", pan, 2.5, 1);
    const [write] = recorder.finish();
    expect(write?.command).toEqual({
      type: "set_automation",
      track_id: "lead",
      address: "pan",
      lane: { points: [p(0, 1), p(2.5, 1), p(3, -1)] },
    });
    expect(recorder.finish()).toEqual([]);
  });
});
