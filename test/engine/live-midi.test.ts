/**
 * Live MIDI (EngineClient.sendMidi) through the real-time path in Node: live_midi records encoded
 * into a command ring, decoded at each quantum's start into RealtimeEngine, rendered quantum by
 * quantum. Each take is compared sample for sample with the offline render of the same notes written
 * with durations (the graph's own MIDI timeline): a note played live at frame X sounds from frame X
 * exactly, and its note-off releases on its frame.
 */
import { describe, expect, it } from "vitest";
import { CommandDecoder, CommandEncoder, type DataPlaneCommand } from "../../src/dataplane/command-codec";
import { SpscRing } from "../../src/dataplane/spsc-ring";
import { applyGraphProgram, type GraphProgram, type TimelineEntry } from "../../src/engine/graph-program";
import { type LiveMidiTap, RealtimeEngine } from "../../src/engine/realtime-engine";
import { noteOff, noteOn } from "../support/graph-programs";
import { newEngine, renderProgram } from "../support/render";

const SR = 48000;
const QUANTUM = 128;
/** A saw synth with a 5 ms attack, full sustain and a 50 ms release (it ends 4/3 x 50 ms after note-off). */
const SYNTH = { attack: 5, decay: 100, sustain: 0.8, release: 50, voices: 16, gain: 0.25 };
const synth = (timeline: TimelineEntry[] = []): GraphProgram => ({
  nodes: [{ kind: "synth", inputs: [], params: SYNTH, timeline }],
  output: 0,
});

/** A live command: a MIDI message for node 0, `at` a frame or -1 (now). */
interface LiveCommand {
  type: "live_midi";
  node: number;
  status: number;
  data1: number;
  data2: number;
  atFrame: number;
}
type MidiEntry = Extract<TimelineEntry, { type: "midi" }>;
const live = (status: number, data1: number, data2: number, at = -1): LiveCommand => ({
  type: "live_midi" as const,
  node: 0,
  status,
  data1,
  data2,
  atFrame: at,
});

interface Played {
  frame: number;
  elapsed: number;
  bytes: [number, number, number];
}

/**
 * The real-time host in miniature: a command ring the test writes and RealtimeEngine drains at each
 * quantum's start, the transport playing from frame 0, every live message it applies kept.
 */
async function realtimeSynth(program: GraphProgram = synth(), buffers: Float32Array[][] = []) {
  const engine = await newEngine(SR, QUANTUM);
  for (const buffer of buffers) engine.createBuffer(buffer, SR);
  applyGraphProgram(engine, program);
  const realtime = new RealtimeEngine(engine, SR);
  realtime.attach(engine, program.nodes.length);
  const played: Played[] = [];
  const tap: LiveMidiTap = {
    liveMidi: (_node, status, data1, data2, frame, elapsed) =>
      played.push({ frame, elapsed, bytes: [status, data1, data2] }),
  };
  realtime.midiTap = tap;
  const ring = SpscRing.create(1 << 16, Uint8Array);
  const encoder = new CommandEncoder();
  const decoder = new CommandDecoder();
  const outputs = [new Float32Array(QUANTUM)];
  const out: number[] = [];
  realtime.play(-1);
  return {
    realtime,
    played,
    send(...commands: DataPlaneCommand[]) {
      for (const command of commands) expect(encoder.encode(command, ring)).toBe(true);
    },
    /** Renders until the output holds `frames` frames (whole quanta). */
    renderTo(frames: number) {
      while (out.length < frames) {
        decoder.decode(ring, realtime);
        realtime.renderQuantum(outputs, QUANTUM);
        for (const x of outputs[0] as Float32Array) out.push(x);
      }
      return Float32Array.from(out.slice(0, frames));
    },
  };
}

function firstSound(x: Float32Array): number {
  return x.findIndex((v) => v !== 0);
}

