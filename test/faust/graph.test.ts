/**
 * Faust nodes in v1alpha graphs rendered by the in-process EngineClient with a FaustRegistry: DSPs
 * compiled by the client or carried by the node (extensions.faust, as a saved session holds them),
 * parameters, automation, MIDI, soundfiles by buffer handle, capture, and compile errors.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GraphNodeInput } from "../../src/contracts/graph-descriptor";
import type { RenderRequestInput } from "../../src/contracts/render";
import { loadLibFaustFromDisk } from "../../src/faust/libfaust-nodejs";
import { FaustRegistry, faustNodeSource } from "../../src/faust/registry";
import { loadEngineModuleFromDisk } from "../../src/hosts/in-process/engine-file";
import { InProcessEngineClient } from "../../src/hosts/in-process/in-process-client";
import { loadSession, saveSession } from "../../src/session";
import { compile, faustwasmTestDsp, maxAbsDiff, noise, renderHosted, rms } from "./support";

const RATE = 48000;

function request(
  nodes: GraphNodeInput[],
  output: string,
  seconds = 0.5,
  extra: Partial<RenderRequestInput> = {},
) {
  return {
    version: "v1alpha",
    request_id: "faust",
    node_graph: { version: "v1alpha", nodes, output },
    duration_seconds: seconds,
    sample_rate: RATE,
    channels: 2,
    ...extra,
  } as RenderRequestInput;
}

const GAIN = 'process = *(hslider("gain", 0.5, 0, 1, 0.001));';

describe("Faust nodes in graphs rendered by the in-process client", () => {
  let client: InProcessEngineClient;
  beforeAll(async () => {
    client = new InProcessEngineClient({
      module: await loadEngineModuleFromDisk(),
      sampleRate: RATE,
      faust: new FaustRegistry({ loadLibFaust: loadLibFaustFromDisk }),
    });
  });
  afterAll(() => client.close());

  async function render(req: RenderRequestInput): Promise<Float32Array[]> {
    const result = await client.render(req);
    expect(result.error).toBeNull();
    return client.readBuffer(result.buffer_handle as string);
  }

  it("renders a DSP compiled by the client, with parameters and automation on their frames, and captures it", async () => {
    const gain = await client.compileFaust(GAIN);
    expect(gain.parameters?.map((p) => p.id)).toEqual(["/webdreamer/gain"]);
    const discovered = await client.discoverNodes({ maxAgeMs: 0 });
    expect(discovered.nodes.map((n) => n.node_id)).toContain(gain.node_id);
    expect(discovered.scanned_paths).toEqual(["builtin", "faust:compiled"]);

    const input = noise(RATE, 7);
    const handle = await client.uploadBuffer([input], RATE);
    const result = await client.render(
      request(
        [
          { name: "src", node_id: "builtin:playback", buffers: { data: handle } },
          {
            name: "half",
            node_id: gain.node_id,
            inputs: ["src"],
            params: { "/webdreamer/gain": 0.25 },
            automation: {
              "/webdreamer/gain": {
                kind: "breakpoints",
                points: [
                  { time: 0, value: 0.25, curve: "step" },
                  { time: 0.25, value: 0.75 },
                ],
              },
            },
            capture: true,
          },
        ],
        "half",
      ),
    );
    expect(result.status).toBe("ok");
    const [left, right] = await client.readBuffer(result.buffer_handle as string);
    const step = 0.25 * RATE;
    for (const i of [0, 1, step - 1, step, step + 1, RATE / 2 - 1]) {
      const expected = Math.fround((input[i] as number) * (i < step ? 0.25 : 0.75));
      expect([left?.[i], right?.[i]]).toEqual([expected, expected]);
    }
    const captured = await client.readBuffer(
      (result.extensions.captures as Record<string, string>).half as string,
    );
    expect(maxAbsDiff(captured, [left as Float32Array, right as Float32Array])).toBe(0);
  });

  it("compiles a node that carries its source (a saved session) and plays MIDI notes from the graph", async () => {
    const source = faustwasmTestDsp("organ1.dsp");
    const node: GraphNodeInput = {
      name: "organ",
      node_id: (await compile(source, { name: "organ1", voices: 8 })).nodeId,
      extensions: { faust: { source, name: "organ1", voices: 8 } },
      midi: [
        { type: "note", time: 0, duration: 0.25, note: 60, velocity: 100 },
        { type: "note", time: 0.1, duration: 0.3, note: 64, velocity: 90 },
      ],
      params: { "/organ1/Left": 0.5 },
    };
    // A fresh registry: the session's node compiles on load (from the thread's cache, here).
    const fresh = new InProcessEngineClient({
      module: await loadEngineModuleFromDisk(),
      sampleRate: RATE,
      faust: new FaustRegistry({ loadLibFaust: loadLibFaustFromDisk }),
    });
    const result = await fresh.render(request([node], "organ"));
    expect(result.error).toBeNull();
    const rendered = await fresh.readBuffer(result.buffer_handle as string);
    await fresh.close();
    const direct = await renderHosted(await compile(source, { name: "organ1", voices: 8 }), {
      frames: RATE / 2,
      params: { "/organ1/Left": 0.5 },
      midi: [
        { frame: 0, status: 0x90, data1: 60, data2: 100 },
        { frame: 4800, status: 0x90, data1: 64, data2: 90 },
        { frame: 12000, status: 0x80, data1: 60, data2: 0 },
        { frame: 19200, status: 0x80, data1: 64, data2: 0 },
      ],
    });
    expect(maxAbsDiff(rendered, direct.output)).toBe(0);
    expect(rms(rendered[0] as Float32Array)).toBeGreaterThan(0.001);
  });

  it("returns a compile error with its line, then renders a valid graph", async () => {
    const broken: GraphNodeInput = {
      name: "fx",
      node_id: "faust:0000000000000000",
      extensions: { faust: { source: 'import("stdfaust.lib");\nprocess = fi.lowpass(2, cutof);' } },
    };
    await expect(client.render(request([broken], "fx"))).rejects.toMatchObject({
      code: "E_SCHEMA",
      path: "node_graph.nodes[0].extensions.faust.source",
      line: 2,
      message:
        "E_SCHEMA at node_graph.nodes[0].extensions.faust.source: Faust compile error at line 2: undefined symbol : cutof",
    });
    await expect(client.loadGraph(request([broken], "fx").node_graph)).rejects.toMatchObject({
      path: "load_graph.graph.nodes[0].extensions.faust.source",
    });
    const fixed = faustNodeSource(await compile(GAIN));
    const out = await render(
      request(
        [
          { name: "osc", node_id: "builtin:oscillator", params: { frequency: 1000 } },
          { name: "fx", node_id: fixed.node_id, inputs: ["osc"], extensions: fixed.extensions },
        ],
        "fx",
        0.01,
      ),
    );
    expect(rms(out[0] as Float32Array)).toBeGreaterThan(0.3);
  });

  it("names the field when a node id does not match its source, is unknown, or a parameter is wrong", async () => {
    const gain = await compile(GAIN);
    const wrongId = {
      name: "g",
      node_id: "faust:0123456789abcdef",
      extensions: faustNodeSource(gain).extensions,
    };
    await expect(client.render(request([wrongId], "g"))).rejects.toMatchObject({
      code: "E_SCHEMA",
      path: "node_graph.nodes[0].node_id",
      detail: `"faust:0123456789abcdef" is not the DSP of extensions.faust, which compiles to "${gain.nodeId}"`,
    });
    await expect(
      client.render(request([{ name: "g", node_id: "faust:feedfacefeedface" }], "g")),
    ).rejects.toMatchObject({
      code: "E_UNKNOWN_NODE",
      path: "node_graph.nodes[0].node_id",
      detail: expect.stringContaining('unknown Faust DSP "faust:feedfacefeedface"'),
    });
    await expect(
      client.render(
        request([{ ...faustNodeSource(gain), name: "g", params: { "/webdreamer/gian": 1 } }], "g"),
      ),
    ).rejects.toMatchObject({
      path: 'node_graph.nodes[0].params["/webdreamer/gian"]',
      detail: `unknown parameter "/webdreamer/gian" of ${gain.nodeId} (known: /webdreamer/gain)`,
    });
    await expect(
      client.render(
        request([{ ...faustNodeSource(gain), name: "g", params: { "/webdreamer/gain": 2 } }], "g"),
      ),
    ).rejects.toMatchObject({
      detail: `must be within [0, 1] for /webdreamer/gain of ${gain.nodeId} (got 2)`,
    });
  });

  it("reads soundfile parts from buffer handles, at the engine's rate", async () => {
    const source = `import("stdfaust.lib");
process = int(nentry("part", 0, 0, 2, 1)), ba.time : soundfile("sample[url:{'a.wav';'b.wav';'c.wav'}]", 1) : !, !, _;`;
    const reader = faustNodeSource(await compile(source));
    const parts = [noise(4000, 31), noise(4000, 32)];
    const slow = Float32Array.from({ length: 2000 }, (_, i) => i / 2000);
    const handles = [
      await client.uploadBuffer([parts[0] as Float32Array], RATE),
      await client.uploadBuffer([parts[1] as Float32Array], RATE),
    ];
    const slowHandle = await client.uploadBuffer([slow], RATE / 2);
    const graph = (part: number) =>
      request(
        [
          {
            ...reader,
            name: "reader",
            params: { "/webdreamer/part": part },
            buffers: {
              sample: handles[0] as string,
              "sample#1": handles[1] as string,
              "sample#2": slowHandle,
            },
          },
        ],
        "reader",
        3000 / RATE,
      );
    for (const part of [0, 1]) {
      const [left] = await render(graph(part));
      expect(Array.from(left as Float32Array)).toEqual(
        Array.from((parts[part] as Float32Array).subarray(0, 3000)),
      );
    }
    // Part 2 was uploaded at 24 kHz: read at 48 kHz, linearly interpolated (twice as many frames).
    const [left] = await render(graph(2));
    expect((left as Float32Array)[2]).toBe(Math.fround(1 / 2000));
    expect((left as Float32Array)[3]).toBe(Math.fround(1.5 / 2000));
    await expect(
      client.render(
        request([{ ...reader, name: "reader", buffers: { smaple: handles[0] as string } }], "reader"),
      ),
    ).rejects.toMatchObject({ path: "node_graph.nodes[0].buffers.smaple" });
  });

  it("saves a session with a Faust node and its soundfile, which re-renders identically in a new client", async () => {
    const source = `import("stdfaust.lib");
process = 1, ba.time : soundfile("sample[url:{'a.wav';'b.wav'}]", 2) : !, !, _, _ : fi.lowpass(2, hslider("cutoff", 2000, 100, 10000, 1)), _;`;
    const reader = faustNodeSource(await compile(source));
    const audio = { channels: [noise(6000, 41), noise(6000, 42)], sampleRate: RATE };
    const handle = await client.uploadBuffer(audio.channels, audio.sampleRate);
    const req = request(
      [
        {
          ...reader,
          name: "reader",
          buffers: { "sample#1": handle },
          automation: { "/webdreamer/cutoff": { kind: "audio_rate", values: [500, 500, 800, 3000] } },
        },
      ],
      "reader",
      0.1,
    );
    const original = await render(req);
    expect(rms(original[1] as Float32Array)).toBeGreaterThan(0.1);
    const dir = await mkdtemp(join(tmpdir(), "webdreamer-faust-"));
    try {
      await saveSession(join(dir, "take.json"), { request: req, buffers: new Map([[handle, audio]]) });
      const restoring = new InProcessEngineClient({
        module: await loadEngineModuleFromDisk(),
        sampleRate: RATE,
        faust: new FaustRegistry({ loadLibFaust: loadLibFaustFromDisk }),
      });
      const loaded = await loadSession(join(dir, "take.json"), restoring);
      const result = await restoring.render(loaded.request);
      const restored = await restoring.readBuffer(result.buffer_handle as string);
      await restoring.close();
      expect(maxAbsDiff(restored, original)).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("checks real-time parameter changes against the DSP's parameters, choice labels included", async () => {
    const menu = faustNodeSource(
      await compile("process = _ * nentry(\"shape[style:menu{'soft':0.5;'hard':2}]\", 0.5, 0.5, 2, 1);"),
    );
    await client.loadGraph({
      version: "v1alpha",
      nodes: [
        { name: "osc", node_id: "builtin:oscillator" },
        { ...menu, name: "shape", inputs: ["osc"] },
      ],
      output: "shape",
    });
    await client.setParameter("shape", "/webdreamer/shape", "hard");
    expect(client.loadedGraph()?.nodes[1]?.params).toEqual({ "/webdreamer/shape": "hard" });
    await expect(client.setParameter("shape", "/webdreamer/shape", "medium")).rejects.toMatchObject({
      path: "set_parameter.value",
    });
  });

  it("treats Faust nodes as unknown node types in a client without a FaustRegistry", async () => {
    const plain = new InProcessEngineClient({ module: await loadEngineModuleFromDisk() });
    const gain = faustNodeSource(await compile(GAIN));
    await expect(plain.render(request([{ ...gain, name: "g" }], "g"))).rejects.toMatchObject({
      code: "E_UNKNOWN_NODE",
      path: "node_graph.nodes[0].node_id",
    });
    await expect(plain.compileFaust(GAIN)).rejects.toMatchObject({ code: "E_HOST_UNAVAILABLE" });
    await plain.close();
  });
});
