/** What is particular to the in-process host: real-time control records, transport, discovery, engines. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  EngineError,
  type GraphDescriptorInput,
  NodeDescriptorSchema,
  parseContract,
  type RenderRequestInput,
} from "../../../src/contracts";
import { loadEngineModuleFromDisk } from "../../../src/hosts/in-process/engine-file";
import { InProcessEngineClient } from "../../../src/hosts/in-process/in-process-client";

const GRAPH: GraphDescriptorInput = {
  version: "v1alpha",
  nodes: [
    { name: "osc", node_id: "builtin:oscillator" },
    { name: "filter", node_id: "builtin:filter", inputs: ["osc"], params: { mode: "low", frequency: 1000 } },
    {
      name: "vca",
      node_id: "builtin:gain",
      inputs: ["filter"],
      automation: { gain: { kind: "audio_rate", values: [1, 0.5] } },
    },
    { name: "keys", node_id: "builtin:sampler" },
  ],
  output: "vca",
  tempo: { bpm: 120 },
};

async function rejection(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

let client: InProcessEngineClient;

beforeEach(async () => {
  client = new InProcessEngineClient({ module: await loadEngineModuleFromDisk() });
});

afterEach(async () => {
  await client.close();
});

describe("real-time control is validated against the engine and recorded in the loaded graph", () => {
  it("rejects a graph this engine cannot play, keeping the one loaded", async () => {
    await client.loadGraph(GRAPH);
    const error = await rejection(
      client.loadGraph({ ...GRAPH, nodes: [{ name: "x", node_id: "builtin:flanger" }], output: "x" }),
    );
    expect({ code: error.code, path: error.path }).toEqual({
      code: "E_UNKNOWN_NODE",
      path: "load_graph.graph.nodes[0].node_id",
    });
    expect(
      (
        await rejection(
          client.loadGraph({
            ...GRAPH,
            nodes: [{ name: "g", node_id: "builtin:gain", params: { gain: 2000 } }],
            output: "g",
          }),
        )
      ).message,
    ).toBe(
      "E_SCHEMA at load_graph.graph.nodes[0].params.gain: must be within [-1000, 1000] for gain of builtin:gain (got 2000)",
    );
    expect(client.loadedGraph()?.nodes.map((node) => node.name)).toEqual(["osc", "filter", "vca", "keys"]);
  });

  it("records a value set now in params, and a timed one as a step breakpoint", async () => {
    await client.loadGraph(GRAPH);
    await client.setParameter("filter", "frequency", 1200);
    await client.setParameter("filter", "mode", "high", { atSeconds: 2 });
    const filter = client.loadedGraph()?.nodes[1];
    expect(filter?.params).toEqual({ mode: "low", frequency: 1200 });
    // "low" is choice 0 (lowpass) and "high" choice 1 (highpass) of the engine's filter.
    expect(filter?.automation.mode).toEqual({
      kind: "breakpoints",
      timeline: "seconds",
      points: [
        { time: 0, value: 0, curve: "step" },
        { time: 2, value: 1, curve: "step" },
      ],
    });
    await client.setParameter("filter", "mode", 2, { atSeconds: 1 });
    expect(client.loadedGraph()?.nodes[1]?.automation.mode).toMatchObject({
      points: [{ time: 0 }, { time: 1, value: 2 }, { time: 2, value: 1 }],
    });
  });

  it("rejects an unknown parameter, a bad value and a timed value on dense automation, naming the field", async () => {
    await client.loadGraph(GRAPH);
    expect((await rejection(client.setParameter("filter", "q2", 1))).message).toBe(
      'E_SCHEMA at set_parameter.parameter_id: unknown parameter "q2" of builtin:filter (known: mode, frequency, q, gain)',
    );
    expect((await rejection(client.setParameter("filter", "q", 100))).message).toBe(
      "E_SCHEMA at set_parameter.value: must be within [0.0001, 40] for q of builtin:filter (got 100)",
    );
    expect((await rejection(client.setParameter("vca", "gain", 0.5, { atSeconds: 1 }))).message).toBe(
      'E_SCHEMA at set_parameter.at_seconds: cannot schedule gain of node "vca": it follows audio_rate automation (set it without at_seconds, or load a graph with a breakpoint curve)',
    );
    expect(client.loadedGraph()?.nodes[1]?.params).toEqual({ mode: "low", frequency: 1000 });
  });

  it("appends scheduled MIDI to the node, with defaults filled in", async () => {
    await client.loadGraph(GRAPH);
    await client.scheduleEvents("keys", [{ type: "note", time: 1, duration: 0.5, note: 60, velocity: 100 }]);
    await client.scheduleEvents("keys", [
      { type: "cc", timeline: "beats", time: 2, controller: 1, value: 64 },
    ]);
    expect(client.loadedGraph()?.nodes[3]?.midi).toEqual([
      { type: "note", timeline: "seconds", time: 1, duration: 0.5, note: 60, velocity: 100, channel: 1 },
      { type: "cc", timeline: "beats", time: 2, controller: 1, value: 64, channel: 1 },
    ]);
  });
});

describe("transport", () => {
  it("reports the loaded graph's tempo, and leaves the playhead where a render ended", async () => {
    expect((await client.getTransportState()).tempo_bpm).toBeNull();
    await client.loadGraph(GRAPH);
    await client.play();
    const request: RenderRequestInput = {
      version: "v1alpha",
      request_id: "t",
      node_graph: GRAPH,
      duration_seconds: 0.5,
      start_position_seconds: 1,
      sample_rate: 48000,
      channels: 1,
    };
    await client.render(request);
    expect(await client.getTransportState()).toMatchObject({
      running: true,
      position_seconds: 1.5,
      tempo_bpm: 120,
      sample_rate: 48000,
      buffer_size_frames: 128,
      extensions: { position_beats: 3, data_plane: "in_process", loop: null },
    });
  });
});

describe("discovery", () => {
  it("describes every engine processor as a valid builtin NodeDescriptor", async () => {
    const { nodes, scanned_paths } = await client.discoverNodes();
    expect(scanned_paths).toEqual(["builtin"]);
    for (const node of nodes) expect(() => parseContract(NodeDescriptorSchema, node)).not.toThrow();
    expect(nodes.map((node) => node.node_id)).toEqual(
      expect.arrayContaining([
        "builtin:oscillator",
        "builtin:gain",
        "builtin:playback",
        "builtin:sampler",
        "builtin:filter",
        "builtin:delay",
      ]),
    );
    const filter = nodes.find((node) => node.node_id === "builtin:filter");
    expect(filter).toMatchObject({
      name: "Filter",
      vendor: "webdreamer",
      format: "builtin",
      latency_samples: 0,
      supported_sample_rates: [],
    });
    expect(filter?.parameters?.map((parameter) => parameter.id)).toEqual(["mode", "frequency", "q", "gain"]);
    expect(filter?.parameters?.[2]).toEqual({
      name: "Q",
      id: "q",
      default: 0.70710677,
      range: [0.0001, 40],
      extensions: {},
    });
    expect(filter?.parameters?.[0]?.extensions).toMatchObject({
      type: "choice",
      choices: expect.arrayContaining(["lowpass", "highpass"]),
    });
    const sampler = nodes.find((node) => node.node_id === "builtin:sampler");
    expect(sampler?.extensions).toEqual({
      input_channels: 0,
      is_instrument: true,
      buffer_slots: ["data"],
      resource_notes: expect.stringMatching(/^cpu_units (measured on this machine|from the table)/),
    });
    expect(sampler?.parameters?.find((parameter) => parameter.id === "voices")).toEqual({
      name: "Voices",
      id: "voices",
      default: 16,
      range: [1, 64],
      extensions: { type: "int", discrete_step: 1 },
    });
    expect(nodes.find((node) => node.node_id === "builtin:playback")?.extensions.buffer_slots).toEqual([
      "data",
    ]);
  });
});

describe("engines and buffers", () => {
  it("renders other rates and block sizes on engines of their own, evicting the least recently used", async () => {
    const small = new InProcessEngineClient({ module: await loadEngineModuleFromDisk(), maxExtraEngines: 1 });
    const handle = await small.uploadBuffer([Float32Array.from({ length: 8 }, (_, i) => i / 8)], 8000);
    const play = (sample_rate: number, block_size?: number) =>
      small.render({
        version: "v1alpha",
        request_id: `r${sample_rate}`,
        node_graph: {
          version: "v1alpha",
          nodes: [{ name: "p", node_id: "builtin:playback", buffers: { data: handle } }],
          output: "p",
        },
        duration_seconds: 0.001,
        sample_rate,
        channels: 1,
        options: { offline: true, preroll: 0, ...(block_size === undefined ? {} : { block_size }) },
      });
    const results = [];
    for (const [rate, block] of [
      [8000, undefined],
      [16000, undefined],
      [8000, 1],
      [16000, undefined],
      [48000, undefined],
    ] as const) {
      results.push(await play(rate, block));
    }
    expect(results.map((result) => result.frames)).toEqual([8, 16, 8, 16, 48]);
    // At the buffer's own rate the samples come back as uploaded; at twice the rate, interpolated.
    expect(Array.from((await small.readBuffer(results[0]?.buffer_handle ?? ""))[0] ?? [])).toEqual([
      0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875,
    ]);
    expect((await small.readBuffer(results[3]?.buffer_handle ?? ""))[0]?.[3]).toBe(0.1875);
    for (const result of results) await small.releaseBuffer(result.buffer_handle ?? "");
    await small.releaseBuffer(handle);
    expect(small.heldBuffers()).toEqual([]);
    await small.close();
  });

  it("issues handles no other client knows", async () => {
    const other = new InProcessEngineClient({ module: await loadEngineModuleFromDisk() });
    const mine = await client.uploadBuffer([new Float32Array(4)], 48000);
    const error = await rejection(other.readBuffer(mine));
    expect(error.code).toBe("E_UNKNOWN_HANDLE");
    await other.close();
  });

  it("rejects bad options, naming them", async () => {
    const module = await loadEngineModuleFromDisk();
    expect(() => new InProcessEngineClient({ module, blockSize: 8192 })).toThrow(
      "E_SCHEMA at options.blockSize: must be <= 4096",
    );
    expect(() => new InProcessEngineClient({ module: {} as WebAssembly.Module })).toThrow(
      "E_SCHEMA at options.module: must be a compiled WebAssembly.Module",
    );
  });
});