/** Index of the first sample that differs (-1: none), for a readable failure. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

describe("live MIDI in RealtimeEngine: sample-accurate from the audio thread", () => {
  it("a timed note_on at frame 1000 sounds from frame 1000 and its note_off at 20000 releases there: equal to the offline note", async () => {
    const frames = 30000;
    const offline = (await renderProgram(synth([noteOn(1000, 60, 100), noteOff(20000, 60)]), frames))[0];
    const take = await realtimeSynth();
    take.send(live(0x90, 60, 100, 1000), live(0x80, 60, 0, 20000));
    const played = take.renderTo(frames);
    // The voice starts on frame 1000; its oscillator starts at phase 0, so that first sample is 0.
    expect(firstSound(played)).toBe(1001);
    expect(firstSound(offline as Float32Array)).toBe(1001);
    expect(firstDifference(played, offline as Float32Array)).toBe(-1);
    // Released on frame 20000: 4/3 x 50 ms later (3200 frames) the envelope has ended.
    expect(played.subarray(23300).every((x) => x === 0)).toBe(true);
    expect(played.subarray(20000, 23000).some((x) => x !== 0)).toBe(true);
    expect(take.played.map((p) => [p.frame, p.bytes])).toEqual([
      [1000, [0x90, 60, 100]],
      [20000, [0x80, 60, 0]],
    ]);
  });

  it("a note sent now plays from the first frame of the next quantum the engine renders", async () => {
    const take = await realtimeSynth();
    take.renderTo(5 * QUANTUM); // five quanta of silence
    take.send(live(0x90, 64, 90));
    take.renderTo(40 * QUANTUM);
    take.send(live(0x80, 64, 0));
    const played = take.renderTo(60 * QUANTUM);
    const offline = (await renderProgram(synth([noteOn(640, 64, 90), noteOff(5120, 64)]), 60 * QUANTUM))[0];
    expect(firstSound(played)).toBe(641); // the voice's first sample (phase 0) is 0
    expect(firstDifference(played, offline as Float32Array)).toBe(-1);
    expect(take.played.map((p) => [p.frame, p.elapsed])).toEqual([
      [640, 640],
      [5120, 5120],
    ]);
  });

  it("a sampler note (a constant sample) is non-zero from its very frame, 1000, and stops on its note_off's, 20000", async () => {
    // The sample is 1.0 throughout: with no attack and no release the note is a gate, 100 / 127 high.
    const dc = [new Float32Array(SR).fill(1)];
    const sampler = (timeline: TimelineEntry[] = []): GraphProgram => ({
      nodes: [{ kind: "sampler", inputs: [], params: { loop_mode: 2 }, buffers: { 0: 0 }, timeline }],
      output: 0,
    });
    const take = await realtimeSynth(sampler(), [dc]);
    take.send(live(0x90, 60, 100, 1000), live(0x80, 60, 0, 20000));
    const played = take.renderTo(30000);
    const offline = (
      await renderProgram(sampler([noteOn(1000, 60, 100), noteOff(20000, 60)]), 30000, { buffers: [dc] })
    )[0];
    expect(firstDifference(played, offline as Float32Array)).toBe(-1);
    expect(played[999]).toBe(0);
    expect(played[1000]).toBe(Math.fround(100 / 127));
    expect(played[19999]).toBe(Math.fround(100 / 127));
    expect(played[20000]).toBe(0);
  });

  it("a held note sustains until its note_off, however long: 10 s later at the same level, silent after the release", async () => {
    const take = await realtimeSynth();
    take.send(live(0x90, 57, 127));
    const held = take.renderTo(10 * SR);
    take.send(live(0x80, 57, 0));
    const all = take.renderTo(10 * SR + SR / 2);
    const rms = (from: number, to: number) =>
      Math.sqrt(held.subarray(from, to).reduce((sum, x) => sum + x * x, 0) / (to - from));
    const early = rms(SR / 2, SR / 2 + 4800);
    const late = rms(10 * SR - 4800, 10 * SR);
    expect(early).toBeGreaterThan(0.05);
    expect(Math.abs(late / early - 1)).toBeLessThan(0.01);
    // 4/3 x 50 ms after the note-off (frame 480000) the voice has ended: silence from 483200 on.
    expect(all.subarray(10 * SR + 3200).every((x) => x === 0)).toBe(true);
  });

  it("a note_off for a note that is not on does nothing; all_notes_off (CC 123) releases every held note", async () => {
    const take = await realtimeSynth();
    take.send(live(0x80, 40, 0), live(0x90, 60, 100), live(0x90, 64, 100), live(0x90, 67, 100, 2000));
    take.renderTo(10000);
    take.send(live(0x80, 72, 0)); // 72 is not on
    take.renderTo(20000);
    take.send(...Array.from({ length: 16 }, (_, c) => live(0xb0 | c, 123, 0)));
    const played = take.renderTo(30000);
    const offline = (
      await renderProgram(
        synth([
          noteOn(0, 60, 100),
          noteOn(0, 64, 100),
          noteOn(2000, 67, 100),
          // 20096: the first quantum boundary at or after 20000 (the all-notes-off was sent then).
          { type: "midi", frame: 20096, status: 0xb0, data1: 123, data2: 0 },
        ]),
        30000,
      )
    )[0];
    expect(firstDifference(played, offline as Float32Array)).toBe(-1);
    expect(played.subarray(20096 + 3200).every((x) => x === 0)).toBe(true);
    expect(take.realtime.badCommands).toBe(0);
  });

  it("200 timed notes, overlapping past the voice count, play as the offline render of the same notes", async () => {
    // A deterministic pseudo-random score: note-ons on any frame, lengths 50..8000 frames.
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const notes = Array.from({ length: 200 }, () => {
      const on = Math.floor(random() * 90000);
      return { on, off: on + 50 + Math.floor(random() * 7950), note: 36 + Math.floor(random() * 48) };
    });
    const timeline: MidiEntry[] = [];
    const take = await realtimeSynth();
    for (const { on, off, note } of notes) {
      timeline.push(noteOn(on, note, 100) as MidiEntry, noteOff(off, note) as MidiEntry);
    }
    // The offline compiler orders a frame's note-offs first; send the live score in that order too.
    const isOff = (e: MidiEntry) => ((e.status & 0xf0) === 0x80 ? 0 : 1);
    timeline.sort((a, b) => a.frame - b.frame || isOff(a) - isOff(b));
    take.send(...timeline.map((e) => live(e.status, e.data1, e.data2, e.frame)));
    const played = take.renderTo(100000);
    const offline = (await renderProgram(synth(timeline), 100000))[0];
    expect(firstDifference(played, offline as Float32Array)).toBe(-1);
    expect(take.played).toHaveLength(400);
    expect(take.played.every((p, i) => p.frame === (timeline[i] as MidiEntry).frame)).toBe(true);
    expect(take.realtime.lateCommands).toBe(0);
  });

  it("a message for a node index the graph does not have is counted bad and recorded nowhere", async () => {
    const take = await realtimeSynth();
    take.send({ ...live(0x90, 60, 100), node: 5 });
    take.renderTo(QUANTUM);
    expect(take.realtime.badCommands).toBe(1);
    expect(take.played).toEqual([]);
  });
});
