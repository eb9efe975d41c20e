// WAM NodeDescriptors carry resource_estimate from the real-time host's discovery (wam-cost-meter.ts):
// cpu_units measured on the audio thread against builtin:gain in the same quanta, memory_mb null with
// the reason. Each estimate is then held within 25% of what the plugin costs as a WAM node of a graph
// the host builds (e2e/pages/wam-resources.ts).
import { expect, test } from "@playwright/test";

import type { WamResourcesApi } from "./pages/wam-resources";

declare global {
  interface Window {
    wamResources: WamResourcesApi;
  }
}

test("the fixture WAM and two corpus plugins carry cpu_units within 25% of their cost as WAM nodes of a graph, memory_mb null with the reason", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto("/e2e/pages/wam-resources.html");
  await page.waitForFunction(() => window.wamResources !== undefined);
  const { rows, failures, discoveryMs } = await page.evaluate(() =>
    window.wamResources.estimatesAndInGraph(),
  );
  console.log(`discovery with measureWamResources: ${Math.round(discoveryMs)} ms for ${rows.length} plugins`);
  console.log(
    JSON.stringify(
      rows.map(({ url, estimate, inGraph, inGraphPairs }) => ({
        url,
        cpu: estimate?.cpu_units,
        inGraph,
        inGraphPairs,
      })),
    ),
  );
  expect(failures).toEqual([]);
  expect(rows).toHaveLength(3);
  for (const row of rows) {
    expect(row.estimate, row.url).not.toBeNull();
    expect(row.estimate?.memory_mb, row.url).toBeNull();
    expect(row.notes, row.url).toContain("memory_mb: unknown");
    expect(row.notes, row.url).toContain("against a chain of 512 builtin:gain");
    const cpu = row.estimate?.cpu_units as number;
    // A quantum through a plugin (an AudioWorkletNode of its own) is far more work than one gain.
    expect(cpu, row.url).toBeGreaterThan(10);
    expect(
      Math.abs(cpu - row.inGraph) / row.inGraph,
      `${row.url}: ${cpu} at discovery, ${row.inGraph} as a WAM node of a graph`,
    ).toBeLessThanOrEqual(0.25);
  }
  // The estimates tell plugins apart (a meter answering one figure for all would pass the 25% above):
  // the fixture (a copy through a delay line and a multiply per sample) costs less than half of
  // pingpongdelay, which costs less than burns-audio's delay (about 75, 250 and 450 units here).
  const [fixture, pingpong, burns] = rows.map((row) => row.estimate?.cpu_units as number) as [
    number,
    number,
    number,
  ];
  expect(fixture * 2).toBeLessThan(pingpong);
  expect(pingpong).toBeLessThan(burns);
});
