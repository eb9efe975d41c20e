/**
 * What a click makes the page download (the studio's exports and saves), read from Playwright's copy.
 */
import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";

/** Clicks, waits for the download the click starts, and returns its suggested name and bytes. */
export async function download(
  page: Page,
  click: () => Promise<void>,
): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent("download"), click()]);
  return { name: file.suggestedFilename(), bytes: await readFile((await file.path()) as string) };
}

/** As download(), the bytes alone. */
export async function downloadBytes(page: Page, click: () => Promise<void>): Promise<Buffer> {
  return (await download(page, click)).bytes;
}
