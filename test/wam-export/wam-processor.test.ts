/**
 * The plugin's audio-thread half (src/wam-export/runtime/webdreamer-wam-processor.ts) in Node.js, in
 * a stand-in for AudioWorkletGlobalScope: the WAM SDK's own WamProcessor (its source files, as the
 * SDK's tests load them) with the globals an AudioWorklet gives (sampleRate, currentTime,
 * registerProcessor). Quanta are driven here one by one, so where each event lands is checked to
 * the frame against webdreamer's in-process render of the same graph, and the SDK protocol (one
 * answer per event) with it. The browser test (e2e/wam-export.spec.ts) plays the same code in
 * Chromium through a real WAM host.
 */
import type { WamEvent } from "@webaudiomodules/api";
import getRingBuffer from "@webaudiomodules/sdk/src/RingBuffer.js";
import getWamEventRingBuffer from "@webaudiomodules/sdk/src/WamEventRingBuffer.js";
import getWamParameter from "@webaudiomodules/sdk/src/WamParameter.js";
import getWamParameterInfo from "@webaudiomodules/sdk/src/WamParameterInfo.js";
import getWamParameterInterpolator from "@webaudiomodules/sdk/src/WamParameterInterpolator.js";
import getWamProcessor from "@webaudiomodules/sdk/src/WamProcessor.js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { GraphDescriptorInput } from "../../src/contracts/graph-descriptor";
import type { GraphProgram } from "../../src/engine/graph-program";
import { loadEngineModuleFromDisk } from "../../src/hosts/in-process/engine-file";
import { createEngine } from "../../src/index";
import { exportWam } from "../../src/wam-export/export-wam";
import type { ExportedGraph, WamProcessorSetup } from "../../src/wam-export/plugin-format";
import { registerWebdreamerWamProcessor } from "../../src/wam-export/runtime/webdreamer-wam-processor";

const RATE = 48000;
const QUANTUM = 128;
const MODULE_ID = "com.webdreamer.test.processor";

/** What the stand-in scope records. */
const scope = {
  registered: new Map<string, new (options: unknown) => TestProcessor>(),
  moduleScopes: new Map<string, Record<string, unknown>>(),
};

interface TestProcessor {
  port: { onmessage: ((message: { data: unknown }) => void) | null; posted: unknown[] };
  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean;
  scheduleEvents(...events: WamEvent[]): void;
  _onMessage(message: { data: unknown }): Promise<void>;
}

// The stand-in scope's globals are stubbed (and removed after the file): untimed files share their
// worker's globals, and the SDK's modules register into a module scope whenever they see an
// AudioWorkletProcessor, which another file's plain import of the SDK must not find.
beforeAll(() => {
  vi.stubGlobal("sampleRate", RATE);
  vi.stubGlobal("currentTime", 0);
  vi.stubGlobal(
    "AudioWorkletProcessor",
    class {
      readonly port = {
        onmessage: null,
        posted: [] as unknown[],
        postMessage(message: unknown) {
          this.posted.push(message);
        },
        close() {},
      };
    },
  );
  vi.stubGlobal(
    "registerProcessor",
    (name: string, processorClass: new (options: unknown) => TestProcessor) => {
      scope.registered.set(name, processorClass);
    },
  );
  vi.stubGlobal("webAudioModules", {
    getModuleScope(moduleId: string) {
      let moduleScope = scope.moduleScopes.get(moduleId);
      if (moduleScope === undefined) {
        moduleScope = {};
        scope.moduleScopes.set(moduleId, moduleScope);
      }
      return moduleScope;
    },
    addWam() {},
    removeWam() {},
  });
  // What WamNode.addModules injects, in its order; then the plugin's processor.js.
  for (const inject of [
    getRingBuffer,
    getWamEventRingBuffer,
    getWamParameter,
    getWamParameterInfo,
    getWamParameterInterpolator,
    getWamProcessor,
  ]) {
    (inject as (moduleId: string) => unknown)(MODULE_ID);
  }
  registerWebdreamerWamProcessor(MODULE_ID);
  registerWebdreamerWamProcessor(MODULE_ID); // a second processor.js evaluation registers nothing
});

afterAll(() => {
  vi.unstubAllGlobals();
});

const SYNTH: GraphDescriptorInput = {
  version: "v1alpha",
  nodes: [
    { name: "synth", node_id: "builtin:synth", params: { gain: 0.5, release: 30 } },
    {
      name: "filter",
      node_id: "builtin:filter",
      inputs: ["synth"],
      params: { mode: "lowpass", frequency: 3000 },
    },
  ],
  output: "filter",
};

