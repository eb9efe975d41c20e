/**
 * EngineClient.scheduleAutomation (issue 12, item 3: Web Audio automation on the live client).
 *
 * - In-process: live calls are recorded in the loaded graph, so a render of the record equals, sample
 *   for sample, a render of the same automation written into the graph; append, replace and the
 *   cancels behave as more calls on a Web Audio AudioParam; bad calls are refused with code and path
 *   and change nothing; the lane is bounded by automationPoints.
 * - Real time (EngineSlot + RealtimeEngine, what the AudioWorklet runs): a lane swapped in between two
 *   quanta of a playing graph plays exactly what the offline render of the same automation plays,
 *   from the frame it lands on, without resetting the oscillator feeding it.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  EngineError,
  type ErrorCode,
  type GraphDescriptorInput,
  GraphDescriptorSchema,
  LIMITS,
  parseContract,
  type RenderRequestInput,
} from "../../../src/contracts";
import type { AutomationInput } from "../../../src/contracts/graph-descriptor";
import { compileGraph, compileLane } from "../../../src/engine/graph-compiler";
import { RealtimeEngine } from "../../../src/engine/realtime-engine";
import { EngineSlot } from "../../../src/hosts/audioworklet/engine-slot";
import { loadEngineModuleFromDisk } from "../../../src/hosts/in-process/engine-file";
import { InProcessEngineClient } from "../../../src/hosts/in-process/in-process-client";
import { newEngine } from "../../support/render";

const SR = 48000;

let module: WebAssembly.Module;
let client: InProcessEngineClient;

beforeAll(async () => {
  module = await loadEngineModuleFromDisk();
});
beforeEach(() => {
  client = new InProcessEngineClient({ module, sampleRate: SR });
});
afterEach(async () => {
  await client.close();
});

/** An oscillator through a gain: a reset oscillator phase or a lost parameter would show at once. */
function graph(gainAutomation?: AutomationInput): GraphDescriptorInput {
  return {
    version: "v1alpha",
    nodes: [
      { name: "osc", node_id: "builtin:oscillator", params: { frequency: 441 } },
      {
        name: "vca",
        node_id: "builtin:gain",
        inputs: ["osc"],
        params: { gain: 0.5 },
        ...(gainAutomation ? { automation: { gain: gainAutomation } } : {}),
      },
    ],
    output: "vca",
  };
}

function request(node_graph: GraphDescriptorInput, seconds = 0.25): RenderRequestInput {
  return {
    version: "v1alpha",
    request_id: "live-automation",
    node_graph,
    duration_seconds: seconds,
    sample_rate: SR,
    channels: 1,
  };
}

async function renderMono(node_graph: GraphDescriptorInput, seconds = 0.25): Promise<Float32Array> {
  const result = await client.render(request(node_graph, seconds));
  expect(result.status).toBe("ok");
  const [channel] = await client.readBuffer(result.buffer_handle ?? "");
  await client.releaseBuffer(result.buffer_handle ?? "");
  return channel as Float32Array;
}

function maxError(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

async function expectEngineError(promise: Promise<unknown>, code: ErrorCode, path: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, `expected ${code} at ${path}`).toBeInstanceOf(EngineError);
  expect({ code: (error as EngineError).code, path: (error as EngineError).path }).toEqual({ code, path });
}

type WebAudioEvents = Extract<AutomationInput, { kind: "web_audio" }>["events"];

const RAMP_CALLS: WebAudioEvents = [
  { type: "setValueAtTime", value: 0.5, time: 0.05 },
  { type: "linearRampToValueAtTime", value: 1, time: 0.1 },
  { type: "exponentialRampToValueAtTime", value: 0.01, time: 0.15 },
  { type: "setTargetAtTime", target: 0.8, time: 0.16, timeConstant: 0.01 },
  { type: "setValueCurveAtTime", values: [0.8, 0.1, 0.6], time: 0.2, duration: 0.02 },
];
const FIRST_CALL = RAMP_CALLS[0] as WebAudioEvents[number];

