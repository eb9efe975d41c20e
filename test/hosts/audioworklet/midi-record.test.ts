/**
 * A MIDI recording's two halves: MidiRecordTap (audio thread) writes what RealtimeEngine applies into
 * the ring, MidiRecordReader (engine Worker) drains and names it, over shared memory and over the
 * MessagePort fallback; a take and a live render's record run side by side, each in its own slot.
 */
import { describe, expect, it } from "vitest";
import { PortRing } from "../../../src/dataplane/port-ring";
import { SpscRing } from "../../../src/dataplane/spsc-ring";
import { MidiRecordNamings, NO_GROUP_NAMING } from "../../../src/hosts/audioworklet/midi-record-naming";
import { MidiRecordReader } from "../../../src/hosts/audioworklet/midi-record-reader";
import { MIDI_RECORD_FIELDS, MidiRecordTap } from "../../../src/hosts/audioworklet/midi-record-tap";

/** The naming of a graph whose node 0 is "keys" and node 3 "bass", in effect from the start. */
function names(): MidiRecordNamings {
  const namings = new MidiRecordNamings();
  namings.register(1, ["keys", null, null, "bass"]);
  namings.follow(1, NO_GROUP_NAMING);
  return namings;
}

/** A tap and a reader on one shared-memory ring of `records` records. */
function recorder(records = 16) {
  const ring = SpscRing.create(records * MIDI_RECORD_FIELDS, Float64Array);
  return { tap: new MidiRecordTap(ring), reader: new MidiRecordReader(ring, names()) };
}

/** [frame, elapsedFrames, note] of each note event. */
function notes(events: ReturnType<MidiRecordReader["take"]>["events"]): number[][] {
  return events.map((e) => [e.frame, e.elapsedFrames, "note" in e.message ? e.message.note : -1]);
}

