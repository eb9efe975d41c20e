/**
 * Monitoring while the transport is stopped (RealtimeEngine.monitoring, WasmEngine.renderHeld): the
 * real-time path in Node, quantum by quantum, as live-midi.test.ts drives it. While stopped with
 * monitoring on, the graph renders with the timeline held: live notes sound from the quantum that
 * takes them, effect tails ring out by their law, and the position, timeline MIDI, automation and
 * clip playback stand still. With monitoring off a stopped transport outputs exact silence, without
 * calling the engine. Output frames are counted from the first quantum rendered ("elapsed frames"),
 * which is not the transport position once the transport stops.
 */
import { describe, expect, it } from "vitest";
import { CommandDecoder, CommandEncoder, type DataPlaneCommand } from "../../src/dataplane/command-codec";
import { SpscRing } from "../../src/dataplane/spsc-ring";
import { applyGraphProgram, type GraphProgram, type TimelineEntry } from "../../src/engine/graph-program";
import { RealtimeEngine } from "../../src/engine/realtime-engine";
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
/** A sampler playing a constant 1.0 as a gate (no attack, no release): a note is velocity / 127 high. */
const DC = [new Float32Array(SR).fill(1)];
const sampler = (timeline: TimelineEntry[] = []): GraphProgram => ({
  nodes: [{ kind: "sampler", inputs: [], params: { loop_mode: 2 }, buffers: { 0: 0 }, timeline }],
  output: 0,
});

const now = (command: DataPlaneCommand): DataPlaneCommand => ({ ...command, atFrame: -1 });
const liveOn = (note: number, velocity: number): DataPlaneCommand =>
  now({ type: "live_midi", node: 0, status: 0x90, data1: note, data2: velocity });
const liveOff = (note: number): DataPlaneCommand =>
  now({ type: "live_midi", node: 0, status: 0x80, data1: note, data2: 0 });
const monitoring = (enabled: boolean): DataPlaneCommand => now({ type: "set_monitoring", enabled });
const PLAY = now({ type: "play" });
const PAUSE = now({ type: "pause" });

/**
 * The real-time host in miniature: a command ring the test writes and RealtimeEngine drains at each
 * quantum's start. The transport starts stopped, with monitoring off.
 */
async function realtimeHost(program: GraphProgram, buffers: Float32Array[][] = []) {
  const engine = await newEngine(SR, QUANTUM);
  for (const buffer of buffers) engine.createBuffer(buffer, SR);
  applyGraphProgram(engine, program);
  const realtime = new RealtimeEngine(engine, SR);
  realtime.attach(engine, program.nodes.length);
  // Counts the engine's held renders: monitoring off must never call it.
  let heldRenders = 0;
  const renderHeld = engine.renderHeld.bind(engine);
  engine.renderHeld = (frames: number) => {
    heldRenders++;
    return renderHeld(frames);
  };
  const ring = SpscRing.create(1 << 16, Uint8Array);
  const encoder = new CommandEncoder();
  const decoder = new CommandDecoder();
  const outputs = [new Float32Array(QUANTUM)];
  const out: number[] = [];
  return {
    realtime,
    get heldRenders() {
      return heldRenders;
    },
    /** Commands for the next quantum's start. */
    send(...commands: DataPlaneCommand[]) {
      for (const command of commands) expect(encoder.encode(command, ring)).toBe(true);
    },
    /** Renders until the output holds `frames` frames (whole quanta); returns all of it. */
    renderTo(frames: number): Float32Array {
      while (out.length < frames) {
        decoder.decode(ring, realtime);
        realtime.renderQuantum(outputs, QUANTUM);
        for (const x of outputs[0] as Float32Array) out.push(x);
      }
      expect(decoder.badCommands).toBe(0);
      return Float32Array.from(out.slice(0, frames));
    },
  };
}

function firstSound(x: Float32Array, from = 0): number {
  for (let i = from; i < x.length; i++) if (x[i] !== 0) return i;
  return -1;
}