describe("scheduleAutomation on the in-process client", () => {
  it("records web_audio calls made one by one so a render plays what the same automation loaded plays, exactly", async () => {
    await client.loadGraph(graph());
    for (const call of RAMP_CALLS) {
      await client.scheduleAutomation("vca", "gain", { kind: "web_audio", events: [call] });
    }
    const live = await renderMono(client.loadedGraph() as GraphDescriptorInput);
    const loaded = await renderMono(graph({ kind: "web_audio", events: [...RAMP_CALLS] }));
    const untouched = await renderMono(graph());
    expect(maxError(live, loaded)).toBe(0);
    // The automation did something: the ramp differs from the static gain by up to 0.5 of the sine.
    expect(maxError(live, untouched)).toBeGreaterThan(0.3);
  });

  it("appends by default for web_audio, so cancelScheduledValues and cancelAndHoldAtTime act on the calls before", async () => {
    await client.loadGraph(graph());
    await client.scheduleAutomation("vca", "gain", { kind: "web_audio", events: [...RAMP_CALLS] });
    await client.scheduleAutomation("vca", "gain", {
      kind: "web_audio",
      events: [{ type: "cancelAndHoldAtTime", cancelTime: 0.125 }],
    });
    await client.scheduleAutomation("vca", "gain", {
      kind: "web_audio",
      events: [{ type: "linearRampToValueAtTime", value: 0.25, time: 0.2 }],
    });
    const calls = [
      ...RAMP_CALLS,
      { type: "cancelAndHoldAtTime", cancelTime: 0.125 },
      { type: "linearRampToValueAtTime", value: 0.25, time: 0.2 },
    ] satisfies WebAudioEvents;
    expect(
      maxError(
        await renderMono(client.loadedGraph() as GraphDescriptorInput),
        await renderMono(graph({ kind: "web_audio", events: calls })),
      ),
    ).toBe(0);
    // cancelScheduledValues(0) empties the lane: the gain's own value (0.5) holds again.
    await client.scheduleAutomation("vca", "gain", {
      kind: "web_audio",
      events: [{ type: "cancelScheduledValues", cancelTime: 0 }],
    });
    expect(
      maxError(await renderMono(client.loadedGraph() as GraphDescriptorInput), await renderMono(graph())),
    ).toBe(0);
  });

  it("replaces the lane with mode replace and with any other kind, which then takes no Web Audio appends", async () => {
    await client.loadGraph(graph({ kind: "web_audio", events: [...RAMP_CALLS] }));
    const breakpoints: AutomationInput = {
      kind: "breakpoints",
      points: [
        { time: 0, value: 0.1 },
        { time: 0.2, value: 0.9 },
      ],
    };
    await client.scheduleAutomation("vca", "gain", breakpoints);
    expect(
      maxError(
        await renderMono(client.loadedGraph() as GraphDescriptorInput),
        await renderMono(graph(breakpoints)),
      ),
    ).toBe(0);
    const before = client.loadedGraph();
    await expectEngineError(
      client.scheduleAutomation("vca", "gain", {
        kind: "web_audio",
        events: [{ type: "setValueAtTime", value: 1, time: 0 }],
      }),
      "E_SCHEMA",
      "schedule_automation.mode",
    );
    expect(client.loadedGraph()).toBe(before);
    const replacing: AutomationInput = {
      kind: "web_audio",
      events: [{ type: "setValueAtTime", value: 0.2, time: 0.1 }],
    };
    await client.scheduleAutomation("vca", "gain", replacing, { mode: "replace" });
    expect(
      maxError(
        await renderMono(client.loadedGraph() as GraphDescriptorInput),
        await renderMono(graph(replacing)),
      ),
    ).toBe(0);
    // A web_audio lane holds the parameter's own value before its first event: 0.5 until 0.1 s.
    const audio = await renderMono(client.loadedGraph() as GraphDescriptorInput);
    expect(maxError(audio.subarray(0, 4800), (await renderMono(graph())).subarray(0, 4800))).toBe(0);
  });

  it("refuses bad calls with code and path and changes nothing", async () => {
    await expectEngineError(
      client.scheduleAutomation("vca", "gain", { kind: "web_audio", events: [FIRST_CALL] }),
      "E_UNKNOWN_NODE",
      "schedule_automation.node",
    );
    await client.loadGraph(graph());
    await client.scheduleAutomation("vca", "gain", {
      kind: "web_audio",
      events: [{ type: "setValueCurveAtTime", values: [0, 1], time: 1, duration: 1 }],
    });
    const before = client.loadedGraph();
    const cases: [Promise<unknown>, ErrorCode, string][] = [
      [
        client.scheduleAutomation("ghost", "gain", { kind: "web_audio", events: [FIRST_CALL] }),
        "E_UNKNOWN_NODE",
        "schedule_automation.node",
      ],
      [
        client.scheduleAutomation("vca", "volume", { kind: "web_audio", events: [FIRST_CALL] }),
        "E_SCHEMA",
        "schedule_automation.parameter_id",
      ],
      [
        client.scheduleAutomation("vca", "gain", {
          kind: "web_audio",
          events: [
            { type: "setValueAtTime", value: 1, time: 0 },
            { type: "linearRampToValueAtTime", value: 1, time: 0.1 },
            { type: "exponentialRampToValueAtTime", value: 0, time: 0.2 },
          ],
        }),
        "E_SCHEMA",
        "schedule_automation.automation.events[2].value",
      ],
      // Inside the lane's curve (1 s to 2 s): Web Audio's NotSupportedError, at the appended call.
      [
        client.scheduleAutomation("vca", "gain", {
          kind: "web_audio",
          events: [
            { type: "setValueAtTime", value: 1, time: 0.5 },
            { type: "setValueAtTime", value: 1, time: 1.5 },
          ],
        }),
        "E_SCHEMA",
        "schedule_automation.automation.events[1].time",
      ],
      [
        client.scheduleAutomation("vca", "gain", {
          kind: "web_audio",
          timeline: "beats",
          events: [{ type: "setValueAtTime", value: 1, time: 8 }],
        }),
        "E_SCHEMA",
        "schedule_automation.automation.timeline",
      ],
      [
        client.scheduleAutomation(
          "vca",
          "gain",
          { kind: "breakpoints", points: [{ time: 0, value: 1 }] },
          {
            mode: "append",
          },
        ),
        "E_SCHEMA",
        "schedule_automation.mode",
      ],
      [
        client.scheduleAutomation("vca", "gain", { kind: "audio_rate", buffer_handle: "buf:none" }),
        "E_UNKNOWN_HANDLE",
        "schedule_automation.automation.buffer_handle",
      ],
      [
        client.scheduleAutomation(
          "vca",
          "gain",
          { kind: "web_audio", events: [FIRST_CALL] },
          {
            mode: "merge" as "append",
          },
        ),
        "E_SCHEMA",
        "schedule_automation.options.mode",
      ],
    ];
    for (const [promise, code, path] of cases) await expectEngineError(promise, code, path);
    expect(client.loadedGraph()).toBe(before);
  });

  it("bounds a lane by automationPoints, appended calls included: E_LIMIT, and nothing changes", async () => {
    await client.loadGraph(graph());
    const limit = LIMITS.automationPoints.value;
    const events = Array.from({ length: limit - 1 }, (_, i) => ({
      type: "setValueAtTime" as const,
      value: i % 2,
      time: i / 1000,
    }));
    await client.scheduleAutomation("vca", "gain", { kind: "web_audio", events });
    await client.scheduleAutomation("vca", "gain", {
      kind: "web_audio",
      events: [{ type: "setValueAtTime", value: 1, time: 100 }],
    });
    const before = client.loadedGraph();
    await expectEngineError(
      client.scheduleAutomation("vca", "gain", {
        kind: "web_audio",
        events: [{ type: "setValueAtTime", value: 0, time: 101 }],
      }),
      "E_LIMIT",
      "schedule_automation.automation.events",
    );
    await expectEngineError(
      client.scheduleAutomation("vca", "gain", {
        kind: "breakpoints",
        points: Array.from({ length: limit + 1 }, (_, i) => ({ time: i, value: 0 })),
      }),
      "E_LIMIT",
      "schedule_automation.automation.points",
    );
    expect(client.loadedGraph()).toBe(before);
    // A replace starts the lane afresh: a long session stays within the limit.
    await client.scheduleAutomation(
      "vca",
      "gain",
      { kind: "web_audio", events: [FIRST_CALL] },
      {
        mode: "replace",
      },
    );
    const vca = client.loadedGraph()?.nodes[1];
    expect(vca?.automation.gain).toEqual({ kind: "web_audio", timeline: "seconds", events: [FIRST_CALL] });
  });
});