describe("MIDI recording ring", () => {
  it("records only while started, with frames counted from the start, and names each node", () => {
    const { tap, reader } = recorder();
    reader.open("take");
    tap.liveMidi(0, 0x90, 60, 100, 100, 100, false); // before the start: not recorded
    tap.start("take", 1000);
    tap.liveMidi(0, 0x91, 60, 100, 5000, 1500, false);
    tap.liveMidi(3, 0xe0, 0, 0x40, 5100, 1600, false);
    tap.liveMidi(7, 0x90, 1, 1, 5200, 1700, false); // a node no graph has now: drained, not named
    tap.liveMidi(0, 0xbf, 123, 0, 5300, 1800, false);
    expect(tap.stop("take", 2000)).toEqual({ recorded: 4, lost: 0, elapsedFrames: 1000 });
    tap.liveMidi(0, 0x80, 60, 0, 6000, 2100, false); // after the stop: not recorded
    reader.drain();
    expect(reader.received("take")).toBe(4);
    expect(reader.take("take")).toEqual({
      events: [
        {
          node: "keys",
          frame: 5000,
          elapsedFrames: 500,
          message: { type: "note_on", note: 60, velocity: 100, channel: 2 },
        },
        {
          node: "bass",
          frame: 5100,
          elapsedFrames: 600,
          message: { type: "pitch_bend", value: 0, channel: 1 },
        },
        { node: "keys", frame: 5300, elapsedFrames: 800, message: { type: "all_notes_off", channel: 16 } },
      ],
      parameters: [],
    });
  });

  it("keeps scheduled messages (scheduleEvents) only in a render's record", () => {
    const { tap, reader } = recorder();
    tap.start("take", 0);
    tap.liveMidi(0, 0x90, 60, 100, 4800, 4800, true); // a take: scheduled MIDI is not played live
    tap.liveMidi(0, 0x90, 62, 100, 4900, 4900, false);
    tap.stop("take", 5000);
    tap.start("render", 0);
    tap.liveMidi(0, 0x90, 64, 100, 9600, 9600, true);
    tap.liveMidi(3, 0x80, 64, 0, 9700, 9700, false);
    reader.drain();
    expect(reader.take("take").events.map((e) => [e.frame, e.message.type])).toEqual([[4900, "note_on"]]);
    expect(reader.take("render").events.map((e) => [e.frame, e.message.type])).toEqual([
      [9600, "note_on"],
      [9700, "note_off"],
    ]);
  });

  it("a render's record carries WAM parameter changes beside the MIDI, apart from it; a take keeps none", () => {
    const { tap, reader } = recorder();
    tap.start("take", 1000);
    tap.liveParameter(3, 1, 0.5, 5000, 1500); // only the take records: not recorded
    expect(tap.stop("take", 1500).recorded).toBe(0);
    tap.start("render", 1000);
    tap.liveParameter(3, 1, 0.5, 5000, 1500);
    tap.liveMidi(0, 0x90, 60, 100, 5100, 1600, false);
    tap.liveParameter(0, 0, -2.25, 5200, 1700);
    tap.liveParameter(7, 0, 1, 5300, 1800); // a node no graph has now
    reader.drain();
    expect(reader.received("render")).toBe(4);
    expect(reader.received("take")).toBe(0);
    const { events, parameters } = reader.take("render");
    expect(events.map((e) => [e.node, e.frame])).toEqual([["keys", 5100]]);
    expect(parameters).toEqual([
      { node: "bass", param: 1, value: 0.5, frame: 5000, elapsedFrames: 500 },
      { node: "keys", param: 0, value: -2.25, frame: 5200, elapsedFrames: 700 },
    ]);
    expect(reader.take("render")).toEqual({ events: [], parameters: [] });
  });

  it("counts what a full ring refuses as lost, and opening a slot drops an earlier recording's tail", () => {
    const { tap, reader } = recorder(2);
    tap.start("take", 0);
    for (let i = 0; i < 5; i++) tap.liveMidi(0, 0x90, 60 + i, 100, i, i, false);
    expect(tap.stop("take", 5)).toEqual({ recorded: 2, lost: 3, elapsedFrames: 5 });
    reader.open("take");
    expect(reader.take("take").events).toEqual([]);
    tap.start("take", 0);
    tap.liveMidi(0, 0x80, 60, 0, 9, 9, false);
    reader.drain();
    expect(reader.take("take").events.map((e) => e.message.type)).toEqual(["note_off"]);
  });

  it("over MessagePorts: what the tap flushes on stop reaches the reader", async () => {
    const { port1, port2 } = new MessageChannel();
    const options = { chunkLength: 8 * MIDI_RECORD_FIELDS, poolSize: 4 };
    const producer = PortRing.producer(port1, Float64Array, options);
    const consumer = PortRing.consumer(port2, Float64Array, options);
    const tap = new MidiRecordTap(producer);
    const reader = new MidiRecordReader(consumer, names());
    tap.start("take", 0);
    for (let i = 0; i < 11; i++) tap.liveMidi(0, 0x90, 40 + i, 90, 128 * i, 128 * i, false);
    tap.stop("take", 2000); // 8 went in a full chunk; the flush sends the other 3
    for (let wait = 0; wait < 50 && reader.received("take") < 11; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      reader.drain();
    }
    expect(
      reader.take("take").events.map((e) => [e.frame, e.message.type === "note_on" ? e.message.note : -1]),
    ).toEqual(Array.from({ length: 11 }, (_, i) => [128 * i, 40 + i]));
    port1.close();
    port2.close();
  });
});

