/**
 * Fuzzing the Standard MIDI File importer (src/midi/midi-file.ts).
 *
 * importMidiFile on arbitrary bytes, on files built chunk by chunk from an event grammar with good and
 * bad values, and on valid files (written by @tonejs/midi) with bytes changed, cut or added: it returns
 * events that are valid v1alpha MidiEvents, in time order, no more of them than the file has bytes for,
 * or throws MidiFileError naming the source. Bad options are E_SCHEMA. A valid file's notes, controllers
 * and bends come back on the beats timeline exactly as written.
 *
 * Files stay under 2 KiB, to keep the cases many; files with 150,000 events and long texts (once
 * stack overflows in the importer) are regression tests of their own (test/midi/midi-file-limits.test.ts).
 */
import * as tonejsMidi from "@tonejs/midi";
import fc from "fast-check";
import { expect } from "vitest";

import { MidiEventSchema } from "../../src/contracts/graph-descriptor";
import { parseContract } from "../../src/contracts/validate";
import { importMidiFile, MidiFileError, type MidiImportOptions } from "../../src/midi/midi-file";
import { applyEdits, type Bytes, byteEdit, bytesOf, rarely } from "./support/byte-mutations";
import { fuzz } from "./support/harness";
import { edgeValue } from "./support/json-mutations";
import { expectEngineError, expectOwnWords, notADomainError, outcomeOf } from "./support/outcomes";

const { Midi } = (tonejsMidi as { default?: typeof tonejsMidi }).default ?? tonejsMidi;

const SOURCE = "fuzz.mid";
const TYPE_ORDER = { cc: 0, pitch_bend: 1, note: 2 } as const;

/** Imports, accepting only contract-valid events in order, or a MidiFileError about SOURCE. */
function importsOrRejects(bytes: Bytes, options: Omit<MidiImportOptions, "source"> = { timeline: "beats" }) {
  const events = outcomeOf(
    () => importMidiFile(bytes, { ...options, source: SOURCE }),
    (error) => {
      if (!(error instanceof MidiFileError)) notADomainError(error, "a MidiFileError");
      expect(error.file).toBe(SOURCE);
      expect(error.problem.trim()).not.toBe("");
      // The importer's consistency check firing means a file it should have described as corrupt.
      expect(error.problem).not.toMatch(/internal error/);
      expectOwnWords(error.problem);
    },
  );
  if (events === undefined) return undefined;
  // Each event is at least two bytes of the file (a data byte pair under running status).
  expect(events.length * 2).toBeLessThanOrEqual(bytes.length);
  events.forEach((event, index) => {
    expect(parseContract(MidiEventSchema, event, `events[${index}]`)).toEqual(event);
    expect(event.timeline).toBe(options.timeline);
    const previous = events[index - 1];
    if (previous !== undefined) {
      expect(event.time).toBeGreaterThanOrEqual(previous.time);
      if (event.time === previous.time) {
        expect(TYPE_ORDER[event.type]).toBeGreaterThanOrEqual(TYPE_ORDER[previous.type]);
      }
    }
  });
  return events;
}

// ---- generators ----

interface SongPlan {
  ppq: number;
  tempos: { ticks: number; bpm: number }[];
  tracks: {
    channel: number;
    notes: { midi: number; ticks: number; durationTicks: number; velocity: number }[];
    ccs: { number: number; ticks: number; value: number }[];
    bends: { ticks: number; value: number }[];
  }[];
}

