/** compileGraph: the checks only the engine's table can make, and times turned into frames. */
import { beforeAll, describe, expect, it } from "vitest";
import {
  EngineError,
  type GraphDescriptorInput,
  GraphDescriptorSchema,
  type GraphNodeInput,
  parseContract,
} from "../../src/contracts";
import { instantiateEngine } from "../../src/engine/engine-module";
import { type CompiledGraph, compileGraph, type GraphCompileContext } from "../../src/engine/graph-compiler";
import type { TimelineEntry } from "../../src/engine/graph-program";
import { type ProcessorTypeInfo, readProcessorTypes } from "../../src/engine/processor-types";
import { unknownHandle } from "../../src/hosts/in-process/buffer-store";
import { loadEngineModuleFromDisk } from "../../src/hosts/in-process/engine-file";

let types: ProcessorTypeInfo[];

beforeAll(async () => {
  types = readProcessorTypes(instantiateEngine(await loadEngineModuleFromDisk()));
});

const AUTOMATION_DATA = Float32Array.from([0.5, 0.25, 0.125]);

/** Known handles: buf:7 (engine buffer id 3) and buf:auto (automation data). */
function context(overrides: Partial<GraphCompileContext> = {}): GraphCompileContext {
  const ids = new Map([
    ["buf:7", 3],
    ["buf:auto", 4],
  ]);
  return {
    types,
    sampleRate: 48000,
    resolveBuffer: (handle, path) => {
      const id = ids.get(handle);
      if (id === undefined) throw unknownHandle(handle, path);
      return id;
    },
    readBufferChannel0: (handle, path) => {
      if (handle !== "buf:auto") throw unknownHandle(handle, path);
      return AUTOMATION_DATA;
    },
    ...overrides,
  };
}

function graphOf(nodes: GraphNodeInput[], extra: Partial<GraphDescriptorInput> = {}) {
  return parseContract(GraphDescriptorSchema, {
    version: "v1alpha",
    nodes,
    output: nodes[nodes.length - 1]?.name ?? "",
    ...extra,
  });
}

function compile(nodes: GraphNodeInput[], extra: Partial<GraphDescriptorInput> = {}, ctx = context()) {
  return compileGraph(graphOf(nodes, extra), ctx);
}

function compileError(nodes: GraphNodeInput[], ctx = context()): EngineError {
  try {
    compile(nodes, {}, ctx);
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    return error as EngineError;
  }
  throw new Error("expected compileGraph to throw");
}

function timelineOf(compiled: CompiledGraph, node = 0): TimelineEntry[] {
  return compiled.program.nodes[node]?.timeline ?? [];
}

const OSC: GraphNodeInput = { name: "osc", node_id: "builtin:oscillator" };

