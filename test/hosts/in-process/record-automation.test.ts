/**
 * Recorded automation (RenderRequest.options.record_automation, DawDreamer's record_automation /
 * get_automation): the values each parameter took, frame by frame or block by block, as buffers by
 * handle; and its refusals.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createEngine,
  EngineError,
  type GraphDescriptorInput,
  type GraphNodeInput,
  type RenderRequestInput,
  type RenderResult,
} from "../../../src/index";

const SR = 48000;

function graph(nodes: GraphNodeInput[], output = nodes[nodes.length - 1]?.name ?? ""): GraphDescriptorInput {
  return { version: "v1alpha", nodes, output };
}

function request(
  node_graph: GraphDescriptorInput,
  overrides: Partial<RenderRequestInput> = {},
): RenderRequestInput {
  return {
    version: "v1alpha",
    request_id: "record-automation",
    node_graph,
    duration_seconds: 1,
    sample_rate: SR,
    channels: 1,
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

/** A constant whose offset ramps 0.25 -> 0.75 over the first second (its output is its offset). */
const RAMP: GraphNodeInput = {
  name: "ramp",
  node_id: "builtin:constant",
  automation: {
    offset: {
      kind: "breakpoints",
      timeline: "seconds",
      points: [
        { time: 0, value: 0.25, curve: "linear" },
        { time: 1, value: 0.75, curve: "step" },
      ],
    },
  },
};

let engine: Awaited<ReturnType<typeof createEngine>>;

beforeEach(async () => {
  engine = await createEngine({ host: "in-process", sampleRate: SR });
});

afterEach(async () => {
  await engine.close();
});

async function recorded(result: RenderResult, node: string, param: string): Promise<Float32Array> {
  const handle = result.extensions.automation?.[node]?.[param];
  expect(handle, `${node}.${param} recorded`).toBeTypeOf("string");
  const channels = await engine.readBuffer(handle as string);
  expect(channels.length).toBe(1);
  return channels[0] as Float32Array;
}

