/** The in-process host against the EngineClient contract suite every host must pass. */
import type { GraphDescriptorInput } from "../../../src/contracts";
import { loadEngineModuleFromDisk } from "../../../src/hosts/in-process/engine-file";
import { InProcessEngineClient } from "../../../src/hosts/in-process/in-process-client";
import { describeEngineClientContract, playingNonFinite } from "../../api/engine-client-suite";

/**
 * Accepted (valid names, kinds and parameters) but refused by the engine while preparing: five
 * 64-channel oscillators give the gain 320 input channels, over the engine's 256.
 */
const TOO_MANY_CHANNELS: GraphDescriptorInput = {
  version: "v1alpha",
  nodes: [
    ...[0, 1, 2, 3, 4].map((i) => ({
      name: `osc${i}`,
      node_id: "builtin:oscillator",
      params: { channels: 64 },
    })),
    { name: "sum", node_id: "builtin:gain", inputs: ["osc0", "osc1", "osc2", "osc3", "osc4"] },
  ],
  output: "sum",
};

describeEngineClientContract(
  "in-process",
  async ({ clock }) => new InProcessEngineClient({ module: await loadEngineModuleFromDisk(), clock }),
  {
    faultyRenderRequest: (request) => ({ ...request, node_graph: TOO_MANY_CHANNELS }),
    nonFiniteRenderRequest: playingNonFinite,
  },
);

describeEngineClientContract(
  "in-process with a 1 s discovery TTL",
  async ({ clock }) =>
    new InProcessEngineClient({ module: await loadEngineModuleFromDisk(), clock, discoveryTtlMs: 1000 }),
  { discoveryTtlMs: 1000 },
);
