/**
 * WorkletDriver, the engine Worker's half of the AudioWorklet host, against a fake worklet: a port
 * that records what the driver posts and answers as EngineProcessor would, and the rings opened from
 * the handles the driver hands over. No browser: names, seconds and beats must arrive as the indices
 * and frames the audio thread expects.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTransportSnapshot } from "../../../src/api/realtime-readings";
import {
  EngineError,
  type GraphDescriptor,
  GraphDescriptorSchema,
  parseContract,
} from "../../../src/contracts";
import { CommandDecoder, type CommandVisitor } from "../../../src/dataplane/command-codec";
import { openRing, openTransportBlock } from "../../../src/dataplane/data-plane";
import type { DataRing } from "../../../src/dataplane/spsc-ring";
import { instantiateEngine } from "../../../src/engine/engine-module";
import { type ProcessorTypeInfo, readProcessorTypes } from "../../../src/engine/processor-types";
import { WorkletDriver } from "../../../src/hosts/audioworklet/worklet-driver";
import { loadEngineModuleFromDisk } from "../../../src/hosts/in-process/engine-file";
import type { TypedPort } from "../../../src/protocol/typed-port";
import type { WorkerToWorkletMessage } from "../../../src/protocol/worker-to-worklet";
import type { WorkletToWorkerMessage } from "../../../src/protocol/worklet-to-worker";

const SR = 48000;

/** The worklet side of the control port: records what arrives, answers through `reply`. */
class FakeWorkletPort implements TypedPort<WorkerToWorkletMessage, WorkletToWorkerMessage> {
  readonly received: WorkerToWorkletMessage[] = [];
  onmessage: ((event: MessageEvent<WorkletToWorkerMessage>) => void) | null = null;
  /** What the fake worklet does with each message (default: answer loads with "loaded"). */
  answer: (message: WorkerToWorkletMessage) => void = (message) => {
    if (message.type === "load") this.reply({ type: "loaded", id: message.id });
  };

  postMessage(message: WorkerToWorkletMessage): void {
    this.received.push(message);
    queueMicrotask(() => this.answer(message));
  }

  reply(message: WorkletToWorkerMessage): void {
    this.onmessage?.(new MessageEvent("message", { data: message }));
  }

  last<T extends WorkerToWorkletMessage["type"]>(type: T): Extract<WorkerToWorkletMessage, { type: T }> {
    const found = this.received.filter((m) => m.type === type).at(-1);
    if (!found) throw new Error(`the driver never posted ${type}`);
    return found as Extract<WorkerToWorkletMessage, { type: T }>;
  }
}

type Decoded = [string, ...number[]];

/** Decodes everything queued in the command ring into readable tuples. */
function drainCommands(ring: DataRing<Uint8Array>): Decoded[] {
  const seen: Decoded[] = [];
  const visitor: CommandVisitor = {
    setParameter: (node, param, value, at) => seen.push(["set_parameter", node, param, value, at]),
    midi: (node, status, data1, data2, at) => seen.push(["midi", node, status, data1, data2, at]),
    liveMidi: (node, status, data1, data2, at) => seen.push(["live_midi", node, status, data1, data2, at]),
    play: (at) => seen.push(["play", at]),
    pause: (at) => seen.push(["pause", at]),
    stop: (at) => seen.push(["stop", at]),
    seek: (frame, at) => seen.push(["seek", frame, at]),
    setLoop: (start, end, enabled, at) => seen.push(["set_loop", start, end, enabled ? 1 : 0, at]),
    setTempo: (bpm, ramp, at) => seen.push(["set_tempo", bpm, ramp, at]),
    setMonitoring: (enabled, at) => seen.push(["set_monitoring", enabled ? 1 : 0, at]),
  };
  new CommandDecoder().decode(ring, visitor);
  return seen;
}

const GRAPH: GraphDescriptor = parseContract(GraphDescriptorSchema, {
  version: "v1alpha",
  tempo: { bpm: 120 },
  nodes: [
    { name: "keys", node_id: "builtin:sampler" },
    { name: "osc", node_id: "builtin:oscillator", params: { frequency: 220 } },
    { name: "filter", node_id: "builtin:filter", inputs: ["osc", "keys"], params: { mode: "high" } },
  ],
  output: "filter",
});

let types: readonly ProcessorTypeInfo[];
let port: FakeWorkletPort;
let driver: WorkletDriver;
let commands: DataRing<Uint8Array>;
const isolation = Object.getOwnPropertyDescriptor(globalThis, "crossOriginIsolated");

beforeAll(async () => {
  types = readProcessorTypes(instantiateEngine(await loadEngineModuleFromDisk()));
});

