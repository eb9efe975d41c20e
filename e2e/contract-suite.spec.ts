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
  test.setTimeout(120_000);
  await page.goto("/e2e/pages/contract.html");
  const outcomes = await page.evaluate(() => window.runContractSuite());
  const failed = outcomes.filter((o) => !o.passed);
  console.log(
    `contract suite in Chromium: ${outcomes.length - failed.length} passed, ${failed.length} failed`,
  );
  expect(failed.map((o) => `${o.name}\n${o.error}`).join("\n\n")).toBe("");
  expect(outcomes.length).toBeGreaterThanOrEqual(52);
});
