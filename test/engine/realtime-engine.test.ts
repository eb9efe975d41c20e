import { describe, expect, it } from "vitest";

import { applyGraphProgram, type GraphProgram } from "../../src/engine/graph-program";
import { COMMAND_QUEUE_CAPACITY, RealtimeEngine } from "../../src/engine/realtime-engine";
import { newEngine } from "../support/render";

const SR = 48000;
const ramp = Float32Array.from({ length: 48000 }, (_, i) => i / 48000);

/** A playback of a ramp (sample i = i / 48000) through a gain: output frame f tells where it came from. */
const program: GraphProgram = {
  nodes: [
    { kind: "playback", inputs: [], params: {}, buffers: { 0: 0 } },
    { kind: "gain", inputs: [0], params: { gain: 1 } },
  ],
  output: 1,
};

async function realtimeEngineFixture(queueCapacity?: number): Promise<{
  realtime: RealtimeEngine;
  render: (quanta: number) => Float32Array;
}> {
  const engine = await newEngine(SR, 128);
  engine.createBuffer([ramp], SR);
  applyGraphProgram(engine, program);
  const realtimeEngine = new RealtimeEngine(engine, SR, queueCapacity);
  realtimeEngine.attach(engine, program.nodes.length);
  const outputs = [new Float32Array(128), new Float32Array(128)];
  return {
    realtime: realtimeEngine,
    render(quanta: number) {
      const out = new Float32Array(quanta * 128);
      for (let q = 0; q < quanta; q++) {
        realtimeEngine.renderQuantum(outputs, 128);
        out.set(outputs[0] as Float32Array, q * 128);
      }
      return out;
    },
  };
}

