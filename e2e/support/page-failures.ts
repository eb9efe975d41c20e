/**
 * Everything that went wrong while a page loaded and ran, as a list a test can expect to be empty:
 * uncaught errors, console errors, failed requests and responses with an error status (a missing
 * file shows up here even when the page copes with it).
 */
import type { Page } from "@playwright/test";

/** Starts recording `page`'s failures; the returned list fills as they happen. */
export function recordPageFailures(page: Page): string[] {
  const failures: string[] = [];
  page.on("pageerror", (error) => failures.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error")
      failures.push(`console error: ${message.text()} (${message.location().url})`);
  });
  page.on("requestfailed", (request) =>
    failures.push(`request failed: ${request.url()} (${request.failure()?.errorText})`),
  );
  page.on("response", (response) => {
    if (response.status() >= 400) failures.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return failures;
}
