/**
 * W3 in a Chromium Worker, driven from Node through Playwright: the page bench/faust/pages/w3.html
 * served by a Vite server the caller runs (bench/run.ts already runs one).
 */
import type { Page } from "@playwright/test";
import type { W3Timings } from "./w3";

/**
 * Row W3.worker: opens the W3 page on `page` (served at `baseUrl`) and times W3 in its Worker.
 * @example
 * const worker = await benchW3Worker(page, "http://127.0.0.1:5173/", 60, 3);
 */
export async function benchW3Worker(
  page: Page,
  baseUrl: string,
  seconds = 60,
  repetitions = 3,
): Promise<W3Timings> {
  await page.goto(new URL("bench/faust/pages/w3.html", baseUrl).href);
  return page.evaluate(
    ([s, n]) =>
      (window as unknown as { benchW3Worker(s: number, n: number): Promise<W3Timings> }).benchW3Worker(s, n),
    [seconds, repetitions] as const,
  );
}
