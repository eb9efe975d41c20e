/**
 * Reading the demo page's <webdreamer-player> from a test: its engine's transport and meters, its
 * clock readout, and Play as a visitor clicks it. The same readings demo.spec.ts takes.
 */
import { expect, type Page } from "@playwright/test";

/** The player's engine state, read from the transport block as its readout does. */
export function playerTransport(page: Page) {
  return page.evaluate(() => {
    const engine = document.querySelector("webdreamer-player")?.engine;
    if (!engine) throw new Error("the player's engine has not started");
    return { ...engine.readTransport(), dataPlane: engine.dataPlane };
  });
}

/** The loudest level the player's meter draws right now (linear peak, after its ballistics). */
export function playerMeterPeak(page: Page) {
  return page.evaluate(() => Math.max(...(document.querySelector("webdreamer-player")?.meter?.peak ?? [0])));
}

/** Reads the readout's clock (m:ss.t) as seconds. */
export async function playerClockSeconds(page: Page): Promise<number> {
  const text = (await page.locator("webdreamer-player #clock").textContent()) ?? "";
  const [minutes, seconds] = text.split(":");
  return Number(minutes) * 60 + Number(seconds);
}

/** Clicks Play and waits until the player says it plays. */
export async function startPlaying(page: Page): Promise<void> {
  // Scoped to the player: the demo page's studio has buttons of the same names.
  const player = page.locator("webdreamer-player");
  await player.getByRole("button", { name: "Play" }).click();
  await expect(player.getByRole("status")).toHaveText("Playing");
  await expect(player.getByRole("button", { name: "Pause" })).toBeVisible();
}