describe("a take and a live render's record at once", () => {
  it("a message both want is in both, each on its own elapsed clock; scheduled MIDI and parameters only in the render's", () => {
    const { tap, reader } = recorder();
    reader.open("take");
    tap.start("take", 1000);
    tap.liveMidi(0, 0x90, 60, 100, 5000, 1100, false); // the take alone
    reader.open("render");
    tap.start("render", 1500);
    tap.liveMidi(0, 0x90, 62, 100, 0, 1600, false); // live: both (the render seeked to frame 0)
    tap.liveMidi(0, 0x90, 64, 100, 128, 1728, true); // scheduled: the render's only
    tap.liveParameter(3, 2, 0.75, 200, 1800); // a WAM parameter change: the render's only
    tap.liveMidi(0, 0x80, 62, 0, 300, 1900, false); // live: both
    expect(tap.stop("render", 2000)).toEqual({ recorded: 4, lost: 0, elapsedFrames: 500 });
    tap.liveMidi(0, 0x80, 60, 0, 5600, 2100, false); // the take alone again
    expect(tap.stop("take", 2200)).toEqual({ recorded: 4, lost: 0, elapsedFrames: 1200 });
    reader.drain();
    expect({ take: reader.received("take"), render: reader.received("render") }).toEqual({
      take: 4,
      render: 4,
    });
    const take = reader.take("take");
    expect(notes(take.events)).toEqual([
      [5000, 100, 60],
      [0, 600, 62],
      [300, 900, 62],
      [5600, 1100, 60],
    ]);
    expect(take.parameters).toEqual([]);
    const render = reader.take("render");
    expect(notes(render.events)).toEqual([
      [0, 100, 62],
      [128, 228, 64],
      [300, 400, 62],
    ]);
    expect(render.parameters).toEqual([
      { node: "bass", param: 2, value: 0.75, frame: 200, elapsedFrames: 300 },
    ]);
  });

  it("starting or stopping one slot leaves the other's records, count and elapsed base as they were", () => {
    const { tap, reader } = recorder();
    tap.start("render", 0);
    tap.liveMidi(0, 0x90, 60, 100, 100, 100, false); // the render's alone
    reader.open("take"); // drains the ring: the render's record keeps what it drains
    tap.start("take", 200);
    tap.liveMidi(0, 0x90, 62, 100, 300, 300, false);
    reader.open("take"); // a take starting over: the render's records stay
    tap.start("take", 400);
    tap.liveMidi(0, 0x90, 64, 100, 500, 500, false);
    expect(tap.stop("take", 600)).toEqual({ recorded: 1, lost: 0, elapsedFrames: 200 });
    tap.liveMidi(0, 0x90, 65, 100, 700, 700, false); // the render's alone again
    expect(tap.stop("render", 800)).toEqual({ recorded: 4, lost: 0, elapsedFrames: 800 });
    reader.drain();
    expect(notes(reader.take("render").events)).toEqual([
      [100, 100, 60],
      [300, 300, 62],
      [500, 500, 64],
      [700, 700, 65],
    ]);
    // The first take's note 62 was dropped when the take started over; the new one counts from 400.
    expect(notes(reader.take("take").events)).toEqual([[500, 100, 64]]);
    expect(reader.received("take")).toBe(1);
  });

  it("a full ring counts each slot's losses apart: a record refused for one may fit for the other", () => {
    // Room for three records.
    const { tap, reader } = recorder(3);
    tap.start("take", 0);
    tap.start("render", 0);
    tap.liveMidi(0, 0x90, 60, 100, 0, 0, false); // take: in; render: in
    tap.liveMidi(0, 0x90, 62, 100, 1, 1, true); // scheduled: render only, in (the ring is full)
    tap.liveMidi(0, 0x90, 64, 100, 2, 2, false); // take: lost; render: lost
    tap.liveParameter(0, 0, 1, 3, 3); // render: lost
    reader.drain(); // room again
    tap.liveMidi(0, 0x90, 65, 100, 4, 4, false); // take: in; render: in
    expect(tap.stop("take", 5)).toEqual({ recorded: 2, lost: 1, elapsedFrames: 5 });
    expect(tap.stop("render", 5)).toEqual({ recorded: 3, lost: 2, elapsedFrames: 5 });
    reader.drain();
    expect(reader.take("take").events.map((e) => e.frame)).toEqual([0, 4]);
    expect(reader.take("render").events.map((e) => e.frame)).toEqual([0, 1, 4]);
  });
});
