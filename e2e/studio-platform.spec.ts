/**
 * The studio as every page and every user gets it: checked by axe-core for what a screen reader or a
 * keyboard user would trip on, played on a page without cross-origin isolation (no SharedArrayBuffer:
 * the message-port data plane), and timed for main-thread long tasks while a 16-track project plays.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";

import { NOT_ISOLATED_PORT } from "../playwright.config";
import { openNewStudio, TONE_WAV_IN_PAGE } from "./studio-fixture";
import { recordPageFailures } from "./support/page-failures";

declare global {
  interface Window {
    longTasks: { start: number; duration: number }[];
  }
}

/**
 * A new project in the studio with `audioTracks` tracks of a tone (WAV imports) and `synthTracks`
 * synth tracks, each with a clip of `bars` bars of quarter notes.
 */
async function openStudioWithSong(
  page: Page,
  { url = "/", audioTracks = 1, synthTracks = 1, bars = 1 } = {},
): Promise<void> {
  await page.addInitScript(TONE_WAV_IN_PAGE);
  await openNewStudio(page, url);
  const studio = page.locator("webdreamer-studio");
  await page.evaluate(
    async ({ audioTracks, synthTracks, bars }) => {
      const element = document.querySelector("webdreamer-studio");
      if (!element) throw new Error("no studio on the page");
      for (let t = 0; t < audioTracks; t++)
        await element.importAudio(window.toneWav(`tone${t + 1}.wav`, bars * 2, 48000, 110 * (t + 2)), 0);
      for (let t = 0; t < synthTracks; t++) {
        const trackId = element.addInstrumentTrack();
        const notes = Array.from({ length: bars * 4 }, (_, beat) => ({
          beat,
          length_beats: 0.5,
          note: 48 + ((t * 5 + beat * 7) % 24),
          velocity: 100,
        }));
        element.addMidiClip(trackId, { start_beat: 0, length_beats: bars * 4, notes });
      }
    },
    { audioTracks, synthTracks, bars },
  );
  await expect(studio.locator(".clip")).toHaveCount(audioTracks + synthTracks);
}

test.describe("the studio for every user", () => {
  for (const scheme of ["dark", "light"] as const) {
    test(`axe-core finds no serious or critical violation (${scheme})`, async ({ page }) => {
      test.setTimeout(120_000);
      await page.emulateMedia({ colorScheme: scheme });
      await openStudioWithSong(page);
      // The piano roll open too: it is the densest view.
      await page.locator("webdreamer-studio .clip.midi").dblclick();
      await expect(page.locator("webdreamer-studio .piano-roll")).toBeVisible();
      const results = await new AxeBuilder({ page }).include("webdreamer-studio").analyze();
      const serious = results.violations
        .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
        .map((violation) => ({
          id: violation.id,
          impact: violation.impact,
          help: violation.help,
          targets: violation.nodes.slice(0, 5).map((node) => node.target.join(" ")),
        }));
      expect(serious).toEqual([]);
    });
  }

  test("without COOP/COEP the studio plays over the message-port data plane", async ({ page }) => {
    test.setTimeout(120_000);
    const failures = recordPageFailures(page);
    await openStudioWithSong(page, { url: `http://127.0.0.1:${NOT_ISOLATED_PORT}/` });
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(false);
    const studio = page.locator("webdreamer-studio");
    await studio.getByRole("button", { name: "Play" }).click();
    await expect(studio.getByRole("button", { name: "Pause" })).toBeVisible({ timeout: 30_000 });
    const reading = () =>
      page.evaluate(async () => {
        const engine = document.querySelector("webdreamer-studio")?.engine;
        if (!engine) return null;
        const meters = engine.createMeterReading();
        let peak = 0;
        for (let frame = 0; frame < 20; frame++) {
          await new Promise((resolve) => requestAnimationFrame(resolve));
          engine.readMeters(meters);
          peak = Math.max(peak, meters.windowPeak[0] ?? 0);
        }
        const state = engine.readTransport();
        return { peak, dataPlane: engine.dataPlane, running: state.running, frame: state.positionFrames };
      });
    // The tone of amplitude 0.4 through the centre pan (cos(pi/4)): 0.283 on each side.
    await expect.poll(async () => (await reading())?.peak ?? 0, { timeout: 15_000 }).toBeGreaterThan(0.25);
    const first = await reading();
    const second = await reading();
    expect(first?.dataPlane).toBe("message_port");
    expect(second?.running).toBe(true);
    expect(second?.frame ?? 0).toBeGreaterThan(first?.frame ?? 0);
    await studio.getByRole("button", { name: "Pause" }).click();
    await expect(studio.getByRole("button", { name: "Play" })).toBeVisible();
    expect(failures).toEqual([]);
  });

  test("a 16-track project plays with no main-thread task longer than 50 ms", async ({ page }, testInfo) => {
    test.setTimeout(180_000);
    await openStudioWithSong(page, { audioTracks: 8, synthTracks: 8, bars: 8 });
    const studio = page.locator("webdreamer-studio");
    await expect(studio.locator("canvas.waveform[data-drawn]")).toHaveCount(8);
    await page.evaluate(() => {
      window.longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries())
          window.longTasks.push({ start: entry.startTime, duration: entry.duration });
      }).observe({ type: "longtask" });
    });
    // The observer sees a task it should: 80 ms of busy script (before playing, so it is not counted).
    await page.evaluate(() => {
      const until = performance.now() + 80;
      while (performance.now() < until) {}
    });
    await expect.poll(() => page.evaluate(() => window.longTasks.length)).toBe(1);
    await studio.getByRole("button", { name: "Play" }).click();
    await expect(studio.getByRole("button", { name: "Pause" })).toBeVisible({ timeout: 30_000 });
    const playingFrom = await page.evaluate(() => performance.now());
    // Eight seconds of 16 tracks at 120 bpm: four bars, the playhead and the meters drawn every frame.
    await page.waitForTimeout(8_000);
    const outcome = await page.evaluate((from) => {
      const engine = document.querySelector("webdreamer-studio")?.engine;
      const state = engine?.readTransport();
      return {
        tasks: window.longTasks.filter((task) => task.start + task.duration >= from),
        beats: state?.positionBeats ?? 0,
        underruns: state?.underruns ?? -1,
      };
    }, playingFrom);
    const longest = Math.max(0, ...outcome.tasks.map((task) => task.duration));
    testInfo.annotations.push({
      type: "long tasks while playing",
      description: `${outcome.tasks.length} over 50 ms, longest ${longest.toFixed(0)} ms, in 8 s of 16 tracks`,
    });
    expect(outcome.beats).toBeGreaterThan(8);
    expect(outcome.tasks).toEqual([]);
  });
});
