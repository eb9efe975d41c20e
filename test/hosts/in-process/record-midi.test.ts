/**
 * The MIDI a render played (RenderRequest.options.record_midi): events on the frames kept, relative
 * to the render's start, and the same as a Standard MIDI File that reads back on the same beats and
 * seconds, a tempo ramp included.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createEngine,
  type EngineClient,
  EngineError,
  type GraphDescriptorInput,
  type RenderRequestInput,
} from "../../../src/index";
import { importMidiFile } from "../../../src/midi/midi-file";

const SR = 48000;
/** A tick at 90 bpm, 480 ticks a quarter note, in seconds (the file's resolution). */
const TOLERANCE = 60 / 90 / 480;

function synthGraph(tempo?: GraphDescriptorInput["tempo"]): GraphDescriptorInput {
  return {
    version: "v1alpha",
    ...(tempo ? { tempo } : {}),
    nodes: [
      {
        name: "synth",
        node_id: "builtin:synth",
        midi: [
          { type: "note", time: 0.25, duration: 0.5, note: 60, velocity: 100 },
          { type: "note", time: 1, duration: 0.25, note: 64, velocity: 80, channel: 2 },
          { type: "cc", time: 1.25, controller: 74, value: 90 },
          { type: "pitch_bend", time: 1.5, value: 4096 },
          // Starts inside the render, ends after it: a note still on at the end.
          { type: "note", time: 1.75, duration: 1, note: 67, velocity: 127 },
          // After the render: not played.
          { type: "note", time: 2.75, duration: 0.1, note: 72, velocity: 60 },
        ],
      },
    ],
    output: "synth",
  };
}

function request(
  graph: GraphDescriptorInput,
  overrides: Partial<RenderRequestInput> = {},
): RenderRequestInput {
  return {
    version: "v1alpha",
    request_id: "record-midi",
    node_graph: graph,
    duration_seconds: 1.75,
    start_position_seconds: 0.5,
    sample_rate: SR,
    channels: 1,
    options: { offline: true, preroll: 0, record_midi: { nodes: ["synth"] } },
    ...overrides,
  };
}

function base64Bytes(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

let engine: EngineClient;

beforeEach(async () => {
  engine = await createEngine({ host: "in-process", sampleRate: SR });
});

afterEach(async () => {
  await engine.close();
});

describe("record_midi", () => {
  it("returns the messages the node received on the kept frames, counted from the render's start", async () => {
    const result = await engine.render(request(synthGraph()));
    expect(result.status, result.error ?? "").toBe("ok");
    const at = (seconds: number) => Math.round((seconds - 0.5) * SR);
    // The note at 0.25 s started before the render (its note-on is not replayed); its note-off at
    // 0.75 s is played. The note at 2.75 s lies after the render's end (2.25 s).
    expect(result.extensions.midi?.synth).toEqual([
      { frame: at(0.75), status: 0x80, data1: 60, data2: 0 },
      { frame: at(1), status: 0x91, data1: 64, data2: 80 },
      { frame: at(1.25), status: 0x81, data1: 64, data2: 0 },
      { frame: at(1.25), status: 0xb0, data1: 74, data2: 90 },
      { frame: at(1.5), status: 0xe0, data1: 0, data2: 96 },
      { frame: at(1.75), status: 0x90, data1: 67, data2: 127 },
    ]);
  });

  it("writes a Standard MIDI File whose notes read back on their seconds, on a tempo ramp too", async () => {
    const ramp = {
      map: [
        { beat: 0, bpm: 90, curve: "linear" as const },
        { beat: 6, bpm: 150, curve: "step" as const },
      ],
    };
    for (const tempo of [undefined, ramp]) {
      const result = await engine.render(request(synthGraph(tempo), { start_position_seconds: 0 }));
      const bytes = base64Bytes(result.extensions.midi_file ?? "");
      expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe("MThd");
      const events = importMidiFile(bytes, { timeline: "seconds" });
      const notes = events.filter((event) => event.type === "note");
      // Seconds as the file's tempo events place them: within a tick of the timeline's (a tick of 480
      // a quarter note is 1.39 ms at 90 bpm, the ramp's slowest).
      const expected = [
        { note: 60, time: 0.25, duration: 0.5, velocity: 100 },
        { note: 64, time: 1, duration: 0.25, velocity: 80 },
        // Still on at the end (1.75 s): it lasts to the end.
        { note: 67, time: 1.75, duration: 0, velocity: 127 },
      ];
      const label = tempo ? "tempo ramp" : "120 bpm";
      expect(notes.map((note) => note.note).sort(), label).toEqual([60, 64]);
      for (const want of expected.slice(0, 2)) {
        const got = notes.find((note) => note.note === want.note);
        expect(Math.abs((got?.time ?? -1) - want.time), `${label}: note ${want.note} start`).toBeLessThan(
          TOLERANCE,
        );
        expect(
          Math.abs((got?.duration ?? -1) - want.duration),
          `${label}: note ${want.note} length`,
        ).toBeLessThan(TOLERANCE);
        expect(got?.velocity).toBe(want.velocity);
      }
      const cc = events.find((event) => event.type === "cc");
      expect(cc).toMatchObject({ controller: 74, value: 90 });
      expect(Math.abs((cc?.time ?? -1) - 1.25)).toBeLessThan(TOLERANCE);
    }
  });

  it("refuses an unknown or repeated node, naming the field", async () => {
    const refusal = async (nodes: string[]) =>
      (await engine.render(request(synthGraph(), { options: { record_midi: { nodes } } })).then(
        () => undefined,
        (error: unknown) => error,
      )) as EngineError;
    const unknown = await refusal(["nope"]);
    expect(unknown).toBeInstanceOf(EngineError);
    expect(unknown.message).toBe('E_UNKNOWN_NODE at options.record_midi.nodes[0]: no node named "nope"');
    expect((await refusal(["synth", "synth"])).message).toBe(
      "E_SCHEMA at options.record_midi.nodes[1]: duplicates record_midi.nodes[0]",
    );
  });
});
