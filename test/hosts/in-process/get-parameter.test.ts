/**
 * getParameter in the in-process host (no clock: the value at the transport position, docs/realtime.md
 * "Reading a parameter"): the lane's value on the frame before the position, set values, timed sets,
 * and the refusals naming the node or parameter. The AudioWorklet host reads the playing engine
 * (e2e/get-parameter.spec.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InProcessEngineClient } from "../../../src/hosts/in-process/in-process-client";
import { createEngine, type GraphDescriptorInput } from "../../../src/index";

const SR = 48000;
/** gain: 0 at 0 s, a linear ramp to 1 at 2 s. */
const graph: GraphDescriptorInput = {
  version: "v1alpha",
  nodes: [
    { name: "one", node_id: "builtin:constant" },
    {
      name: "vca",
      node_id: "builtin:gain",
      inputs: ["one"],
      automation: {
        gain: {
          kind: "web_audio",
          events: [
            { type: "setValueAtTime", value: 0, time: 0 },
            { type: "linearRampToValueAtTime", value: 1, time: 2 },
          ],
        },
      },
    },
    { name: "tone", node_id: "builtin:oscillator", params: { frequency: 440 } },
    { name: "mix", node_id: "builtin:mixer", inputs: ["vca", "tone"] },
  ],
  output: "mix",
};

let client: InProcessEngineClient;

beforeEach(async () => {
  client = (await createEngine({ host: "in-process", sampleRate: SR })) as InProcessEngineClient;
  await client.loadGraph(graph);
});

afterEach(async () => {
  await client.close();
});

describe("getParameter (in-process)", () => {
  it("reads the lane's value on the frame before the transport position, and leaves the position", async () => {
    for (const seconds of [0.25, 1, 1.5]) {
      await client.seek(seconds);
      const reading = await client.getParameter("vca", "gain");
      expect(reading.frame).toBe(seconds * SR);
      expect(Math.abs(reading.value - (reading.frame - 1) / (2 * SR))).toBeLessThan(1e-6);
      expect((await client.getTransportState()).position_seconds).toBe(seconds);
    }
    await client.seek(3);
    expect((await client.getParameter("vca", "gain")).value).toBe(1);
  });

  it("reads a value set now and one set at a time once the position is past it", async () => {
    await client.setParameter("tone", "frequency", 1234);
    expect(await client.getParameter("tone", "frequency")).toEqual({ value: 1234, frame: 0 });
    await client.setParameter("tone", "frequency", 880, { atSeconds: 0.5 });
    await client.seek(0.25);
    expect((await client.getParameter("tone", "frequency")).value).toBe(1234);
    await client.seek(0.75);
    expect((await client.getParameter("tone", "frequency")).value).toBe(880);
  });

  it("refuses an unknown node and an unknown parameter by name", async () => {
    await expect(client.getParameter("nope", "gain")).rejects.toMatchObject({
      code: "E_UNKNOWN_NODE",
      path: "get_parameter.node",
      message: expect.stringContaining('"nope"'),
    });
    await expect(client.getParameter("vca", "volume")).rejects.toMatchObject({
      code: "E_SCHEMA",
      path: "get_parameter.parameter_id",
      message: expect.stringMatching(/volume.*known: gain/),
    });
    await expect(client.getParameter("vca", "")).rejects.toMatchObject({
      code: "E_SCHEMA",
      path: "get_parameter.parameter_id",
    });
  });
});