describe("compileGraph rejects what the engine cannot run, naming the field", () => {
  it("an unknown node type, listing the known ones", () => {
    const known = types.map((type) => `builtin:${type.kind}`).join(", ");
    expect(known).toContain("builtin:sampler");
    const error = compileError([OSC, { name: "fx", node_id: "builtin:flanger", inputs: ["osc"] }]);
    expect(error.message).toBe(
      `E_UNKNOWN_NODE at node_graph.nodes[1].node_id: unknown node type "builtin:flanger" (known: ${known})`,
    );
    expect(compileError([{ name: "dsp", node_id: "faust:9c1e0b7d" }]).message).toBe(
      `E_UNKNOWN_NODE at node_graph.nodes[0].node_id: unknown node type "faust:9c1e0b7d"; this host runs builtin nodes only (known: ${known})`,
    );
    // Any string is a node_id on the wire (the v1alpha seed's plain string); here it is resolved.
    expect(compileError([{ name: "o", node_id: "oscillator" }]).message).toBe(
      `E_UNKNOWN_NODE at node_graph.nodes[0].node_id: unknown node type "oscillator"; this host runs builtin nodes only (known: ${known})`,
    );
  });

  it("an unknown parameter, in params or automation", () => {
    const filter = { name: "f", node_id: "builtin:filter", inputs: ["osc"] };
    expect(compileError([OSC, { ...filter, params: { q2: 1 } }]).message).toBe(
      'E_SCHEMA at node_graph.nodes[1].params.q2: unknown parameter "q2" of builtin:filter (known: mode, frequency, q, gain)',
    );
    const error = compileError([
      OSC,
      { ...filter, automation: { cutoff: { kind: "audio_rate", values: [1] } } },
    ]);
    expect({ code: error.code, path: error.path }).toEqual({
      code: "E_SCHEMA",
      path: "node_graph.nodes[1].automation.cutoff",
    });
  });

  it("lists at most 16 ids of a type with many parameters", () => {
    const error = compileError([
      OSC,
      { name: "mix", node_id: "builtin:mixer", inputs: ["osc"], params: { gian: 1 } },
    ]);
    expect(error.detail).toMatch(
      /^unknown parameter "gian" of builtin:mixer \(known: gain, input_gain_0, .*input_gain_14, and \d+ more\)$/,
    );
  });

  it("a label that is not a choice, and a label for a parameter without choices", () => {
    const choices = types
      .find((type) => type.kind === "filter")
      ?.params.find((p) => p.id === "mode")?.choices;
    expect(choices?.length).toBeGreaterThan(1);
    expect(
      compileError([OSC, { name: "f", node_id: "builtin:filter", inputs: ["osc"], params: { mode: "lo" } }])
        .message,
    ).toBe(
      `E_SCHEMA at node_graph.nodes[1].params.mode: unknown choice "lo" for mode of builtin:filter (choices: ${choices?.join(", ")})`,
    );
    expect(
      compileError([OSC, { name: "g", node_id: "builtin:gain", inputs: ["osc"], params: { gain: "loud" } }])
        .message,
    ).toBe(
      "E_SCHEMA at node_graph.nodes[1].params.gain: must be a number: gain of builtin:gain has no choices",
    );
  });

  it("a static value out of range, and a fraction for a discrete parameter", () => {
    expect(
      compileError([OSC, { name: "g", node_id: "builtin:gain", inputs: ["osc"], params: { gain: 1001 } }])
        .message,
    ).toBe(
      "E_SCHEMA at node_graph.nodes[1].params.gain: must be within [-1000, 1000] for gain of builtin:gain (got 1001)",
    );
    expect(compileError([{ name: "s", node_id: "builtin:sampler", params: { voices: 2.5 } }]).message).toBe(
      "E_SCHEMA at node_graph.nodes[0].params.voices: must be an integer for voices of builtin:sampler (got 2.5)",
    );
    // float32 range ends read back as written: q's minimum is 0.0001, not 0.00009999999747.
    expect(
      compileError([OSC, { name: "f", node_id: "builtin:filter", inputs: ["osc"], params: { q: 0 } }]).detail,
    ).toBe("must be within [0.0001, 40] for q of builtin:filter (got 0)");
  });

  it("an unknown buffer handle, in buffers or automation", () => {
    expect(
      compileError([{ name: "p", node_id: "builtin:playback", buffers: { data: "buf:404" } }]).message,
    ).toBe(
      'E_UNKNOWN_HANDLE at node_graph.nodes[0].buffers.data: no buffer "buf:404" (never issued, or released)',
    );
    const error = compileError([
      OSC,
      {
        name: "g",
        node_id: "builtin:gain",
        inputs: ["osc"],
        automation: { gain: { kind: "ppqn", ppqn: 4, buffer_handle: "buf:404" } },
      },
    ]);
    expect({ code: error.code, path: error.path }).toEqual({
      code: "E_UNKNOWN_HANDLE",
      path: "node_graph.nodes[1].automation.gain.buffer_handle",
    });
  });

  it("an unknown buffer slot, and buffers on a type that takes none", () => {
    expect(
      compileError([{ name: "p", node_id: "builtin:playback", buffers: { left: "buf:7" } }]).message,
    ).toBe(
      'E_SCHEMA at node_graph.nodes[0].buffers.left: unknown buffer slot "left" of builtin:playback (known: data, 0)',
    );
    expect(
      compileError([{ name: "o", node_id: "builtin:oscillator", buffers: { data: "buf:7" } }]).message,
    ).toBe(
      'E_SCHEMA at node_graph.nodes[0].buffers.data: unknown buffer slot "data" of builtin:oscillator (known: wave, periodic_wave, 0)',
    );
    expect(compileError([{ name: "g", node_id: "builtin:gain", buffers: { data: "buf:7" } }]).message).toBe(
      "E_SCHEMA at node_graph.nodes[0].buffers.data: builtin:gain takes no buffers",
    );
  });

  it("a capture name that is not a node", () => {
    expect(() => compile([OSC], {}, context({ capture: ["osc", "ghost"] }))).toThrow(
      'E_UNKNOWN_NODE at options.capture[1]: no node named "ghost"',
    );
  });

  it("uses the caller's root label", () => {
    expect(() =>
      compileGraph(
        graphOf([{ name: "x", node_id: "builtin:nope" }]),
        context({ rootLabel: "load_graph.graph" }),
      ),
    ).toThrow(/^E_UNKNOWN_NODE at load_graph\.graph\.nodes\[0\]\.node_id: /);
  });
});

