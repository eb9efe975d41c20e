import { expect, test } from "@playwright/test";
import { recordPageFailures } from "./support/page-failures";

declare global {
  interface Window {
    exportAndCapture(): Promise<{
      sampleRate: number;
      exportedFrames: number;
      liveStatus: string;
      liveFrames: number;
      differing: number[];
      peak: number;
      stems: string[];
      stemFrames: number[];
      fractions: { count: number; last: number; increasing: boolean };
      renderMs: number;
      cancelled: string;
    }>;
  }
}

test("a project exported in the Worker host equals its live capture in the AudioWorklet host, sample for sample", async ({
  page,
}) => {
  const failures = recordPageFailures(page);
  await page.goto("/e2e/pages/project-export.html");
  await page.waitForFunction(() => "exportAndCapture" in window);
  const run = await page.evaluate(() => window.exportAndCapture());
  // 2 beats at 120 bpm and a 0.5 s tail.
  const frames = Math.round(1.5 * run.sampleRate);
  expect(run.exportedFrames).toBe(frames);
  expect(run.liveStatus).toBe("ok");
  expect(run.liveFrames).toBe(frames);
  expect(run.differing).toEqual([0, 0]);
  expect(run.peak).toBeGreaterThan(0.1);
  expect(run.stems).toEqual(["drums", "bass", "verb"]);
  expect(run.stemFrames).toEqual([frames, frames, frames]);
  expect(run.fractions.last).toBe(1);
  expect(run.fractions.increasing).toBe(true);
  expect(run.cancelled).toMatch(/^E_CANCELLED: export cancelled after \d+ frames$/);
  console.log(
    `project export in the Worker: ${(1.5 / (run.renderMs / 1000)).toFixed(1)}x real time (${run.renderMs.toFixed(0)} ms for 1.5 s)`,
  );
  expect(failures).toEqual([]);
});
