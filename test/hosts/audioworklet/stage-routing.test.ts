/**
 * Live commands in a graph partitioned around WAM nodes (docs/wam.md, "Live commands"), piece by piece
 * in Node.js: the engine Worker numbers each stage's nodes after the previous stage's and sends them
 * on the ring (WorkletDriver), the audio thread's StageGroup turns a group index back into the stage
 * and its node, and WamEventLanes hands a WAM's one-shot and replaced events over on their frames.
 * e2e/wam-hosting.spec.ts plays the whole path in Chromium.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type GraphDescriptor, GraphDescriptorSchema, parseContract } from "../../../src/contracts";
import { CommandDecoder, type CommandVisitor } from "../../../src/dataplane/command-codec";
import { openRing } from "../../../src/dataplane/data-plane";
import type { DataRing } from "../../../src/dataplane/spsc-ring";
import { instantiateEngine } from "../../../src/engine/engine-module";
import { type ProcessorTypeInfo, readProcessorTypes } from "../../../src/engine/processor-types";
import { RealtimeEngine } from "../../../src/engine/realtime-engine";
import type { WasmEngine } from "../../../src/engine/wasm-engine";
import { StageGroup, type StageMember } from "../../../src/hosts/audioworklet/stage-group";
import { WamEventLanes } from "../../../src/hosts/audioworklet/wam-event-lanes";
import { WorkletDriver } from "../../../src/hosts/audioworklet/worklet-driver";
import { compileForWorklet } from "../../../src/hosts/audioworklet/worklet-program";
import { loadEngineModuleFromDisk } from "../../../src/hosts/in-process/engine-file";
import type { TypedPort } from "../../../src/protocol/typed-port";
import type { WorkerToWorkletMessage } from "../../../src/protocol/worker-to-worklet";
import type { WorkletToWorkerMessage } from "../../../src/protocol/worklet-to-worker";
import { partitionGraph } from "../../../src/wam/partition";

const SR = 48000;

class FakeWorkletPort implements TypedPort<WorkerToWorkletMessage, WorkletToWorkerMessage> {
  readonly received: WorkerToWorkletMessage[] = [];
  onmessage: ((event: MessageEvent<WorkletToWorkerMessage>) => void) | null = null;
  postMessage(message: WorkerToWorkletMessage): void {
    this.received.push(message);
    queueMicrotask(() => {
      const id = (message as { id?: number }).id ?? 0;
      if (message.type === "load") this.reply({ type: "loaded", id });
      if (message.type === "lane") this.reply({ type: "lane-applied", id });
    });
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

function drain(ring: DataRing<Uint8Array>): (string | number)[][] {
  const seen: (string | number)[][] = [];
  const visitor: CommandVisitor = {
    setParameter: (node, param, value, at) => seen.push(["set_parameter", node, param, value, at]),
    midi: (node, status, data1, data2, at) => seen.push(["midi", node, status, data1, data2, at]),
    liveMidi: (node, status, data1, data2, at) => seen.push(["live_midi", node, status, data1, data2, at]),
    play: () => {},
    pause: () => {},
    stop: () => {},
    seek: () => {},
    setLoop: () => {},
    setTempo: () => {},
    setMonitoring: () => {},
  };
  new CommandDecoder().decode(ring, visitor);
  return seen;
}

const WAM = { module_url: "/build/wam/fixture/index.js" };
/** one and synth in stage 0, fx (a WAM), amp in stage 1, fx2 (a WAM) last. */
const GRAPH: GraphDescriptor = parseContract(GraphDescriptorSchema, {
  version: "v1alpha",
  nodes: [
    { name: "one", node_id: "builtin:constant" },
    { name: "synth", node_id: "builtin:synth" },
    { name: "fx", node_id: "wam:fixture", inputs: ["one"], extensions: { wam: WAM } },
    { name: "amp", node_id: "builtin:mixer", inputs: ["fx", "synth"] },
    { name: "fx2", node_id: "wam:fixture", inputs: ["amp"], extensions: { wam: WAM } },
  ],
  output: "fx2",
});
const RETURN: GraphDescriptor = parseContract(GraphDescriptorSchema, {
  version: "v1alpha",
  nodes: [{ name: "wam_graph_return", node_id: "builtin:constant" }],
  output: "wam_graph_return",
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
  Object.defineProperty(globalThis, "crossOriginIsolated", { value: true, configurable: true });
  port = new FakeWorkletPort();
  driver = new WorkletDriver(port, types, SR, async () => []);
  commands = openRing(port.last("connect-commands").commands, Uint8Array);
});

