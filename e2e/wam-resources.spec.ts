// WAM NodeDescriptors carry resource_estimate from the real-time host's discovery (wam-cost-meter.ts):
// cpu_units measured against builtin:gain in the same run, memory_mb null with the reason. The
// estimate is held against a measurement made afterwards (see the figures below).
import { expect, test } from "@playwright/test";

import type { WamResourcesApi } from "./pages/wam-resources";

declare global {
  interface Window {
    wamResources: WamResourcesApi;
  }
}

/**
 * Measured on the shared 2-core test machine (six runs as the meter changed, cpu_units at discovery /
 * measured again): fixture 228.9/212.7, 146.9/161.4, 285.9/141.6, 107.1/325.9, 98.2/210.0,
 * 85.5/101.2; pingpongdelay 571.9/569.3, 201.7/286.2, 422.7/205.6, 284.7/258.5, 871.4/250.8,
 * 293.7/248.8; burns-audio delay 809.8/389.2, 461.8/639.3, 518.5/518.1, 462.0/455.5, 540.7/497.5,
 * 433.0/420.9 (the last run, the committed meter: all three within 25%). Pairs agree within 25% about half the time and
 * differ by up to 3.5 times: the timings move with the machine's load. The 25% issue 19 asks for is
 * the fixme test below (open).
 */
async function measured(page: import("@playwright/test").Page) {
  await page.goto("/e2e/pages/wam-resources.html");
  await page.waitForFunction(() => window.wamResources !== undefined);
  const outcome = await page.evaluate(() => window.wamResources.estimatesAndRemeasure());
  console.log(JSON.stringify(outcome.rows.map(({ url, estimate, again }) => ({ url, estimate, again }))));
  return outcome;
}

test("the fixture WAM and two corpus plugins carry cpu_units measured at discovery, memory_mb null with the reason", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const { rows, failures } = await measured(page);
  expect(failures).toEqual([]);
  expect(rows).toHaveLength(3);
  for (const row of rows) {
    expect(row.estimate, row.url).not.toBeNull();
    expect(row.estimate?.memory_mb, row.url).toBeNull();
    expect(row.notes, row.url).toContain("memory_mb: unknown");
    expect(row.notes, row.url).toContain("against a chain of 1024 builtin:gain");
    const cpu = row.estimate?.cpu_units as number;
    // A block through a plugin (an AudioWorkletNode of its own) is far more work than one gain.
    expect(cpu, row.url).toBeGreaterThan(10);
    expect(row.again, row.url).toBeGreaterThan(10);
  }
});

test.fixme("cpu_units within 25% of a later measurement (issue 19): not reliable yet on a loaded machine", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const { rows } = await measured(page);
  for (const row of rows) {
    const cpu = row.estimate?.cpu_units as number;
    expect(Math.abs(cpu - row.again) / row.again, `${row.url}: ${cpu} then ${row.again}`).toBeLessThanOrEqual(
      0.25,
    );
  }
});
