/**
 * Latency compensation in every browser host: the latency request (test/support/latency-request.ts:
 * a latent Faust path nulled against a dry one, and a step through a latent chain) renders its known
 * answer, the same samples as in Node.js, in the Worker host and in the AudioWorklet host (its
 * Worker's offline render and a real-time render through the audio thread, which plays the graph's
 * latency and drops it with the preroll), and the AudioWorklet host reports how late it plays live.
 */
import { expect, test } from "@playwright/test";
import { loadLibFaustFromDisk } from "../src/faust/libfaust-nodejs";
import { FaustRegistry } from "../src/faust/registry";
import { loadEngineModuleFromDisk } from "../src/hosts/in-process/engine-file";
import { InProcessEngineClient } from "../src/hosts/in-process/in-process-client";
import {
  expectedLatencyRender,
  LATENCY_REQUEST_FRAMES,
  latencyRequest,
} from "../test/support/latency-request";
import type { CrossHostApi } from "./pages/cross-host";

const SAMPLE_RATE = 48000;
const FRAMES = SAMPLE_RATE / 4;

async function nodeReference(): Promise<Float32Array[]> {
  const client = new InProcessEngineClient({
    module: await loadEngineModuleFromDisk(),
    sampleRate: SAMPLE_RATE,
    faust: new FaustRegistry({ loadLibFaust: loadLibFaustFromDisk }),
  });
  try {
    const result = await client.render(await latencyRequest("node", SAMPLE_RATE));
    return await client.readBuffer(result.buffer_handle as string);
  } finally {
    await client.close();
  }
}

function firstDifference(actual: number[], expected: Float32Array): number {
  return actual.findIndex((sample, frame) => !Object.is(sample + 0, (expected[frame] as number) + 0));
}

function expectSame(actual: number[][], reference: Float32Array[], label: string): void {
  expect(actual, label).toHaveLength(2);
  for (let c = 0; c < 2; c++) {
    expect(actual[c], `${label}, channel ${c}`).toHaveLength(FRAMES);
    // -1: no frame differs (a first differing frame names where alignment broke).
    expect(
      firstDifference(actual[c] as number[], reference[c] as Float32Array),
      `${label}, channel ${c}`,
    ).toBe(-1);
  }
}

test("a latent graph renders its aligned, on-time answer in the Worker and AudioWorklet hosts", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const expected = expectedLatencyRender(SAMPLE_RATE, FRAMES);
  const reference = await nodeReference();
  expectSame(
    reference.map((channel) => Array.from(channel)),
    expected,
    "Node.js",
  );
  await page.goto("/e2e/pages/cross-host.html");
  const request = await latencyRequest("browser", SAMPLE_RATE);
  const workers = await page.evaluate(
    (r) => (window as unknown as { crossHost: CrossHostApi }).crossHost.workerHosts(r, 1),
    request,
  );
  expect(workers).toHaveLength(2);
  for (const [i, channels] of workers.entries()) expectSame(channels, reference, `Worker render ${i}`);

  const worklet = await page.evaluate(
    (r) => (window as unknown as { crossHost: CrossHostApi }).crossHost.audioWorkletHost(r),
    request,
  );
  expectSame(worklet.offline, reference, "AudioWorklet host, offline");
  expectSame(worklet.realtime, reference, "AudioWorklet host, real-time render");

  // Playing live, the host cannot look ahead: it reports how late the graph plays.
  const playing = await page.evaluate(
    (r) => (window as unknown as { crossHost: CrossHostApi }).crossHost.audioWorkletPlayingLatency(r),
    request,
  );
  expect(playing).toBe(LATENCY_REQUEST_FRAMES);
});
