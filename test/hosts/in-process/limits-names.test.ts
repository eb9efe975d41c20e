/**
 * The in-process host against the limits-and-names suite, and what only this host shows: a graph at
 * the old inline maximum of MIDI renders every note, names that are Object.prototype's own members
 * resolve as plain ids, and its buffer store refuses what heldBufferBytes does not allow.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { GraphDescriptorInput, GraphNodeInput, MidiEventInput } from "../../../src/contracts";
import { BufferStore } from "../../../src/hosts/in-process/buffer-store";
import { loadEngineModuleFromDisk } from "../../../src/hosts/in-process/engine-file";
import { InProcessEngineClient } from "../../../src/hosts/in-process/in-process-client";
import { describeLimitsAndNames } from "../../api/limits-names-suite";

describeLimitsAndNames(
  "in-process",
  async ({ clock }) => new InProcessEngineClient({ module: await loadEngineModuleFromDisk(), clock }),
  { heldBuffers: (client) => (client as InProcessEngineClient).heldBuffers() },
);

const SR = 48000;

describe("in-process specifics", () => {
  let module: WebAssembly.Module;

  beforeAll(async () => {
    module = await loadEngineModuleFromDisk();
  });

  it("validates and renders 65,536 inline notes, every one of them", async () => {
    const client = new InProcessEngineClient({ module });
    // Note i plays a one-frame sample of 0.5 at frame 2i: the output alternates 0.5, 0 for 131,072 frames.
    const handle = await client.uploadBuffer([Float32Array.of(0.5)], SR);
    const midi: MidiEventInput[] = Array.from({ length: 65_536 }, (_, i) => ({
      type: "note",
      time: (2 * i) / SR,
      duration: 1 / SR,
      note: 60,
      velocity: 127,
    }));
    const result = await client.render({
      version: "v1alpha",
      request_id: "notes",
      node_graph: {
        version: "v1alpha",
        nodes: [{ name: "keys", node_id: "builtin:sampler", buffers: { sample: handle }, midi }],
        output: "keys",
      },
      duration_seconds: 131_072 / SR,
      sample_rate: SR,
      channels: 1,
    });
    expect(result).toMatchObject({ status: "ok", frames: 131_072 });
    const [out] = await client.readBuffer(result.buffer_handle ?? "");
    let played = 0;
    let wrong = 0;
    out?.forEach((value, frame) => {
      if (value === (frame % 2 === 0 ? 0.5 : 0)) played += frame % 2 === 0 ? 1 : 0;
      else wrong++;
    });
    expect({ played, wrong }).toEqual({ played: 65_536, wrong: 0 });
    await client.close();
  });

  it("treats constructor, toString and hasOwnProperty as ids a type does not have", async () => {
    const client = new InProcessEngineClient({ module });
    const graph = (node: Partial<GraphNodeInput>): GraphDescriptorInput => ({
      version: "v1alpha",
      nodes: [{ name: "osc", node_id: "builtin:oscillator", ...node }],
      output: "osc",
    });
    await expect(client.loadGraph(graph({ params: { constructor: 1 } }))).rejects.toMatchObject({
      code: "E_SCHEMA",
      path: "load_graph.graph.nodes[0].params.constructor",
      detail: expect.stringMatching(/^unknown parameter "constructor" of builtin:oscillator/),
    });
    await expect(
      client.loadGraph(graph({ automation: { toString: { kind: "audio_rate" as const, values: [1] } } })),
    ).rejects.toMatchObject({ code: "E_SCHEMA", path: "load_graph.graph.nodes[0].automation.toString" });
    await expect(client.loadGraph(graph({ buffers: { hasOwnProperty: "buf:1" } }))).rejects.toMatchObject({
      code: "E_SCHEMA",
      path: "load_graph.graph.nodes[0].buffers.hasOwnProperty",
      detail: 'unknown buffer slot "hasOwnProperty" of builtin:oscillator (known: wave, periodic_wave, 0)',
    });
    await client.loadGraph(graph({}));
    await expect(client.setParameter("osc", "constructor", 1, { atSeconds: 1 })).rejects.toMatchObject({
      code: "E_SCHEMA",
      path: "set_parameter.parameter_id",
    });
    await client.setParameter("osc", "frequency", 220, { atSeconds: 1 });
    expect(Object.keys(client.loadedGraph()?.nodes[0]?.automation ?? {})).toEqual(["frequency"]);
    await client.close();
  });
});

describe("InProcessEngineClient.heldBufferBytes", () => {
  it("counts a render's output and each capture as 4 bytes per sample, and nothing once released", async () => {
    const client = new InProcessEngineClient({ module: await loadEngineModuleFromDisk() });
    const upload = await client.uploadBuffer([new Float32Array(100), new Float32Array(100)], SR);
    expect(client.heldBufferBytes()).toBe(800);
    const result = await client.render({
      version: "v1alpha",
      request_id: "held",
      node_graph: {
        version: "v1alpha",
        nodes: [
          { name: "osc", node_id: "builtin:oscillator" },
          { name: "out", node_id: "builtin:gain", inputs: ["osc"] },
        ],
        output: "out",
      },
      duration_seconds: 0.5,
      sample_rate: SR,
      channels: 2,
      options: { capture: ["osc"] },
    });
    // The output and the capture: two sources of 2 channels of 24,000 frames.
    expect(client.heldBufferBytes()).toBe(800 + 2 * 2 * 24_000 * 4);
    await client.releaseBuffer(result.buffer_handle ?? "");
    await client.releaseBuffer(upload);
    expect(client.heldBufferBytes()).toBe(2 * 24_000 * 4);
    await client.close();
  });
});

describe("BufferStore and heldBufferBytes", () => {
  // Untouched arrays: the operating system maps their pages only when written, so 2 GiB costs little.
  const gib = () => [new Float32Array(2 ** 28)];

  it("refuses more than 2 GiB held, counts releases, and keeps room reserved for a render", () => {
    const store = new BufferStore();
    const first = store.issue(gib(), SR);
    store.issue(gib(), SR);
    expect(() => store.bytes.ensureRoom(4, "upload.channels")).toThrow(
      "E_LIMIT at upload.channels: needs 2,147,483,652 bytes (2,147,483,648 held, 4 more asked for; release " +
        "handles when done), over the limit heldBufferBytes = 2,147,483,648 bytes (2 GiB): audio one client " +
        "holds by handle (uploads, results, captures) before it refuses more",
    );
    store.release(first, "handle");
    const unreserve = store.bytes.reserve(2 ** 30, "");
    expect(() => store.bytes.ensureRoom(4, "upload.channels")).toThrow(/reserved for renders in progress/);
    unreserve();
    unreserve();
    expect(() => store.bytes.ensureRoom(2 ** 30, "upload.channels")).not.toThrow();
    const small = store.issue([Float32Array.of(1, 2)], SR);
    expect(store.bytes.heldBytes).toBe(2 ** 30 + 8);
    store.release(small, "handle");
    expect(store.bytes.heldBytes).toBe(2 ** 30);
    store.clear();
    expect(store.bytes.heldBytes).toBe(0);
  });
});