/** A processor playing `graph` as an exported plugin would, initialized as WamNode initializes it. */
async function startProcessor(
  graph: GraphDescriptorInput,
  parameters?: string[],
  audioInput?: string,
): Promise<TestProcessor> {
  const exported: ExportedGraph = (
    await exportWam(graph, {
      ...(parameters === undefined ? {} : { parameters }),
      ...(audioInput === undefined ? {} : { audioInput }),
    })
  ).graph;
  const setup: WamProcessorSetup = {
    engineModule: await loadEngineModuleFromDisk(),
    // Builtin nodes only: the program needs no Faust module fetched and compiled.
    program: exported.program as GraphProgram,
    blockSize: exported.blockSize,
    parameters: exported.parameters,
    midiNodes: exported.midiNodes,
    buffers: [],
  };
  const Processor = scope.registered.get(MODULE_ID) as new (options: unknown) => TestProcessor;
  const processor = new Processor({
    processorOptions: {
      groupId: "g",
      moduleId: MODULE_ID,
      instanceId: `${MODULE_ID}.1`,
      useSab: false,
      setup,
    },
  });
  await processor._onMessage({ data: { id: 1, request: "initialize/processor" } });
  return processor;
}

/** Renders `frames` frames quantum by quantum, currentTime following as the AudioWorklet's does. */
function run(processor: TestProcessor, frames: number): Float32Array {
  const out = new Float32Array(frames);
  const quantum = [new Float32Array(QUANTUM)];
  for (let start = 0; start < frames; start += QUANTUM) {
    (globalThis as Record<string, unknown>).currentTime = start / RATE;
    expect(processor.process([], [quantum])).toBe(true);
    out.set((quantum[0] as Float32Array).subarray(0, Math.min(QUANTUM, frames - start)), start);
  }
  return out;
}

