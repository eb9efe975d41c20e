/**
 * A MIDI recording across graph swaps: the real MidiRecordTap marks the ring when what plays changes
 * its naming, and the real MidiRecordReader names each record by the graph that played when it was
 * written, however late it drains it (a swap between the write and the drain, two swaps, a full ring
 * around a swap, a WAM graph's stage group), over shared memory and over the MessagePort fallback.
 */
import { describe, expect, it } from "vitest";
import { PortRing } from "../../../src/dataplane/port-ring";
import { SpscRing } from "../../../src/dataplane/spsc-ring";
import {
  graphNaming,
  MidiRecordNamings,
  NO_GROUP_NAMING,
  stagesNaming,
} from "../../../src/hosts/audioworklet/midi-record-naming";
import { MidiRecordReader } from "../../../src/hosts/audioworklet/midi-record-reader";
import { MIDI_RECORD_FIELDS, MidiRecordTap } from "../../../src/hosts/audioworklet/midi-record-tap";

/** Graph 1 plays "a" at index 0, graph 2 "b", graph 3 "c": the same index, three names. */
const GRAPHS = [null, ["a", "x"], ["b", "y"], ["c", "z"]] as const;

/**
 * A tap and a reader on one shared-memory ring of `records` records; graph 1 plays, and the driver
 * has registered graphs 1 to 3 (as it does before sending each load).
 */
function recorder(records = 16) {
  const ring = SpscRing.create(records * MIDI_RECORD_FIELDS, Float64Array);
  const namings = new MidiRecordNamings();
  for (let g = 1; g < GRAPHS.length; g++) namings.register(g, GRAPHS[g] as readonly string[]);
  const tap = new MidiRecordTap(ring);
  tap.named(1, NO_GROUP_NAMING);
  const reader = new MidiRecordReader(ring, namings);
  reader.drain();
  return { tap, reader, namings, ring };
}

/** The tap records a note_on of `note` on node `node` (a live message) at transport frame `note`. */
function play(tap: MidiRecordTap, node: number, note: number): void {
  tap.liveMidi(node, 0x90, note, 100, note, note, false);
}

/** [node, note] of each note_on the take holds. */
function taken(reader: MidiRecordReader): [string, number][] {
  return reader
    .take("take")
    .events.map((e) => [e.node, e.message.type === "note_on" ? e.message.note : -1] as [string, number]);
}

