// Live renders (options.offline = false) on the real-time AudioWorklet host return what offline
// renders return: the output with the request's channel count and a stem for every node asked, sample
// for sample the offline render of the same request (start position and preroll included), and the
// transport left as the render found it (docs/realtime.md, "Rendering in real time").
import { expect, test } from "@playwright/test";

import { NOT_ISOLATED_PORT } from "../playwright.config";
import type { LiveRenderApi, RenderShape } from "./pages/live-render";

declare global {
  interface Window {
    liveRender: LiveRenderApi;
  }
}

function worst(a: number[][], b: number[][]): number {
  let max = 0;
  for (let c = 0; c < a.length; c++) {
    const x = a[c] as number[];
    const y = b[c] as number[];
    for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs((x[i] as number) - (y[i] as number)));
  }
  return max;
}

function peakOf(channel: number[]): number {
  return channel.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

const shape = (channels: number): RenderShape => ({
  channels,
  seconds: 0.5,
  start: 0.25,
  preroll: 0.1,
  capture: ["pan", "saw"],
});

test.describe("live renders in the real-time host", () => {
  test.setTimeout(60_000);

  test.afterEach(async ({ page }) => {
    await page.evaluate(() => window.liveRender?.close());
  });

  for (const channels of [1, 2, 6]) {
    test(`${channels} channel(s) and two stems equal the offline render sample for sample`, async ({
      page,
    }) => {
      await page.goto("/e2e/pages/live-render.html");
      const { sampleRate, dataPlane } = await page.evaluate(() => window.liveRender.start());
      expect(dataPlane).toBe("shared_memory");
      const { live, offline } = await page.evaluate(
        (s) => window.liveRender.liveAndOffline(s),
        shape(channels),
      );
      const frames = Math.round(0.5 * sampleRate);
      expect(live.status).toBe("ok");
      expect(live.error).toBeNull();
      expect(live.frames).toBe(frames);
      expect(offline.frames).toBe(frames);
      expect(live.output).toHaveLength(channels);
      expect(live.output.every((channel) => channel.length === frames)).toBe(true);
      expect(Object.keys(live.captures).sort()).toEqual(["pan", "saw"]);
      for (const name of ["pan", "saw"]) {
        expect(live.captures[name]).toHaveLength(channels);
        expect(worst(live.captures[name] as number[][], offline.captures[name] as number[][])).toBe(0);
      }
      expect(worst(live.output, offline.output)).toBe(0);
      // Not silence equal to silence: the graph's five channels are all there, the sixth is silent.
      const peaks = live.output.map(peakOf);
      expect(Math.min(...peaks.slice(0, Math.min(channels, 5)))).toBeGreaterThan(0.1);
      if (channels === 6) expect(peaks[5]).toBe(0);
      // The mono stem fills every channel; the stereo one has two channels, then silence.
      const saw = live.captures.saw as number[][];
      expect(worst([saw[0] as number[]], [saw[channels - 1] as number[]])).toBe(0);
      if (channels === 6) expect(peakOf((live.captures.pan as number[][])[2] as number[])).toBe(0);
      expect(live.live).toEqual({
        graph: "left_loaded",
        transport: { position_seconds: 0, running: false, loop: false },
      });
    });
  }

  test("a paused transport is left as it was: position, loop, paused; the graph that played is loaded again", async ({
    page,
  }) => {
    await page.goto("/e2e/pages/live-render.html");
    const { sampleRate } = await page.evaluate(() => window.liveRender.start());
    const r = await page.evaluate((s) => window.liveRender.transportAround(1.25, false, s), shape(2));
    expect(r.status).toBe("ok");
    expect(r.frames).toBe(Math.round(0.5 * sampleRate));
    expect(r.before).toEqual({
      running: false,
      position_seconds: Math.round(1.25 * sampleRate) / sampleRate,
      loop: { start_seconds: 1, end_seconds: 2 },
    });
    expect(r.after).toEqual(r.before);
    expect(r.live).toEqual({
      graph: "restored",
      transport: { position_seconds: r.before.position_seconds, running: false, loop: true },
    });
    // The graph playing after the render is the sine loaded before it: a live render of it keeps it.
    expect(r.again).toEqual({
      status: "ok",
      live: {
        graph: "kept",
        transport: { position_seconds: r.before.position_seconds, running: false, loop: true },
      },
    });
  });

  test("a playing transport plays on after the render, in its loop, from where the render held it", async ({
    page,
  }) => {
    await page.goto("/e2e/pages/live-render.html");
    await page.evaluate(() => window.liveRender.start());
    const r = await page.evaluate((s) => window.liveRender.transportAround(1.25, true, s), shape(2));
    expect(r.status).toBe("ok");
    expect(r.before.running).toBe(true);
    expect(r.before.loop).toEqual({ start_seconds: 1, end_seconds: 2 });
    expect(r.after.running).toBe(true);
    expect(r.after.loop).toEqual(r.before.loop);
    // It played on inside its loop: the render (which started at 0.25 s, outside it) did not move it out.
    expect(r.after.position_seconds).toBeGreaterThanOrEqual(1);
    expect(r.after.position_seconds).toBeLessThan(2);
    const held = r.live as {
      graph: string;
      transport: { position_seconds: number; running: boolean; loop: boolean };
    };
    expect(held.graph).toBe("restored");
    expect(held.transport.running).toBe(true);
    expect(held.transport.loop).toBe(true);
    expect(held.transport.position_seconds).toBeGreaterThanOrEqual(1);
    expect(held.transport.position_seconds).toBeLessThan(2);
  });

  test("a stem of a node the graph lacks is refused, naming it", async ({ page }) => {
    await page.goto("/e2e/pages/live-render.html");
    await page.evaluate(() => window.liveRender.start());
    const message = await page.evaluate((s) => window.liveRender.refusal(s), {
      ...shape(2),
      capture: ["pan", "nope"],
    });
    expect(message).toBe('E_UNKNOWN_NODE at options.capture[1]: no node named "nope"');
  });

  test("without cross-origin isolation the stems come over the MessagePort data plane, equal to offline", async ({
    page,
  }) => {
    await page.goto(`http://127.0.0.1:${NOT_ISOLATED_PORT}/e2e/pages/live-render.html`);
    const { dataPlane } = await page.evaluate(() => window.liveRender.start());
    expect(dataPlane).toBe("message_port");
    const { live, offline } = await page.evaluate((s) => window.liveRender.liveAndOffline(s), shape(6));
    expect(live.status).toBe("ok");
    expect(live.frames).toBe(offline.frames);
    expect(worst(live.output, offline.output)).toBe(0);
    for (const name of ["pan", "saw"]) {
      expect(worst(live.captures[name] as number[][], offline.captures[name] as number[][])).toBe(0);
    }
  });
});