async function reference(graph: GraphDescriptorInput, frames: number): Promise<Float32Array> {
  const engine = await createEngine({ host: "in-process", sampleRate: RATE });
  const result = await engine.render({
    version: "v1alpha",
    request_id: "processor-reference",
    node_graph: graph,
    duration_seconds: frames / RATE,
    sample_rate: RATE,
    channels: 1,
  });
  const [channel] = await engine.readBuffer(result.buffer_handle as string);
  await engine.close();
  return channel as Float32Array;
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

const midi = (frame: number, bytes: [number, number, number]): WamEvent => ({
  type: "wam-midi",
  time: frame / RATE,
  data: { bytes },
});
const automation = (frame: number | undefined, id: string, value: number, normalized = false): WamEvent => ({
  type: "wam-automation",
  ...(frame === undefined ? {} : { time: frame / RATE }),
  data: { id, value, normalized },
});

describe("the exported plugin's processor", () => {
  it("an effect reads its input on the frames it renders, also where an event splits the quantum", async () => {
    const graph: GraphDescriptorInput = {
      version: "v1alpha",
      nodes: [
        { name: "in", node_id: "builtin:playback" },
        { name: "amp", node_id: "builtin:gain", inputs: ["in"], params: { gain: 2 } },
      ],
      output: "amp",
    };
    const processor = await startProcessor(graph, ["amp/gain"], "in");
    // Steps mid-quantum, on a boundary and twice in one quantum: each splits the engine's render.
    const steps: [number, number][] = [
      [100, -1],
      [256, 0.5],
      [300, 3],
      [333, 0.25],
    ];
    processor.scheduleEvents(...steps.map(([frame, value]) => automation(frame, "amp/gain", value)));
    const frames = 4 * QUANTUM;
    // A different value on every frame and side: any misread frame or channel shows.
    const input = [0, 1].map((c) =>
      Float32Array.from({ length: frames }, (_, i) => (i + 1) * (c === 0 ? 1 : -0.5)),
    );
    const outputs = [[new Float32Array(QUANTUM), new Float32Array(QUANTUM)]];
    const left = new Float32Array(frames);
    const right = new Float32Array(frames);
    for (let start = 0; start < frames; start += QUANTUM) {
      (globalThis as Record<string, unknown>).currentTime = start / RATE;
      const inputs = [input.map((channel) => channel.subarray(start, start + QUANTUM))];
      expect(processor.process(inputs, outputs)).toBe(true);
      left.set(outputs[0]?.[0] as Float32Array, start);
      right.set(outputs[0]?.[1] as Float32Array, start);
    }
    const gainAt = (frame: number) => steps.filter(([at]) => at <= frame).at(-1)?.[1] ?? 2;
    const expected = (c: number) =>
      Float32Array.from({ length: frames }, (_, i) => Math.fround((input[c]?.[i] as number) * gainAt(i)));
    expect(maxDifference(left, expected(0))).toBe(0);
    expect(maxDifference(right, expected(1))).toBe(0);
    expect([left[99], left[100], left[299], left[300], left[333]]).toEqual([200, -101, 150, 903, 83.5]);
  });

  it("lands MIDI and automation on their frames: webdreamer's render exactly, events mid-quantum and on boundaries", async () => {
    const frames = 24_000;
    const processor = await startProcessor(SYNTH);
    // Scheduled out of order, as hosts may: the processor sorts them by time.
    processor.scheduleEvents(
      automation(2_561, "filter/frequency", 800),
      midi(77, [0x90, 60, 100]),
      midi(1_280, [0x90, 67, 90]), // on a quantum boundary (10 * 128)
      midi(9_000, [0x80, 60, 0]),
      midi(9_000, [0x80, 67, 0]),
      automation(12_799, "synth/gain", 0.2),
    );
    const graph: GraphDescriptorInput = {
      ...SYNTH,
      nodes: [
        {
          ...(SYNTH.nodes[0] as (typeof SYNTH.nodes)[number]),
          midi: [
            { type: "note", time: 77 / RATE, duration: (9_000 - 77) / RATE, note: 60, velocity: 100 },
            { type: "note", time: 1_280 / RATE, duration: (9_000 - 1_280) / RATE, note: 67, velocity: 90 },
          ],
          automation: {
            gain: {
              kind: "breakpoints",
              points: [
                { time: 0, value: 0.5, curve: "step" },
                { time: 12_799 / RATE, value: 0.2, curve: "step" },
              ],
            },
          },
        },
        {
          ...(SYNTH.nodes[1] as (typeof SYNTH.nodes)[number]),
          automation: {
            frequency: {
              kind: "breakpoints",
              points: [
                { time: 0, value: 3000, curve: "step" },
                { time: 2_561 / RATE, value: 800, curve: "step" },
              ],
            },
          },
        },
      ],
    };
    const expected = await reference(graph, frames);
    const actual = run(processor, frames);
    expect(Math.max(...expected.map(Math.abs))).toBeGreaterThan(0.01);
    expect(maxDifference(actual, expected)).toBe(0);
    // Events scheduled on the audio thread are answered on the port, once each (the SDK's protocol).
    expect(processor.port.posted.filter((m) => (m as { event?: unknown }).event !== undefined)).toHaveLength(
      6,
    );
  });

  it("a late or untimed event applies on the quantum's first frame; its port answer names its id", async () => {
    const processor = await startProcessor(
      {
        version: "v1alpha",
        nodes: [{ name: "dc", node_id: "builtin:constant", params: { offset: 0.1 } }],
        output: "dc",
      },
      ["dc/offset"],
    );
    run(processor, 256);
    // Sent from the main thread (an "add/event" request): time already past.
    await processor._onMessage({
      data: { id: 7, request: "add/event", content: { event: automation(10, "dc/offset", 0.3) } },
    });
    processor.scheduleEvents(automation(undefined, "dc/offset", 0.2), automation(256 + 64, "dc/offset", 0.4));
    const quantum = [new Float32Array(QUANTUM)];
    (globalThis as Record<string, unknown>).currentTime = 256 / RATE;
    processor.process([], [quantum]);
    const out = quantum[0] as Float32Array;
    // Untimed first (0.2), then the late one (0.3), both on frame 0; 0.4 from frame 64.
    expect([out[0], out[63], out[64], out[127]]).toEqual([
      Math.fround(0.3),
      Math.fround(0.3),
      Math.fround(0.4),
      Math.fround(0.4),
    ]);
    expect(processor.port.posted).toContainEqual({ id: 7, response: "add/event" });
  });

  it("normalized values map through the parameter's range; values beyond it are clamped, in the state too", async () => {
    const processor = await startProcessor(
      {
        version: "v1alpha",
        nodes: [{ name: "dc", node_id: "builtin:filter", params: { frequency: 1000 } }],
        output: "dc",
      },
      ["dc/gain"],
    );
    processor.scheduleEvents(automation(0, "dc/gain", 0.75, true));
    run(processor, QUANTUM);
    await processor._onMessage({
      data: { id: 9, request: "get/parameterValues", content: { normalized: false } },
    });
    expect(processor.port.posted.at(-1)).toMatchObject({ id: 9, content: { "dc/gain": { value: 24 } } }); // -48..48
    processor.scheduleEvents(automation(QUANTUM, "dc/gain", 1000));
    run(processor, 2 * QUANTUM);
    await processor._onMessage({ data: { id: 10, request: "get/state" } });
    expect(processor.port.posted.at(-1)).toMatchObject({
      id: 10,
      content: { parameterValues: { "dc/gain": { value: 48 } } },
    });
  });
});
