/**
 * The same noisy, reverberant, feedback request (test/support/noisy-request.ts) renders the same
 * samples in every host: in-process in Node.js (the reference), the Worker host (alone, twice at
 * once on one Worker, and on three Workers at once), and the AudioWorklet host (its Worker's offline
 * render and a real-time capture of what the audio thread played). Node's own concurrency is held
 * to the same samples in test/hosts/concurrency.test.ts.
 */
import { expect, test } from "@playwright/test";
import { createEngine } from "../src/index";
import { noisyRequest } from "../test/support/noisy-request";
import { maxAbsDifference } from "../test/support/signal";
import type { CrossHostApi } from "./pages/cross-host";

const SAMPLE_RATE = 48000;

async function nodeReference(): Promise<Float32Array[]> {
  const engine = await createEngine({ host: "in-process", sampleRate: SAMPLE_RATE });
  const result = await engine.render(noisyRequest("node", SAMPLE_RATE, 1));
  const channels = await engine.readBuffer(result.buffer_handle as string);
  await engine.close();
  return channels;
}

function expectSame(actual: number[][], reference: Float32Array[], label: string): void {
  expect(actual, label).toHaveLength(2);
  for (let c = 0; c < 2; c++) {
    expect(actual[c], `${label}, channel ${c}`).toHaveLength((reference[c] as Float32Array).length);
    expect(
      maxAbsDifference(actual[c] as number[], reference[c] as Float32Array),
      `${label}, channel ${c}`,
    ).toBe(0);
  }
}

test("one noisy, reverberant, feedback request renders the same samples in every host, alone and at once", async ({
  page,
}) => {
  test.setTimeout(90_000);
  const reference = await nodeReference();
  await page.goto("/e2e/pages/cross-host.html");
  const request = noisyRequest("browser", SAMPLE_RATE, 1);
  const workers = await page.evaluate(
    (r) => (window as unknown as { crossHost: CrossHostApi }).crossHost.workerHosts(r, 3),
    request,
  );
  expect(workers).toHaveLength(4);
  for (const [i, channels] of workers.entries()) expectSame(channels, reference, `Worker render ${i}`);

  const worklet = await page.evaluate(
    (r) => (window as unknown as { crossHost: CrossHostApi }).crossHost.audioWorkletHost(r),
    request,
  );
  expectSame(worklet.offline, reference, "AudioWorklet host, offline");
  expectSame(worklet.realtime, reference, "AudioWorklet host, real-time capture");
});