afterEach(() => {
  if (isolation) Object.defineProperty(globalThis, "crossOriginIsolated", isolation);
  else Reflect.deleteProperty(globalThis, "crossOriginIsolated");
});

/** The stages of GRAPH compiled as the host compiles them, given to the driver as the live stages. */
async function playStages(): Promise<{ counts: number[]; local: Map<string, number>[] }> {
  const plan = partitionGraph(GRAPH);
  const routes = [];
  for (const stage of plan.stages) {
    const { compiled } = await compileForWorklet(stage.graph, {
      types,
      sampleRate: SR,
      readBuffer: async () => [],
      root: "g",
    });
    routes.push({
      graph: stage.graph,
      nodeIndex: compiled.nodeIndex,
      nodeCount: compiled.program.nodes.length,
    });
  }
  driver.setStages(routes);
  return { counts: routes.map((r) => r.nodeCount), local: routes.map((r) => r.nodeIndex) };
}

describe("WorkletDriver: a WAM graph's stages", () => {
  it("numbers each stage's nodes after the previous stage's: commands carry the group index", async () => {
    await driver.load(RETURN);
    const { counts, local } = await playStages();
    expect(counts).toHaveLength(2);
    const gain = types.find((t) => t.kind === "mixer")?.params.findIndex((p) => p.id === "gain");
    await driver.setParameter("amp", "gain", 0.5, 0.25);
    await driver.setParameter("one", "offset", 2);
    driver.scheduleEvents("synth", [
      { type: "note", timeline: "seconds", time: 0.5, duration: 0.25, note: 60, velocity: 100, channel: 1 },
    ]);
    const amp = (counts[0] as number) + (local[1]?.get("amp") as number);
    const one = local[0]?.get("one") as number;
    const synth = local[0]?.get("synth") as number;
    expect(drain(commands)).toEqual([
      ["set_parameter", amp, gain, 0.5, 12000],
      ["set_parameter", one, 0, 2, -1],
      ["midi", synth, 0x90, 60, 100, 24000],
      ["midi", synth, 0x80, 60, 0, 36000],
    ]);
  });

  it("sends a lane to the stage holding the node, with its index there", async () => {
    await driver.load(RETURN);
    const { local } = await playStages();
    await driver.scheduleAutomation({
      version: "v1alpha",
      type: "schedule_automation",
      node: "amp",
      parameter_id: "gain",
      automation: {
        kind: "breakpoints",
        timeline: "seconds",
        points: [
          { time: 0, value: 1, curve: "step" },
          { time: 0.5, value: 0.25, curve: "step" },
        ],
      },
      mode: null,
    } as Parameters<WorkletDriver["scheduleAutomation"]>[0]);
    const lane = port.last("lane");
    expect([lane.stage, lane.node, lane.param]).toEqual([1, local[1]?.get("amp"), "gain"]);
    expect(lane.timeline).toContainEqual({ type: "step", param: "gain", frame: 24000, value: 0.25 });
  });

  it("the partition's own nodes and the primary's graph take no commands; a load forgets the stages", async () => {
    await driver.load(RETURN);
    await playStages();
    expect(() => driver.setParameter("wam_graph_return", "offset", 1)).toThrow(
      expect.objectContaining({ code: "E_UNKNOWN_NODE", path: "set_parameter.node" }),
    );
    expect(() => driver.setParameter("__stage_in_0", "gain", 1)).toThrow(
      expect.objectContaining({ code: "E_UNKNOWN_NODE" }),
    );
    expect(() => driver.setParameter("__stage_sink_0", "gain", 1)).toThrow(
      expect.objectContaining({ code: "E_UNKNOWN_NODE" }),
    );
    await driver.load(RETURN);
    expect(() => driver.setParameter("amp", "gain", 1)).toThrow(
      expect.objectContaining({
        message: 'E_UNKNOWN_NODE at set_parameter.node: no node named "amp" in the loaded graph',
      }),
    );
  });
});

