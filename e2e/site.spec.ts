/**
 * The static site (npm run build:site) as a visitor's host serves it: site/ on a plain file server
 * (scripts/serve-static.mjs, no Vite), with and without the cross-origin isolation headers and
 * under a sub-path. In each case Play must sound (the meter and the transport say so in numbers)
 * with no page error and no missing file.
 */

import { execFileSync } from "node:child_process";
import { expect, type Page, test } from "@playwright/test";
import { type StaticServer, serveStatic } from "../scripts/serve-static.mjs";
import { recordPageFailures } from "./support/page-failures";
import { playerClockSeconds, playerMeterPeak, playerTransport, startPlaying } from "./support/player-page";

const SITE = "site";

interface Expected {
  isolated: boolean;
  dataPlane: "shared_memory" | "message_port";
}

/** site/ on a plain static server, with every response it sent ("404 /build/engine.wasm"). */
interface ServedSite {
  url: string;
  responses: { status: number; path: string }[];
}

/**
 * Opens the site, plays it, and proves it sounds; `name` names its screenshot. Missing files are
 * counted both in the page and at the server: the worklet's module fetch never reaches Playwright's
 * response events, but it reaches the server.
 */
async function playSite(page: Page, site: ServedSite, expected: Expected, name: string): Promise<void> {
  const failures = recordPageFailures(page);
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto(site.url);
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(expected.isolated);
  await expect(page.locator("#isolated")).toHaveText(expected.isolated ? /^yes/ : /^no/);
  await expect(page.locator("webdreamer-player").getByRole("status")).toHaveText("Ready");

  await startPlaying(page);
  const first = await playerClockSeconds(page);
  await page.waitForTimeout(1200);
  expect(await playerClockSeconds(page)).toBeGreaterThan(first + 0.5);
  const state = await playerTransport(page);
  expect(state.running).toBe(true);
  expect(state.dataPlane).toBe(expected.dataPlane);
  expect(state.positionBeats).toBeGreaterThan(1);
  const peak = await playerMeterPeak(page);
  const annotations = test.info().annotations;
  annotations.push({ type: "meter peak / position", description: `${peak} / ${state.positionSeconds} s` });
  annotations.push({
    type: "served",
    description: site.responses.map((r) => `${r.status} ${r.path}`).join(", "),
  });
  expect(peak).toBeGreaterThan(0.05);
  expect(state.badCommands).toBe(0);
  await page.screenshot({ path: `test-results/site-${name}.png`, fullPage: true });
  expect(failures).toEqual([]);
  expect(site.responses.filter((response) => response.status >= 400)).toEqual([]);
}

/** The mean of the player's windowed RMS (louder channel) over `ms`, once per animation frame. */
function meanLevel(page: Page, ms: number): Promise<number> {
  return page.evaluate(async (duration) => {
    const engine = document.querySelector("webdreamer-player")?.engine;
    if (!engine) throw new Error("the player's engine has not started");
    const reading = engine.createMeterReading();
    let sum = 0;
    let frames = 0;
    const end = performance.now() + duration;
    while (performance.now() < end) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
      engine.readMeters(reading);
      sum += Math.max(reading.windowRms[0] ?? 0, reading.windowRms[1] ?? 0);
      frames++;
    }
    return sum / frames;
  }, ms);
}

test.describe("the static site on a plain static server", () => {
  const servers: StaticServer[] = [];
  const serveSite = async (options: { prefix?: string; isolated?: boolean }): Promise<ServedSite> => {
    const server = await serveStatic({ root: SITE, ...options });
    servers.push(server);
    const responses: ServedSite["responses"] = [];
    server.server.on("request", (request, response) =>
      response.on("finish", () => responses.push({ status: response.statusCode, path: request.url ?? "" })),
    );
    return { url: server.url, responses };
  };

  test.beforeAll(() => {
    // Builds site/ from the engine files setup.sh made (about two seconds of Vite).
    execFileSync(process.execPath, ["scripts/build-site.mjs"], { stdio: "pipe" });
  });

  test.afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  test("at the root with COOP/COEP: cross-origin isolated, plays over shared memory", async ({ page }) => {
    const site = await serveSite({ isolated: true });
    await playSite(page, site, { isolated: true, dataPlane: "shared_memory" }, "isolated-root");
  });

  test("at the root without the headers: plays over the message-port fallback", async ({ page }) => {
    const site = await serveSite({ isolated: false });
    await playSite(page, site, { isolated: false, dataPlane: "message_port" }, "plain-root");
  });

  test("without the wam-community corpus it inserts webdreamer's fixture WAM, says so, and lists its plugins", async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const site = await serveSite({ prefix: "/some/dir/", isolated: true });
    const failures = recordPageFailures(page);
    await page.goto(site.url);
    await expect(page.locator("#wam-source")).toContainText(
      "this site does not ship them: the package states no licence",
    );
    await startPlaying(page);
    await page.waitForTimeout(500);
    const dry = await meanLevel(page, 1500);
    await page.getByRole("button", { name: "Insert webdreamer fixture (a gain)" }).click();
    // The fixture's GUI states its gain: the graph node set it to 0.35.
    await expect(page.locator("#wam-gui")).toHaveText("webdreamer fixture, gain 0.35", { timeout: 20_000 });
    await page.waitForTimeout(500);
    const wet = await meanLevel(page, 1500);
    await page.getByRole("button", { name: "Bypass webdreamer fixture (a gain)" }).click();
    await expect(page.locator("#wam-gui")).toBeHidden();
    await page.waitForTimeout(800);
    const restored = await meanLevel(page, 1500);
    const figures = `${dry.toFixed(4)} / ${wet.toFixed(4)} / ${restored.toFixed(4)} (ratio ${(wet / dry).toFixed(3)})`;
    test
      .info()
      .annotations.push({ type: "mean RMS dry / fixture at gain 0.35 / bypassed", description: figures });
    console.log(`site, fixture WAM: mean RMS dry / inserted / bypassed: ${figures}`);
    // The music's level moves with its chords (about ±20% from second to second): 0.35 stands out.
    expect(wet / dry).toBeLessThan(0.5);
    expect(wet / dry).toBeGreaterThan(0.2);
    expect(restored / dry).toBeGreaterThan(0.7);

    await page.getByRole("button", { name: "Scan for plugins" }).click();
    await expect(page.locator("#scan-summary")).toHaveText(
      /^\d+ nodes \(\d+ builtin, 2 faust, 1 wam\), 0 failures/,
      {
        timeout: 90_000,
      },
    );
    await page.screenshot({ path: "test-results/site-wam-fallback.png", fullPage: true });
    expect(failures).toEqual([]);
    expect(site.responses.filter((response) => response.status >= 400)).toEqual([]);
  });

  test("under a sub-path without the headers: plays over the message-port fallback", async ({ page }) => {
    // Every URL the site fetches is relative: Vite's (base "./") and the engine's files, which
    // src/hosts/assets/default-assets.ts resolves against Vite's base and the page.
    const site = await serveSite({ prefix: "/some/dir/", isolated: false });
    await playSite(page, site, { isolated: false, dataPlane: "message_port" }, "plain-subpath");
  });
});
