import { expect, test } from "@playwright/test";

import type { TestOutcome } from "./support/vitest-shim";

declare global {
  interface Window {
    runContractSuite(): Promise<TestOutcome[]>;
  }
}

test("the worker and audioworklet hosts pass the EngineClient contract suite in Chromium", async ({
  page,
}) => {
  // 68 tests, each starting a Worker (and an AudioContext for the real-time host), on a shared machine.
  test.setTimeout(240_000);
  await page.goto("/e2e/pages/contract.html");
  const outcomes = await page.evaluate(() => window.runContractSuite());
  const failed = outcomes.filter((o) => !o.passed);
  console.log(
    `contract suite in Chromium: ${outcomes.length - failed.length} passed, ${failed.length} failed`,
  );
  expect(failed.map((o) => `${o.name}\n${o.error}`).join("\n\n")).toBe("");
  expect(outcomes.length).toBeGreaterThanOrEqual(64);
});