describe("compileGraph builds the program", () => {
  it("maps names to indices, labels to choice indices, and buffer slot names to slot 0", () => {
    const compiled = compile([
      { name: "drums", node_id: "builtin:playback", buffers: { data: "buf:7" } },
      { name: "bass", node_id: "builtin:sampler", buffers: { sample: "buf:7" } },
      { name: "keys", node_id: "builtin:sampler", buffers: { "0": "buf:7" } },
      { name: "low", node_id: "builtin:filter", inputs: ["drums", "bass"], params: { mode: "low", q: 2 } },
      { name: "high", node_id: "builtin:filter", inputs: ["low"], params: { mode: "highpass" } },
    ]);
    expect([...compiled.nodeIndex]).toEqual([
      ["drums", 0],
      ["bass", 1],
      ["keys", 2],
      ["low", 3],
      ["high", 4],
    ]);
    expect(compiled.program.nodes.map((node) => node.buffers)).toEqual([
      { 0: 3 },
      { 0: 3 },
      { 0: 3 },
      undefined,
      undefined,
    ]);
    expect(compiled.program.nodes[3]).toEqual({ kind: "filter", inputs: [0, 1], params: { mode: 0, q: 2 } });
    expect(compiled.program.nodes[4]?.params).toEqual({ mode: 1 });
    expect(compiled.program.output).toBe(4);
    expect(compiled.outputNode).toBe(4);
  });

  it("puts seconds and beats on frames: 0.5 s and beat 1 at 120 bpm are frame 24000", () => {
    const compiled = compile([
      {
        name: "s",
        node_id: "builtin:sampler",
        midi: [
          { type: "cc", time: 0.5, controller: 7, value: 100 },
          { type: "cc", timeline: "beats", time: 1, controller: 7, value: 90 },
          // Beat times snap to the graph's 1/960 grid: 1.0001 is beat 1.
          { type: "cc", timeline: "beats", time: 1.0001, controller: 7, value: 80 },
          { type: "cc", time: 1 / 3, controller: 7, value: 70 },
        ],
      },
    ]);
    expect(
      timelineOf(compiled).map((entry) => (entry.type === "midi" ? [entry.frame, entry.data2] : [])),
    ).toEqual([
      [16000, 70],
      [24000, 100],
      [24000, 90],
      [24000, 80],
    ]);
  });

  it("encodes notes, control changes and 14-bit pitch bends on their channels; note-offs first at a frame", () => {
    const compiled = compile([
      {
        name: "s",
        node_id: "builtin:sampler",
        midi: [
          { type: "note", time: 1, duration: 1, note: 60, velocity: 100, channel: 2 },
          { type: "note", time: 0, duration: 1, note: 60, velocity: 90, channel: 2 },
          { type: "cc", time: 0, controller: 74, value: 64, channel: 16 },
          { type: "pitch_bend", time: 0, value: -8192 },
          { type: "pitch_bend", time: 0, value: 0 },
          { type: "pitch_bend", time: 0, value: 8191 },
        ],
      },
    ]);
    const bytes = timelineOf(compiled).map((entry) =>
      entry.type === "midi" ? [entry.frame, entry.status, entry.data1, entry.data2] : [],
    );
    expect(bytes).toEqual([
      [0, 0x91, 60, 90],
      [0, 0xbf, 74, 64],
      [0, 0xe0, 0, 0],
      [0, 0xe0, 0, 64],
      [0, 0xe0, 127, 127],
      [48000, 0x81, 60, 0],
      [48000, 0x91, 60, 100],
      [96000, 0x81, 60, 0],
    ]);
  });

  it("turns ppqn automation into one step per change of value, following the tempo map", () => {
    const compiled = compile(
      [
        OSC,
        {
          name: "g",
          node_id: "builtin:gain",
          inputs: ["osc"],
          params: { gain: 9 },
          automation: { gain: { kind: "ppqn", ppqn: 2, values: [1, 1, 1, 2, 2, 2, 3, 3] } },
        },
      ],
      {
        tempo: {
          map: [
            { beat: 0, bpm: 120 },
            { beat: 2, bpm: 60 },
          ],
        },
      },
    );
    // Pulse 3 = beat 1.5 = 0.75 s; pulse 6 = beat 3 = 1 s + 1 s at 60 bpm.
    expect(timelineOf(compiled, 1)).toEqual([
      { type: "step", param: "gain", frame: 36000, value: 2 },
      { type: "step", param: "gain", frame: 96000, value: 3 },
    ]);
    // Automation overrides params from the start of the timeline.
    expect(compiled.program.nodes[1]?.params).toEqual({ gain: 1 });
  });

  it("plays audio_rate automation from frame 0, inline or from channel 0 of a buffer", () => {
    const inline = compile([
      OSC,
      {
        name: "g",
        node_id: "builtin:gain",
        inputs: ["osc"],
        automation: { gain: { kind: "audio_rate", values: [0.5, 1] } },
      },
    ]);
    expect(timelineOf(inline, 1)).toEqual([
      { type: "array", param: "gain", start: 0, values: Float32Array.from([0.5, 1]) },
    ]);
    const buffered = compile([
      OSC,
      {
        name: "g",
        node_id: "builtin:gain",
        inputs: ["osc"],
        automation: { gain: { kind: "audio_rate", buffer_handle: "buf:auto" } },
      },
    ]);
    expect(timelineOf(buffered, 1)).toEqual([
      { type: "array", param: "gain", start: 0, values: AUTOMATION_DATA },
    ]);
    expect(buffered.program.nodes[1]?.params).toEqual({ gain: 0.5 });
  });

  it("turns breakpoints into ramps and holds, on seconds and on beats", () => {
    const compiled = compile([
      OSC,
      {
        name: "g",
        node_id: "builtin:gain",
        inputs: ["osc"],
        automation: {
          gain: {
            kind: "breakpoints",
            points: [
              { time: 0.25, value: 0 },
              { time: 0.75, value: 1, curve: "exponential" },
              { time: 1, value: 2, curve: "step" },
              { time: 2, value: 3 },
            ],
          },
        },
      },
      {
        name: "h",
        node_id: "builtin:gain",
        inputs: ["g"],
        automation: {
          gain: {
            kind: "breakpoints",
            timeline: "beats",
            points: [
              { time: 1, value: 0.5 },
              { time: 2, value: 1 },
            ],
          },
        },
      },
    ]);
    expect(timelineOf(compiled, 1)).toEqual([
      { type: "ramp", param: "gain", start: 12000, end: 36000, from: 0, to: 1, curve: "linear" },
      { type: "ramp", param: "gain", start: 36000, end: 48000, from: 1, to: 2, curve: "exponential" },
      { type: "step", param: "gain", frame: 96000, value: 3 },
    ]);
    expect(compiled.program.nodes[1]?.params).toEqual({ gain: 0 });
    expect(timelineOf(compiled, 2)).toEqual([
      { type: "ramp", param: "gain", start: 24000, end: 48000, from: 0.5, to: 1, curve: "linear" },
    ]);
  });

  it("marks captures, and collects captures off the output's path in a hidden sink", () => {
    const onPath = compile(
      [OSC, { name: "g", node_id: "builtin:gain", inputs: ["osc"] }],
      {},
      context({ capture: ["osc"] }),
    );
    expect(onPath.program.nodes.map((node) => node.capture === true)).toEqual([true, false]);
    expect([...onPath.captures]).toEqual([["osc", 0]]);
    expect(onPath.program.output).toBe(1);

    const offPath = compile([
      { name: "lonely", node_id: "builtin:oscillator", capture: true },
      OSC,
      { name: "g", node_id: "builtin:gain", inputs: ["osc"] },
    ]);
    expect(offPath.outputNode).toBe(2);
    expect(offPath.program.output).toBe(3);
    // What a real-time host plays: the output node, not the sink.
    expect(offPath.program.played).toBe(2);
    expect(offPath.program.nodes[3]).toEqual({ kind: "gain", inputs: [2, 0], params: { gain: 1 } });
    expect(offPath.program.nodes[2]?.capture).toBe(true);
    expect([...offPath.captures]).toEqual([["lonely", 0]]);
  });
});
