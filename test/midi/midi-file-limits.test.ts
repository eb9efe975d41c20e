/**
 * MIDI files of the sizes that used to overflow the call stack: a track of 150,000 events and a long
 * text event import, and a file with more events than a graph may hold is E_LIMIT.
 */
import { describe, expect, it } from "vitest";
import { EngineError } from "../../src/contracts";
import { importMidiFile } from "../../src/midi/midi-file";

const PPQ = 480;

/** A format-0 file with one track holding `events` (delta-time, status and data bytes), then its end. */
function smf(events: Uint8Array): Uint8Array {
  const header = [0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, PPQ >> 8, PPQ & 0xff];
  const end = [0, 0xff, 0x2f, 0];
  const length = events.length + end.length;
  const file = new Uint8Array(header.length + 8 + length);
  file.set(header);
  file.set(
    [0x4d, 0x54, 0x72, 0x6b, length >>> 24, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff],
    14,
  );
  file.set(events, 22);
  file.set(end, 22 + events.length);
  return file;
}

/** `count` control changes (CC 7) on channel 1, one tick apart, the values counting 0..127. */
function controllerTrack(count: number): Uint8Array {
  const events = new Uint8Array(4 * count);
  for (let i = 0; i < count; i++) events.set([1, 0xb0, 7, i % 128], 4 * i);
  return events;
}

/** A meta event of `type` holding `length` bytes of "A" (length < 2^21: a three-byte var-int). */
function metaEvent(type: number, length: number): Uint8Array {
  const event = new Uint8Array(6 + length).fill(0x41);
  event.set([0, 0xff, type, 0x80 | (length >> 14), 0x80 | ((length >> 7) & 0x7f), length & 0x7f]);
  return event;
}

describe("importMidiFile at scale", () => {
  it("imports a track of 150,000 events without a RangeError", () => {
    const midi = importMidiFile(smf(controllerTrack(150_000)), { timeline: "beats" });
    expect(midi.length).toBe(150_000);
    expect(midi[149_999]).toEqual({
      type: "cc",
      timeline: "beats",
      time: 150_000 / PPQ,
      controller: 7,
      value: 149_999 % 128,
      channel: 1,
    });
  });

  it("refuses a file with more events than graphEvents, with E_LIMIT naming the file", () => {
    let caught: unknown;
    try {
      importMidiFile(smf(controllerTrack(262_145)), { timeline: "seconds", source: "dense.mid" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EngineError);
    expect((caught as EngineError).message).toBe(
      "E_LIMIT: needs 262,145 events (imported from dense.mid), over the limit graphEvents = 262,144 " +
        "events: MIDI events in one graph, all nodes together (inline, from MIDI files, scheduled)",
    );
  });

  it("reads past lyrics of 300,000 bytes, which its parser would turn into a string one argument a byte", () => {
    const lyrics = metaEvent(0x05, 300_000);
    const events = new Uint8Array(lyrics.length + 4);
    events.set(lyrics);
    events.set([0, 0xb0, 7, 99], lyrics.length);
    expect(importMidiFile(smf(events), { timeline: "beats" })).toEqual([
      { type: "cc", timeline: "beats", time: 0, controller: 7, value: 99, channel: 1 },
    ]);
  });
});
