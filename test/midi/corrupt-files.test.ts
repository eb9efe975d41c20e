/**
 * Files that used to import as events no v1alpha MidiEvent can hold, or to fail with a JavaScript
 * error's text as their problem. All but the last are the fuzz suite's counterexamples
 * (test/fuzz/midi.test.ts), shrunk; the last is their neighbour found while reading them. Each is now
 * refused with a MidiFileError that says why, or imported without the event.
 */
import { describe, expect, it } from "vitest";

import { MidiEventSchema } from "../../src/contracts/graph-descriptor";
import { parseContract } from "../../src/contracts/validate";
import { importMidiFile, MidiFileError } from "../../src/midi/midi-file";

const bytesOf = (text: string) => Uint8Array.from(text.split(" ").map((hex) => Number.parseInt(hex, 16)));

/** A format-0 file of one track holding `track` (hex bytes), at `division` ticks per quarter note. */
function smf(track: number[], division = 480): Uint8Array {
  const length = track.length;
  return Uint8Array.from([
    ...[0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, division >> 8, division & 0xff],
    ...[0x4d, 0x54, 0x72, 0x6b, length >>> 24, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff],
    ...track,
  ]);
}

function problemOf(bytes: Uint8Array): string {
  try {
    importMidiFile(bytes, { timeline: "seconds", source: "bad.mid" });
  } catch (error) {
    expect(error).toBeInstanceOf(MidiFileError);
    return (error as MidiFileError).message;
  }
  throw new Error("the file was imported");
}

describe("importMidiFile refuses what no MidiEvent can hold", () => {
  it("a channel message with a data byte of 0x80 or more (it became controller 255)", () => {
    // A control change 0xB0 0xFF 0x00 in the second track of a format-1 file.
    const file = bytesOf(
      "4d 54 68 64 00 00 00 06 00 01 00 02 00 01 4d 54 72 6b 00 00 00 08 00 ff 03 00 00 ff 2f 00 4d 54 72 6b " +
        "00 00 00 10 00 ff 03 00 00 c0 00 00 b0 ff 00 00 ff 2f 00 00",
    );
    expect(problemOf(file)).toBe(
      "bad.mid: track 1: a channel message has data byte 0xff (data bytes are below 0x80)",
    );
  });

  it("a delta time longer than 4 bytes (its event landed before time 0)", () => {
    const file = bytesOf(
      "4d 54 68 64 00 00 00 06 00 01 00 02 00 01 4d 54 72 6b 00 00 00 0f ff ff ff fe 00 ff 51 03 07 90 fb 00 " +
        "ff 2f 00 4d 54 72 6b 00 00 00 0f 00 ff 03 00 00 c0 00 00 b0 00 00 00 ff 2f 00",
    );
    expect(problemOf(file)).toBe("bad.mid: track 0: a variable-length quantity runs past 4 bytes");
  });

  it("a tempo of 0 microseconds per quarter note (notes lasted 0 s)", () => {
    const file = smf([
      0, 0xff, 0x51, 3, 0, 0, 0, 0, 0x90, 60, 100, 0x83, 0x60, 0x80, 60, 0, 0, 0xff, 0x2f, 0,
    ]);
    expect(problemOf(file)).toBe("bad.mid: track 0: a tempo event sets 0 microseconds per quarter note");
  });

  it("a file with no track, or an empty first track (@tonejs/midi failed with a TypeError)", () => {
    // The message was "corrupt MIDI file: Cannot read properties of undefined (reading 'forEach')".
    const header = (tracks: number) => [0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 1, 0, tracks, 1, 0xe0];
    const emptyTrack = [0x4d, 0x54, 0x72, 0x6b, 0, 0, 0, 0];
    const endOfTrack = [0x4d, 0x54, 0x72, 0x6b, 0, 0, 0, 4, 0, 0xff, 0x2f, 0];
    expect(problemOf(Uint8Array.from(header(0)))).toBe("bad.mid: the header declares no tracks");
    expect(problemOf(Uint8Array.from([...header(0), ...endOfTrack]))).toBe(
      "bad.mid: the header declares no tracks",
    );
    expect(problemOf(Uint8Array.from(header(1)))).toBe("bad.mid: no track follows the MThd header chunk");
    expect(problemOf(Uint8Array.from([...header(1), ...emptyTrack]))).toBe(
      "bad.mid: track 0 holds no events, not even End of Track",
    );
    // An empty track after the first is harmless: it imports as no events.
    expect(
      importMidiFile(Uint8Array.from([...header(2), ...endOfTrack, ...emptyTrack]), { timeline: "beats" }),
    ).toEqual([]);
  });

  it("leaves out a note too short to outlast rounding at its time in seconds", () => {
    // The slowest tempo for 40 of the longest delta times (some 64 days), then 1 us per quarter note
    // at 32767 ticks per quarter: a one-tick note lasts 3e-11 s, below the rounding of its start time.
    const track = [0, 0xff, 0x51, 3, 0xff, 0xff, 0xff];
    for (let i = 0; i < 40; i++) track.push(0xff, 0xff, 0xff, 0x7f, 0xff, 0x01, 0);
    track.push(0, 0xff, 0x51, 3, 0, 0, 1, 0, 0x90, 60, 100, 1, 0x80, 60, 0, 0, 0x90, 62, 100);
    track.push(0x81, 0x80, 0x80, 0, 0x80, 62, 0, 0, 0xff, 0x2f, 0);
    const events = importMidiFile(smf(track, 0x7fff), { timeline: "seconds" });
    // The one-tick note is gone; the long one stays, a valid MidiEvent.
    expect(events.map((event) => event.type === "note" && event.note)).toEqual([62]);
    for (const event of events) expect(parseContract(MidiEventSchema, event)).toEqual(event);
  });
});
