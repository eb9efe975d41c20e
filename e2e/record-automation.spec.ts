/**
 * Recorded automation in Chromium: the Worker host and the AudioWorklet host's offline and real-time
 * renders return the same per-frame values Node records.
 */
import { expect, test } from "@playwright/test";
import { createEngine, type RenderRequestInput } from "../src/index";
import type { RecordAutomationApi } from "./pages/record-automation";

const SAMPLE_RATE = 48000;

const REQUEST: RenderRequestInput = {
  version: "v1alpha",
  request_id: "record-automation",
  duration_seconds: 0.25,
  sample_rate: SAMPLE_RATE,
  channels: 1,
  node_graph: {
    version: "v1alpha",
    nodes: [
      { name: "osc", node_id: "builtin:oscillator", params: { frequency: 220 } },
      {
        name: "filter",
        node_id: "builtin:filter",
        inputs: ["osc"],
        automation: {
          frequency: {
            kind: "breakpoints",
            timeline: "seconds",
            points: [
              { time: 0, value: 200, curve: "exponential" },
              { time: 0.2, value: 8000, curve: "step" },
            ],
          },
        },
      },
    ],
    output: "filter",
  },
  options: { offline: true, preroll: 0, record_automation: { nodes: ["filter"] } },
};

async function nodeReference(): Promise<Record<string, number[]>> {
  const engine = await createEngine({ host: "in-process", sampleRate: SAMPLE_RATE });
  const result = await engine.render(REQUEST);
  const recorded: Record<string, number[]> = {};
  for (const [param, handle] of Object.entries(result.extensions.automation?.filter ?? {})) {
    recorded[`filter.${param}`] = Array.from((await engine.readBuffer(handle))[0] ?? []);
  }
  recorded.block_frames = [result.extensions.automation_block_frames ?? 0];
  await engine.close();
  return recorded;
}

test("the Worker and AudioWorklet hosts record the values Node records, offline and in real time", async ({
  page,
}) => {
  test.setTimeout(60_000);
  const reference = await nodeReference();
  const frequency = reference["filter.frequency"] ?? [];
  expect(frequency).toHaveLength(0.25 * SAMPLE_RATE);
  expect(frequency[0]).toBe(200);
  // Exponential 200 -> 8000 over 0.2 s: halfway (0.1 s) is the geometric mean, 1264.9 Hz.
  expect(frequency[0.1 * SAMPLE_RATE]).toBeCloseTo(Math.sqrt(200 * 8000), 0);
  expect(frequency[0.2 * SAMPLE_RATE]).toBe(8000);

  await page.goto("/e2e/pages/record-automation.html");
  const worker = await page.evaluate(
    (r) => (window as unknown as { recordAutomation: RecordAutomationApi }).recordAutomation.worker(r),
    REQUEST,
  );
  expect(worker).toEqual(reference);
  const worklet = await page.evaluate(
    (r) => (window as unknown as { recordAutomation: RecordAutomationApi }).recordAutomation.audioWorklet(r),
    REQUEST,
  );
  expect(worklet.offline).toEqual(reference);
  expect(worklet.realtime).toEqual(reference);
});