/** Index of the first sample that differs (-1: none), for a readable failure. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

function energy(x: Float32Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (x[i] as number) ** 2;
  return sum;
}

describe("monitoring while stopped: live notes sound, the timeline stands still", () => {
  it("off (the default): a stopped transport outputs exact silence, a live note too, and the engine is not called", async () => {
    const host = await realtimeHost(sampler(), [DC]);
    expect(host.realtime.monitoring).toBe(false);
    host.renderTo(5 * QUANTUM);
    host.send(liveOn(60, 100));
    const out = host.renderTo(40 * QUANTUM);
    expect(firstSound(out)).toBe(-1);
    expect(host.heldRenders).toBe(0);
    expect(host.realtime.positionFrames).toBe(0);
    // The note was taken: it sounds from the frame play starts on, as before.
    host.send(PLAY);
    const played = host.renderTo(41 * QUANTUM);
    expect(played[40 * QUANTUM]).toBe(Math.fround(100 / 127));
  });

  it("a sampler note sent at elapsed frame 640 with the transport stopped is 100/127 from frame 640 exactly, and stops on its note-off's quantum", async () => {
    const host = await realtimeHost(sampler(), [DC]);
    host.send(monitoring(true));
    host.renderTo(5 * QUANTUM);
    host.send(liveOn(60, 100));
    host.renderTo(40 * QUANTUM);
    host.send(liveOff(60));
    const out = host.renderTo(60 * QUANTUM);
    expect(firstSound(out)).toBe(640);
    expect(out.subarray(640, 5120).every((x) => x === Math.fround(100 / 127))).toBe(true);
    expect(out.subarray(5120).every((x) => x === 0)).toBe(true);
    expect(host.realtime.positionFrames).toBe(0);
    expect(host.realtime.running).toBe(false);
  });

  it("a synth note played while stopped equals the same note played while the transport runs, sample for sample", async () => {
    const stopped = await realtimeHost(synth());
    stopped.send(monitoring(true));
    stopped.renderTo(5 * QUANTUM);
    stopped.send(liveOn(64, 90));
    stopped.renderTo(40 * QUANTUM);
    stopped.send(liveOff(64));
    const heard = stopped.renderTo(60 * QUANTUM);

    const playing = await realtimeHost(synth());
    playing.send(PLAY);
    playing.renderTo(5 * QUANTUM);
    playing.send(liveOn(64, 90));
    playing.renderTo(40 * QUANTUM);
    playing.send(liveOff(64));
    const played = playing.renderTo(60 * QUANTUM);

    expect(firstSound(heard)).toBe(641); // the voice's first sample (phase 0) is 0
    expect(firstDifference(heard, played)).toBe(-1);
    // And both equal the offline render of the note with a duration.
    const offline = (await renderProgram(synth([noteOn(640, 64, 90), noteOff(5120, 64)]), 60 * QUANTUM))[0];
    expect(firstDifference(heard, offline as Float32Array)).toBe(-1);
    expect(stopped.realtime.positionFrames).toBe(0);
  });

  it("a delay's echoes ring out after pause: feedback 0.5 gives 1, 0.5, 0.25 ... on their frames, 480 apart", async () => {
    // An impulse at frame 100 (a playback clip) into a 10 ms delay (480 frames), feedback 0.5, wet only.
    const impulse = new Float32Array(1000);
    impulse[100] = 1;
    const program: GraphProgram = {
      nodes: [
        { kind: "playback", inputs: [], params: {}, buffers: { 0: 0 } },
        { kind: "delay", inputs: [0], params: { time: 10, feedback: 0.5, wet: 1, dry: 0 } },
      ],
      output: 1,
    };
    const echoes = (out: Float32Array) => {
      const found: [number, number][] = [];
      out.forEach((x, i) => {
        if (x !== 0) found.push([i, x]);
      });
      return found;
    };
    const host = await realtimeHost(program, [[impulse]]);
    host.send(monitoring(true), PLAY);
    host.renderTo(2 * QUANTUM);
    host.send(PAUSE); // at frame 256: the impulse is in the delay line, no echo has come out yet
    const out = host.renderTo(40 * QUANTUM);
    expect(host.realtime.positionFrames).toBe(256);
    // Ten echoes fit in 5120 frames: 1/2^(k-1) at 100 + 480 k, nothing between.
    const expected = Array.from({ length: 10 }, (_, k) => [100 + 480 * (k + 1), 0.5 ** k]);
    expect(echoes(out)).toEqual(expected);
    expect(energy(out, 256, out.length)).toBeGreaterThan(1);

    // Monitoring off: the same pause cuts the tail (silence until play).
    const cut = await realtimeHost(program, [[impulse]]);
    cut.send(PLAY);
    cut.renderTo(2 * QUANTUM);
    cut.send(PAUSE);
    expect(echoes(cut.renderTo(40 * QUANTUM))).toEqual([]);
  });

  it("a reverb's tail rings out after pause exactly as it would had the transport played on, and decays: the last 0.25 s holds < 1% of the first's energy", async () => {
    const burst = Float32Array.from({ length: 4800 }, (_, i) => Math.sin(i * 0.05));
    const program: GraphProgram = {
      nodes: [
        { kind: "playback", inputs: [], params: {}, buffers: { 0: 0 } },
        { kind: "reverb", inputs: [0], params: { room_size: 0.8, wet_level: 1, dry_level: 0 } },
      ],
      output: 1,
    };
    const stop = 40 * QUANTUM; // 5120 frames: the burst (4800) is over
    const host = await realtimeHost(program, [[burst]]);
    host.send(monitoring(true), PLAY);
    host.renderTo(stop);
    host.send(PAUSE);
    const out = host.renderTo(stop + 2 * SR);
    expect(host.realtime.positionFrames).toBe(stop);
    // Past its end the clip is silent whether the transport runs or not: the tails are the same.
    const ranOn = await realtimeHost(program, [[burst]]);
    ranOn.send(PLAY);
    expect(firstDifference(out, ranOn.renderTo(stop + 2 * SR))).toBe(-1);
    const windows = Array.from({ length: 8 }, (_, w) =>
      energy(out, stop + w * 12000, stop + (w + 1) * 12000),
    );
    expect(windows.every((e) => e > 0)).toBe(true);
    expect((windows[7] as number) / (windows[0] as number)).toBeLessThan(0.01);
    // Monitoring off: nothing after the pause.
    const cut = await realtimeHost(program, [[burst]]);
    cut.send(PLAY);
    cut.renderTo(stop);
    cut.send(PAUSE);
    expect(firstSound(cut.renderTo(stop + SR), stop)).toBe(-1);
  });

  it("the timeline does not advance while stopped: the position holds for 100 quanta, a note at frame 1000 waits for play", async () => {
    const host = await realtimeHost(sampler([noteOn(1000, 60, 127), noteOff(3000, 60)]), [DC]);
    host.send(monitoring(true), PLAY);
    host.renderTo(4 * QUANTUM);
    host.send(PAUSE); // at 512
    const stopped = host.renderTo(104 * QUANTUM);
    expect(host.realtime.positionFrames).toBe(512);
    expect(host.realtime.positionBeats).toBe((512 / SR) * 2);
    expect(host.realtime.playedFrames).toBe(512);
    expect(firstSound(stopped)).toBe(-1);
    host.send(PLAY);
    const out = host.renderTo(130 * QUANTUM);
    // Play resumes at 512: the note lands 488 frames later, and lasts its 2000 frames.
    const on = 104 * QUANTUM + 488;
    expect(firstSound(out)).toBe(on);
    expect(out.subarray(on, on + 2000).every((x) => x === 1)).toBe(true);
    expect(out[on + 2000]).toBe(0);
  });

  it("automation holds its value at the frozen position, and a seek while stopped moves it: a ramp 0 -> 1 over 1 s", async () => {
    const program: GraphProgram = {
      nodes: [
        { kind: "constant", inputs: [], params: { offset: 1 } },
        {
          kind: "gain",
          inputs: [0],
          params: { gain: 0 },
          timeline: [{ type: "ramp", param: "gain", start: 0, end: SR, from: 0, to: 1, curve: "linear" }],
        },
      ],
      output: 1,
    };
    const ramp = (frame: number) => Math.fround(frame / SR);
    const host = await realtimeHost(program);
    host.send(monitoring(true), PLAY);
    host.renderTo(100 * QUANTUM);
    host.send(PAUSE); // at 12800
    let out = host.renderTo(200 * QUANTUM);
    expect(out[100 * QUANTUM - 1]).toBe(ramp(12799));
    expect(out.subarray(100 * QUANTUM).every((x) => x === ramp(12800))).toBe(true);
    host.send(now({ type: "seek", positionFrame: 36000 }));
    out = host.renderTo(210 * QUANTUM);
    expect(out.subarray(200 * QUANTUM).every((x) => x === ramp(36000))).toBe(true);
    expect(host.realtime.positionFrames).toBe(36000);
    // Play resumes from the seek: frame 36000 + i on output frame 210 * 128 + i.
    host.send(PLAY);
    out = host.renderTo(212 * QUANTUM);
    for (const i of [0, 1, 200]) expect(out[210 * QUANTUM + i]).toBe(ramp(36000 + i));
  });

  it("a playback clip is silent while stopped and plays on from its frame at play", async () => {
    const clip = Float32Array.from({ length: SR }, (_, i) => (i + 1) / SR);
    const host = await realtimeHost(
      { nodes: [{ kind: "playback", inputs: [], params: {}, buffers: { 0: 0 } }], output: 0 },
      [[clip]],
    );
    host.send(monitoring(true), PLAY);
    host.renderTo(10 * QUANTUM);
    host.send(PAUSE); // at 1280
    host.renderTo(30 * QUANTUM);
    host.send(PLAY);
    const out = host.renderTo(31 * QUANTUM);
    expect(out[10 * QUANTUM - 1]).toBe(Math.fround(1280 / SR));
    expect(out.subarray(10 * QUANTUM, 30 * QUANTUM).every((x) => x === 0)).toBe(true);
    expect(out[30 * QUANTUM]).toBe(Math.fround(1281 / SR));
  });

  it("a live note held across play keeps its voice: no reset, the take equals the note played without stopping", async () => {
    const host = await realtimeHost(synth());
    host.send(monitoring(true));
    host.renderTo(5 * QUANTUM);
    host.send(liveOn(57, 110));
    host.renderTo(20 * QUANTUM);
    host.send(PLAY); // the voice plays on through the start of the transport
    host.renderTo(40 * QUANTUM);
    host.send(liveOff(57));
    const out = host.renderTo(80 * QUANTUM);
    const offline = (await renderProgram(synth([noteOn(640, 57, 110), noteOff(5120, 57)]), 80 * QUANTUM))[0];
    expect(firstDifference(out, offline as Float32Array)).toBe(-1);
    expect(host.realtime.positionFrames).toBe(60 * QUANTUM);
  });

  it("a note the timeline left on at pause is released (4/3 x 50 ms later: silence), while a live note plays on", async () => {
    // Timeline: note 60 from frame 0 to 96000. Live: note 72 held from the start.
    const host = await realtimeHost(synth([noteOn(0, 60, 100), noteOff(96000, 60)]));
    host.send(monitoring(true), liveOn(72, 100), PLAY);
    host.renderTo(10 * QUANTUM);
    host.send(PAUSE); // at 1280: the timeline's note 60 gets its note-off there
    const out = host.renderTo(100 * QUANTUM);
    const alone = await realtimeHost(synth());
    alone.send(liveOn(72, 100), PLAY);
    const live72 = alone.renderTo(100 * QUANTUM);
    // 3200 frames after the pause the timeline's voice has ended: what sounds is note 72 alone.
    const ended = 10 * QUANTUM + 3200;
    expect(firstDifference(out.subarray(ended), live72.subarray(ended))).toBe(-1);
    expect(firstDifference(out.subarray(0, 10 * QUANTUM), live72.subarray(0, 10 * QUANTUM))).not.toBe(-1);
    expect(energy(out, ended, out.length)).toBeGreaterThan(1);
  });

  it("monitoring turned on while paused releases the notes the timeline left on; off again, silence", async () => {
    const host = await realtimeHost(sampler([noteOn(0, 60, 127), noteOff(96000, 60)]), [DC]);
    host.send(PLAY);
    host.renderTo(10 * QUANTUM);
    host.send(PAUSE);
    let out = host.renderTo(20 * QUANTUM);
    expect(out.subarray(10 * QUANTUM).every((x) => x === 0)).toBe(true);
    host.send(monitoring(true)); // the held timeline note would sound forever: released at once
    out = host.renderTo(30 * QUANTUM);
    expect(out.subarray(20 * QUANTUM).every((x) => x === 0)).toBe(true);
    host.send(liveOn(64, 127));
    out = host.renderTo(40 * QUANTUM);
    expect(out.subarray(30 * QUANTUM).every((x) => x === 1)).toBe(true);
    host.send(monitoring(false));
    out = host.renderTo(50 * QUANTUM);
    expect(out.subarray(40 * QUANTUM).every((x) => x === 0)).toBe(true);
    expect(host.realtime.positionFrames).toBe(10 * QUANTUM);
  });
});
