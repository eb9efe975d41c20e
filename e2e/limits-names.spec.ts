import { expect, test } from "@playwright/test";

import type { TestOutcome } from "./support/vitest-shim";

declare global {
  interface Window {
    runLimitsNamesSuite(): Promise<TestOutcome[]>;
  }
}

test("the worker and audioworklet hosts enforce the limits and name rules in Chromium", async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto("/e2e/pages/limits-names.html");
  const outcomes = await page.evaluate(() => window.runLimitsNamesSuite());
  const failed = outcomes.filter((o) => !o.passed);
  console.log(
    `limits and names in Chromium: ${outcomes.length - failed.length} passed, ${failed.length} failed`,
  );
  expect(failed.map((o) => `${o.name}\n${o.error}`).join("\n\n")).toBe("");
  expect(outcomes.length).toBe(12);
});