const songPlan: fc.Arbitrary<SongPlan> = fc.record({
  ppq: fc.oneof(fc.constantFrom(1, 24, 96, 480, 960, 0x7fff), fc.integer({ min: 1, max: 0x7fff })),
  tempos: fc.array(fc.record({ ticks: fc.nat({ max: 4000 }), bpm: fc.integer({ min: 4, max: 1000 }) }), {
    maxLength: 3,
  }),
  tracks: fc.array(
    fc.record({
      channel: fc.integer({ min: 0, max: 15 }),
      // One note per pitch: overlapping notes of one pitch pair their note-offs ambiguously.
      notes: fc.uniqueArray(
        fc.record({
          midi: fc.integer({ min: 0, max: 127 }),
          ticks: fc.nat({ max: 4000 }),
          durationTicks: fc.nat({ max: 2000 }),
          // A note-on of velocity 0 is a note-off.
          velocity: fc.integer({ min: 1, max: 127 }),
        }),
        { selector: (note) => note.midi, maxLength: 8 },
      ),
      ccs: fc.array(
        fc.record({
          // Not controller 127: @tonejs/midi's writer leaves it out of the file.
          number: fc.integer({ min: 0, max: 126 }),
          ticks: fc.nat({ max: 4000 }),
          value: fc.integer({ min: 0, max: 127 }),
        }),
        { maxLength: 4 },
      ),
      bends: fc.array(
        fc.record({ ticks: fc.nat({ max: 4000 }), value: fc.integer({ min: -8192, max: 8191 }) }),
        {
          maxLength: 3,
        },
      ),
    }),
    { maxLength: 4 },
  ),
});

/** @tonejs/midi's writer stores floor(v * 127) for 7-bit values: aim at mid-step. */
const sevenBit = (value: number) => (value + 0.5) / 127;

function writeSong(plan: SongPlan): Bytes {
  const midi = new Midi();
  midi.header.tempos = plan.tempos;
  midi.header.update();
  for (const planned of plan.tracks) {
    const track = midi.addTrack();
    track.channel = planned.channel;
    for (const note of planned.notes) track.addNote({ ...note, velocity: sevenBit(note.velocity) });
    for (const cc of planned.ccs) track.addCC({ ...cc, value: sevenBit(cc.value) });
    for (const bend of planned.bends) track.addPitchBend(bend);
  }
  const bytes = bytesOf(midi.toArray());
  // The writer always says 480 ticks per quarter; the division is bytes 12-13 of MThd.
  new DataView(bytes.buffer).setUint16(12, plan.ppq);
  return bytes;
}

const validSmf = songPlan.map(writeSong);

const data = fc.nat({ max: 127 });
const channelMessage = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.integer({ min: 0x80, max: 0xef }), data, data).map((e) => [...e]) },
  { weight: 3, arbitrary: fc.tuple(fc.integer({ min: 0xc0, max: 0xdf }), data).map((e) => [...e]) },
);
/** Events a well-formed track may hold: channel messages, running status, meta and sysex events. */
const goodEvent: fc.Arbitrary<readonly number[]> = fc.oneof(
  { weight: 11, arbitrary: channelMessage },
  {
    // A two-data-byte message, then repeats of it under running status (delta 0, data bytes only).
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.integer({ min: 0x80, max: 0xbf }),
        data,
        data,
        fc.array(fc.tuple(data, data), { maxLength: 3 }),
      )
      .map(([status, first, second, repeats]) => [
        status,
        first,
        second,
        ...repeats.flatMap((pair) => [0, ...pair]),
      ]),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(0x01, 0x03, 0x7f), fc.uint8Array({ maxLength: 6 }))
      .map(([type, body]) => [0xff, type, body.length, ...body]),
  },
  {
    // Tempos: 1 and 65,793 microseconds per quarter, 120 bpm, the slowest a file can state.
    weight: 2,
    arbitrary: fc
      .constantFrom([0, 0, 1], [1, 1, 1], [0x07, 0xa1, 0x20], [0xff, 0xff, 0xff])
      .map((tempo) => [0xff, 0x51, 3, ...tempo]),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 6 }).map((body) => [0xf0, body.length, ...body]) },
);
/** Events a corrupt track may hold besides good ones: each breaks one rule of the format. */
const badEvent: fc.Arbitrary<readonly number[]> = fc.oneof(
  // A data byte of 0x80 or more inside a channel message.
  fc
    .tuple(fc.integer({ min: 0x80, max: 0xef }), fc.integer({ min: 0x80, max: 0xff }), data)
    .map(([status, first, second]) => (first % 2 ? [status, first, second] : [status, second, first])),
  fc.constant([0xff, 0x51, 3, 0, 0, 0]), // a tempo of 0 us per quarter note
  fc.constant([0xff, 0x2f, 0]), // End of Track before the end
  fc
    .tuple(
      fc.constantFrom(0xff, 0xf0, 0xf7),
      fc.constantFrom([0x8f, 0xff, 0xff, 0x7f], [0xff, 0xff, 0xff, 0xff, 0x0f]),
    )
    .map(([status, length]) => (status === 0xff ? [0xff, 0x01, ...length] : [status, ...length])),
  fc.integer({ min: 0xf1, max: 0xfe }).map((status) => [status]), // no such status
  fc.uint8Array({ maxLength: 4 }).map((bytes) => [...bytes]),
);

