/**
 * The model's schema and rules: defaults, the format version, and each rule reported at its field.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EngineError } from "../../src/contracts/errors";
import { parseProject, projectIssues } from "../../src/project/project-invariants";
import { makeProject } from "./project-fixtures";
import { replaceOneValue } from "./replace-one-value";

function issuesOf(fields: Parameters<typeof makeProject>[0]): string[] {
  try {
    makeProject(fields);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    return (error as EngineError).issues.map((issue) => `${issue.path}: ${issue.detail}`);
  }
}

const AUDIO = [{ content_id: "a1", sample_rate: 48000, frames: 48000, channels: 1 }];
const clip = (id: string, start: number, length: number, fields: object = {}) => ({
  id,
  start_beat: start,
  length_beats: length,
  content_id: "a1",
  ...fields,
});

describe("the project format", () => {
  it("fills every default into an empty project, and reads its own JSON back identically", () => {
    const project = makeProject();
    expect(project).toEqual({
      format: "webdreamer-project",
      format_version: 1,
      name: "",
      tempo: { bpm: 120 },
      time_signatures: [{ beat: 0, numerator: 4, denominator: 4 }],
      markers: [],
      loop: null,
      audio: [],
      tracks: [],
      master: { volume_db: 0, devices: [], automation: {} },
      presets: [],
      extensions: {},
    });
    const full = makeProject({
      audio: AUDIO,
      tracks: [{ kind: "audio", id: "t", clips: [clip("c", 0, 1)] }],
    });
    expect(parseProject(JSON.parse(JSON.stringify(full)))).toEqual(full);
  });

  it("refuses a newer format version before reading the rest, and another format", () => {
    expect(() =>
      parseProject({ format: "webdreamer-project", format_version: 2, tracks: "garbage" }),
    ).toThrow(
      "E_SCHEMA at project.format_version: is 2, newer than this webdreamer reads (1): open it with a later version",
    );
    expect(() => parseProject({ format: "daw-x", format_version: 1 })).toThrow(
      'E_SCHEMA at project.format: must be "webdreamer-project"',
    );
    expect(() => parseProject({ format: "webdreamer-project", format_version: 1, bpm: 120 })).toThrow(
      "E_SCHEMA at project.bpm: is not allowed",
    );
  });
});

describe("the rules", () => {
  it("reports a repeated id where it repeats", () => {
    expect(
      issuesOf({
        audio: AUDIO,
        tracks: [
          { kind: "audio", id: "t", clips: [clip("x", 0, 1)] },
          { kind: "bus", id: "x" },
        ],
        markers: [{ id: "master", beat: 0 }],
      }),
    ).toEqual([
      "project.tracks[1].id: duplicates the id of project.tracks[0].clips[0]",
      "project.markers[0].id: duplicates the id of project.master",
    ]);
  });

  it("allows two overlapping clips, not three, not one inside another, fades within the clip", () => {
    const track = (clips: object[]) => ({
      audio: AUDIO,
      tracks: [{ kind: "audio" as const, id: "t", clips: clips as never }],
    });
    expect(issuesOf(track([clip("a", 0, 4), clip("b", 3, 4)]))).toEqual([]);
    expect(issuesOf(track([clip("a", 0, 4), clip("b", 3, 4), clip("c", 3.5, 4)]))).toEqual([
      "project.tracks[0].clips[2].start_beat: overlaps two clips: at most two clips of a track may sound at once",
    ]);
    expect(issuesOf(track([clip("a", 0, 4), clip("b", 1, 1)]))).toEqual([
      "project.tracks[0].clips[1].length_beats: must end after the previous clip ends (clips may overlap, not nest)",
    ]);
    expect(issuesOf(track([clip("a", 0, 1, { fade_in: { beats: 0.6 }, fade_out: { beats: 0.6 } })]))).toEqual(
      ["project.tracks[0].clips[0].fade_out.beats: fade_in.beats + fade_out.beats must be <= length_beats"],
    );
  });

  it("keeps audio clips inside their audio", () => {
    expect(
      issuesOf({
        audio: AUDIO,
        tracks: [
          {
            kind: "audio",
            id: "t",
            clips: [
              clip("a", 0, 1, { source_start_seconds: 1 }),
              clip("b", 2, 1, { loop: { start_seconds: 0.5, end_seconds: 1.5 } }),
              clip("c", 4, 1, { content_id: "nope" }),
            ],
          },
        ],
      }),
    ).toEqual([
      "project.tracks[0].clips[0].source_start_seconds: must be < the audio's length (1 s)",
      "project.tracks[0].clips[1].loop.end_seconds: must be <= the audio's length (1 s)",
      'project.tracks[0].clips[2].content_id: no audio "nope" in project.audio',
    ]);
  });

  it("routes only to buses, without cycles", () => {
    expect(
      issuesOf({
        tracks: [
          { kind: "audio", id: "a", output: "b", sends: [{ id: "s", target: "a" }] },
          { kind: "bus", id: "b", output: "c" },
          { kind: "bus", id: "c", sends: [{ id: "s2", target: "b" }] },
        ],
      }),
    ).toEqual([
      'project.tracks[0].sends[0].target: must be another bus track; "a" is not',
      "project.tracks: bus routing has a cycle: b -> c -> b",
    ]);
  });

  it("checks automation lanes against the track's parameters and their curves", () => {
    expect(
      issuesOf({
        tracks: [
          {
            kind: "bus",
            id: "b",
            devices: [{ id: "f", node_id: "builtin:filter" }],
            automation: {
              volume: {
                points: [
                  { beat: 0, value: -6, curve: "exponential" },
                  { beat: 1, value: 0 },
                ],
              },
              "send:none": { points: [{ beat: 0, value: 0 }] },
              "device:f:frequency": {
                points: [
                  { beat: 2, value: 100 },
                  { beat: 1, value: 200 },
                ],
              },
            },
          },
        ],
      }),
    ).toEqual([
      "project.tracks[0].automation.volume.points[0].curve: must be linear or step",
      'project.tracks[0].automation["send:none"]: names no parameter of this track: volume, pan, send:<id> or device:<id>:<parameter>',
      'project.tracks[0].automation["device:f:frequency"].points[1].beat: must be >= points[0].beat',
    ]);
  });

  it("lists nothing for a valid project", () => {
    const project = makeProject({
      audio: AUDIO,
      tracks: [{ kind: "audio", id: "t", clips: [clip("c", 0, 1)] }],
    });
    expect(projectIssues(project)).toEqual([]);
  });
});

describe("hostile input", () => {
  it("gives a valid project or an E_SCHEMA at a project path, never another error", () => {
    const valid = JSON.parse(
      JSON.stringify(
        makeProject({
          tempo: {
            map: [
              { beat: 0, bpm: 120 },
              { beat: 4, bpm: 90 },
            ],
          },
          audio: AUDIO,
          loop: { start_beat: 0, end_beat: 4 },
          markers: [{ id: "m", beat: 2 }],
          tracks: [
            {
              kind: "audio",
              id: "t",
              sends: [{ id: "s", target: "b" }],
              clips: [clip("c", 0, 1, { fade_in: { beats: 0.5 } })],
              automation: { volume: { points: [{ beat: 0, value: -6 }] } },
            },
            {
              kind: "bus",
              id: "b",
              devices: [{ id: "d", node_id: "builtin:reverb", params: { room_size: 0.5 } }],
            },
          ],
        }),
      ),
    );
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.nat(), fc.jsonValue({ maxDepth: 2 }), (pick, replacement) => {
        try {
          const project = parseProject(replaceOneValue(valid, pick, replacement, true));
          expect(projectIssues(project)).toEqual([]);
          accepted++;
        } catch (error) {
          expect(error).toBeInstanceOf(EngineError);
          expect((error as EngineError).code).toBe("E_SCHEMA");
          expect((error as EngineError).path).toMatch(/^project(\.|\[|$)/);
          refused++;
        }
      }),
      { numRuns: 2000 },
    );
    expect(accepted).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(1000);
  });
});
