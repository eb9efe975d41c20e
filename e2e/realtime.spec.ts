import { expect, type Page, test } from "@playwright/test";

import { NOT_ISOLATED_PORT } from "../playwright.config";
import { estimateFrequency, maxAbsDifference, peak } from "../test/support/signal";
import type { RealtimeApi } from "./pages/realtime";

type Api = {
  [K in keyof RealtimeApi]: (
    ...args: Parameters<RealtimeApi[K]>
  ) => Promise<Awaited<ReturnType<RealtimeApi[K]>>>;
};

function realtimeApi(page: Page): Api {
  return new Proxy({} as Api, {
    get:
      (_target, name: string) =>
      (...args: unknown[]) =>
        page.evaluate(
          ([n, a]) =>
            (window as unknown as { realtime: Record<string, (...x: unknown[]) => unknown> }).realtime[
              n as string
            ]?.(...(a as unknown[])),
          [name, args] as const,
        ),
  });
}

test.describe("the real-time AudioWorklet host", () => {
  test.setTimeout(60_000);

  test("captures a real-time 440 Hz sine through the capture ring: frequency, amplitude, no lost frame, the offline samples", async ({
    page,
  }) => {
    await page.goto("/e2e/pages/realtime.html");
    const api = realtimeApi(page);
    const { dataPlane, isolated, sampleRate } = await api.startRealtime();
    expect(isolated).toBe(true);
    expect(dataPlane).toBe("shared_memory");
    const { realtime, offline } = await api.captureSine(1);
    expect(realtime.status).toBe("ok");
    expect(realtime.frames).toBe(sampleRate);
    expect(Math.abs(estimateFrequency(realtime.samples, sampleRate) - 440)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(peak(realtime.samples) - 0.5)).toBeLessThanOrEqual(1e-3);
    expect(offline.frames).toBe(sampleRate);
    expect(maxAbsDifference(realtime.samples, offline.samples)).toBe(0);
  });

  test("a real-time render cancelled with an AbortSignal returns partial with the frames it has", async ({
    page,
  }) => {
    await page.goto("/e2e/pages/realtime.html");
    const api = realtimeApi(page);
    const { sampleRate } = await api.startRealtime();
    const result = await api.cancelLiveRender(500);
    expect(result.status).toBe("partial");
    // The same words as an offline render cancelled (in-process-client.ts).
    expect(result.error).toBe(
      `E_CANCELLED: render cancelled after ${result.frames} of ${3 * sampleRate} frames`,
    );
    expect(result.frames).toBeGreaterThan(0.2 * sampleRate);
    expect(result.frames).toBeLessThan(1.5 * sampleRate);
    expect(result.progressReports).toBeGreaterThan(0);
  });

  test("NaN and ±Inf play as silence, counted live in the transport block and reported by a real-time render", async ({
    page,
  }) => {
    await page.goto("/e2e/pages/realtime.html");
    const api = realtimeApi(page);
    await api.startRealtime();
    const outcome = await api.nonFiniteLive(600);
    // 600 ms of a 1 s loop passes frames 1000 and 2000 at least once.
    expect(outcome.live - outcome.before).toBeGreaterThanOrEqual(2);
    expect(outcome.stateCount).toBeGreaterThanOrEqual(outcome.live);
    expect(outcome.metersFinite).toBe(true);
    expect(outcome.failed).toMatchObject({
      status: "error",
      report: { samples: 2, first_frame: 1000, output: 2 },
    });
    expect(outcome.failed.error).toMatch(
      /^E_RENDER: 2 non-finite samples \(NaN or ±Infinity\) from frame 1000/,
    );
    expect(outcome.kept).toEqual({
      status: "ok",
      report: { samples: 2, first_frame: 1000, output: 2, captures: {} },
      at: [0.25, 0, 0],
      finite: true,
    });
  });

  test("a parameter change scheduled at frame F appears at frame F in the capture", async ({ page }) => {
    await page.goto("/e2e/pages/realtime.html");
    const api = realtimeApi(page);
    await api.startRealtime();
    const { status, samples } = await api.parameterAtFrame(5000);
    expect(status).toBe("ok");
    expect(samples[4999]).toBe(1);
    expect(samples[5000]).toBe(0.25);
    expect(samples[samples.length - 1]).toBe(0.25);
  });

  test("the transport advances with the audio clock, and seek and loop land exactly", async ({ page }) => {
    await page.goto("/e2e/pages/realtime.html");
    const api = realtimeApi(page);
    await api.startRealtime();
    await api.transport("load");
    const seeked = await api.transport("seek", 1.5);
    expect(seeked.state.running).toBe(false);
    expect(seeked.state.position_seconds).toBe(1.5);
    const started = await api.transport("play");
    await page.waitForTimeout(400);
    const later = await api.transport("tempo", 120);
    const audio = later.contextTime - started.contextTime;
    const moved = later.state.position_seconds - started.state.position_seconds;
    expect(Math.abs(moved - audio)).toBeLessThan(0.03); // both clocks count the same quanta
    const looping = await api.transport("loop", 0.5, 0.6);
    await api.transport("seek", 0.5);
    await page.waitForTimeout(300);
    const inLoop = (await api.transport("tempo", 120)).state;
    expect(inLoop.extensions.loop).toEqual({ start_seconds: 0.5, end_seconds: 0.6 });
    expect(inLoop.position_seconds).toBeGreaterThanOrEqual(0.5);
    expect(inLoop.position_seconds).toBeLessThan(0.6);
    expect(looping.state.running).toBe(true);
    const stopped = await api.transport("stop");
    expect(stopped.state).toMatchObject({ running: false, position_seconds: 0 });
    const micros = await api.readTransportTiming(100000);
    console.log(`getTransportState block read: ${micros.toFixed(3)} us`);
  });

  test("a bad command is rejected with its path and the audio goes on", async ({ page }) => {
    await page.goto("/e2e/pages/realtime.html");
    const api = realtimeApi(page);
    await api.startRealtime();
    await api.transport("load");
    const before = await api.transport("play");
    expect(await api.badCall("value")).toMatchObject({ code: "E_SCHEMA" });
    expect(await api.badCall("node")).toMatchObject({ code: "E_UNKNOWN_NODE" });
    expect(await api.badCall("seek")).toMatchObject({ code: "E_SCHEMA", path: "seek.position_seconds" });
    await page.waitForTimeout(200);
    const after = await api.transport("tempo", 120);
    expect(after.state.running).toBe(true);
    expect(after.state.position_seconds).toBeGreaterThan(before.state.position_seconds + 0.1);
    const { realtime } = await api.captureSine(0.25);
    expect(realtime.status).toBe("ok");
  });

  test("an engine trap becomes one fault event, and a restart plays the same session again", async ({
    page,
  }) => {
    await page.goto("/e2e/pages/realtime.html");
    const api = realtimeApi(page);
    await api.startRealtime();
    const outcome = await api.trapAndRestart(300);
    expect(outcome.faults).toBe(1);
    expect(outcome.runningWhileFaulted).toBe(false);
    expect(outcome.afterStatus).toBe("ok");
    expect(outcome.afterPeak).toBeGreaterThan(0.49);
  });

  test("plays a Faust node in real time, sample for sample as the offline render", async ({ page }) => {
    await page.goto("/e2e/pages/realtime.html");
    const api = realtimeApi(page);
    await api.startRealtime();
    const source = 'import("stdfaust.lib"); process = fi.resonlp(1200, 4, 0.5) <: _, de.delay(100, 37);';
    const { realtime, offline } = await api.captureFaust(source, 0.5);
    expect(realtime.status).toBe("ok");
    expect(realtime.frames).toBe(offline.frames);
    expect(peak(realtime.samples)).toBeGreaterThan(0.05);
    expect(maxAbsDifference(realtime.samples, offline.samples)).toBe(0);
  });

  test("without COOP/COEP the engine still plays, over the message-port data plane", async ({ page }) => {
    await page.goto(`http://127.0.0.1:${NOT_ISOLATED_PORT}/e2e/pages/realtime.html`);
    const api = realtimeApi(page);
    const { dataPlane, isolated, sampleRate } = await api.startRealtime();
    expect(isolated).toBe(false);
    expect(dataPlane).toBe("message_port");
    const { realtime } = await api.captureSine(0.5);
    expect(realtime.status).toBe("ok");
    expect(realtime.frames).toBe(sampleRate / 2);
    expect(Math.abs(estimateFrequency(realtime.samples, sampleRate) - 440)).toBeLessThanOrEqual(0.5);
    const state = await api.transport("tempo", 120);
    expect(state.state.extensions.data_plane).toBe("message_port");
  });
});
