import { expect, test } from "@playwright/test";

import type { RenderRequestInput } from "../src/contracts";
import { createEngine } from "../src/index";
import { maxAbsDifference } from "../test/support/signal";
import { faustRequest } from "./pages/faust-request";

declare global {
  interface Window {
    renderInWorker(request: RenderRequestInput): Promise<{ frames: number; channels: number[][] }>;
    refusalInWorker(request: RenderRequestInput): Promise<string>;
    interruptPrerollInWorker(
      request: RenderRequestInput,
      action: "abort" | "close",
      afterMs: number,
    ): Promise<{ status?: string; frames?: number; error?: string | null; code?: string; latencyMs: number }>;
  }
}

// A graph touching oscillators, a filter under automation, MIDI into a sampler-less synth path,
// a feedback delay, a reverb and a panner: the Worker host must match Node sample for sample.
const request: RenderRequestInput = {
  version: "v1alpha",
  request_id: "worker-vs-node",
  duration_seconds: 1.2345,
  sample_rate: 44100,
  channels: 2,
  node_graph: {
    version: "v1alpha",
    nodes: [
      { name: "saw", node_id: "builtin:oscillator", params: { frequency: 110, waveform: "saw" } },
      {
        name: "filter",
        node_id: "builtin:filter",
        inputs: ["saw"],
        params: { mode: "lowpass", q: 2 },
        automation: {
          frequency: {
            kind: "breakpoints",
            points: [
              { time: 0, value: 300, curve: "exponential" },
              { time: 1, value: 5000 },
            ],
          },
        },
      },
      { name: "bus", node_id: "builtin:mixer", inputs: ["filter", "echo"] },
      { name: "delay", node_id: "builtin:delay", inputs: ["bus"], params: { time: 123.4 } },
      { name: "echo", node_id: "builtin:gain", inputs: ["delay"], params: { gain: 0.5 } },
      { name: "room", node_id: "builtin:reverb", inputs: ["bus"], params: { room_size: 0.7 } },
      { name: "pan", node_id: "builtin:panner", inputs: ["room"], params: { pan: -0.25, rule: "sin3dB" } },
    ],
    output: "pan",
  },
  options: { offline: true, preroll: 0 },
};

test("the Worker host refuses a real-time render (options.offline false), naming the host that can", async ({
  page,
}) => {
  await page.goto("/e2e/pages/worker-render.html");
  const realtime = { ...request, options: { offline: false, preroll: 0 } };
  expect(await page.evaluate((r) => window.refusalInWorker(r), realtime)).toBe(
    "E_HOST_UNAVAILABLE at options.offline: the worker host renders offline only; a real-time render plays through the audioworklet host (createRealtimeEngine in a page)",
  );
});

test("the Worker host renders the same samples as the in-process host in Node", async ({ page }) => {
  await page.goto("/e2e/pages/worker-render.html");
  const browser = await page.evaluate((r) => window.renderInWorker(r), request);
  const engine = await createEngine({ host: "in-process", sampleRate: 44100 });
  const result = await engine.render(request);
  const node = await engine.readBuffer(result.buffer_handle as string);
  await engine.close();
  expect(browser.frames).toBe(Math.round(1.2345 * 44100));
  expect(result.frames).toBe(browser.frames);
  for (let c = 0; c < 2; c++) {
    expect(maxAbsDifference(browser.channels[c] as number[], node[c] as Float32Array)).toBe(0);
  }
});

test("the stock Worker host compiles Faust and renders it as Node does", async ({ page }) => {
  const source = 'import("stdfaust.lib"); process = fi.lowpass(3, 1000) <: _, *(0.5);';
  await page.goto("/e2e/pages/worker-render.html");
  const browser = await page.evaluate(
    (s) =>
      (
        window as unknown as {
          renderFaustInWorker(
            s: string,
          ): Promise<{ nodeId: string; channels: number[][]; listed: boolean[] }>;
        }
      ).renderFaustInWorker(s),
    source,
  );
  const engine = await createEngine({ host: "in-process", sampleRate: 48000 });
  const { node_id } = await engine.compileFaust(source);
  expect(node_id).toBe(browser.nodeId); // the same source and options: the same node id everywhere
  // Discovered after the compile, not a TTL later (the client's cache is dropped by compileFaust),
  // and gone after releaseFaust.
  expect(browser.listed).toEqual([false, true, false]);
  const result = await engine.render(faustRequest(node_id));
  const node = await engine.readBuffer(result.buffer_handle as string);
  await engine.close();
  expect(browser.channels[0]).toHaveLength(24000);
  for (let c = 0; c < 2; c++) {
    expect(maxAbsDifference(browser.channels[c] as number[], node[c] as Float32Array)).toBe(0);
  }
  expect(Math.max(...(browser.channels[1] as number[]))).toBeGreaterThan(0.1);
});

// Liveness (docs/reliability.md): the Worker's render loop yields during a preroll, so the cancel
// and close messages reach it. Twelve saws through filters into a reverb, 600 s of preroll: seconds
// of work, the whole of which a cancel used to wait for. The bound is wall clock in a browser on a
// shared machine, hence generous (five times the 50 ms the loop keeps to); before, it was seconds.
const longPreroll: RenderRequestInput = {
  version: "v1alpha",
  request_id: "worker-preroll",
  duration_seconds: 1,
  start_position_seconds: 600,
  sample_rate: 48000,
  channels: 2,
  node_graph: {
    version: "v1alpha",
    nodes: [
      ...Array.from({ length: 12 }, (_, i) => ({
        name: `osc${i}`,
        node_id: "builtin:oscillator",
        params: { frequency: 55 * 2 ** (i / 12), waveform: "saw" },
      })),
      ...Array.from({ length: 12 }, (_, i) => ({
        name: `lp${i}`,
        node_id: "builtin:filter",
        inputs: [`osc${i}`],
        params: { frequency: 1500 },
      })),
      { name: "mix", node_id: "builtin:mixer", inputs: Array.from({ length: 12 }, (_, i) => `lp${i}`) },
      { name: "room", node_id: "builtin:reverb", inputs: ["mix"] },
    ],
    output: "room",
  },
  options: { offline: true, preroll: 600 },
};

test("the Worker host cancels a render during its preroll at once: partial, 0 frames", async ({ page }) => {
  await page.goto("/e2e/pages/worker-render.html");
  const outcome = await page.evaluate((r) => window.interruptPrerollInWorker(r, "abort", 300), longPreroll);
  test.info().annotations.push({ type: "cancel latency", description: `${outcome.latencyMs.toFixed(1)} ms` });
  expect(outcome).toMatchObject({
    status: "partial",
    frames: 0,
    error: "E_CANCELLED: render cancelled after 0 of 48000 frames",
  });
  expect(outcome.latencyMs).toBeLessThan(250);
});

test("closing the Worker host during a preroll rejects the render with E_CLOSED at once", async ({
  page,
}) => {
  await page.goto("/e2e/pages/worker-render.html");
  const outcome = await page.evaluate((r) => window.interruptPrerollInWorker(r, "close", 300), longPreroll);
  test.info().annotations.push({ type: "close latency", description: `${outcome.latencyMs.toFixed(1)} ms` });
  expect(outcome.code).toBe("E_CLOSED");
  expect(outcome.latencyMs).toBeLessThan(250);
});