/** Delta times: mostly one byte, sometimes the longest legal ones. */
const goodDelta: fc.Arbitrary<readonly number[]> = fc.oneof(
  { weight: 12, arbitrary: data.map((n) => [n]) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      [0x81, 0x00],
      [0xff, 0x7f],
      [0x8f, 0xff, 0xff, 0x7f],
      [0xff, 0xff, 0xff, 0x7f],
    ),
  },
);
// Five bytes: the first overflows a 32-bit shift to -2^31, the second to -1; the third is 0.
const badDelta = fc.constantFrom(
  [0x88, 0x80, 0x80, 0x80, 0x00],
  [0xff, 0xff, 0xff, 0xff, 0x7f],
  [0x80, 0x80, 0x80, 0x80, 0x00],
);

/**
 * A track's events: a clean track, or one that breaks one rule once in its events (its first event
 * has a status byte, so running status has something to repeat).
 */
const trackEvents: fc.Arbitrary<readonly number[]> = fc
  .record({
    first: channelMessage,
    events: fc.array(fc.tuple(goodDelta, goodEvent), { maxLength: 20 }),
    fault: rarely(
      fc.tuple(fc.nat(), fc.oneof(fc.tuple(goodDelta, badEvent), fc.tuple(badDelta, goodEvent))),
      8,
    ),
  })
  .map(({ first, events, fault }) => {
    const all: (readonly [readonly number[], readonly number[]])[] = [[[0], first], ...events];
    if (fault !== null) all.splice(fault[0] % (all.length + 1), 0, fault[1]);
    return all.flatMap(([delta, event]) => [...delta, ...event]);
  });

function chunk(id: string, body: number[], declared?: number): number[] {
  const length = declared ?? body.length;
  return [
    ...[...id].map((c) => c.charCodeAt(0)),
    length >>> 24,
    (length >>> 16) & 0xff,
    (length >>> 8) & 0xff,
    length & 0xff,
    ...body,
  ];
}

