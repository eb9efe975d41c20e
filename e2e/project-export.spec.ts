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
    exportWamDevice(): Promise<{
      frames: number;
      exportedFrames: number;
      exportedDiffering: number[];
      liveStatus: string;
      liveDiffering: number[];
      peak: number;
      workerRefusal: string;
      stemsDiffering: Record<string, number[]>;
      stemIds: string[];
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

test("a project with a WAM device exports in the AudioWorklet host and plays live as the same project with a builtin gain in its place; the Worker names the host that can", async ({
  page,
}) => {
  const failures = recordPageFailures(page);
  await page.goto("/e2e/pages/project-export.html");
  await page.waitForFunction(() => "exportWamDevice" in window);
  const run = await page.evaluate(() => window.exportWamDevice());
  console.log(JSON.stringify(run));
  expect(run.exportedFrames).toBe(run.frames);
  expect(run.exportedDiffering).toEqual([0, 0]);
  expect(run.liveStatus).toBe("ok");
  expect(run.liveDiffering).toEqual([0, 0]);
  expect(run.peak).toBeGreaterThan(0.1);
  expect(run.workerRefusal).toMatch(
    /E_UNKNOWN_NODE .*node "drums\.dev\.amp" is a WAM .*the audioworklet host plays them/,
  );
  // Each track's stem from the WAM project equals its builtin twin's, sample for sample.
  expect(run.stemIds.length).toBeGreaterThan(0);
  expect(Object.keys(run.stemsDiffering).sort()).toEqual([...run.stemIds].sort());
  for (const differing of Object.values(run.stemsDiffering))
    expect(differing.every((n) => n === 0)).toBe(true);
  expect(failures).toEqual([]);
});