describe("a lane swapped into a playing graph (the AudioWorklet's path, in Node)", () => {
  /** Plays `graph()` in real time for `frames`, calling `atQuantum` between quanta as the worklet's message handler would. */
  async function playLive(frames: number, schedule: { atFrame: number; automation: AutomationInput }) {
    const engine = await newEngine(SR, 128);
    const parsed = parseContract(GraphDescriptorSchema, graph());
    const context = {
      types: engine.types,
      sampleRate: SR,
      resolveBuffer: () => 0,
      readBufferChannel0: () => new Float32Array(0),
    };
    const { program, nodeIndex } = compileGraph(parsed, context);
    const slot = new EngineSlot(module, SR, 128);
    slot.start(program, []);
    const realtime = new RealtimeEngine(slot.engine, SR);
    realtime.attach(slot.engine, slot.nodeCount);
    realtime.play(-1);
    const out = new Float32Array(frames);
    const quantum = [new Float32Array(128)];
    for (let done = 0; done < frames; done += 128) {
      if (done === schedule.atFrame) {
        const lane = compileLane(parsed, "gain", parseLane(schedule.automation), 0.5, context, "lane");
        const outcome = slot.replaceLane(nodeIndex.get("vca") as number, "gain", lane.base, lane.timeline);
        expect(outcome).toEqual({ loaded: true });
      }
      realtime.renderQuantum(quantum, 128);
      out.set((quantum[0] as Float32Array).subarray(0, Math.min(128, frames - done)), done);
    }
    return out;
  }

  function parseLane(automation: AutomationInput) {
    const parsed = parseContract(GraphDescriptorSchema, graph(automation));
    return parsed.nodes[1]?.automation.gain as NonNullable<
      (typeof parsed.nodes)[number]["automation"][string]
    >;
  }

  it("plays a lane scheduled ahead exactly as the offline render of the same automation, oscillator phase kept", async () => {
    const automation: AutomationInput = { kind: "web_audio", events: [...RAMP_CALLS] };
    const frames = 0.25 * SR;
    // Called at frame 1280 (26.7 ms), before the first event (50 ms): every event lands on its frame.
    const live = await playLive(frames, { atFrame: 1280, automation });
    const offline = await renderMono(graph(automation));
    expect(maxError(live, offline)).toBe(0);
  });

  it("lands a change already due at the first frame of the next quantum, and leaves the frames before alone", async () => {
    // A setValueAtTime in the past (0 s): Web Audio applies it at once; here from frame 6400 on.
    const automation: AutomationInput = {
      kind: "web_audio",
      events: [
        { type: "setValueAtTime", value: 0.125, time: 0 },
        { type: "linearRampToValueAtTime", value: 1, time: 0.2 },
      ],
    };
    const at = 6400;
    const live = await playLive(0.25 * SR, { atFrame: at, automation });
    const offline = await renderMono(graph(automation));
    const untouched = await renderMono(graph());
    expect(maxError(live.subarray(0, at), untouched.subarray(0, at))).toBe(0);
    expect(maxError(live.subarray(at), offline.subarray(at))).toBe(0);
    // The frame it lands on is the first that differs from the untouched graph.
    let first = -1;
    for (let i = 0; i < live.length && first < 0; i++) if (live[i] !== untouched[i]) first = i;
    expect(first).toBe(at);
  });

  it("replaces a lane of audio-rate values over and over without growing the engine's memory", async () => {
    const engine = await newEngine(SR, 128);
    const parsed = parseContract(GraphDescriptorSchema, graph());
    const context = {
      types: engine.types,
      sampleRate: SR,
      resolveBuffer: () => 0,
      readBufferChannel0: () => new Float32Array(0),
    };
    const { program } = compileGraph(parsed, context);
    const slot = new EngineSlot(module, SR, 128);
    slot.start(program, []);
    const lane = compileLane(
      parsed,
      "gain",
      parseLane({
        kind: "web_audio",
        events: [{ type: "setTargetAtTime", target: 0, time: 0, timeConstant: 0.05 }],
      }),
      0.5,
      context,
      "lane",
    );
    expect(lane.timeline.some((entry) => entry.type === "array")).toBe(true);
    const inUse: number[] = [];
    for (let i = 0; i < 200; i++) {
      expect(slot.replaceLane(1, "gain", lane.base, lane.timeline)).toEqual({ loaded: true });
      inUse.push(slot.engine.exports.wd_memory_in_use());
    }
    // After the first few replacements the heap holds one lane's worth, however many follow.
    expect(inUse.at(-1)).toBe(inUse[10]);
  });
});