describe("MIDI recording: naming follows the ring across graph swaps", () => {
  it("records written before a swap but drained after it keep the old graph's names; the later take the new", () => {
    const { tap, reader } = recorder();
    reader.open("take");
    tap.start("take", 0);
    play(tap, 0, 60);
    play(tap, 1, 61);
    tap.named(2, NO_GROUP_NAMING); // graph 2 loaded before the Worker drained
    play(tap, 0, 62);
    play(tap, 1, 63);
    reader.drain();
    expect(taken(reader)).toEqual([
      ["a", 60],
      ["x", 61],
      ["b", 62],
      ["y", 63],
    ]);
  });

  it("two swaps between two drains: each record named by the graph of its own time", () => {
    const { tap, reader } = recorder();
    reader.open("take");
    tap.start("take", 0);
    play(tap, 0, 60);
    tap.named(2, NO_GROUP_NAMING);
    play(tap, 0, 61);
    tap.named(3, NO_GROUP_NAMING);
    play(tap, 0, 62);
    reader.drain();
    play(tap, 0, 63);
    reader.drain();
    expect(taken(reader)).toEqual([
      ["a", 60],
      ["b", 61],
      ["c", 62],
      ["c", 63],
    ]);
  });

  it("a full ring around a swap: the refused mark waits, the records behind it are lost, none misnamed", () => {
    const { tap, reader, ring } = recorder(4);
    reader.open("take");
    tap.start("take", 0);
    for (let i = 0; i < 5; i++) play(tap, 0, 60 + i); // 4 fit, 1 lost
    tap.named(2, NO_GROUP_NAMING); // no room: the mark is pending
    play(tap, 0, 70); // behind the pending mark: lost, not written under graph 1's naming
    expect(ring.availableRead()).toBe(4 * MIDI_RECORD_FIELDS);
    reader.drain(); // room again
    play(tap, 0, 71); // the mark goes first, then this
    tap.named(3, NO_GROUP_NAMING);
    play(tap, 0, 72);
    expect(tap.stop("take", 0)).toMatchObject({ recorded: 6, lost: 2 });
    reader.drain();
    expect(taken(reader)).toEqual([
      ["a", 60],
      ["a", 61],
      ["a", 62],
      ["a", 63],
      ["b", 71],
      ["c", 72],
    ]);
    expect(reader.received("take")).toBe(6);
  });

  it("two swaps while the ring is full: only the last mark is written, and names what follows it", () => {
    const { tap, reader } = recorder(2);
    reader.open("take");
    tap.start("take", 0);
    play(tap, 0, 60);
    play(tap, 0, 61);
    tap.named(2, NO_GROUP_NAMING);
    tap.named(3, NO_GROUP_NAMING); // supersedes graph 2's mark, never written
    reader.drain();
    play(tap, 0, 62);
    reader.drain();
    expect(taken(reader)).toEqual([
      ["a", 60],
      ["a", 61],
      ["c", 62],
    ]);
  });

  it("a WAM graph: its stage group names the records until it ends, a load meanwhile included", () => {
    const { tap, reader, namings } = recorder();
    // Registered in the driver's order: 4, the primary's return graph; 5, the stage group (a stage
    // node, then WAM node "synth"); 6, a plain graph loaded while the group still plays.
    namings.register(4, graphNaming(new Map([["return", 0]])));
    namings.register(5, stagesNaming([{ nodeIndex: new Map([["keys", 0]]), base: 0 }], ["synth"], 1));
    namings.register(6, graphNaming(new Map([["plain", 0]])));
    reader.open("take");
    tap.start("take", 0);
    tap.named(4, NO_GROUP_NAMING); // the return graph loaded
    tap.named(4, 5); // lead-stage-group
    play(tap, 0, 60);
    play(tap, 1, 61);
    tap.named(6, 5); // a plain graph loaded: the group plays on until end-stage-group
    play(tap, 1, 62);
    tap.named(6, NO_GROUP_NAMING); // end-stage-group
    play(tap, 0, 63);
    reader.drain();
    expect(taken(reader)).toEqual([
      ["keys", 60],
      ["synth", 61],
      ["synth", 62],
      ["plain", 63],
    ]);
  });

  it("the namings the marks leave behind are dropped, recording or not; a failed load's is forgotten", () => {
    const { tap, reader, namings } = recorder();
    expect(namings.size).toBe(3); // graphs 1, 2, 3 (0, nothing loaded, went with graph 1's mark)
    tap.named(2, NO_GROUP_NAMING); // no slot armed: marked all the same
    reader.drain();
    expect(namings.size).toBe(2);
    namings.register(4, ["d"]);
    namings.forget(4); // its load failed: no mark will name it
    namings.forget(2); // in effect: kept
    expect(namings.size).toBe(2);
    expect(namings.nameOf(0)).toBe("b");
  });

  it("over MessagePorts: the marks travel in the batches with the records, in order", async () => {
    const { port1, port2 } = new MessageChannel();
    const options = { chunkLength: 4 * MIDI_RECORD_FIELDS, poolSize: 8 };
    const producer = PortRing.producer(port1, Float64Array, options);
    const consumer = PortRing.consumer(port2, Float64Array, options);
    const namings = new MidiRecordNamings();
    namings.register(1, GRAPHS[1]);
    namings.register(2, GRAPHS[2]);
    const tap = new MidiRecordTap(producer);
    tap.named(1, NO_GROUP_NAMING);
    const reader = new MidiRecordReader(consumer, namings);
    reader.open("take");
    tap.start("take", 0);
    for (let i = 0; i < 5; i++) play(tap, 0, 60 + i); // one full batch sent, one record waiting
    tap.named(2, NO_GROUP_NAMING); // batched behind it, then flushed
    for (let i = 0; i < 5; i++) play(tap, 0, 70 + i);
    expect(tap.stop("take", 0)).toMatchObject({ recorded: 10, lost: 0 });
    for (let wait = 0; wait < 50 && reader.received("take") < 10; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      reader.drain();
    }
    expect(taken(reader)).toEqual([
      ...Array.from({ length: 5 }, (_, i): [string, number] => ["a", 60 + i]),
      ...Array.from({ length: 5 }, (_, i): [string, number] => ["b", 70 + i]),
    ]);
    port1.close();
    port2.close();
  });
});
