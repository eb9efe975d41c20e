/**
 * A WAM device in <webdreamer-studio>'s rack: webdreamer's fixture WAM (the demo page's `wamRoots`)
 * added to a synth track from discovery, its "Plugin window" opened (the plugin's own GUI mounts in
 * the rack while the live engine plays), its gain moved by the generated control (the plugin reports
 * it), a move made on the plugin's side kept in the project, the window closed (the GUI goes), a
 * window closed by removing its device, and the steps undone and redone.
 */

import { expect, type Page, test } from "@playwright/test";

import type { Device } from "../src/project/project-schema";
import { historyLength, openNewStudio, studioProject as project } from "./studio-fixture";
import { recordPageFailures } from "./support/page-failures";

const FIXTURE = "wam:com.webdreamer.fixture";

async function fixtureDevice(page: Page): Promise<Device | undefined> {
  const track = (await project(page)).tracks[0];
  return track?.devices.find((device) => device.node_id === FIXTURE);
}

/** The gain the playing plugin reports (getParameterValues), or null while it is not playing. */
function pluginGain(page: Page, node: string): Promise<number | null> {
  return page.evaluate(async (node) => {
    const engine = document.querySelector("webdreamer-studio")?.engine as unknown as {
      wams: {
        hasWam(n: string): boolean;
        parameterValues(n: string): Promise<Record<string, number>>;
      } | null;
    } | null;
    if (!engine?.wams?.hasWam(node)) return null;
    return (await engine.wams.parameterValues(node)).gain ?? null;
  }, node);
}

test("a WAM device's plugin window, its generated control and undo in the device rack", async ({ page }) => {
  test.setTimeout(240_000);
  const failures = recordPageFailures(page);
  await page.emulateMedia({ colorScheme: "dark" });
  await openNewStudio(page);
  const studio = page.locator("webdreamer-studio");
  await studio.getByRole("button", { name: "Instrument track" }).click();

  // 1. Discovery offers the fixture WAM (the demo page's wamRoots); adding it is one step.
  const rack = studio.getByRole("group", { name: "Devices of Synth" });
  await rack.hover();
  const picker = rack.getByLabel("Device to add to Synth");
  await expect(picker.locator(`option[value="${FIXTURE}"]`)).toHaveCount(1, { timeout: 60_000 });
  await picker.selectOption(FIXTURE);
  await rack.getByRole("button", { name: "Add device" }).click();
  const device = rack.getByRole("group", { name: "webdreamer fixture" });
  await expect(device).toBeVisible();
  const added = await fixtureDevice(page);
  expect(added?.extensions?.wam).toBeTruthy();
  const node = `${(await project(page)).tracks[0]?.id}.dev.${added?.id}`;

  // 2. The plugin window: the fixture's own GUI mounts inside the rack once the live engine plays it.
  const toggle = device.getByRole("button", { name: "Plugin window of webdreamer fixture" });
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  const gui = device.locator(".wam-window .webdreamer-fixture-gui");
  await expect(gui).toBeVisible({ timeout: 60_000 });
  await expect(gui).toContainText("webdreamer fixture, gain 1");

  // 3. The generated control stays: gain 2.5 reaches the project and the playing plugin.
  await device.getByLabel("Gain of webdreamer fixture").fill("2.5");
  await expect.poll(async () => (await fixtureDevice(page))?.params.gain).toBe(2.5);
  await expect.poll(() => pluginGain(page, node), { timeout: 15_000 }).toBe(2.5);

  // 4. A move on the plugin's side (as its GUI makes: the plugin's parameter, not the project) is
  //    read back into the device's params, as one undo step.
  const before = await historyLength(page);
  await page.evaluate(async (node) => {
    const engine = document.querySelector("webdreamer-studio")?.engine as unknown as {
      wams: { setParameter(n: string, p: string, v: number): Promise<void> };
    };
    await engine.wams.setParameter(node, "gain", -3);
  }, node);
  await expect.poll(async () => (await fixtureDevice(page))?.params.gain, { timeout: 15_000 }).toBe(-3);
  expect(await historyLength(page)).toBe(before + 1);

  // 5. Closed: the GUI leaves the rack.
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await expect(studio.locator(".webdreamer-fixture-gui")).toHaveCount(0);
  await expect(studio.locator(".wam-window")).toHaveCount(0);

  // 6. Undo takes back the plugin-side move (the plugin follows), redo puts it back.
  await studio.getByRole("button", { name: "Undo Device parameters of Synth" }).click();
  await expect.poll(async () => (await fixtureDevice(page))?.params.gain).toBe(2.5);
  await expect.poll(() => pluginGain(page, node), { timeout: 15_000 }).toBe(2.5);
  await page.keyboard.press("Control+Shift+z");
  await expect.poll(async () => (await fixtureDevice(page))?.params.gain).toBe(-3);
  await expect.poll(() => pluginGain(page, node), { timeout: 15_000 }).toBe(-3);

  // 7. Removing the device closes its open window; undo brings the device back (window closed).
  //    The window opened again shows the plugin as it plays (the fixture's GUI prints its gain).
  await toggle.click();
  await expect(gui).toBeVisible({ timeout: 60_000 });
  await expect(gui).toContainText("webdreamer fixture, gain -3");
  await device.scrollIntoViewIfNeeded();
  await device.screenshot({ path: "docs/images/studio-wam-dark.png" });
  await device.getByRole("button", { name: "Remove webdreamer fixture" }).click();
  await expect(studio.locator(".webdreamer-fixture-gui")).toHaveCount(0);
  expect(await fixtureDevice(page)).toBeUndefined();
  await page.keyboard.press("Control+z");
  await expect(device).toBeVisible();
  expect((await fixtureDevice(page))?.params.gain).toBe(-3);
  await expect(studio.locator(".webdreamer-fixture-gui")).toHaveCount(0);

  await page.evaluate(() => document.querySelector("webdreamer-studio")?.stop());
  expect(failures).toEqual([]);
});
