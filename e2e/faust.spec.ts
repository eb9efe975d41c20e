/**
 * Faust in the browser: compiled at run time with libfaust in a Worker, hosted in engine.wasm there,
 * and rendered to the same samples as in Node; and Faust nodes of a RenderRequest through the Worker
 * host's EngineClient, compile errors included.
 */
import { expect, test } from "@playwright/test";
import type { RenderRequestInput } from "../src/contracts";
import { compileFaust, faustNodeId } from "../src/faust/compiler";
import { loadLibFaustFromDisk } from "../src/faust/libfaust-nodejs";
import { FaustRegistry } from "../src/faust/registry";
import { loadEngineModuleFromDisk } from "../src/hosts/in-process/engine-file";
import { InProcessEngineClient } from "../src/hosts/in-process/in-process-client";
import { maxAbsDifference } from "../test/support/signal";
import { FAUST_SCENARIOS, renderFaustScenario } from "./pages/faust-scenarios";
import { sharedPage } from "./support/shared-page";

declare global {
  interface Window {
    renderScenarioInWorker(name: string): Promise<number[][]>;
    renderScenarioInWorklet(name: string): Promise<number[][]>;
    renderRequestInFaustWorker(
      request: RenderRequestInput,
    ): Promise<{ channels?: number[][]; error?: { code: string; path: string; detail: string } }>;
  }
}

test.describe.configure({ timeout: 120_000 });

// Every test calls a function of the page, which makes its own Worker, context or engine client.
const faustPage = sharedPage("/e2e/pages/faust.html");

async function renderInNode(name: string): Promise<Float32Array[]> {
  const scenario = FAUST_SCENARIOS[name] as (typeof FAUST_SCENARIOS)[string];
  const compiled = await compileFaust(loadLibFaustFromDisk, scenario.source, scenario.options);
  return renderFaustScenario(scenario, compiled, await loadEngineModuleFromDisk());
}

function expectSameSamples(browser: number[][], node: Float32Array[]): void {
  expect(browser).toHaveLength(node.length);
  let energy = 0;
  node.forEach((channel, c) => {
    const difference = maxAbsDifference(browser[c] as number[], channel);
    test
      .info()
      .annotations.push({ type: `max abs difference, channel ${c}`, description: String(difference) });
    expect(difference).toBe(0);
    for (const x of channel) energy += x * x;
  });
  expect(energy).toBeGreaterThan(1);
}

for (const name of Object.keys(FAUST_SCENARIOS)) {
  test(`Faust in a Worker renders the same samples as in Node: ${name}`, async () => {
    const browser = await faustPage().evaluate((n) => window.renderScenarioInWorker(n), name);
    expectSameSamples(browser, await renderInNode(name));
  });

  test(`Faust in an AudioWorklet renders the same samples as in Node: ${name}`, async () => {
    const browser = await faustPage().evaluate((n) => window.renderScenarioInWorklet(n), name);
    expectSameSamples(browser, await renderInNode(name));
  });
}

const ORGAN = `import("stdfaust.lib");
process = os.osc(hslider("freq", 440, 20, 3000, 1)) * hslider("gain", 0.5, 0, 1, 0.01)
  * (button("gate") : en.adsr(0.01, 0.1, 0.8, 0.3)) <: _, _;
effect = fi.lowpass(2, hslider("cutoff", 3000, 100, 10000, 1)), fi.lowpass(2, hslider("cutoff", 3000, 100, 10000, 1));`;

async function organRequest(): Promise<RenderRequestInput> {
  const faust = { source: ORGAN, voices: 4 };
  return {
    version: "v1alpha",
    request_id: "faust-in-worker",
    sample_rate: 44100,
    channels: 2,
    duration_seconds: 0.75,
    node_graph: {
      version: "v1alpha",
      nodes: [
        {
          name: "organ",
          node_id: await faustNodeId(ORGAN, { voices: 4 }),
          extensions: { faust },
          midi: [
            { type: "note", time: 0, duration: 0.3, note: 60, velocity: 100 },
            { type: "note", time: 0.1234, duration: 0.4, note: 67, velocity: 70 },
          ],
          automation: {
            "/webdreamer/cutoff": {
              kind: "breakpoints",
              points: [
                { time: 0, value: 500 },
                { time: 0.5, value: 8000 },
              ],
            },
          },
        },
      ],
      output: "organ",
    },
  };
}

test("the Worker host renders RenderRequests with Faust nodes like Node, and reports compile errors", async () => {
  const page = faustPage();
  const request = await organRequest();
  const browser = await page.evaluate((r) => window.renderRequestInFaustWorker(r), request);
  const client = new InProcessEngineClient({
    module: await loadEngineModuleFromDisk(),
    sampleRate: 44100,
    faust: new FaustRegistry({ loadLibFaust: loadLibFaustFromDisk }),
  });
  const result = await client.render(request);
  const node = await client.readBuffer(result.buffer_handle as string);
  await client.close();
  expect(browser.channels).toHaveLength(2);
  for (let c = 0; c < 2; c++) {
    expect(maxAbsDifference(browser.channels?.[c] as number[], node[c] as Float32Array)).toBe(0);
  }

  const broken = structuredClone(request);
  const organ = broken.node_graph.nodes[0];
  if (organ)
    organ.extensions = { faust: { source: 'import("stdfaust.lib");\nprocess = os.osc(440) * gian;' } };
  const failed = await page.evaluate((r) => window.renderRequestInFaustWorker(r), broken);
  expect(failed.error).toEqual({
    code: "E_SCHEMA",
    path: "node_graph.nodes[0].extensions.faust.source",
    detail: "Faust compile error at line 2: undefined symbol : gian",
  });
});