describe("RealtimeEngine: the real-time transport, quantum by quantum", () => {
  it("plays the program's played node, not a hidden sink that also renders captures off its path", async () => {
    const engine = await newEngine(SR, 128);
    engine.createBuffer([ramp], SR);
    // As graph-compiler.ts lays out a graph whose output is node 1 with node 2 captured off its path.
    const withSink: GraphProgram = {
      nodes: [
        { kind: "playback", inputs: [], params: {}, buffers: { 0: 0 } },
        { kind: "gain", inputs: [0], params: { gain: 0.5 }, capture: true },
        { kind: "gain", inputs: [0], params: { gain: 2 }, capture: true },
        { kind: "gain", inputs: [1, 2], params: { gain: 1 } },
      ],
      output: 3,
      played: 1,
    };
    applyGraphProgram(engine, withSink);
    const realtime = new RealtimeEngine(engine, SR);
    realtime.attach(engine, withSink.nodes.length, withSink.played);
    realtime.play(-1);
    const outputs = [new Float32Array(128), new Float32Array(128)];
    for (let q = 0; q < 3; q++) realtime.renderQuantum(outputs, 128);
    // Frames 256..383: the ramp at half, on both channels (the mono node fills them); the sink would
    // have played 2.5 times the ramp.
    for (const channel of outputs) {
      expect(channel[0]).toBe(Math.fround(Math.fround(256 / 48000) * 0.5));
      expect(channel[100]).toBe(Math.fround(Math.fround(356 / 48000) * 0.5));
    }
    // A split quantum (a command's frame inside it) copies the same way.
    realtime.setParameter(1, 0, 0.25, 3 * 128 + 64);
    realtime.renderQuantum(outputs, 128);
    expect(outputs[1]?.[63]).toBe(Math.fround(Math.fround(447 / 48000) * 0.5));
    expect(outputs[1]?.[64]).toBe(Math.fround(Math.fround(448 / 48000) * 0.25));
  });

  it("outputs silence while stopped and plays from the transport position", async () => {
    const { realtime: l, render } = await realtimeEngineFixture();
    expect(Array.from(render(2)).every((v) => v === 0)).toBe(true);
    expect(l.positionFrames).toBe(0);
    l.play(-1);
    const out = render(4);
    expect(out[0]).toBe(0);
    expect(out[300]).toBe(Math.fround(300 / 48000));
    expect(l.positionFrames).toBe(512);
  });

  it("applies a parameter change on its exact frame inside a quantum", async () => {
    const { realtime: l, render } = await realtimeEngineFixture();
    l.play(-1);
    l.setParameter(1, 0, 0.5, 1000); // gain node, parameter 0 (gain), at frame 1000
    const out = render(10);
    expect(out[999]).toBe(Math.fround(999 / 48000));
    expect(out[1000]).toBe(Math.fround(Math.fround(1000 / 48000) * 0.5));
  });

  it("seeks, pauses, stops and loops on exact frames", async () => {
    const { realtime: l, render } = await realtimeEngineFixture();
    l.play(-1);
    l.seek(10000, 200);
    let out = render(4);
    expect(out[199]).toBe(Math.fround(199 / 48000));
    expect(out[200]).toBe(Math.fround(10000 / 48000));
    l.pause(l.positionFrames + 64);
    out = render(2);
    expect(out[63]).not.toBe(0);
    expect(out[64]).toBe(0);
    const paused = l.positionFrames;
    render(3);
    expect(l.positionFrames).toBe(paused);
    l.stop(-1);
    expect(l.positionFrames).toBe(0);
    l.setLoop(1000, 1100, true, -1);
    l.play(-1);
    out = render(12);
    expect(out[1099]).toBe(Math.fround(1099 / 48000));
    expect(out[1100]).toBe(Math.fround(1000 / 48000)); // back at the loop start on the loop end frame
    expect(out[1200]).toBe(Math.fround(1000 / 48000));
    expect(l.positionFrames).toBeGreaterThanOrEqual(1000);
    expect(l.positionFrames).toBeLessThan(1100);
  });

  it("wraps at once when a loop is set behind the playhead", async () => {
    const { realtime: l, render } = await realtimeEngineFixture();
    l.play(-1);
    render(20); // position 2560
    l.setLoop(100, 1000, true, -1);
    const out = render(1);
    expect(out[0]).toBe(Math.fround(100 / 48000));
    expect(l.positionFrames).toBe(228);
  });

  it("integrates beats through a tempo ramp", async () => {
    const { realtime: l, render } = await realtimeEngineFixture();
    l.play(-1);
    l.setTempo(180, 48000, -1); // 120 -> 180 bpm over 1 s: 2.5 beats
    render(375); // exactly 1 s
    expect(l.bpm).toBe(180);
    expect(l.positionBeats).toBeCloseTo(2.5, 9);
    render(375);
    expect(l.positionBeats).toBeCloseTo(5.5, 9);
  });

  it("counts late and bad commands and keeps rendering", async () => {
    const { realtime: l, render } = await realtimeEngineFixture();
    l.play(-1);
    render(2);
    l.setParameter(1, 0, 0.25, 10); // frame 10 has passed
    expect(l.lateCommands).toBe(1);
    l.setParameter(99, 0, 1, -1); // no node 99
    l.setParameter(1, 42, 1, -1); // no parameter 42
    l.setTempo(-5, 0, -1);
    expect(l.badCommands).toBe(3);
    const out = render(1);
    expect(out[0]).toBe(Math.fround(Math.fround(256 / 48000) * 0.25));
  });

  it("applies timed commands by frame whatever order they arrive in, same-frame ones in call order", async () => {
    const { realtime: l, render } = await realtimeEngineFixture();
    l.play(-1);
    l.setParameter(1, 0, 0.75, 300);
    l.setParameter(1, 0, 0.5, 100);
    l.setParameter(1, 0, 0.25, 200);
    l.setParameter(1, 0, 0.125, 100); // same frame as 0.5, sent later: it wins
    const out = render(3);
    const at = (f: number) => out[f] as number;
    expect([at(99), at(100), at(200), at(300)]).toEqual([
      Math.fround(99 / 48000),
      Math.fround(Math.fround(100 / 48000) * 0.125),
      Math.fround(Math.fround(200 / 48000) * 0.25),
      Math.fround(Math.fround(300 / 48000) * 0.75),
    ]);
  });

  it("applies a full queue of commands due in one quantum, and accounts for every command", async () => {
    const { realtime: l, render } = await realtimeEngineFixture();
    l.play(-1);
    for (let i = 0; i < COMMAND_QUEUE_CAPACITY; i++) l.setParameter(1, 0, i / COMMAND_QUEUE_CAPACITY, 64);
    expect(l.queuedCommands).toBe(COMMAND_QUEUE_CAPACITY);
    const out = render(1);
    expect(out[64]).toBe(
      Math.fround(Math.fround(64 / 48000) * ((COMMAND_QUEUE_CAPACITY - 1) / COMMAND_QUEUE_CAPACITY)),
    );
    expect({ applied: l.appliedCommands, done: l.timedCommandsDone, queued: l.queuedCommands }).toEqual({
      applied: COMMAND_QUEUE_CAPACITY + 1,
      done: COMMAND_QUEUE_CAPACITY,
      queued: 0,
    });
  });

  it("counts each command once: applied, late, bad, or dropped (a load clears the queue; a full queue refuses)", async () => {
    const { realtime: l, render } = await realtimeEngineFixture(2);
    l.play(-1);
    render(1); // position 128
    l.setParameter(1, 0, 0.5, -1); // now: applied, not timed
    l.setParameter(1, 0, 0.5, 10); // late
    l.setParameter(99, 0, 1, 200); // queued, bad when applied
    l.setParameter(1, 0, 0.5, 5000); // queued
    l.setParameter(1, 0, 0.5, 6000); // the queue (2) is full: dropped, counted
    render(2); // position 384: the bad one applied
    l.clearQueue(); // what a graph load does: the one at 5000 is dropped
    expect({
      applied: l.appliedCommands,
      late: l.lateCommands,
      bad: l.badCommands,
      dropped: l.droppedCommands,
      done: l.timedCommandsDone,
      queued: l.queuedCommands,
    }).toEqual({ applied: 3, late: 1, bad: 1, dropped: 2, done: 4, queued: 0 });
  });

  it("allocates nothing in the engine while playing, looping, seeking and changing the tempo", async () => {
    const { realtime: l, render } = await realtimeEngineFixture();
    const engine = (l as unknown as { engine: { exports: { wd_allocation_count(): number } } }).engine;
    const before = engine.exports.wd_allocation_count();
    l.play(-1);
    for (let i = 0; i < 50; i++) l.setParameter(1, 0, i / 50, i * 300);
    // 300 ramps (two tempo pieces each): more than the engine's tempo keeps, so the oldest make room.
    for (let i = 0; i < 300; i++) l.setTempo(60 + (i % 7) * 10, 50, i * 100);
    render(300);
    l.setLoop(100, 5000, true, -1);
    render(100);
    expect(l.badCommands).toBe(0);
    expect(engine.exports.wd_allocation_count()).toBe(before);
  });
});
