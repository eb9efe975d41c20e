/**
 * CommandFeeder, the engine Worker's flow control, against a real audio-thread loop in Node: the
 * command ring (SpscRing), the decoder and RealtimeEngine over engine.wasm, and the transport block
 * the feeder reads, run quantum by quantum as EngineProcessor runs them. Proves with counts and
 * sample values that nothing taken is dropped, that full queues refuse calls whole, and that timed
 * values still land on their frames.
 */
import { describe, expect, it } from "vitest";

import { createTransportSnapshot } from "../../../src/api/realtime-readings";
import type { EngineError } from "../../../src/contracts";
import { CommandDecoder, type DataPlaneCommand } from "../../../src/dataplane/command-codec";
import { SpscRing } from "../../../src/dataplane/spsc-ring";
import { TransportBlock } from "../../../src/dataplane/transport-block";
import { applyGraphProgram, type GraphProgram } from "../../../src/engine/graph-program";
import { COMMAND_QUEUE_CAPACITY, RealtimeEngine } from "../../../src/engine/realtime-engine";
import { CommandFeeder, type CommandFeederOptions } from "../../../src/hosts/audioworklet/command-feeder";
import { newEngine } from "../../support/render";

const SR = 48000;
const Q = 128;

/** A looping constant 1 through a gain: every output sample is the gain in force on that frame. */
const program: GraphProgram = {
  nodes: [
    { kind: "playback", inputs: [], params: { loop: 1 }, buffers: { 0: 0 } },
    { kind: "gain", inputs: [0], params: { gain: 1 } },
  ],
  output: 1,
};

const gainAt = (atFrame: number, value: number): DataPlaneCommand => ({
  type: "set_parameter",
  node: 1,
  param: 0,
  value,
  atFrame,
});

/** The audio thread of EngineProcessor, in Node, with the feeder that feeds it. */
async function audioThread(
  options: { queueCapacity?: number; ringBytes?: number } & Omit<CommandFeederOptions, "sampleRate"> = {},
) {
  const engine = await newEngine(SR, Q);
  engine.createBuffer([new Float32Array(SR).fill(1)], SR);
  applyGraphProgram(engine, program);
  const queueCapacity = options.queueCapacity ?? COMMAND_QUEUE_CAPACITY;
  const realtime = new RealtimeEngine(engine, SR, queueCapacity);
  realtime.attach(engine, program.nodes.length);
  const ring = SpscRing.create(options.ringBytes ?? 1 << 16, Uint8Array, { shared: false });
  const block = TransportBlock.create({ shared: false });
  const feeder = new CommandFeeder(ring, block, {
    ...options,
    sampleRate: SR,
    audioQueueCapacity: queueCapacity,
  });
  const decoder = new CommandDecoder();
  const state = createTransportSnapshot();
  const outputs = [new Float32Array(Q), new Float32Array(Q)];
  let maxInFlight = 0;
  /** One quantum: decode, render, publish (EngineProcessor.process), then the Worker's feed. */
  const quantum = () => {
    decoder.decode(ring, realtime);
    realtime.renderQuantum(outputs, Q);
    state.positionFrames = realtime.positionFrames;
    state.timedCommandsDone = realtime.timedCommandsDone;
    block.write(state);
    feeder.feed();
    maxInFlight = Math.max(maxInFlight, feeder.timedInFlight);
    return outputs[0] as Float32Array;
  };
  return {
    realtime,
    feeder,
    ring,
    quantum,
    /** Renders `quanta` quanta and returns channel 0. */
    render(quanta: number): Float32Array {
      const out = new Float32Array(quanta * Q);
      for (let q = 0; q < quanta; q++) out.set(quantum(), q * Q);
      return out;
    },
    get maxInFlight() {
      return maxInFlight;
    },
  };
}

/** Settles `promise` as what it became, for counting outcomes. */
const outcome = (promise: Promise<void>) =>
  promise.then(
    () => "ok",
    (error: EngineError) => error.code,
  );

