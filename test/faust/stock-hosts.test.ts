import { describe, expect, it } from "vitest";

import { cachedFaustNodeIds } from "../../src/faust/compiler";
import { createEngine } from "../../src/index";

describe("Faust in the stock Node host (createEngine)", () => {
  it("compiles a DSP and renders it in a graph: a Faust gain of 0.5 halves its input exactly", async () => {
    const engine = await createEngine({ host: "in-process", sampleRate: 48000 });
    const half = await engine.compileFaust("process = *(0.5);");
    expect(half.node_id).toMatch(/^faust:[0-9a-f]{16}$/);
    const input = Float32Array.from({ length: 4800 }, (_, i) => Math.sin(i / 7));
    const handle = await engine.uploadBuffer([input], 48000);
    const result = await engine.render({
      version: "v1alpha",
      request_id: "faust-half",
      duration_seconds: 0.1,
      sample_rate: 48000,
      channels: 1,
      node_graph: {
        version: "v1alpha",
        nodes: [
          { name: "src", node_id: "builtin:playback", buffers: { data: handle } },
          { name: "half", node_id: half.node_id, inputs: ["src"] },
        ],
        output: "half",
      },
      options: { offline: true, preroll: 0 },
    });
    expect(result.status).toBe("ok");
    const [out] = await engine.readBuffer(result.buffer_handle as string);
    expect(out).toEqual(input.map((v) => Math.fround(v * 0.5)));
    await engine.close();
  });

  it("releases a compiled DSP: gone from discovery and the compile cache, refused by graphs, once", async () => {
    const engine = await createEngine({ host: "in-process", sampleRate: 48000 });
    const kept = await engine.compileFaust("process = *(0.25);");
    const released = await engine.compileFaust("process = *(0.75);");
    const listed = async () => (await engine.discoverNodes()).nodes.map((node) => node.node_id);
    expect(await listed()).toContain(released.node_id);
    await engine.releaseFaust(released.node_id);
    expect(await listed()).not.toContain(released.node_id);
    expect(await listed()).toContain(kept.node_id);
    expect(cachedFaustNodeIds()).not.toContain(released.node_id);
    const render = engine.render({
      version: "v1alpha",
      request_id: "released",
      duration_seconds: 0.01,
      sample_rate: 48000,
      channels: 1,
      node_graph: { version: "v1alpha", nodes: [{ name: "x", node_id: released.node_id }], output: "x" },
    });
    await expect(render).rejects.toMatchObject({ code: "E_UNKNOWN_NODE" });
    await expect(engine.releaseFaust(released.node_id)).rejects.toThrow(
      `E_UNKNOWN_NODE at node_id: no compiled Faust DSP "${released.node_id}"`,
    );
    // Compiled again, it is back (the same id: the same source and options).
    expect((await engine.compileFaust("process = *(0.75);")).node_id).toBe(released.node_id);
    expect(await listed()).toContain(released.node_id);
    await engine.close();
  });

  it("returns a compile error with its line, then keeps rendering", async () => {
    const engine = await createEngine({ host: "in-process", sampleRate: 48000 });
    const error = await engine
      .compileFaust("// a comment\n\nprocess = _ : *(gainz);")
      .catch((e: unknown) => e);
    expect(String(error)).toMatch(/E_SCHEMA at source: Faust compile error at line 3: .*gainz/);
    const { nodes } = await engine.discoverNodes();
    expect(nodes.length).toBeGreaterThan(5);
    await engine.close();
  });
});