/** A WasmEngine stand-in that records parameter and MIDI calls (the RealtimeEngine's only engine calls here). */
function recordingEngine(log: (string | number)[][], name: string): WasmEngine {
  return {
    seek: () => {},
    handleForAudioThread: 1,
    exports: {
      wd_node_set_param: (_h: number, node: number, param: number, value: number) => {
        log.push([name, "set", node, param, value]);
        return 0;
      },
      wd_node_midi_now: (_h: number, node: number, status: number) => {
        log.push([name, "midi", node, status]);
      },
    },
  } as unknown as WasmEngine;
}

function member(stage: number, log: (string | number)[][], nodes: number): StageMember {
  const engine = new RealtimeEngine(recordingEngine(log, `stage${stage}`), SR);
  engine.attach(recordingEngine(log, `stage${stage}`), nodes);
  return {
    stage,
    engine,
    replaceLane: () => ({ loaded: true }),
    paramValue: (node, param) => stage * 100 + node * 10 + param,
    recordParameters: () => null,
  };
}

describe("StageGroup: group indices to stages", () => {
  it("routes a group index to its stage's node, whichever stage joined first", () => {
    const log: (string | number)[][] = [];
    const primary = new RealtimeEngine(recordingEngine(log, "primary"), SR);
    primary.attach(recordingEngine(log, "primary"), 1);
    const group = new StageGroup(primary, null, undefined, [3, 2]);
    group.join(member(1, log, 2));
    group.join(member(0, log, 3));
    group.setParameter(0, 7, 0.5, -1);
    group.setParameter(2, 7, 0.25, -1);
    group.setParameter(3, 1, 2, -1);
    group.midi(4, 0x90, 60, 100, -1);
    expect(log).toEqual([
      ["stage0", "set", 0, 7, 0.5],
      ["stage0", "set", 2, 7, 0.25],
      ["stage1", "set", 0, 1, 2],
      ["stage1", "midi", 1, 0x90],
    ]);
    // getParameter: read in the stage holding the node (the stand-in answers stage*100 + node*10 + param).
    expect([group.paramValue(2, 1), group.paramValue(4, 3)]).toEqual([21, 113]);
    expect(group.paramValue(5, 0)).toBeNaN(); // beyond the last stage
  });

  it("counts a command beyond the last stage, or for a stage not joined, as bad; sums and banks counters", () => {
    const log: (string | number)[][] = [];
    const primary = new RealtimeEngine(recordingEngine(log, "primary"), SR);
    primary.attach(recordingEngine(log, "primary"), 1);
    const group = new StageGroup(primary, null, undefined, [3, 2]);
    const first = member(0, log, 3);
    group.join(first);
    group.setParameter(5, 0, 1, -1); // beyond stage 1
    group.setParameter(3, 0, 1, -1); // stage 1 has not joined
    group.setParameter(1, 0, 1, 96000); // timed, queued in stage 0
    expect(log).toEqual([]);
    const counters = { applied: 0, late: 0, bad: 0, dropped: 0, timedDone: 0 };
    group.sumCounters(counters);
    expect(counters).toEqual({ applied: 0, late: 0, bad: 2, dropped: 0, timedDone: 0 });
    expect(first.engine.queuedCommands).toBe(1);
    // The group ends: the queued command is dropped, and the primary keeps every count.
    group.end();
    expect([primary.badCommands, primary.droppedCommands, primary.timedCommandsDone]).toEqual([2, 1, 1]);
    expect(group.member(0)).toBeNull();
  });
});

