/**
 * Non-finite audio through the in-process host (docs/reliability.md, "Non-finite audio"): NaN and
 * ±Infinity from an uploaded buffer, MIDI-driven playback or a node never reach a result's audio;
 * a render fails with E_RENDER saying so, unless options.non_finite is "replace", when it keeps its
 * status and reports them in extensions.non_finite.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createEngine,
  type EngineClient,
  type GraphDescriptorInput,
  type GraphNodeInput,
  type RenderRequestInput,
} from "../../../src/index";

const SR = 48000;

let engine: EngineClient;

beforeEach(async () => {
  engine = await createEngine({ host: "in-process", sampleRate: SR });
});

afterEach(async () => {
  await engine.close();
});

function graph(nodes: GraphNodeInput[], output = nodes[nodes.length - 1]?.name ?? ""): GraphDescriptorInput {
  return { version: "v1alpha", nodes, output };
}

function request(
  node_graph: GraphDescriptorInput,
  overrides: Partial<RenderRequestInput> = {},
): RenderRequestInput {
  return {
    version: "v1alpha",
    request_id: "non-finite",
    node_graph,
    duration_seconds: 1,
    sample_rate: SR,
    channels: 1,
    ...overrides,
  };
}

/** A buffer of 0.25 with NaN, +Infinity and -Infinity at the given frames. */
function poisoned(frames: number, at: Record<number, number>): Float32Array {
  const samples = new Float32Array(frames).fill(0.25);
  for (const [frame, value] of Object.entries(at)) samples[Number(frame)] = value;
  return samples;
}

const REPLACE = { offline: true, preroll: 0, non_finite: "replace" } as const;

describe("a render whose audio held NaN or ±Infinity", () => {
  it("fails by default with E_RENDER saying how many, from which frame and where; no audio is kept", async () => {
    const handle = await engine.uploadBuffer(
      [poisoned(SR, { 5000: Number.NaN, 6000: Number.POSITIVE_INFINITY, 7000: -Infinity })],
      SR,
    );
    const result = await engine.render(
      request(graph([{ name: "p", node_id: "builtin:playback", buffers: { data: handle } }])),
    );
    expect(result).toMatchObject({
      status: "error",
      buffer_handle: null,
      frames: 0,
      error:
        'E_RENDER: 3 non-finite samples (NaN or ±Infinity) from frame 5000, in the output; the engine replaced them by 0 (set options.non_finite to "replace" to keep the audio)',
      extensions: { non_finite: { samples: 3, first_frame: 5000, output: 3, captures: {} } },
    });
    // Only the upload is held: the failed render issued no buffer.
    expect((engine as { heldBuffers?: () => string[] }).heldBuffers?.()).toEqual([handle]);
  });

  it('with options.non_finite "replace": status ok, the report, and 0 in their place', async () => {
    const input = poisoned(SR, { 5000: Number.NaN, 6000: Number.POSITIVE_INFINITY });
    const handle = await engine.uploadBuffer([input], SR);
    const result = await engine.render(
      request(graph([{ name: "p", node_id: "builtin:playback", buffers: { data: handle } }]), {
        options: REPLACE,
      }),
    );
    expect(result).toMatchObject({
      status: "ok",
      error: null,
      frames: SR,
      extensions: { non_finite: { samples: 2, first_frame: 5000, output: 2, captures: {} } },
    });
    const [out] = await engine.readBuffer(result.buffer_handle ?? "");
    expect(out).toEqual(input.map((x) => (Number.isFinite(x) ? x : 0)));
  });

  it("reports captures by name, and a clean render carries no report at all", async () => {
    const dirty = await engine.uploadBuffer([poisoned(SR, { 100: Number.NaN })], SR);
    const clean = await engine.uploadBuffer([poisoned(SR, {})], SR);
    const nodes: GraphNodeInput[] = [
      { name: "dirty", node_id: "builtin:playback", buffers: { data: dirty }, capture: true },
      { name: "clean", node_id: "builtin:playback", buffers: { data: clean } },
    ];
    const result = await engine.render(request(graph(nodes, "clean"), { options: REPLACE }));
    expect(result.status).toBe("ok");
    expect(result.extensions.non_finite).toEqual({
      samples: 1,
      first_frame: 100,
      output: 0,
      captures: { dirty: 1 },
    });
    const [stem] = await engine.readBuffer(result.extensions.captures?.dirty ?? "");
    expect(stem?.[100]).toBe(0);

    const without = await engine.render(request(graph(nodes.slice(1))));
    expect(without.status).toBe("ok");
    expect(without.extensions).not.toHaveProperty("non_finite");
  });

  it("does not count the preroll, whose audio is discarded", async () => {
    // The NaN plays at 0.1 s; the render keeps 1 s from 1 s, after a 1 s preroll.
    const handle = await engine.uploadBuffer([poisoned(2 * SR, { 4800: Number.NaN })], SR);
    const result = await engine.render(
      request(graph([{ name: "p", node_id: "builtin:playback", buffers: { data: handle } }]), {
        start_position_seconds: 1,
        options: { offline: true, preroll: 1 },
      }),
    );
    expect(result.status).toBe("ok");
    expect(result.extensions).not.toHaveProperty("non_finite");
  });

  it("catches NaN that MIDI plays: a sampler note on a sample holding one", async () => {
    const sample = await engine.uploadBuffer([poisoned(1000, { 10: Number.NaN })], SR);
    const keys: GraphNodeInput = {
      name: "keys",
      node_id: "builtin:sampler",
      buffers: { sample },
      midi: [{ type: "note", time: 0.5, duration: 0.1, note: 60, velocity: 127 }],
    };
    const result = await engine.render(request(graph([keys])));
    expect(result.status).toBe("error");
    expect(result.extensions.non_finite).toMatchObject({ samples: 1, first_frame: 24010 });
  });

  it("keeps a cancelled render partial, with its report", async () => {
    const handle = await engine.uploadBuffer([poisoned(SR, { 0: Number.NaN })], SR);
    const controller = new AbortController();
    const result = await engine.render(
      request(
        graph([
          { name: "p", node_id: "builtin:playback", params: { loop: "on" }, buffers: { data: handle } },
        ]),
        {
          duration_seconds: 600,
          options: REPLACE,
        },
      ),
      { signal: controller.signal, onProgress: () => controller.abort() },
    );
    expect(result.status).toBe("partial");
    expect(result.extensions.non_finite).toMatchObject({ first_frame: 0 });
    expect(result.extensions.non_finite?.samples).toBe(Math.ceil(result.frames / SR));
  });
});

describe("a NaN in automation", () => {
  it("is no value: the parameter keeps the one it had, and the render is clean", async () => {
    const curve = new Float32Array(SR).fill(0.5);
    const holed = curve.slice();
    holed[1000] = Number.NaN;
    const render = async (values: Float32Array) => {
      const one = await engine.uploadBuffer([Float32Array.of(1)], SR);
      const automation = await engine.uploadBuffer([values], SR);
      const result = await engine.render(
        request(
          graph([
            { name: "one", node_id: "builtin:playback", params: { loop: "on" }, buffers: { data: one } },
            {
              name: "vca",
              node_id: "builtin:gain",
              inputs: ["one"],
              automation: { gain: { kind: "audio_rate", buffer_handle: automation } },
            },
          ]),
        ),
      );
      expect(result.status).toBe("ok");
      return (await engine.readBuffer(result.buffer_handle ?? ""))[0];
    };
    expect(await render(holed)).toEqual(await render(curve));
  });
});
