/**
 * The studio's mixer as a musician uses it: "+ Bus" and a reverb on it, a send from a track (bus,
 * level, pre/post, remove), each edit one undo step; and the strips' meters (the engine's node
 * meters, docs/realtime.md "Node meters") showing the right numbers for a tone of known amplitude,
 * on the cross-origin isolated page (shared memory) and on the page without isolation (the
 * message-port data plane). The mixer's screenshots are taken on the way.
 */
import { expect, type Page, test } from "@playwright/test";

import { NOT_ISOLATED_PORT } from "../playwright.config";
import { historyLength, TONE_WAV_IN_PAGE } from "./studio-fixture";
import { recordPageFailures } from "./support/page-failures";

const db = (x: number) => 20 * Math.log10(x);
/** The tone through the centre pan (equal power, cos(π/4) each side): peak and RMS per channel. */
const TRACK_PEAK = 0.4 * Math.SQRT1_2;
const TRACK_RMS = TRACK_PEAK / Math.SQRT2;

/** A new project holding one audio track: 8 s of the tone from beat 0, looped. */
async function openStudioWithTone(page: Page, url = "/"): Promise<void> {
  await page.addInitScript(TONE_WAV_IN_PAGE);
  await page.goto(url);
  const studio = page.locator("webdreamer-studio");
  await studio.getByRole("button", { name: "New" }).click();
  await page.evaluate(async () => {
    const element = document.querySelector("webdreamer-studio");
    if (!element) throw new Error("no studio on the page");
    const rate = new AudioContext().sampleRate;
    await element.importAudio(window.toneWav("tone.wav", 8, rate), 0);
    element.editor.execute({
      type: "rename_track",
      track_id: element.project.tracks[0]?.id ?? "",
      name: "Tone",
    });
  });
  await expect(studio.locator(".clip")).toHaveCount(1);
}

/** The node meters over 30 frames: the highest window peak and RMS of each strip (track order). */
function readStripMeters(page: Page) {
  return page.evaluate(async () => {
    const studio = document.querySelector("webdreamer-studio");
    const engine = studio?.engine;
    if (!engine?.readNodeMeters || !engine.createNodeMeterReading) return null;
    const reading = engine.createNodeMeterReading();
    const strips = studio?.project.tracks.length ?? 0;
    const peak = new Array(strips).fill(0);
    const rms = new Array(strips).fill(0);
    for (let frame = 0; frame < 30; frame++) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
      engine.readNodeMeters(reading);
      for (let k = 0; k < strips; k++) {
        for (const c of [2 * k, 2 * k + 1]) {
          peak[k] = Math.max(peak[k], reading.windowPeak[c] ?? 0);
          rms[k] = Math.max(rms[k], reading.windowRms[c] ?? 0);
        }
      }
    }
    return { peak, rms, dataPlane: engine.dataPlane };
  });
}

/** The strip's figures as it shows them ("pk -11.0 · rms -14.0"), in data-peak-db and data-rms-db. */
async function stripFigures(page: Page, name: string) {
  const output = page
    .locator("webdreamer-studio")
    .getByRole("group", { name: `Mixer strip ${name}` })
    .locator("output.strip-level");
  return {
    peak: Number(await output.getAttribute("data-peak-db")),
    rms: Number(await output.getAttribute("data-rms-db")),
    text: await output.textContent(),
  };
}

/**
 * Loop and Play, then the strips' meters once the tone's strip shows it: peak 0.283 (-10.97 dBFS)
 * and RMS 0.2 (-13.98 dBFS), within 0.1 dB.
 */
async function playTone(page: Page) {
  const studio = page.locator("webdreamer-studio");
  await studio.getByRole("button", { name: "Loop" }).click();
  await studio.getByRole("button", { name: "Play" }).click();
  await expect(studio.getByRole("button", { name: "Pause" })).toBeVisible({ timeout: 30_000 });
  await expect
    .poll(async () => (await readStripMeters(page))?.peak[0] ?? 0, { timeout: 20_000 })
    .toBeGreaterThan(0.25);
  const meters = await readStripMeters(page);
  expect(Math.abs(db(meters?.peak[0] ?? 0) - db(TRACK_PEAK))).toBeLessThan(0.1);
  expect(Math.abs(db(meters?.rms[0] ?? 0) - db(TRACK_RMS))).toBeLessThan(0.1);
  return meters;
}

const sendOf = (page: Page) =>
  page.evaluate(() => document.querySelector("webdreamer-studio")?.project.tracks[0]?.sends[0] ?? null);