describe("WamEventLanes: live events for WAM processors", () => {
  const scheduled: { type: string; time: number; data: unknown }[] = [];
  const processor = {
    scheduleEvents: (event: { type: string; time: number; data: unknown }) => scheduled.push({ ...event }),
  };
  beforeEach(() => {
    scheduled.length = 0;
    (globalThis as unknown as { webAudioModules: unknown }).webAudioModules = {
      getGroup: () => ({ processors: new Map([["fx", processor]]) }),
    };
  });
  afterEach(() => {
    Reflect.deleteProperty(globalThis, "webAudioModules");
  });

  const transport = (positionFrames: number) =>
    ({ running: true, positionFrames, loopEnabled: false, loopStart: 0, loopEnd: 0 }) as RealtimeEngine;
  const automation = (value: number) => ({
    type: "wam-automation",
    data: { id: "gain", value, normalized: false },
  });

  it("hands a one-shot over once, on its frame (late ones at the quantum's start), in frame order", () => {
    const lanes = new WamEventLanes("g", "k", [{ instanceId: "fx", frames: [], events: [] }]);
    expect(lanes.addOnce("fx", [300, 130, 0], [automation(3), automation(2), automation(1)])).toBe(true);
    expect(lanes.addOnce("other", [0], [automation(1)])).toBe(false);
    // The quantum after position 128 starts at context time 1 s.
    lanes.dispatch(transport(128), 1, 128, SR);
    lanes.dispatch(transport(256), 1 + 128 / SR, 128, SR);
    lanes.dispatch(transport(0), 2, 128, SR); // a seek back: one-shots do not come again
    expect(
      scheduled.map((e) => [(e.data as { value: number }).value, Math.round((e.time - 1) * SR)]),
    ).toEqual([
      [1, 0],
      [2, 2],
      [3, 172],
    ]);
  });

  it("a one-shot for the quantum already handed over goes at once, on its frame; one already played, on that quantum's first", () => {
    const lanes = new WamEventLanes("g", "k", [{ instanceId: "fx", frames: [], events: [] }]);
    lanes.dispatch(transport(1000), 2, 128, SR); // hands over frames 1000..1127, from context time 2 s
    lanes.addOnce("fx", [1100, 900, 1200], [automation(1), automation(2), automation(3)]);
    expect(
      scheduled.map((e) => [(e.data as { value: number }).value, Math.round((e.time - 2) * SR)]),
    ).toEqual([
      [1, 100],
      [2, 0],
    ]);
    lanes.dispatch(transport(1128), 2 + 128 / SR, 128, SR);
    expect(scheduled.map((e) => Math.round((e.time - 2) * SR))).toEqual([100, 0, 200]);
  });

  it("replaces one parameter's lane events, keeping the others, and replays them on every pass", () => {
    const midi = { type: "wam-midi", data: { bytes: [0x90, 60, 100] } };
    const lanes = new WamEventLanes("g", "k", [
      { instanceId: "fx", frames: [10, 20], events: [automation(0.5), midi] },
    ]);
    lanes.replaceParam("fx", "gain", [5, 40], [automation(0.25), automation(4)]);
    lanes.dispatch(transport(0), 0, 128, SR);
    lanes.dispatch(transport(0), 1, 128, SR); // a seek back to 0: the lane plays again
    const seen = scheduled.map((e) => [e.type, Math.round(e.time * SR) % SR]);
    expect(seen).toEqual([
      ["wam-automation", 5],
      ["wam-midi", 20],
      ["wam-automation", 40],
      ["wam-automation", 5],
      ["wam-midi", 20],
      ["wam-automation", 40],
    ]);
  });
});
