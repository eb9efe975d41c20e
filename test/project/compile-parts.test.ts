/**
 * The compiler's parts without an engine: automation lanes, MIDI clips, and the fades clips play with.
 */
import { describe, expect, it } from "vitest";
import { secondsAtBeat } from "../../src/contracts/tempo-map";
import { clipFades } from "../../src/project/clip-fades";
import { laneAutomation } from "../../src/project/compile-automation";
import { midiClipEvents } from "../../src/project/compile-midi-clip";
import { compileProject } from "../../src/project/compile-project";
import { dbToGain } from "../../src/project/mixer-laws";
import { AudioClipSchema, MidiClipSchema } from "../../src/project/project-schema";
import { makeProject } from "./project-fixtures";

const tempo = {
  map: [
    { beat: 0, bpm: 120, curve: "step" as const },
    { beat: 4, bpm: 60, curve: "step" as const },
  ],
};
const seconds = (beat: number) => secondsAtBeat(tempo, beat);

describe("automation lanes", () => {
  it("turns a volume lane's dB into gains, linear segments into exponential ones, times into seconds", () => {
    const lane = {
      points: [
        { beat: 0, value: -20, curve: "linear" as const },
        { beat: 6, value: 0, curve: "step" as const },
        { beat: 8, value: -6, curve: "linear" as const },
      ],
    };
    expect(laneAutomation(lane, "db_to_gain", seconds)).toEqual({
      kind: "breakpoints",
      timeline: "seconds",
      points: [
        { time: 0, value: dbToGain(-20), curve: "exponential" },
        { time: 4, value: 1, curve: "step" }, // 2 s for beats 0-4 at 120, 2 s for 4-6 at 60
        { time: 6, value: dbToGain(-6), curve: "exponential" },
      ],
    });
    expect(laneAutomation(lane, "as_is", seconds).points.map((point) => point.value)).toEqual([-20, 0, -6]);
  });

  it("compiles pan, send and device lanes onto their nodes, and a master volume lane", () => {
    const project = makeProject({
      tracks: [
        {
          kind: "bus",
          id: "b",
          sends: [{ id: "s", target: "c" }],
          devices: [{ id: "f", node_id: "builtin:filter" }],
          automation: {
            pan: {
              points: [
                { beat: 0, value: -1 },
                { beat: 4, value: 1 },
              ],
            },
            "send:s": { points: [{ beat: 0, value: -6 }] },
            "device:f:frequency": {
              points: [
                { beat: 0, value: 200, curve: "exponential" },
                { beat: 2, value: 2000 },
              ],
            },
          },
        },
        { kind: "bus", id: "c" },
      ],
      master: { automation: { volume: { points: [{ beat: 0, value: -3, curve: "step" }] } } },
    });
    const { graph } = compileProject(project, { sampleRate: 48000, buffers: {} });
    const byName = new Map(graph.nodes.map((node) => [node.name, node]));
    expect(byName.get("b.pan")?.automation.pan).toMatchObject({
      points: [
        { time: 0, value: -1 },
        { time: 2, value: 1 },
      ],
    });
    expect(byName.get("b.send.s")?.automation.gain).toMatchObject({
      points: [{ time: 0, value: dbToGain(-6) }],
    });
    expect(byName.get("b.dev.f")?.automation.frequency).toMatchObject({
      points: [
        { time: 0, value: 200, curve: "exponential" },
        { time: 1, value: 2000 },
      ],
    });
    expect(byName.get("master.fader")?.automation.gain).toMatchObject({
      points: [{ value: dbToGain(-3), curve: "step" }],
    });
    expect(byName.get("c.sum")?.inputs).toEqual(["b.send.s"]);
  });
});

describe("MIDI clips", () => {
  it("places events at the clip's start plus their beat, in seconds across a tempo change, and cuts notes at the clip's end", () => {
    const clip = MidiClipSchema.parse({
      id: "m",
      start_beat: 3,
      length_beats: 2,
      notes: [
        { beat: 0.5, length_beats: 4, note: 60, velocity: 100, channel: 2 },
        { beat: 1, length_beats: 0.5, note: 62, velocity: 90 },
      ],
      cc: [{ beat: 1.5, controller: 74, value: 64 }],
      pitch_bend: [{ beat: 0, value: -8192 }],
    });
    expect(midiClipEvents([clip], { seconds, sampleRate: 48000 })).toEqual([
      // beat 3.5 = 1.75 s; cut at the clip's end, beat 5 = 2 s + 1 s
      { type: "note", timeline: "seconds", time: 1.75, duration: 1.25, note: 60, velocity: 100, channel: 2 },
      { type: "note", timeline: "seconds", time: 2, duration: 0.5, note: 62, velocity: 90, channel: 1 },
      { type: "cc", timeline: "seconds", time: 2.5, controller: 74, value: 64, channel: 1 },
      { type: "pitch_bend", timeline: "seconds", time: 1.5, value: -8192, channel: 1 },
    ]);
  });
});

describe("clip fades", () => {
  const clip = (start: number, length: number, fields: object = {}) =>
    AudioClipSchema.parse({
      id: `c${start}`,
      start_beat: start,
      length_beats: length,
      content_id: "a",
      ...fields,
    });

  it("keeps declared fades, linear by default, where nothing overlaps", () => {
    const clips = [clip(0, 4, { fade_in: { beats: 1 }, fade_out: { beats: 0.5, curve: "equal_power" } })];
    expect(clipFades(clips, 0)).toEqual({
      fadeIn: { beats: 1, curve: "linear" },
      fadeOut: { beats: 0.5, curve: "equal_power" },
    });
  });

  it("crossfades over an overlap with equal power, and shortens a declared fade that no longer fits", () => {
    // b overlaps a by 1 beat and c by 1 beat; b declares a 2.5-beat fade in over its 3 beats.
    const clips = [
      clip(0, 4),
      clip(3, 3, { fade_in: { beats: 2.5 } }),
      clip(5, 2, { fade_in: { beats: 0.2, curve: "linear" } }),
    ];
    expect(clipFades(clips, 0)).toEqual({
      fadeIn: { beats: 0, curve: "linear" },
      fadeOut: { beats: 1, curve: "equal_power" },
    });
    // 2.5 + 1 > 3: the fade in gives way to the overlap with c (1 beat), down to 2 beats.
    expect(clipFades(clips, 1)).toEqual({
      fadeIn: { beats: 2, curve: "equal_power" },
      fadeOut: { beats: 1, curve: "equal_power" },
    });
    // An explicit curve wins over the overlap's default.
    expect(clipFades(clips, 2)).toEqual({
      fadeIn: { beats: 1, curve: "linear" },
      fadeOut: { beats: 0, curve: "linear" },
    });
  });
});
