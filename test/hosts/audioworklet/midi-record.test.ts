/**
 * A MIDI recording's two halves: MidiRecordTap (audio thread) writes what RealtimeEngine applies into
 * the ring, MidiRecordReader (engine Worker) drains and names it, over shared memory and over the
 * MessagePort fallback.
 */
import { describe, expect, it } from "vitest";
import { PortRing } from "../../../src/dataplane/port-ring";
import { SpscRing } from "../../../src/dataplane/spsc-ring";
import { MidiRecordReader } from "../../../src/hosts/audioworklet/midi-record-reader";
import { MIDI_RECORD_FIELDS, MidiRecordTap } from "../../../src/hosts/audioworklet/midi-record-tap";

const names = (node: number) => (node === 0 ? "keys" : node === 3 ? "bass" : null);

describe("MIDI recording ring", () => {
  it("records only while started, with frames counted from the start, and names each node", () => {
    const ring = SpscRing.create(16 * MIDI_RECORD_FIELDS, Float64Array);
    const tap = new MidiRecordTap(ring);
    const reader = new MidiRecordReader(ring, names);
    tap.liveMidi(0, 0x90, 60, 100, 100, 100, false); // before the start: not recorded
    tap.start(1000);
    tap.liveMidi(0, 0x91, 60, 100, 5000, 1500, false);
    tap.liveMidi(3, 0xe0, 0, 0x40, 5100, 1600, false);
    tap.liveMidi(7, 0x90, 1, 1, 5200, 1700, false); // a node no graph has now: drained, not named
    tap.liveMidi(0, 0xbf, 123, 0, 5300, 1800, false);
    expect(tap.stop(2000)).toBe(1000);
    tap.liveMidi(0, 0x80, 60, 0, 6000, 2100, false); // after the stop: not recorded
    reader.drain();
    expect(reader.received).toBe(4);
    expect(reader.take()).toEqual([
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
    ]);
    expect({ recorded: tap.recorded, lost: tap.lost }).toEqual({ recorded: 4, lost: 0 });
  });

  it("keeps scheduled messages (scheduleEvents) only when started for a render's record", () => {
    const ring = SpscRing.create(16 * MIDI_RECORD_FIELDS, Float64Array);
    const tap = new MidiRecordTap(ring);
    const reader = new MidiRecordReader(ring, names);
    tap.start(0);
    tap.liveMidi(0, 0x90, 60, 100, 4800, 4800, true); // a take: scheduled MIDI is not played live
    tap.liveMidi(0, 0x90, 62, 100, 4900, 4900, false);
    tap.start(0, true);
    tap.liveMidi(0, 0x90, 64, 100, 9600, 9600, true);
    tap.liveMidi(3, 0x80, 64, 0, 9700, 9700, false);
    reader.drain();
    expect(reader.take().map((e) => [e.frame, e.message.type])).toEqual([
      [4900, "note_on"],
      [9600, "note_on"],
      [9700, "note_off"],
    ]);
  });

  it("a render's recording carries WAM parameter changes beside the MIDI, apart from it; a take keeps none", () => {
    const ring = SpscRing.create(16 * MIDI_RECORD_FIELDS, Float64Array);
    const tap = new MidiRecordTap(ring);
    const reader = new MidiRecordReader(ring, names);
    tap.start(1000);
    tap.liveParameter(3, 1, 0.5, 5000, 1500); // a take: not recorded
    tap.start(1000, true);
    tap.liveParameter(3, 1, 0.5, 5000, 1500);
    tap.liveMidi(0, 0x90, 60, 100, 5100, 1600, false);
    tap.liveParameter(0, 0, -2.25, 5200, 1700);
    tap.liveParameter(7, 0, 1, 5300, 1800); // a node no graph has now
    reader.drain();
    expect(reader.received).toBe(4);
    expect(reader.take().map((e) => [e.node, e.frame])).toEqual([["keys", 5100]]);
    expect(reader.takeParameters()).toEqual([
      { node: "bass", param: 1, value: 0.5, frame: 5000, elapsedFrames: 500 },
      { node: "keys", param: 0, value: -2.25, frame: 5200, elapsedFrames: 700 },
    ]);
    expect(reader.takeParameters()).toEqual([]);
  });

  it("counts what a full ring refuses as lost, and a reset drops an earlier recording's tail", () => {
    const ring = SpscRing.create(2 * MIDI_RECORD_FIELDS, Float64Array);
    const tap = new MidiRecordTap(ring);
    const reader = new MidiRecordReader(ring, names);
    tap.start(0);
    for (let i = 0; i < 5; i++) tap.liveMidi(0, 0x90, 60 + i, 100, i, i, false);
    expect({ recorded: tap.recorded, lost: tap.lost }).toEqual({ recorded: 2, lost: 3 });
    reader.reset();
    expect(reader.take()).toEqual([]);
    tap.start(0);
    tap.liveMidi(0, 0x80, 60, 0, 9, 9, false);
    reader.drain();
    expect(reader.take().map((e) => e.message.type)).toEqual(["note_off"]);
  });

  it("over MessagePorts: what the tap flushes on stop reaches the reader", async () => {
    const { port1, port2 } = new MessageChannel();
    const options = { chunkLength: 8 * MIDI_RECORD_FIELDS, poolSize: 4 };
    const producer = PortRing.producer(port1, Float64Array, options);
    const consumer = PortRing.consumer(port2, Float64Array, options);
    const tap = new MidiRecordTap(producer);
    const reader = new MidiRecordReader(consumer, names);
    tap.start(0);
    for (let i = 0; i < 11; i++) tap.liveMidi(0, 0x90, 40 + i, 90, 128 * i, 128 * i, false);
    tap.stop(2000); // 8 went in a full chunk; the flush sends the other 3
    for (let wait = 0; wait < 50 && reader.received < 11; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      reader.drain();
    }
    expect(reader.take().map((e) => [e.frame, e.message.type === "note_on" ? e.message.note : -1])).toEqual(
      Array.from({ length: 11 }, (_, i) => [128 * i, 40 + i]),
    );
    port1.close();
    port2.close();
  });
});