beforeEach(() => {
  // Shared memory, as in an isolated page: the rings are SpscRings the test reads synchronously.
  Object.defineProperty(globalThis, "crossOriginIsolated", { value: true, configurable: true });
  port = new FakeWorkletPort();
  driver = new WorkletDriver(port, types, SR, async () => [new Float32Array(4)]);
  const connect = port.last("connect-commands");
  commands = openRing(connect.commands, Uint8Array);
});

afterEach(() => {
  if (isolation) Object.defineProperty(globalThis, "crossOriginIsolated", isolation);
  else Reflect.deleteProperty(globalThis, "crossOriginIsolated");
});

describe("WorkletDriver against a fake worklet", () => {
  it("hands the worklet its rings once, then loads a graph as a program of engine kinds and values", async () => {
    expect(port.received.map((m) => m.type)).toEqual(["connect-commands"]);
    await driver.load(GRAPH);
    const load = port.last("load");
    expect(load.program.nodes.map((n) => [n.kind, n.inputs])).toEqual([
      ["sampler", []],
      ["oscillator", []],
      ["filter", [1, 0]],
    ]);
    expect(load.program.output).toBe(2);
    // "high" is DawDreamer's label for the engine's highpass choice (index 1).
    expect(load.program.nodes[2]?.params.mode).toBe(1);
    expect(load.program.nodes[1]?.params.frequency).toBe(220);
    expect(driver.loadedGraph).toBe(GRAPH);
  });

  it("loads web_audio automation for real-time play: a ramp as an engine ramp, moving values per frame", async () => {
    const graph = parseContract(GraphDescriptorSchema, {
      version: "v1alpha",
      nodes: [
        { name: "osc", node_id: "builtin:oscillator" },
        {
          name: "vca",
          node_id: "builtin:gain",
          inputs: ["osc"],
          params: { gain: 0.5 },
          automation: {
            gain: {
              kind: "web_audio",
              events: [
                { type: "setValueAtTime", value: 0, time: 0.25 },
                { type: "linearRampToValueAtTime", value: 1, time: 0.5 },
              ],
            },
          },
        },
      ],
      output: "vca",
    });
    await driver.load(graph);
    const vca = port.last("load").program.nodes[1];
    // Before the first event the gain keeps its own value; the ramp runs from 0.25 s to 0.5 s.
    expect(vca?.params.gain).toBe(0.5);
    // The ramp is linear in the frame number: one engine ramp, then the event's own value from its frame.
    expect(vca?.timeline).toEqual([
      { type: "ramp", param: "gain", start: 12000, end: 24000, from: 0, to: 1, curve: "linear" },
      { type: "array", param: "gain", start: 24000, values: Float32Array.of(1) },
    ]);
  });

  it("a load the worklet refuses rejects with E_RENDER and its reason, keeping the graph it had", async () => {
    await driver.load(GRAPH);
    port.answer = (message) => {
      if (message.type === "load") port.reply({ type: "load-failed", id: message.id, message: "no memory" });
    };
    const other = parseContract(GraphDescriptorSchema, {
      version: "v1alpha",
      nodes: [{ name: "osc", node_id: "builtin:oscillator" }],
      output: "osc",
    });
    await expect(driver.load(other)).rejects.toMatchObject({
      code: "E_RENDER",
      message: expect.stringContaining("the worklet could not load it: no memory"),
    });
    expect(driver.loadedGraph).toBe(GRAPH);
  });

  it("turns parameter names and seconds into node and parameter indices and frames", async () => {
    await driver.load(GRAPH);
    const frequency = types.find((t) => t.kind === "filter")?.params.findIndex((p) => p.id === "frequency");
    await driver.setParameter("filter", "frequency", 1200, 0.5);
    await driver.setParameter("filter", "mode", "low");
    expect(drainCommands(commands)).toEqual([
      ["set_parameter", 2, frequency, 1200, 24000],
      ["set_parameter", 2, 0, 0, -1],
    ]);
  });

  it("sends notes as note-on and note-off on their frames, beats through the graph's tempo, CC and bend on channels", async () => {
    await driver.load(GRAPH);
    driver.scheduleEvents("keys", [
      { type: "note", timeline: "beats", time: 2, duration: 1, note: 60, velocity: 100, channel: 1 },
      { type: "cc", timeline: "seconds", time: 0.25, controller: 74, value: 64, channel: 2 },
      { type: "pitch_bend", timeline: "seconds", time: 0.5, value: -8192, channel: 16 },
    ]);
    // 120 bpm: beat 2 is 1 s (48000 frames), beat 3 is 1.5 s. Timed commands go out earliest first,
    // once due within a second of the playhead (at 0): the note-off waits in the Worker.
    expect(drainCommands(commands)).toEqual([
      ["midi", 0, 0xb1, 74, 64, 12000],
      ["midi", 0, 0xef, 0, 0, 24000],
      ["midi", 0, 0x90, 60, 100, 48000],
    ]);
    expect(driver.feeder.backlogLength).toBe(1);
    // The audio thread reports its playhead in the Worker's transport block; the next feed sends it.
    const progress = openTransportBlock(port.last("connect-commands").progress);
    progress.write({ ...createTransportSnapshot(), positionFrames: 30000, timedCommandsDone: 3 });
    driver.feeder.feed();
    expect(drainCommands(commands)).toEqual([["midi", 0, 0x80, 60, 0, 72000]]);
  });

  it("refuses commands for a graph that is not loaded, naming the field", async () => {
    expect(() => driver.setParameter("filter", "frequency", 100)).toThrow(
      new EngineError("E_UNKNOWN_NODE", "no graph is loaded", "set_parameter.node"),
    );
    await driver.load(GRAPH);
    expect(() => driver.scheduleEvents("ghost", [])).toThrow(
      new EngineError("E_UNKNOWN_NODE", 'no node named "ghost" in the loaded graph', "schedule_events.node"),
    );
  });

  it("a full command ring makes now commands wait, then refuses them with E_BACKPRESSURE; none is lost", async () => {
    const waitPort = new FakeWorkletPort();
    const waitDriver = new WorkletDriver(waitPort, types, SR, async () => [], undefined, { waitMs: 0 });
    const ring = openRing(waitPort.last("connect-commands").commands, Uint8Array);
    // 65536 bytes hold 5461 play records (12 bytes each); nothing drains the ring here.
    const sent = 6000;
    const outcomes = await Promise.all(
      Array.from({ length: sent }, () =>
        waitDriver.send({ type: "play" }).then(
          () => "ok",
          (error: EngineError) => error.code,
        ),
      ),
    );
    const taken = outcomes.filter((o) => o === "ok").length;
    expect(taken).toBe(Math.floor((1 << 16) / 12));
    expect(outcomes.filter((o) => o === "E_BACKPRESSURE")).toHaveLength(sent - taken);
    expect(drainCommands(ring)).toHaveLength(taken); // every command taken is whole in the ring
    expect(ring.overflowCount()).toBe(0); // nothing was pushed that did not fit
  });

  it("refuses a scheduleEvents call whole when the Worker's backlog cannot take it", async () => {
    const smallPort = new FakeWorkletPort();
    const small = new WorkletDriver(smallPort, types, SR, async () => [], undefined, { backlogCapacity: 10 });
    await small.load(GRAPH);
    const notes = (count: number, from: number) =>
      Array.from({ length: count }, (_, i) => ({
        type: "note" as const,
        timeline: "seconds" as const,
        time: from + i,
        duration: 0.5,
        note: 60,
        velocity: 100,
        channel: 1,
      }));
    small.scheduleEvents("keys", notes(4, 10)); // eight commands, beyond the horizon: all wait here
    expect(small.feeder.backlogLength).toBe(8);
    expect(() => small.scheduleEvents("keys", notes(2, 20))).toThrow(
      expect.objectContaining({ code: "E_BACKPRESSURE" }),
    );
    expect(small.feeder.backlogLength).toBe(8);
    expect(() => small.scheduleEvents("keys", notes(6, 20))).toThrow(
      expect.objectContaining({ code: "E_LIMIT" }),
    );
    // A new graph: the waiting commands named the old one's nodes; the worklet is told to count them.
    await small.load(GRAPH);
    expect(smallPort.last("load").discarded).toBe(8);
    expect(small.feeder.backlogLength).toBe(0);
  });

  it("without cross-origin isolation the same commands travel over MessagePorts", async () => {
    Object.defineProperty(globalThis, "crossOriginIsolated", { value: false, configurable: true });
    const portFake = new FakeWorkletPort();
    const portDriver = new WorkletDriver(portFake, types, SR, async () => []);
    const connect = portFake.last("connect-commands");
    expect(connect.commands.transport).toBe("message_port");
    const ring = openRing(connect.commands, Uint8Array);
    await portDriver.load(GRAPH);
    await portDriver.setParameter("osc", "frequency", 440, 1);
    // The producer flushes at the end of its task; the record then arrives as one message.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(drainCommands(ring)).toEqual([
      [
        "set_parameter",
        1,
        types.find((t) => t.kind === "oscillator")?.params.findIndex((p) => p.id === "frequency"),
        440,
        48000,
      ],
    ]);
  });
});