describe("CommandFeeder: flow control between the engine Worker and the audio thread", () => {
  it("feeds 100 000 timed parameters, one per frame, all on their frames: none dropped, none late", async () => {
    const audio = await audioThread();
    const count = 100_000;
    const start = 1000;
    const value = (i: number) => Math.fround(((i * 37) % 1000) / 1000);
    // Sent while the transport is stopped: 96 % of them wait in the Worker's backlog, not dropped.
    for (let i = 0; i < count; i++) audio.feeder.sendTimed([gainAt(start + i, value(i))]);
    expect(audio.feeder.backlogLength).toBeGreaterThan(count - COMMAND_QUEUE_CAPACITY - 1);
    audio.realtime.play(-1);
    const out = audio.render(Math.ceil((start + count) / Q) + 1);
    for (let i = 0; i < count; i++) {
      if (out[start + i] !== value(i))
        throw new Error(`frame ${start + i}: ${out[start + i]} != ${value(i)}`);
    }
    expect(out[start - 1]).toBe(1);
    expect(audio.maxInFlight).toBeLessThanOrEqual(COMMAND_QUEUE_CAPACITY);
    expect({
      applied: audio.realtime.appliedCommands,
      late: audio.realtime.lateCommands,
      bad: audio.realtime.badCommands,
      dropped: audio.realtime.droppedCommands,
      done: audio.realtime.timedCommandsDone,
      backlog: audio.feeder.backlogLength,
    }).toEqual({ applied: count + 1, late: 0, bad: 0, dropped: 0, done: count, backlog: 0 });
  });

  it("sends only what is due within the horizon, so commands far ahead never hold a nearer one's slot", async () => {
    const far = (horizonFrames?: number) => async () => {
      const audio = await audioThread({ queueCapacity: 8, ...(horizonFrames ? { horizonFrames } : {}) });
      audio.realtime.play(-1);
      for (let i = 0; i < 8; i++) audio.feeder.sendTimed([gainAt(10 * SR + i, 0.5)]);
      audio.feeder.sendTimed([gainAt(1000, 0.25)]);
      const out = audio.render(10);
      return { before: out[999], at: out[1000], late: audio.realtime.lateCommands };
    };
    expect(await far()()).toEqual({ before: 1, at: 0.25, late: 0 });
    // Without the horizon the eight far commands fill the audio queue and the near one lands late.
    const unbounded = await far(Number.POSITIVE_INFINITY)();
    expect(unbounded.at).toBe(1);
    expect(unbounded.late).toBe(0); // not yet: it is still waiting in the Worker at frame 1280
  });

  it("keeps frame order, and call order within a frame, through the backlog, the ring and the audio queue", async () => {
    const audio = await audioThread({ queueCapacity: 32, horizonFrames: 200 });
    // Ten values for frame 500, then ten for frame 300: all wait in the backlog (beyond the horizon).
    for (let i = 0; i < 10; i++) audio.feeder.sendTimed([gainAt(500, (i + 1) / 16)]);
    for (let i = 0; i < 10; i++) audio.feeder.sendTimed([gainAt(300, (i + 1) / 32)]);
    expect(audio.feeder.backlogLength).toBe(20);
    audio.realtime.play(-1);
    const out = audio.render(6);
    expect([out[299], out[300], out[499], out[500]]).toEqual([1, 10 / 32, 10 / 32, 10 / 16]);
    expect([audio.realtime.lateCommands, audio.realtime.droppedCommands]).toEqual([0, 0]);
  });

  it("under overload (more commands due at once than the audio queue holds) the rest land late, counted, in call order", async () => {
    const audio = await audioThread({ queueCapacity: 4 });
    audio.realtime.play(-1);
    for (let i = 0; i < 10; i++) audio.feeder.sendTimed([gainAt(500, (i + 1) / 16)]);
    const out = audio.render(6);
    // Four apply on frame 500; the Worker sends the next four when their slots are done, and they
    // apply at the next quantum's start (frame 512), the last two at the one after (640).
    expect([out[499], out[500], out[511], out[512], out[639], out[640]]).toEqual([
      1,
      4 / 16,
      4 / 16,
      8 / 16,
      8 / 16,
      10 / 16,
    ]);
    expect({
      applied: audio.realtime.appliedCommands,
      late: audio.realtime.lateCommands,
      dropped: audio.realtime.droppedCommands,
    }).toEqual({ applied: 11, late: 6, dropped: 0 });
  });

  it("refuses a timed call whole when the backlog is full (E_BACKPRESSURE), or could never hold it (E_LIMIT)", async () => {
    const audio = await audioThread({ backlogCapacity: 100 });
    const beyondHorizon = (i: number) => gainAt(5 * SR + i, 0.5);
    const refuse = (commands: DataPlaneCommand[]) => {
      try {
        audio.feeder.sendTimed(commands);
        return "ok";
      } catch (error) {
        return (error as EngineError).code;
      }
    };
    expect(refuse([beyondHorizon(0), gainAt(5 * SR, 1e39)])).toBe("E_SCHEMA"); // not float32
    expect(audio.feeder.backlogLength).toBe(0); // the good first command was not taken either
    audio.feeder.sendTimed(Array.from({ length: 99 }, (_, i) => beyondHorizon(i)));
    expect(refuse([beyondHorizon(100), beyondHorizon(101)])).toBe("E_BACKPRESSURE");
    expect(audio.feeder.backlogLength).toBe(99); // nothing of the refused call was taken
    expect(refuse(Array.from({ length: 101 }, (_, i) => beyondHorizon(i)))).toBe("E_LIMIT");
    expect(refuse([beyondHorizon(100)])).toBe("ok");
    expect(refuse([beyondHorizon(101)])).toBe("E_BACKPRESSURE");
    expect(audio.feeder.discardTimed()).toBe(100);
    expect(refuse([beyondHorizon(101)])).toBe("ok");
  });

  it("a now command waits for ring space in call order, and resolves once written", async () => {
    // A ring of exactly ten set_parameter records (24 bytes each), not drained while calls arrive.
    const audio = await audioThread({ ringBytes: 240 });
    audio.realtime.play(-1);
    const calls = Array.from({ length: 15 }, (_, i) =>
      outcome(audio.feeder.sendNow(gainAt(-1, (i + 1) / 16))),
    );
    expect(audio.feeder.waitingLength).toBe(5);
    const out = audio.render(1); // drains ten, then the feed writes the five waiting
    expect(out[0]).toBe(10 / 16);
    expect(audio.render(1)[0]).toBe(15 / 16); // the last call's value is what plays
    expect(await Promise.all(calls)).toEqual(Array(15).fill("ok"));
    expect(audio.realtime.appliedCommands).toBe(16); // play + 15
  });

  it("a ring that never drains refuses the waiting now commands with E_BACKPRESSURE: applied + refused = sent", async () => {
    const audio = await audioThread({ ringBytes: 240, waitMs: 0, waitingCapacity: 3 });
    const calls = Array.from({ length: 15 }, (_, i) =>
      outcome(audio.feeder.sendNow(gainAt(-1, (i + 1) / 16))),
    );
    const outcomes = await Promise.all(calls);
    expect(outcomes.filter((o) => o === "ok")).toHaveLength(10);
    expect(outcomes.filter((o) => o === "E_BACKPRESSURE")).toHaveLength(5);
    // Three waited (and timed out), two found the waiting line full: refused at once, in call order.
    expect(outcomes.slice(10)).toEqual(Array(5).fill("E_BACKPRESSURE"));
    audio.realtime.play(-1);
    const out = audio.render(1);
    expect(out[0]).toBe(10 / 16); // the last command taken plays; no refused one does
    expect(audio.realtime.appliedCommands).toBe(11); // play + the 10 taken
  });

  it("credits back timed commands the audio thread finished in any way: late, bad, or cleared by a load", async () => {
    const audio = await audioThread({ queueCapacity: 4 });
    audio.realtime.play(-1);
    audio.render(10); // position 1280
    audio.feeder.sendTimed([
      gainAt(100, 0.5),
      { type: "set_parameter", node: 7, param: 0, value: 1, atFrame: 2000 },
    ]);
    for (let i = 0; i < 6; i++) audio.feeder.sendTimed([gainAt(40_000 + i, 0.25)]);
    audio.render(20);
    expect(audio.realtime.lateCommands).toBe(1);
    expect(audio.realtime.badCommands).toBe(1);
    expect(audio.realtime.queuedCommands).toBe(4);
    expect(audio.feeder.backlogLength).toBe(2);
    audio.realtime.clearQueue(); // what a graph load does
    audio.quantum(); // publishes the freed slots; the Worker sends the backlog's last two
    expect(audio.realtime.droppedCommands).toBe(4);
    expect(audio.realtime.timedCommandsDone).toBe(6);
    expect(audio.feeder.backlogLength).toBe(0);
    audio.quantum();
    expect(audio.realtime.queuedCommands).toBe(2);
  });
});
