import { describe, expect, it } from "vitest";
import type { GraphDescriptorInput } from "../../src/contracts/graph-descriptor";
import { loadEngineModuleFromDisk } from "../../src/hosts/in-process/engine-file";
import { InProcessEngineClient } from "../../src/hosts/in-process/in-process-client";
import { engineErrorOf } from "../support/engine-error";

const graph: GraphDescriptorInput = {
  version: "v1alpha",
  nodes: [
    { name: "osc", node_id: "builtin:oscillator" },
    {
      name: "fx",
      node_id: "wam:com.webdreamer.fixture",
      inputs: ["osc"],
      extensions: { wam: { module_url: "/build/wam/fixture/index.js" } },
    },
  ],
  output: "fx",
};

describe("hosts that cannot play WAMs", () => {
  it("the in-process host refuses a render with a WAM node: E_UNKNOWN_NODE at its node_id, naming it and the audioworklet host", async () => {
    const client = new InProcessEngineClient({ module: await loadEngineModuleFromDisk() });
    const error = await engineErrorOf(() =>
      client.render({
        version: "v1alpha",
        request_id: "wam",
        node_graph: graph,
        duration_seconds: 0.1,
        sample_rate: 48000,
        channels: 2,
      }),
    );
    expect(error.code).toBe("E_UNKNOWN_NODE");
    expect(error.path).toBe("node_graph.nodes[1].node_id");
    expect(error.detail).toContain('node "fx" is a WAM');
    expect(error.detail).toContain("the in-process host cannot play WAMs");
    expect(error.detail).toContain("the audioworklet host plays them");
    await client.close();
  });

  it("the worker host's client (hostName worker) refuses loadGraph the same way, naming itself", async () => {
    const client = new InProcessEngineClient({
      module: await loadEngineModuleFromDisk(),
      hostName: "worker",
    });
    const error = await engineErrorOf(() => client.loadGraph(graph));
    expect(error.code).toBe("E_UNKNOWN_NODE");
    expect(error.path).toBe("load_graph.graph.nodes[1].node_id");
    expect(error.detail).toContain("the worker host cannot play WAMs");
    await client.close();
  });
});
