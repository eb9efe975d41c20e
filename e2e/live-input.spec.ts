// Live audio input in the real-time AudioWorklet host (Chromium): a "webdreamer:audio-input" node
// plays what is connected; a take recorded while the transport plays holds every click on the context
// frame a reference tap of the same source sees it on (the recording adds no delay of its own), and
// lands on the transport at the take's start less the measured input latency. The device take comes
// from Chromium's fake capture device playing a WAV of clicks (e2e/support/fake-capture.ts).
import { expect, type Page, test } from "@playwright/test";
import { NOT_ISOLATED_PORT } from "../playwright.config";
import type { LiveInputApi } from "./pages/live-input";
import { CLICK_PERIOD, CAPTURE_RATE as RATE } from "./support/fake-capture";

declare global {
  interface Window {
    liveInput: LiveInputApi;
  }
}

async function open(page: Page, url = "/e2e/pages/live-input.html") {
  page.on("pageerror", (error) => console.log(`page error: ${error.message}`));
  await page.goto(url);
  await page.waitForFunction(() => window.liveInput !== undefined);
  return page.evaluate(() => window.liveInput.start());
}

test("discovery lists the audio input node", async ({ page }) => {
  await open(page);
  expect(await page.evaluate(() => window.liveInput.discovered())).toContain("webdreamer:audio-input");
});

async function nodeTake(page: Page, url?: string) {
  const { sampleRate, dataPlane } = await open(page, url);
  expect(sampleRate).toBe(RATE);
  expect(dataPlane).toBe(url === undefined ? "shared_memory" : "message_port");
  const take = await page.evaluate(() => window.liveInput.nodeTake());
  console.log(
    `${dataPlane}: take of ${take.frames} frames from transport frame ${take.startFrame} (context frame ${take.startContextFrame}); ` +
      `clicks at context frames ${JSON.stringify(take.takeOnsetsContext)}, scheduled at ${JSON.stringify(take.clickContextFrames)}`,
  );
  // The audio input node plays through the graph: 0.8 in, gain 0.5, 0.4 out.
  expect(take.peakWhileConnected).toBeCloseTo(0.4, 6);
  expect(take.lostFrames).toBe(0);
  expect(take.startFrame).toBeGreaterThanOrEqual(0);
  expect(take.startFrame % 128).toBe(0);
  // Recorded from the play to past 2 s, whole quanta.
  expect(take.frames % 128).toBe(0);
  expect(take.frames).toBeGreaterThanOrEqual(2 * RATE - take.startFrame);
  expect(take.rightEqualsLeft).toBe(true);
  // Exactly where the source played them, as the reference tap saw them.
  expect(take.takeOnsetsContext).toEqual(take.clickContextFrames);
  expect(take.reference).toEqual(take.clickContextFrames);
  // An AudioNode of the engine's context: nothing to compensate.
  expect(take.latency.frames).toBe(0);
  expect(take.placement).toEqual({ startFrame: take.startFrame, trimFrames: 0 });
}

test("an AudioNode's clicks land in the take on their exact context frames, with no latency", async ({
  page,
}) => {
  await nodeTake(page);
});

test("the same over the MessagePort fallback (no cross-origin isolation)", async ({ page }) => {
  test.setTimeout(120_000); // the second server's first page load compiles the modules
  await nodeTake(page, `http://127.0.0.1:${NOT_ISOLATED_PORT}/e2e/pages/live-input.html`);
});

test("an audio take from Chromium's fake capture device lands in a clip aligned within the stated latency", async ({
  page,
}) => {
  await open(page);
  const take = await page.evaluate(() => window.liveInput.deviceTake(1.5));
  const latency = take.latency;
  console.log(
    `fake device: track settings ${JSON.stringify(take.trackSettings)}; latency ${JSON.stringify(latency)}; ` +
      `take of ${take.frames} frames from transport frame ${take.startFrame}; clicks at context frames ` +
      `${JSON.stringify(take.takeOnsetsContext)} (reference ${JSON.stringify(take.reference)}); clip at ` +
      `${JSON.stringify(take.placement)}, clicks at transport frames ${JSON.stringify(take.clipOnsetsTransport)}`,
  );
  expect(take.lostFrames).toBe(0);
  expect(take.frames).toBeGreaterThanOrEqual(1.5 * RATE - 4096);
  // The file's clicks, a period apart (the file loops after 2 s, so allow one irregular gap).
  const onsets = take.takeOnsetsContext;
  expect(onsets.length).toBeGreaterThanOrEqual(5);
  const gaps = onsets.slice(1).map((frame, i) => frame - (onsets[i] as number));
  expect(gaps.filter((gap) => Math.abs(gap - CLICK_PERIOD) <= 1).length).toBeGreaterThanOrEqual(
    gaps.length - 1,
  );
  // The take holds each click on the context frame the reference tap of the same source saw it on:
  // the recording adds nothing to the input's own latency.
  const seen = take.reference.filter(
    (frame) => frame >= (onsets[0] as number) && frame <= (onsets.at(-1) as number),
  );
  expect(onsets).toEqual(seen);
  // The stated latency: the track's (when reported) plus the context's base latency, at 48 kHz.
  expect(latency.seconds).toBeCloseTo(latency.trackSeconds + latency.baseSeconds, 9);
  expect(latency.frames).toBe(Math.round(latency.seconds * RATE));
  expect(latency.frames).toBeGreaterThan(0);
  // In the clip every click sits exactly the stated latency before the transport frame it arrived on.
  const arrived = onsets.map((frame) => frame - take.startContextFrame + take.startFrame);
  expect(take.clipOnsetsTransport).toEqual(arrived.map((frame) => frame - latency.frames));
});
