/**
 * One page for all the tests of a spec file, for tests that only call functions the page exposes
 * and leave nothing behind on it: the page loads (and its modules compile, libfaust included) once
 * per worker instead of once per test. Not for tests that change the page's state for the next one.
 * After a failure Playwright starts a new worker, whose beforeAll opens a fresh page.
 */
import { type Page, test } from "@playwright/test";

/** Opens `path` before the file's first test; the returned function gives the page to each test. */
export function sharedPage(path: string): () => Page {
  let page: Page | undefined;
  test.beforeAll(async ({ browser }, testInfo) => {
    const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
    page = await context.newPage();
    await page.goto(path);
  });
  test.afterAll(async () => {
    await page?.context().close();
  });
  return () => {
    if (!page) throw new Error(`the shared page ${path} did not open`);
    return page;
  };
}
