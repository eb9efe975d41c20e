// The live audio input node in the hosts without live input: the in-process host and the Worker
// host's client refuse it by name; the AudioWorklet host's engine Worker client (liveInputAsSilence)
// builds it as silence and lists it in discovery.
import { describe, expect, it } from "vitest";
import type { GraphDescriptorInput } from "../../src/contracts/graph-descriptor";
import { LIVE_INPUT_NODE_ID } from "../../src/engine/live-input-node";
import { loadEngineModuleFromDisk } from "../../src/hosts/in-process/engine-file";
import { InProcessEngineClient } from "../../src/hosts/in-process/in-process-client";
import { engineErrorOf } from "../support/engine-error";

const tone = { name: "tone", node_id: "builtin:oscillator", params: { frequency: 480 } };
const graph: GraphDescriptorInput = {
  version: "v1alpha",
  nodes: [
    tone,
    { name: "mic", node_id: LIVE_INPUT_NODE_ID },
    { name: "mix", node_id: "builtin:gain", inputs: ["tone", "mic"] },
  ],
  output: "mix",
};

describe("webdreamer:audio-input outside the audioworklet host", () => {
  it("the in-process host refuses a render with it: E_HOST_UNAVAILABLE at its node_id, naming the node, itself and the audioworklet host", async () => {
    const client = new InProcessEngineClient({ module: await loadEngineModuleFromDisk() });
    const error = await engineErrorOf(() =>
      client.render({
        version: "v1alpha",
        request_id: "mic",
        node_graph: graph,
        duration_seconds: 0.1,
        sample_rate: 48000,
        channels: 1,
      }),
    );
    expect(error.code).toBe("E_HOST_UNAVAILABLE");
    expect(error.path).toBe("node_graph.nodes[1].node_id");
    expect(error.detail).toBe(
      'node "mic" is a live audio input (webdreamer:audio-input): the in-process host has no audio input; ' +
        "the audioworklet host plays it (createRealtimeEngine in a page, then connectLiveInput(stream))",
    );
    const nodes = (await client.discoverNodes()).nodes.map((node) => node.node_id);
    expect(nodes).not.toContain(LIVE_INPUT_NODE_ID);
    await client.close();
  });

  it("the worker host's client refuses loadGraph the same way, naming itself, and keeps no graph", async () => {
    const client = new InProcessEngineClient({
      module: await loadEngineModuleFromDisk(),
      hostName: "worker",
    });
    const error = await engineErrorOf(() => client.loadGraph(graph));
    expect(error.code).toBe("E_HOST_UNAVAILABLE");
    expect(error.path).toBe("load_graph.graph.nodes[1].node_id");
    expect(error.detail).toContain("the worker host has no audio input");
    expect(client.loadedGraph()).toBeUndefined();
    await client.close();
  });

  it("the AudioWorklet host's Worker client renders it as silence and discovers it", async () => {
    const client = new InProcessEngineClient({
      module: await loadEngineModuleFromDisk(),
      hostName: "worker",
      liveInputAsSilence: true,
    });
    const withInput = await client.render({
      version: "v1alpha",
      request_id: "mic",
      node_graph: graph,
      duration_seconds: 0.05,
      sample_rate: 48000,
      channels: 1,
    });
    const toneOnly = await client.render({
      version: "v1alpha",
      request_id: "tone",
      node_graph: {
        ...graph,
        nodes: [tone, { name: "mix", node_id: "builtin:gain", inputs: ["tone"] }],
      },
      duration_seconds: 0.05,
      sample_rate: 48000,
      channels: 1,
    });
    expect(withInput.status).toBe("ok");
    const [a] = await client.readBuffer(withInput.buffer_handle as string);
    const [b] = await client.readBuffer(toneOnly.buffer_handle as string);
    expect(a?.length).toBe(2400);
    // The input adds exactly nothing: the mix is the tone, sample for sample.
    expect(Array.from(a ?? [])).toEqual(Array.from(b ?? []));
    expect(Math.max(...Array.from(a ?? []).map(Math.abs))).toBeGreaterThan(0.5);
    const descriptor = (await client.discoverNodes()).nodes.find(
      (node) => node.node_id === LIVE_INPUT_NODE_ID,
    );
    expect(descriptor?.extensions).toMatchObject({ input_channels: 0, output_channels: 2 });
    await client.close();
  });
});