/** A file built chunk by chunk: header fields and track contents each good or bad. */
const builtSmf: fc.Arbitrary<Bytes> = fc
  .record({
    format: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(0, 1, 2) }, fc.constantFrom(3, 0xffff)),
    trackCount: rarely(fc.constantFrom(0, 1, 2, 5, 0xffff)),
    division: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(1, 96, 480, 0x7fff) },
      fc.constantFrom(0, 0x8000, 0xe250, 0xffff),
    ),
    headerLength: fc.oneof({ weight: 20, arbitrary: fc.constant(6) }, fc.constantFrom(0, 5, 8)),
    tracks: fc.array(
      fc.record({
        id: fc.oneof({ weight: 12, arbitrary: fc.constant("MTrk") }, fc.constantFrom("MThd", "XFIH")),
        events: trackEvents,
        endOfTrack: fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, fc.constant(false)),
        declared: rarely(fc.constantFrom(0, 1, 0x7fff_ffff, 0xffff_ffff), 12),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .map(({ format, trackCount, division, headerLength, tracks }) => {
    const header = [format >> 8, format & 0xff, 0, 0, division >> 8, division & 0xff, 0, 0].slice(
      0,
      headerLength,
    );
    const count = trackCount ?? tracks.length;
    if (header.length >= 4) {
      header[2] = count >> 8;
      header[3] = count & 0xff;
    }
    const body = tracks.flatMap(({ id, events, endOfTrack, declared }) => {
      const bytes = [...events];
      if (endOfTrack) bytes.push(0, 0xff, 0x2f, 0);
      return chunk(id, bytes, declared ?? undefined);
    });
    return bytesOf(Uint8Array.from([...chunk("MThd", header), ...body]));
  });

const MTHD = [0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6];
const inputBytes = ([bytes]: readonly [Uint8Array, unknown]) => bytes.length;
const timeline = fc.constantFrom<MidiImportOptions["timeline"]>("beats", "seconds");

// ---- properties ----

fuzz(
  "importMidiFile on arbitrary bytes (and bytes after an MThd header)",
  fc.tuple(
    fc.oneof(
      fc.uint8Array({ maxLength: 512 }),
      fc.uint8Array({ maxLength: 512 }).map((tail) => bytesOf(Uint8Array.from([...MTHD, ...tail]))),
    ),
    timeline,
  ),
  ([bytes, line]) => {
    importsOrRejects(bytes, { timeline: line });
  },
  { quickRuns: 60, inputBytes },
);

fuzz(
  "importMidiFile on files built chunk by chunk",
  fc.tuple(builtSmf, timeline),
  ([bytes, line]) => {
    importsOrRejects(bytes, { timeline: line });
  },
  { quickRuns: 80, inputBytes },
);

fuzz(
  "importMidiFile on valid files with bytes changed, cut or added",
  fc.tuple(
    fc
      .tuple(validSmf, fc.array(byteEdit(40), { minLength: 1, maxLength: 4 }))
      .map(([bytes, edits]) => applyEdits(bytes, edits)),
    timeline,
  ),
  ([bytes, line]) => {
    importsOrRejects(bytes, { timeline: line });
  },
  { quickRuns: 80, inputBytes },
);

fuzz(
  "importMidiFile on valid files: notes, controllers and bends come back as written, on beats",
  songPlan,
  (plan) => {
    const events = importsOrRejects(writeSong(plan), { timeline: "beats" }) ?? [];
    const expected = plan.tracks.flatMap((track) => {
      const channel = track.channel + 1;
      return [
        ...track.notes
          .filter((note) => note.durationTicks > 0)
          .map((note) => ({
            type: "note",
            timeline: "beats",
            time: note.ticks / plan.ppq,
            duration: (note.ticks + note.durationTicks) / plan.ppq - note.ticks / plan.ppq,
            note: note.midi,
            velocity: note.velocity,
            channel,
          })),
        ...track.ccs.map((cc) => ({
          type: "cc",
          timeline: "beats",
          time: cc.ticks / plan.ppq,
          controller: cc.number,
          value: cc.value,
          channel,
        })),
        ...track.bends.map((bend) => ({
          type: "pitch_bend",
          timeline: "beats",
          time: bend.ticks / plan.ppq,
          value: bend.value,
          channel,
        })),
      ];
    });
    // Same events; the order among equal (time, type) pairs is the importer's, checked above.
    const key = (event: object) => JSON.stringify(event, Object.keys(event).sort());
    expect(events.map(key).sort()).toEqual(expected.map(key).sort());
  },
  { quickRuns: 25 },
);

fuzz(
  "importMidiFile with arbitrary options: E_SCHEMA naming the option, or events",
  fc.record(
    {
      timeline: fc.oneof(timeline, edgeValue()),
      tracks: fc.oneof(fc.array(fc.integer({ min: -1, max: 4 }), { maxLength: 3 }), edgeValue()),
      channels: fc.oneof(fc.array(fc.integer({ min: 0, max: 17 }), { maxLength: 3 }), edgeValue()),
      source: fc.oneof(fc.string(), edgeValue()),
      extra: edgeValue(),
    },
    { requiredKeys: [] },
  ),
  (options) => {
    const bytes = writeSong({
      ppq: 480,
      tempos: [],
      tracks: [
        { channel: 2, notes: [{ midi: 60, ticks: 0, durationTicks: 10, velocity: 90 }], ccs: [], bends: [] },
      ],
    });
    // The options as an untyped caller (JavaScript, a CLI) could pass them.
    const untyped: MidiImportOptions = JSON.parse(JSON.stringify(options) ?? "null");
    outcomeOf(
      () => importMidiFile(bytes, untyped),
      (error) => expectEngineError(error, ["E_SCHEMA"], { rootLabel: "options", listsIssues: true }),
    );
  },
  { quickRuns: 30 },
);
