// WAM resource estimates (e2e/wam-resources.spec.ts): plugins discovered by the real-time host carry
// a resource_estimate measured at discovery; the same plugins are measured again afterwards.
import { AudioWorkletEngineClient } from "../../src/browser";
import { measureWamCost } from "../../src/hosts/audioworklet/wam-cost-meter";
import { loadWamModule } from "../../src/wam";

export const PLUGINS = [
  "/build/wam/fixture/index.js",
  "/wam-corpus/plugins/wimmics/pingpongdelay/dist/index.js",
  "/wam-corpus/plugins/burns-audio/delay/index.js",
];

const api = {
  /** Discovers PLUGINS, then measures each again: the estimate and the later measurement. */
  async estimatesAndRemeasure() {
    const engine = await AudioWorkletEngineClient.start({ connect: false, measureWamResources: true });
    try {
      for (const url of PLUGINS) await engine.addDiscoveryRoot({ kind: "wam-module", url });
      const result = await engine.discoverNodes();
      const rows = [];
      for (const url of PLUGINS) {
        const href = new URL(url, location.href).href;
        const node = result.nodes.find((n) => n.extensions.module_url === href);
        const Plugin = await loadWamModule(href);
        const again = await measureWamCost(Plugin, {
          sampleRate: engine.context.sampleRate,
          takesInput: (node?.extensions.input_channels ?? 0) > 0,
        });
        rows.push({
          url,
          estimate: node?.resource_estimate ?? null,
          notes: node?.extensions.resource_notes ?? null,
          again: again.estimate.cpu_units,
        });
      }
      return { rows, failures: result.extensions.failures ?? [] };
    } finally {
      await engine.close();
    }
  },
};

export type WamResourcesApi = typeof api;
(window as unknown as { wamResources: WamResourcesApi }).wamResources = api;
