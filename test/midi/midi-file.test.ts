import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tonejsMidi from "@tonejs/midi";
import { describe, expect, it } from "vitest";

import { GraphNodeSchema } from "../../src/contracts/graph-descriptor";
import { importMidiFile, MidiFileError, readMidiFile } from "../../src/midi/midi-file";

const { Midi } = (tonejsMidi as { default?: typeof tonejsMidi }).default ?? tonejsMidi;
const PPQ = 480;

/** @tonejs/midi's writer stores floor(v * 127) for velocities and CC values: aim at mid-step. */
const sevenBit = (value: number) => (value + 0.5) / 127;

/**
 * Three tracks after the tempo track: a lead on channel 1 (notes, CC 74, a pitch bend), drums on
 * channel 10, and controllers only on channel 5. Tempo: 120 bpm, then 60 bpm from beat 4.
 */
function songWithTempoChange(): Uint8Array {
  const midi = new Midi();
  midi.header.tempos = [
    { ticks: 0, bpm: 120 },
    { ticks: 4 * PPQ, bpm: 60 },
  ];
  midi.header.update();
  const lead = midi.addTrack();
  lead.channel = 0;
  lead.addNote({ midi: 60, ticks: 2 * PPQ, durationTicks: PPQ, velocity: sevenBit(100) });
  // This one spans the tempo change.
  lead.addNote({ midi: 64, ticks: 3 * PPQ, durationTicks: 2 * PPQ, velocity: sevenBit(90) });
  lead.addNote({ midi: 67, ticks: 6 * PPQ, durationTicks: PPQ / 2, velocity: sevenBit(127) });
  lead.addCC({ number: 74, ticks: 2 * PPQ, value: sevenBit(64) });
  lead.addPitchBend({ ticks: 5 * PPQ, value: -8192 }); // the writer takes the raw signed 14-bit value
  const drums = midi.addTrack();
  drums.channel = 9;
  drums.addNote({ midi: 36, ticks: 0, durationTicks: PPQ / 4, velocity: sevenBit(110) });
  drums.addNote({ midi: 38, ticks: 5 * PPQ, durationTicks: PPQ / 4, velocity: sevenBit(1) });
  const controllers = midi.addTrack();
  controllers.channel = 4;
  controllers.addCC({ number: 7, ticks: PPQ, value: sevenBit(0) });
  controllers.addPitchBend({ ticks: 6 * PPQ, value: 8191 });
  return midi.toArray();
}

