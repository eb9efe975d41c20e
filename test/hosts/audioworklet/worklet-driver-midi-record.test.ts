/**
 * WorkletDriver's MIDI recordings against a fake worklet that runs the real MidiRecordTap on the ring
 * the driver hands over: a take (startMidiRecording) and a live render's record (startRenderMidi) run
 * at once, each started and stopped on its own, each getting what it gets alone.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type GraphDescriptor, GraphDescriptorSchema, parseContract } from "../../../src/contracts";
import { openRing } from "../../../src/dataplane/data-plane";
import { instantiateEngine } from "../../../src/engine/engine-module";
import { type ProcessorTypeInfo, readProcessorTypes } from "../../../src/engine/processor-types";
import { NO_GROUP_NAMING } from "../../../src/hosts/audioworklet/midi-record-naming";
import { MIDI_RECORD_DRAIN_MS } from "../../../src/hosts/audioworklet/midi-record-reader";
import { MidiRecordTap } from "../../../src/hosts/audioworklet/midi-record-tap";
import { WorkletDriver } from "../../../src/hosts/audioworklet/worklet-driver";
import { loadEngineModuleFromDisk } from "../../../src/hosts/in-process/engine-file";
import type { TypedPort } from "../../../src/protocol/typed-port";
import type { WorkerToWorkletMessage } from "../../../src/protocol/worker-to-worklet";
import type { WorkletToWorkerMessage } from "../../../src/protocol/worklet-to-worker";

const SR = 48000;

const GRAPH: GraphDescriptor = parseContract(GraphDescriptorSchema, {
  version: "v1alpha",
  nodes: [{ name: "keys", node_id: "builtin:sampler" }],
  output: "keys",
});

/**
 * The worklet's side: loads are answered (and mark the ring with the graph's naming), and midi-record messages start and stop the slots of a
 * MidiRecordTap writing into the MIDI recording ring, at the played-frames clock `played`.
 */
class FakeRecordingWorklet implements TypedPort<WorkerToWorkletMessage, WorkletToWorkerMessage> {
  onmessage: ((event: MessageEvent<WorkletToWorkerMessage>) => void) | null = null;
  tap: MidiRecordTap | null = null;
  played = 0;
  /** The MIDI naming generations of the loaded graph and of the stage group led (none: -1). */
  private program = 0;
  private group = NO_GROUP_NAMING;

  /** The main thread's lead-stage-group (`midiNaming`: what setStages returned) or end-stage-group (-1). */
  leadStages(midiNaming: number): void {
    this.group = midiNaming;
    this.tap?.named(this.program, this.group);
  }

  postMessage(message: WorkerToWorkletMessage): void {
    if (message.type === "connect-commands") {
      this.tap = new MidiRecordTap(openRing(message.midiRecord, Float64Array));
      return;
    }
    queueMicrotask(() => {
      if (message.type === "load") {
        // As EngineProcessor: the graph plays, the ring is marked with its naming (a stage group
        // led names the records until it ends).
        this.program = message.midiNaming;
        this.tap?.named(this.program, this.group);
        this.reply({ type: "loaded", id: message.id });
      }
      if (message.type !== "midi-record") return;
      const tap = this.tap as MidiRecordTap;
      if (message.on) {
        tap.start(message.slot, this.played);
        this.reply({ type: "midi-record-started", id: message.id });
      } else {
        this.reply({ type: "midi-record-stopped", id: message.id, ...tap.stop(message.slot, this.played) });
      }
    });
  }

  /**
   * The engine applies a note on node `node` (0: keys in GRAPH) on transport frame `frame`; the clock
   * moves to `played`.
   */
  note(note: number, frame: number, played: number, scheduled = false, node = 0): void {
    this.played = played;
    this.tap?.liveMidi(node, 0x90, note, 100, frame, played, scheduled);
  }

  private reply(message: WorkletToWorkerMessage): void {
    this.onmessage?.(new MessageEvent("message", { data: message }));
  }
}

let types: readonly ProcessorTypeInfo[];
let worklet: FakeRecordingWorklet;
let driver: WorkletDriver;
const isolation = Object.getOwnPropertyDescriptor(globalThis, "crossOriginIsolated");

beforeAll(async () => {
  types = readProcessorTypes(instantiateEngine(await loadEngineModuleFromDisk()));
});

beforeEach(async () => {
  Object.defineProperty(globalThis, "crossOriginIsolated", { value: true, configurable: true });
  worklet = new FakeRecordingWorklet();
  driver = new WorkletDriver(worklet, types, SR, async () => [new Float32Array(4)]);
  await driver.load(GRAPH);
});

afterEach(() => {
  driver.dispose();
  if (isolation) Object.defineProperty(globalThis, "crossOriginIsolated", isolation);
  else Reflect.deleteProperty(globalThis, "crossOriginIsolated");
});

/** [frame, elapsedFrames, note] of each recorded note_on. */
function notes(recording: { events: { frame: number; elapsedFrames: number; message: unknown }[] }) {
  return recording.events.map((e) => [e.frame, e.elapsedFrames, (e.message as { note: number }).note]);
}

