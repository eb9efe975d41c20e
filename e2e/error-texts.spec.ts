/**
 * Issue 19 in Chromium: error texts name what failed once in the Worker and AudioWorklet hosts (the
 * suite test/api/error-texts-suite.ts, which Node runs against in-process and the test double), and
 * Faust compilation there reaches no network on its own: every request the page, its Workers and
 * its worklet make is counted.
 */
import { expect, test } from "@playwright/test";

import type { TestOutcome } from "./support/vitest-shim";

declare global {
  interface Window {
    runErrorTextsSuite(): Promise<TestOutcome[]>;
    faustReach(
      host: "worker" | "audioworklet",
      libs: string,
    ): Promise<{
      refused: string;
      soundfile: string;
      absolute: string;
      sample: number | undefined;
      before: boolean;
      after: boolean;
      renderAfter: string;
      releaseAgain: string;
      policySample: number | undefined;
      badPolicy: string;
    }>;
  }
}

test("the worker and audioworklet hosts name each failure once", async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto("/e2e/pages/error-texts.html");
  const outcomes = await page.evaluate(() => window.runErrorTextsSuite());
  const failed = outcomes.filter((o) => !o.passed);
  console.log(`error texts in Chromium: ${outcomes.length - failed.length} passed, ${failed.length} failed`);
  expect(failed.map((o) => `${o.name}\n${o.error}`).join("\n\n")).toBe("");
  expect(outcomes.length).toBe(12);
});

for (const host of ["worker", "audioworklet"] as const) {
  test(`${host}: Faust fetches nothing on its own, fetches an allowed prefix once, and releases a DSP`, async ({
    page,
    context,
  }) => {
    test.setTimeout(120_000);
    await page.goto("/e2e/pages/error-texts.html");
    const origin = new URL(page.url()).origin;
    const libs = `${origin}/faust-libs/`;
    const hits: string[] = [];
    await context.route(`${libs}**`, (route) => {
      hits.push(new URL(route.request().url()).pathname);
      return route.fulfill({ status: 200, contentType: "text/plain", body: "half = *(0.5);" });
    });
    const reach = await page.evaluate(([h, l]) => window.faustReach(h, l), [host, libs] as const);
    expect(reach.refused).toBe(
      `E_SCHEMA at source: line 1: library("${libs}half.lib") reaches the network; Faust compilation fetches nothing on its own: allow the URL's prefix in options.allowUrlPrefixes, or pass the file in options.libraries`,
    );
    expect(reach.soundfile).toContain(
      `E_SCHEMA at source: line 1: soundfile("s[url:{'${libs}s.wav'}]") names the URL ${libs}s.wav; webdreamer fetches no soundfile`,
    );
    expect(reach.absolute).toContain(
      'E_SCHEMA at source: line 1: import("/etc/passwd") names a file outside the compile',
    );
    // Only the allowed compiles asked, once each (the option's, then the engine policy's); the
    // library halves 0.8 in both.
    expect(hits).toEqual(["/faust-libs/half.lib", "/faust-libs/half.lib"]);
    expect(reach.policySample).toBeCloseTo(0.4, 7);
    expect(reach.badPolicy).toBe(
      'E_SCHEMA at options.faustPolicy.allowUrlPrefixes[0]: must be an http(s) URL prefix with a host and a "/", like "https://example.org/libs/"',
    );
    expect(reach.sample).toBeCloseTo(0.4, 7);
    // Released: gone from discovery, graphs naming it fail, a second release is refused.
    expect([reach.before, reach.after]).toEqual([true, false]);
    expect(reach.renderAfter).toMatch(/^E_UNKNOWN_NODE at node_graph\.nodes\[1\]\.node_id: /);
    expect(reach.releaseAgain).toMatch(
      /^E_UNKNOWN_NODE at node_id: no compiled Faust DSP "faust:[0-9a-f]+"$/,
    );
  });
}