describe("record_automation", () => {
  it("returns every parameter's value on every frame: a ramped constant's record is its output, sample for sample", async () => {
    const result = await engine.render(
      request(graph([RAMP]), { options: { record_automation: { nodes: ["ramp"] } } }),
    );
    expect(result.status, result.error ?? "").toBe("ok");
    expect(result.extensions.automation_block_frames).toBe(1);
    expect(Object.keys(result.extensions.automation ?? {})).toEqual(["ramp"]);
    expect(Object.keys(result.extensions.automation?.ramp ?? {})).toEqual(["offset"]);
    const offset = await recorded(result, "ramp", "offset");
    const [output] = await engine.readBuffer(result.buffer_handle ?? "");
    expect(offset.length).toBe(SR);
    expect(offset).toEqual(output);
    expect(offset[0]).toBe(0.25);
    expect(offset[SR / 2]).toBeCloseTo(0.5, 6);
    expect(offset[SR - 1]).toBeCloseTo(0.25 + (0.5 * (SR - 1)) / SR, 6);
  });

  it("records what the processor took: values clamped to the range, a static value, a start position", async () => {
    // Gain's range is -1000..1000: a step to 5000 at 0.25 s is taken as 1000.
    const nodes: GraphNodeInput[] = [
      { name: "one", node_id: "builtin:constant" },
      {
        name: "vca",
        node_id: "builtin:gain",
        inputs: ["one"],
        params: { gain: 2 },
        automation: {
          gain: {
            kind: "breakpoints",
            timeline: "seconds",
            points: [
              { time: 0, value: 2, curve: "step" },
              { time: 0.25, value: 5000, curve: "step" },
            ],
          },
        },
      },
    ];
    const result = await engine.render(
      request(graph(nodes), {
        duration_seconds: 0.5,
        start_position_seconds: 0.125,
        options: { record_automation: { nodes: ["vca", "one"] } },
      }),
    );
    const gain = await recorded(result, "vca", "gain");
    const change = 0.125 * SR; // 0.25 s is 0.125 s into a render that starts at 0.125 s
    expect(gain.length).toBe(0.5 * SR);
    expect(gain[change - 1]).toBe(2);
    expect(gain[change]).toBe(1000);
    expect(gain[gain.length - 1]).toBe(1000);
    expect(Array.from(await recorded(result, "one", "offset")).every((value) => value === 1)).toBe(true);
  });

  it("at resolution block, holds each block's first value (block_size frames each)", async () => {
    const block = 64;
    const perFrame = await engine.render(
      request(graph([RAMP]), { options: { block_size: block, record_automation: { nodes: ["ramp"] } } }),
    );
    const perBlock = await engine.render(
      request(graph([RAMP]), {
        options: { block_size: block, record_automation: { nodes: ["ramp"], resolution: "block" } },
      }),
    );
    expect(perBlock.extensions.automation_block_frames).toBe(block);
    const frames = await recorded(perFrame, "ramp", "offset");
    const blocks = await recorded(perBlock, "ramp", "offset");
    expect(blocks.length).toBe(Math.ceil(SR / block));
    for (let k = 0; k < blocks.length; k++) expect(blocks[k]).toBe(frames[k * block]);
  });

  it("records a node off the output's path without changing the output", async () => {
    const nodes: GraphNodeInput[] = [
      RAMP,
      { name: "osc", node_id: "builtin:oscillator", params: { frequency: 440 } },
    ];
    const plain = await engine.render(request(graph(nodes, "osc")));
    const withRecord = await engine.render(
      request(graph(nodes, "osc"), { options: { record_automation: { nodes: ["ramp"] } } }),
    );
    const [a] = await engine.readBuffer(plain.buffer_handle ?? "");
    const [b] = await engine.readBuffer(withRecord.buffer_handle ?? "");
    expect(b).toEqual(a);
    expect(result0(await recorded(withRecord, "ramp", "offset"))).toBe(0.25);
    expect(withRecord.extensions.captures).toEqual({});
  });

  it("records a Faust node's parameters (hosted outside the engine's own processors)", async () => {
    const faust = await engine.compileFaust(
      'process = _ * hslider("level", 0.5, 0, 1, 0.001) : *(hslider("trim", 1, 0, 2, 0.01));',
    );
    const ids = (faust.parameters ?? []).map(({ id }) => id);
    const level = ids.find((id) => id.endsWith("level")) as string;
    const trim = ids.find((id) => id.endsWith("trim")) as string;
    const nodes: GraphNodeInput[] = [
      { name: "one", node_id: "builtin:constant" },
      {
        name: "dsp",
        node_id: faust.node_id,
        inputs: ["one"],
        automation: {
          [level]: {
            kind: "breakpoints",
            timeline: "seconds",
            points: [
              { time: 0, value: 0.1, curve: "step" },
              { time: 0.5, value: 0.9, curve: "step" },
            ],
          },
        },
      },
    ];
    const result = await engine.render(
      request(graph(nodes), { options: { record_automation: { nodes: ["dsp"] } } }),
    );
    expect(result.status, result.error ?? "").toBe("ok");
    expect(Object.keys(result.extensions.automation?.dsp ?? {}).sort()).toEqual([...ids].sort());
    const levels = await recorded(result, "dsp", level);
    expect(levels[SR / 2 - 1]).toBeCloseTo(0.1, 6);
    expect(levels[SR / 2]).toBeCloseTo(0.9, 6);
    expect(Array.from(await recorded(result, "dsp", trim)).every((value) => value === 1)).toBe(true);
    // What the DSP played is what was recorded: its output is the level (input 1, trim 1).
    const [output] = await engine.readBuffer(result.buffer_handle ?? "");
    expect(output?.[SR / 2 - 1]).toBeCloseTo(0.1, 6);
    expect(output?.[SR / 2]).toBeCloseTo(0.9, 6);
  });

  it("keeps a latent graph's record on the timeline: index n is the value at the start position plus n frames", async () => {
    const late = await engine.compileFaust('declare latency_samples "300";\nprocess = @(300);');
    const nodes: GraphNodeInput[] = [
      { name: "one", node_id: "builtin:constant" },
      { name: "late", node_id: late.node_id, inputs: ["one"] },
      {
        name: "vca",
        node_id: "builtin:gain",
        inputs: ["late"],
        automation: {
          gain: {
            kind: "breakpoints",
            timeline: "seconds",
            points: [
              { time: 0, value: 0.2, curve: "step" },
              { time: 0.5, value: 0.8, curve: "step" },
            ],
          },
        },
      },
    ];
    const result = await engine.render(
      request(graph(nodes), { options: { record_automation: { nodes: ["vca"] } } }),
    );
    expect(result.extensions.latency_frames).toBe(300);
    const gain = await recorded(result, "vca", "gain");
    expect(gain.length).toBe(SR);
    // The step is at 0.5 s of the timeline, whatever the output's latency.
    expect(gain[SR / 2 - 1]).toBeCloseTo(0.2, 6);
    expect(gain[0]).toBeCloseTo(0.2, 6);
    expect(gain[SR / 2]).toBeCloseTo(0.8, 6);
  });

  it("refuses unknown and repeated nodes, and streaming, naming the field", async () => {
    const osc = graph([{ name: "osc", node_id: "builtin:oscillator" }]);
    expect(
      (await rejection(engine.render(request(osc, { options: { record_automation: { nodes: ["nope"] } } }))))
        .message,
    ).toBe('E_UNKNOWN_NODE at options.record_automation.nodes[0]: no node named "nope"');
    expect(
      (
        await rejection(
          engine.render(request(osc, { options: { record_automation: { nodes: ["osc", "osc"] } } })),
        )
      ).message,
    ).toBe("E_SCHEMA at options.record_automation.nodes[1]: duplicates record_automation.nodes[0]");
    expect(
      (
        await rejection(
          engine.render(request(osc, { options: { record_automation: { nodes: ["osc"] } } }), {
            onChunk: () => undefined,
          }),
        )
      ).message,
    ).toBe(
      "E_SCHEMA at options.record_automation: a streamed render (onChunk) returns no recorded automation: render without onChunk, or in shorter pieces",
    );
    // A refusal loses nothing: the engine renders the next request.
    expect((await engine.render(request(osc))).status).toBe("ok");
  });
});

function result0(values: Float32Array): number {
  return values[0] as number;
}