describe("WorkletDriver: a take and a live render's record at once", () => {
  it("a render recorded inside a take: each holds what it holds alone, elapsed from its own start", async () => {
    worklet.played = 1000;
    await driver.startMidiRecording();
    worklet.note(60, 5000, 1100);
    worklet.played = 1500;
    await driver.startRenderMidi("options.record_midi");
    worklet.note(62, 0, 1600); // live: both
    worklet.note(64, 128, 1700, true); // scheduled: the render's only
    worklet.played = 2000;
    const render = await driver.stopRenderMidi();
    worklet.note(65, 6000, 2100); // the take goes on
    worklet.played = 2500;
    const take = await driver.stopMidiRecording();
    expect(notes(render)).toEqual([
      [0, 100, 62],
      [128, 200, 64],
    ]);
    expect({ elapsed: render.elapsedFrames, lost: render.lost }).toEqual({ elapsed: 500, lost: 0 });
    expect(notes(take)).toEqual([
      [5000, 100, 60],
      [0, 600, 62],
      [6000, 1100, 65],
    ]);
    expect(take).toMatchObject({ sampleRate: SR, elapsedFrames: 1500, lost: 0 });
    // A take is a MidiRecording: no parameter changes field.
    expect(Object.keys(take).sort()).toEqual(["elapsedFrames", "events", "lost", "sampleRate"]);
  });

  it("a take started and stopped inside a render leaves the render's record whole", async () => {
    await driver.startRenderMidi("options.record_automation");
    worklet.note(60, 0, 100);
    worklet.played = 200;
    await driver.startMidiRecording();
    worklet.note(62, 300, 300);
    worklet.played = 400;
    const take = await driver.stopMidiRecording();
    worklet.note(64, 500, 500);
    worklet.played = 600;
    const render = await driver.stopRenderMidi();
    expect(notes(take)).toEqual([[300, 100, 62]]);
    expect(take.elapsedFrames).toBe(200);
    expect(notes(render)).toEqual([
      [0, 100, 60],
      [300, 300, 62],
      [500, 500, 64],
    ]);
    expect(render.elapsedFrames).toBe(600);
  });

  it("the ring is drained while either records: stopping the render leaves the take's drain running", async () => {
    await driver.startMidiRecording();
    await driver.startRenderMidi();
    await driver.stopRenderMidi();
    // Records written now are drained by the timer, not only by the take's stop.
    const ring = (driver as unknown as { midiRecord: { ring: { availableRead(): number } } }).midiRecord.ring;
    worklet.note(60, 0, 10);
    expect(ring.availableRead()).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 2.5 * MIDI_RECORD_DRAIN_MS));
    expect(ring.availableRead()).toBe(0);
    expect(notes(await driver.stopMidiRecording())).toEqual([[0, 10, 60]]);
  });

  it("a second live render's record is refused while one runs; a take's stop needs a take", async () => {
    await driver.startRenderMidi();
    await expect(driver.startRenderMidi("options.record_automation")).rejects.toMatchObject({
      code: "E_HOST_UNAVAILABLE",
      path: "options.record_automation",
    });
    await expect(driver.stopMidiRecording()).rejects.toMatchObject({ code: "E_SCHEMA" });
    await driver.stopRenderMidi();
  });
});

/** Node 0 is "pad" here, "keys" in GRAPH: the same index, another name. */
const PAD_GRAPH: GraphDescriptor = parseContract(GraphDescriptorSchema, {
  version: "v1alpha",
  nodes: [{ name: "pad", node_id: "builtin:sampler" }],
  output: "pad",
});

/** [node, note] of each recorded note_on. */
function named(recording: { events: { node: string; message: unknown }[] }) {
  return recording.events.map((e) => [e.node, (e.message as { note: number }).note]);
}

describe("WorkletDriver: a MIDI recording across graph loads", () => {
  it("a take spanning a load names what was played before it by the old graph, even drained after it", async () => {
    await driver.startMidiRecording();
    worklet.note(60, 0, 10); // keys, still in the ring when the load goes out
    await driver.load(PAD_GRAPH);
    worklet.note(62, 128, 20); // node 0 is pad now
    await driver.load(GRAPH);
    worklet.note(64, 256, 30); // keys again
    const take = await driver.stopMidiRecording();
    expect(named(take)).toEqual([
      ["keys", 60],
      ["pad", 62],
      ["keys", 64],
    ]);
    expect(take.lost).toBe(0);
  });

  it("a live render's record across a load keeps each message's node, the take's beside it", async () => {
    await driver.startRenderMidi();
    await driver.startMidiRecording();
    worklet.note(60, 0, 10);
    await driver.load(PAD_GRAPH);
    worklet.note(62, 128, 20, true); // scheduled: the render's only
    const take = await driver.stopMidiRecording();
    const render = await driver.stopRenderMidi();
    expect(named(take)).toEqual([["keys", 60]]);
    expect(named(render)).toEqual([
      ["keys", 60],
      ["pad", 62],
    ]);
  });

  it("a WAM graph's stage group names its nodes from its start to its end, a load meanwhile included", async () => {
    await driver.startMidiRecording();
    await driver.load(PAD_GRAPH); // stands for the return graph the primary plays
    const stages = driver.setStages(
      [{ graph: GRAPH, nodeIndex: new Map([["keys", 0]]), nodeCount: 1 }],
      ["synth"], // WAM node 0: group index 1
    );
    worklet.note(59, 0, 5, false, 0); // before lead-stage-group: the pad graph's node 0
    worklet.leadStages(stages);
    worklet.note(60, 0, 10, false, 0);
    worklet.note(61, 0, 20, false, 1);
    await driver.load(GRAPH); // the plain graph plays; the group until its end-stage-group
    worklet.note(62, 0, 30, false, 1);
    worklet.leadStages(NO_GROUP_NAMING);
    worklet.note(63, 0, 40, false, 0);
    expect(named(await driver.stopMidiRecording())).toEqual([
      ["pad", 59],
      ["keys", 60],
      ["synth", 61],
      ["synth", 62],
      ["keys", 63],
    ]);
  });

  it("the namings a load leaves behind are dropped while nothing records", async () => {
    for (let i = 0; i < 5; i++) await driver.load(i % 2 === 0 ? PAD_GRAPH : GRAPH);
    const namings = (driver as unknown as { midiRecord: { namings: { size: number } } }).midiRecord.namings;
    expect(namings.size).toBe(1);
  });
});
