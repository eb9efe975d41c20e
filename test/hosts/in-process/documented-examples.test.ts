/**
 * The examples on docs/contracts.md are real: the NodeDescriptor example is what discovery returns
 * for builtin:filter, and the example RenderRequest renders on the in-process host.
 */
import { describe, expect, it } from "vitest";

import {
  EXAMPLE_GRAPH_DESCRIPTOR,
  EXAMPLE_NODE_DESCRIPTOR,
  EXAMPLE_RENDER_REQUEST,
  type GraphDescriptorInput,
} from "../../../src/contracts";
import { createEngine } from "../../../src/index";

describe("the contracts page's examples", () => {
  it("the NodeDescriptor example is builtin:filter as the engine describes it", async () => {
    const engine = await createEngine({ host: "in-process", sampleRate: 48000 });
    const { nodes } = await engine.discoverNodes();
    const filter = nodes.find((n) => n.node_id === "builtin:filter");
    // The page shows the table's cpu_units; the engine measures its own on this machine, and says so.
    const { resource_notes: notes, ...extensions } = filter?.extensions ?? {};
    expect(notes).toMatch(/^cpu_units (measured on this machine|from the table)/);
    expect(filter?.resource_estimate?.cpu_units).toBeGreaterThan(0);
    const asTable = {
      ...filter,
      extensions,
      resource_estimate: {
        ...filter?.resource_estimate,
        cpu_units: EXAMPLE_NODE_DESCRIPTOR.resource_estimate?.cpu_units,
      },
    };
    expect(asTable).toEqual(EXAMPLE_NODE_DESCRIPTOR);
    await engine.close();
  });

  it("the RenderRequest example renders 16 beats on its tempo map", async () => {
    const engine = await createEngine({ host: "in-process", sampleRate: 48000 });
    const drums = await engine.uploadBuffer([new Float32Array(48000).fill(0.25)], 48000);
    const bass = await engine.uploadBuffer(
      [Float32Array.from({ length: 4800 }, (_, i) => Math.sin(i / 20))],
      48000,
    );
    // The page's handles are placeholders: put the ones this engine issued in their place.
    const graph = JSON.parse(
      JSON.stringify(EXAMPLE_GRAPH_DESCRIPTOR)
        .replaceAll('"buf:7"', `"${drums}"`)
        .replaceAll('"buf:8"', `"${bass}"`),
    ) as GraphDescriptorInput;
    const result = await engine.render({ ...EXAMPLE_RENDER_REQUEST, node_graph: graph });
    expect(result.status).toBe("ok");
    // 8 beats ramping linearly in beats from 120 to 132 bpm (slope k = 1.5 bpm per beat lasts
    // 60/k * ln(132/120) s), then 8 beats at 132 bpm.
    const seconds = 40 * Math.log(132 / 120) + (8 * 60) / 132;
    expect(Math.abs(result.frames - seconds * 48000)).toBeLessThanOrEqual(1);
    const [left] = await engine.readBuffer(result.buffer_handle as string);
    expect(left?.some((v) => v !== 0)).toBe(true);
    expect(Object.keys(result.extensions.captures ?? {}).sort()).toEqual(["bass", "filter"]);
    await engine.close();
  });
});