describe("importMidiFile", () => {
  const song = songWithTempoChange();

  it('places events with the file\'s tempo map on "seconds" (DawDreamer beats=False)', () => {
    expect(importMidiFile(song, { timeline: "seconds" })).toEqual([
      { type: "note", timeline: "seconds", time: 0, duration: 0.125, note: 36, velocity: 110, channel: 10 },
      { type: "cc", timeline: "seconds", time: 0.5, controller: 7, value: 0, channel: 5 },
      { type: "cc", timeline: "seconds", time: 1, controller: 74, value: 64, channel: 1 },
      { type: "note", timeline: "seconds", time: 1, duration: 0.5, note: 60, velocity: 100, channel: 1 },
      // beat 3 at 120 bpm is 1.5 s; beat 5 is 2 s (4 beats at 120) + 1 s (1 beat at 60)
      { type: "note", timeline: "seconds", time: 1.5, duration: 1.5, note: 64, velocity: 90, channel: 1 },
      { type: "pitch_bend", timeline: "seconds", time: 3, value: -8192, channel: 1 },
      { type: "note", timeline: "seconds", time: 3, duration: 0.25, note: 38, velocity: 1, channel: 10 },
      { type: "pitch_bend", timeline: "seconds", time: 4, value: 8191, channel: 5 },
      { type: "note", timeline: "seconds", time: 4, duration: 0.5, note: 67, velocity: 127, channel: 1 },
    ]);
  });

  it('places events at ticks / PPQ on "beats", ignoring the file\'s tempo (DawDreamer beats=True)', () => {
    expect(importMidiFile(song, { timeline: "beats" })).toEqual([
      { type: "note", timeline: "beats", time: 0, duration: 0.25, note: 36, velocity: 110, channel: 10 },
      { type: "cc", timeline: "beats", time: 1, controller: 7, value: 0, channel: 5 },
      { type: "cc", timeline: "beats", time: 2, controller: 74, value: 64, channel: 1 },
      { type: "note", timeline: "beats", time: 2, duration: 1, note: 60, velocity: 100, channel: 1 },
      { type: "note", timeline: "beats", time: 3, duration: 2, note: 64, velocity: 90, channel: 1 },
      { type: "pitch_bend", timeline: "beats", time: 5, value: -8192, channel: 1 },
      { type: "note", timeline: "beats", time: 5, duration: 0.25, note: 38, velocity: 1, channel: 10 },
      { type: "pitch_bend", timeline: "beats", time: 6, value: 8191, channel: 5 },
      { type: "note", timeline: "beats", time: 6, duration: 0.5, note: 67, velocity: 127, channel: 1 },
    ]);
  });

  it("yields events a graph node accepts as they are", () => {
    const midi = importMidiFile(song, { timeline: "beats" });
    expect(GraphNodeSchema.parse({ name: "synth", node_id: "builtin:sampler", midi }).midi).toEqual(midi);
  });

  it("filters by MTrk index (0 is the tempo track) and by channel 1..16", () => {
    const drumsTrack = importMidiFile(song, { timeline: "beats", tracks: [2] });
    expect(drumsTrack.map((event) => [event.type, event.channel, event.time])).toEqual([
      ["note", 10, 0],
      ["note", 10, 5],
    ]);
    const channelFive = importMidiFile(song, { timeline: "beats", channels: [5] });
    expect(channelFive.map((event) => [event.type, event.channel, event.time])).toEqual([
      ["cc", 5, 1],
      ["pitch_bend", 5, 6],
    ]);
    expect(importMidiFile(song, { timeline: "beats", tracks: [0] })).toEqual([]);
    expect(importMidiFile(song, { timeline: "beats", tracks: [1, 3], channels: [10] })).toEqual([]);
  });

  it("counts the time before the first tempo event at 120 bpm, the SMF default", () => {
    const midi = new Midi();
    midi.header.tempos = [{ ticks: 2 * PPQ, bpm: 60 }];
    midi.header.update();
    const track = midi.addTrack();
    track.addNote({ midi: 60, ticks: PPQ, durationTicks: 3 * PPQ, velocity: sevenBit(100) });
    // beat 1 at 120 bpm: 0.5 s; beat 4: 1 s (2 beats at 120) + 2 s (2 beats at 60)
    expect(importMidiFile(midi.toArray(), { timeline: "seconds" })).toEqual([
      { type: "note", timeline: "seconds", time: 0.5, duration: 2.5, note: 60, velocity: 100, channel: 1 },
    ]);
  });

  it("keeps the channel of controllers sent before a program change (format 0, running status)", () => {
    // One track, 96 ticks per quarter, channel 5 (status nibble 4): volume, program change, a note whose
    // note-off is a running-status note-on with velocity 0, then a pitch bend.
    const track = [
      ...[0x00, 0xb4, 0x07, 0x64], // CC 7 = 100, before the program change
      ...[0x00, 0xc4, 0x21], // program 33
      ...[0x00, 0x94, 0x3c, 0x50], // note on 60, velocity 80
      ...[0x3c, 0x3c, 0x00], // 60 ticks later, running status: note 60 velocity 0 (note off)
      ...[0x00, 0xe4, 0x00, 0x50], // pitch bend 0x50 << 7 = 10240, minus 8192
      ...[0x00, 0xff, 0x2f, 0x00], // end of track
    ];
    const file = Uint8Array.from([
      ...[0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, 0, 96], // MThd, format 0, 1 track, 96 PPQ
      ...[0x4d, 0x54, 0x72, 0x6b, 0, 0, 0, track.length],
      ...track,
    ]);
    expect(importMidiFile(file, { timeline: "seconds" })).toEqual([
      { type: "cc", timeline: "seconds", time: 0, controller: 7, value: 100, channel: 5 },
      { type: "note", timeline: "seconds", time: 0, duration: 0.3125, note: 60, velocity: 80, channel: 5 },
      { type: "pitch_bend", timeline: "seconds", time: 0.3125, value: 2048, channel: 5 },
    ]);
  });
});

describe("MIDI file errors", () => {
  const song = songWithTempoChange();
  const failure = (bytes: Uint8Array) => {
    try {
      importMidiFile(bytes, { timeline: "beats", source: "song.mid" });
    } catch (error) {
      expect(error).toBeInstanceOf(MidiFileError);
      return (error as Error).message;
    }
    throw new Error("importMidiFile accepted a broken file");
  };

  it("names the file and the problem", () => {
    expect(failure(new TextEncoder().encode("RIFF\u0000\u0000\u0000\u0000WAVE"))).toBe(
      'song.mid: not a Standard MIDI File: starts with "RIFF", not "MThd"',
    );
    expect(failure(song.subarray(0, song.length - 5))).toMatch(
      /^song\.mid: track 3: truncated, the "MTrk" chunk declares \d+ bytes but only \d+ remain$/,
    );
    const smpte = song.slice();
    smpte.set([0xe7, 0x28], 12); // -25 fps, 40 ticks per frame
    expect(failure(smpte)).toBe(
      "song.mid: uses SMPTE time division (frames per second), which has no beats; only ticks-per-quarter files are supported",
    );
  });

  it("rejects bad options with E_SCHEMA and the option's path", () => {
    expect(() => importMidiFile(song, { timeline: "beats", channels: [0, 17] })).toThrow(
      "E_SCHEMA at options.channels[0]: must be >= 1",
    );
    expect(() => importMidiFile(song, { timeline: "bars" as "beats" })).toThrow(
      "E_SCHEMA at options.timeline: must be one of seconds, beats",
    );
  });

  it("reads from disk and names a missing file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "webdreamer-midi-"));
    try {
      await writeFile(join(dir, "song.mid"), song);
      expect(await readMidiFile(join(dir, "song.mid"), { timeline: "beats" })).toHaveLength(9);
      await expect(readMidiFile(join(dir, "nope.mid"), { timeline: "beats" })).rejects.toThrow(
        `${join(dir, "nope.mid")}: cannot read: ENOENT`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