test.describe("the studio's mixer", () => {
  test("a bus with a reverb, a send, and meters with the right numbers", async ({ page }) => {
    test.setTimeout(150_000);
    const failures = recordPageFailures(page);
    await openStudioWithTone(page);
    const studio = page.locator("webdreamer-studio");
    const steps = await historyLength(page);

    // "+ Bus", a reverb on it, a send from the tone: one undo step each.
    await studio.getByRole("button", { name: "+ Bus" }).click();
    await expect(studio.getByRole("group", { name: "Mixer strip Bus 1" })).toBeVisible();
    await studio.getByRole("button", { name: "Add reverb to Bus 1" }).click();
    await expect(studio.getByRole("list", { name: "Effects of Bus 1" })).toContainText("reverb");
    await studio.getByRole("button", { name: "Add send from Tone" }).click();
    expect(await historyLength(page)).toBe(steps + 3);
    expect(await sendOf(page)).toEqual({ id: "send", target: "bus-1", level_db: 0, pre_fader: false });

    // The level: one step for the slider's gesture; pre-fader on and off: one step each.
    const label = "Send from Tone to Bus 1";
    await studio.getByRole("slider", { name: `Level of ${label}` }).fill("-6");
    expect(await historyLength(page)).toBe(steps + 4);
    expect((await sendOf(page))?.level_db).toBe(-6);
    await expect(studio.getByRole("slider", { name: `Level of ${label}` })).toHaveAttribute(
      "aria-valuetext",
      "-6.0 dB",
    );
    await studio.getByRole("button", { name: `Pre-fader ${label}` }).click();
    expect((await sendOf(page))?.pre_fader).toBe(true);
    await studio.getByRole("button", { name: `Pre-fader ${label}` }).click();
    expect((await sendOf(page))?.pre_fader).toBe(false);
    expect(await historyLength(page)).toBe(steps + 6);

    const meters = await playTone(page);
    expect(meters?.dataPlane).toBe("shared_memory");
    // The bus answers with the reverb's tail of the send.
    expect(meters?.peak[1] ?? 0).toBeGreaterThan(0.001);
    // The strip shows the same figures (updated four times a second).
    await expect
      .poll(async () => (await stripFigures(page, "Tone")).peak, { timeout: 5_000 })
      .toBeCloseTo(-11.0, 0);
    const shown = await stripFigures(page, "Tone");
    expect(Math.abs(shown.peak - db(TRACK_PEAK))).toBeLessThanOrEqual(0.15);
    expect(Math.abs(shown.rms - db(TRACK_RMS))).toBeLessThanOrEqual(0.15);
    await expect(studio.locator("canvas[data-spectrum=master]")).toBeVisible();

    // The spectrum's analyser hears the tone: its loudest bin is the one of 1 kHz.
    const loudestHz = await page.evaluate(() => {
      const element = document.querySelector("webdreamer-studio");
      const engine = element?.engine;
      const context = engine?.context;
      if (!context) return 0;
      const analyser = context.createAnalyser();
      analyser.fftSize = 2048;
      (engine as unknown as { node: AudioNode }).node.connect(analyser);
      return new Promise<number>((resolve) =>
        setTimeout(() => {
          const bins = new Float32Array(analyser.frequencyBinCount);
          analyser.getFloatFrequencyData(bins);
          let loudest = 0;
          for (let k = 1; k < bins.length; k++)
            if ((bins[k] as number) > (bins[loudest] as number)) loudest = k;
          resolve((loudest * context.sampleRate) / analyser.fftSize);
        }, 300),
      );
    });
    expect(Math.abs(loudestHz - 1000)).toBeLessThan(30);

    // Screenshots of the mixer playing, in both schemes.
    await page.emulateMedia({ colorScheme: "dark" });
    await page.waitForTimeout(500);
    await studio.locator(".mixer").screenshot({ path: "docs/images/studio-mixer-dark.png" });
    await page.emulateMedia({ colorScheme: "light" });
    await studio.evaluate((element) => element.setAttribute("theme", "light"));
    await page.waitForTimeout(500);
    await studio.locator(".mixer").screenshot({ path: "docs/images/studio-mixer-light.png" });
    await studio.evaluate((element) => element.removeAttribute("theme"));

    // Without the reverb the bus is the send: the tone's output × 10^(-6/20), -17.0 dBFS peak.
    await studio.getByRole("button", { name: "Remove reverb from Bus 1" }).click();
    await expect
      .poll(
        async () => {
          const reading = await readStripMeters(page);
          return Math.abs(db(reading?.peak[1] ?? 0) - db(TRACK_PEAK * 10 ** (-6 / 20)));
        },
        { timeout: 10_000 },
      )
      .toBeLessThan(0.1);
    const bus = await readStripMeters(page);
    expect(Math.abs(db(bus?.rms[1] ?? 0) - db(TRACK_RMS * 10 ** (-6 / 20)))).toBeLessThan(0.1);

    // Remove the send: the bus falls silent.
    await studio.getByRole("button", { name: `Remove ${label}` }).click();
    expect(await sendOf(page)).toBeNull();
    await expect.poll(async () => (await readStripMeters(page))?.peak[1] ?? 1, { timeout: 10_000 }).toBe(0);
    await studio.getByRole("button", { name: "Pause" }).click();
    expect(failures).toEqual([]);
  });

  test("without COOP/COEP the strips' meters come over the message-port data plane", async ({ page }) => {
    test.setTimeout(120_000);
    const failures = recordPageFailures(page);
    await openStudioWithTone(page, `http://127.0.0.1:${NOT_ISOLATED_PORT}/`);
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(false);
    const meters = await playTone(page);
    expect(meters?.dataPlane).toBe("message_port");
    await expect
      .poll(async () => (await stripFigures(page, "Tone")).rms, { timeout: 5_000 })
      .toBeCloseTo(-14.0, 0);
    await page.locator("webdreamer-studio").getByRole("button", { name: "Pause" }).click();
    expect(failures).toEqual([]);
  });
});
