/**
 * The master's scope and a send's level lane, on one page: a 330 Hz tone imported as a WAV feeds a
 * bus through a send; the send's lane is picked ("Send to Bus 1") and a point drawn on it with the
 * mouse (one undo step), and the playing bus follows it; the send slider's moves with Write on land on
 * the lane as one undo step; the scope's trace (studio.scopeReading, what
 * it last drew) starts at a rising edge, stands still from draw to draw, and its period is the tone's.
 * Screenshots of the master strip in both schemes are taken on the way.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";

import type { ScopeReading } from "../src/studio/master-scope";
import { historyLength, openNewStudio, pageSampleRate, studioProject, toneWav } from "./studio-fixture";
import { recordPageFailures } from "./support/page-failures";

const TONE_HZ = 330;
const AMPLITUDE = 0.5;
/** The send lane's range (the send slider's): -60 to +12 dB. */
const SEND_MIN = -60;
const SEND_SPAN = 72;
const PPB = 32;
const LANE_DB = -20;
/** The scope's period must match the tone's within this fraction (0.5%: under a frame of its 145). */
const PERIOD_TOLERANCE = 0.005;

const db = (x: number) => 20 * Math.log10(x);

/** The scope's reading after its next draw (two animation frames at 30 draws a second). */
function scopeReading(page: Page): Promise<ScopeReading | null> {
  return page.evaluate(async () => {
    for (let frame = 0; frame < 3; frame++) await new Promise((resolve) => requestAnimationFrame(resolve));
    return document.querySelector("webdreamer-studio")?.scopeReading ?? null;
  });
}

/** The rising zero crossings of `trace`, interpolated (the test's own measure, not the scope's). */
function risingCrossings(trace: number[]): number[] {
  const found: number[] = [];
  for (let i = 1; i < trace.length; i++) {
    const a = trace[i - 1] as number;
    const b = trace[i] as number;
    if (a < 0 && b >= 0) found.push(i - 1 + -a / (b - a));
  }
  return found;
}

/** The bus's node meter (the second strip: channels 2 and 3), highest window peak over 20 frames. */
function busPeak(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const engine = document.querySelector("webdreamer-studio")?.engine;
    if (!engine?.readNodeMeters || !engine.createNodeMeterReading) return -1;
    const reading = engine.createNodeMeterReading();
    let peak = 0;
    for (let frame = 0; frame < 20; frame++) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
      engine.readNodeMeters(reading);
      peak = Math.max(peak, reading.windowPeak[2] ?? 0, reading.windowPeak[3] ?? 0);
    }
    return peak;
  });
}

test("the master scope stands still on a tone at its period; a send's level lane takes a point", async ({
  page,
}) => {
  test.setTimeout(150_000);
  const failures = recordPageFailures(page);
  await page.emulateMedia({ colorScheme: "dark" });
  await openNewStudio(page);
  const studio = page.locator("webdreamer-studio");
  const rate = await pageSampleRate(page);
  const chooser = page.waitForEvent("filechooser");
  await studio.getByRole("button", { name: "Audio track from file…" }).click();
  await (await chooser).setFiles({
    name: "tone.wav",
    mimeType: "audio/wav",
    buffer: toneWav(rate, 20, TONE_HZ, AMPLITUDE),
  });
  await expect(studio.getByRole("button", { name: /^Audio clip tone, 1:1/ })).toBeVisible();
  await studio.getByRole("button", { name: "+ Bus" }).click();
  await studio.getByRole("button", { name: "Add send from tone" }).click();

  // The send's level lane: offered by the picker after volume and pan, named after its bus.
  await studio.getByRole("button", { name: "Auto lane of tone" }).click();
  const picker = studio.getByRole("combobox", { name: "Automated parameter of tone" });
  await expect(picker.locator("option")).toHaveText(["Volume", "Pan", "Send to Bus 1"]);
  await picker.selectOption({ label: "Send to Bus 1" });
  await expect(picker).toHaveValue("send:send");
  const area = studio
    .getByRole("group", { name: "Send to Bus 1 automation of tone" })
    .locator(".automation-area");
  const box = await area.boundingBox();
  if (!box) throw new Error("no send lane");
  const before = await historyLength(page);
  await page.mouse.click(box.x + 2 * PPB + 3, box.y + (1 - (LANE_DB - SEND_MIN) / SEND_SPAN) * box.height);
  const points = (await studioProject(page)).tracks[0]?.automation["send:send"]?.points ?? [];
  expect(points.map((point) => point.beat)).toEqual([2]);
  // The value from the height, within a pixel's worth of dB.
  expect(Math.abs((points[0]?.value ?? 0) - LANE_DB)).toBeLessThanOrEqual(SEND_SPAN / box.height);
  expect(await historyLength(page)).toBe(before + 1);
  await expect(
    studio.getByRole("button", { name: /^Send to Bus 1 point 1 of 1, 1:3, -?\d+\.\d dB$/ }),
  ).toBeVisible();
  await expect(
    studio.getByRole("button", { name: "Undo Automation of send to Bus 1 on tone" }),
  ).toBeEnabled();

  await studio.getByRole("button", { name: "Play" }).click();
  await expect(studio.getByRole("button", { name: "Pause" })).toBeVisible({ timeout: 30_000 });

  // The playing bus follows the lane (held at its one point): the tone's output × 10^(dB/20).
  const trackPeak = AMPLITUDE * Math.SQRT1_2;
  const laneDb = points[0]?.value ?? 0;
  await expect
    .poll(async () => Math.abs(db(await busPeak(page)) - db(trackPeak * 10 ** (laneDb / 20))), {
      timeout: 15_000,
    })
    .toBeLessThan(0.1);

  // The scope: triggered, its period the tone's, the trace starting on the rising edge.
  await expect.poll(async () => (await scopeReading(page))?.triggered, { timeout: 10_000 }).toBe(true);
  const period = rate / TONE_HZ;
  // The master's level: the tone and the bus, (left + right) / 2 as the analyser down-mixes it.
  const masterPeak = trackPeak * (1 + 10 ** (laneDb / 20));
  /** How far a sine of the master's level moves in one frame, at most. */
  const frameRise = (2 * Math.PI * masterPeak) / period;
  const traces: number[][] = [];
  for (let draw = 0; draw < 4; draw++) {
    const reading = await scopeReading(page);
    if (!reading) throw new Error("the scope drew nothing");
    expect(reading.triggered).toBe(true);
    expect(reading.sampleRate).toBe(rate);
    expect(Math.abs(reading.periodFrames / period - 1), "the scope's measured period").toBeLessThan(
      PERIOD_TOLERANCE,
    );
    const crossings = risingCrossings(reading.trace);
    expect(crossings.length).toBeGreaterThanOrEqual(6);
    const traced = ((crossings.at(-1) as number) - (crossings[0] as number)) / (crossings.length - 1);
    expect(Math.abs(traced / period - 1), "the period drawn").toBeLessThan(PERIOD_TOLERANCE);
    // The trace starts at the edge: its first sample is at most a frame's rise above 0.
    expect(reading.trace[0]).toBeGreaterThanOrEqual(0);
    expect(reading.trace[0]).toBeLessThanOrEqual(frameRise);
    expect(Math.abs(Math.max(...reading.trace) / masterPeak - 1), "the trace's height").toBeLessThan(0.01);
    traces.push(reading.trace);
    if (draw === 0)
      console.log(
        `scope: period ${reading.periodFrames.toFixed(3)} frames measured, ${traced.toFixed(3)} drawn, ` +
          `${period.toFixed(3)} expected; trace[0] ${reading.trace[0]?.toFixed(4)} (a frame's rise ${frameRise.toFixed(4)})`,
      );
  }
  // It stands still: each draw's trace lies on the first within a frame's rise (a free-running
  // trace would be off by up to twice the amplitude).
  const first = traces[0] as number[];
  for (const trace of traces.slice(1)) {
    let worst = 0;
    for (let i = 0; i < trace.length; i++)
      worst = Math.max(worst, Math.abs((trace[i] as number) - (first[i] as number)));
    expect(worst).toBeLessThan(frameRise);
  }
  await expect(studio.locator("output[data-scope-frequency=master]")).toHaveText(
    /^3(29\.[5-9]|30\.[0-4]) Hz$/,
  );

  // Both schemes: screenshots of the master strip, and no serious or critical axe-core violation.
  const master = studio.getByRole("group", { name: "Mixer strip Master" });
  await master.screenshot({ path: "docs/images/studio-scope-dark.png" });
  await page.emulateMedia({ colorScheme: "light" });
  await studio.evaluate((element) => element.setAttribute("theme", "light"));
  await page.waitForTimeout(300);
  await master.screenshot({ path: "docs/images/studio-scope-light.png" });
  const results = await new AxeBuilder({ page }).include("webdreamer-studio").analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => violation.id);
  expect(serious).toEqual([]);

  // Write on the send's lane: the send slider's moves while playing become points on it at the
  // playhead (after the drawn one), landing at Pause as one undo step; the send's own level stays.
  await studio.getByRole("button", { name: "Write Send to Bus 1 of tone" }).click();
  const recordedFrom = await historyLength(page);
  const sendSlider = studio.getByRole("slider", { name: "Level of Send from tone to Bus 1" });
  for (const value of ["-30", "-30", "-15", "0"]) {
    await sendSlider.fill(value);
    await page.waitForTimeout(150);
  }
  await studio.getByRole("button", { name: "Pause" }).click();
  await expect(studio.getByRole("button", { name: "Play" })).toBeVisible();
  const after = await studioProject(page);
  const recorded = after.tracks[0]?.automation["send:send"]?.points ?? [];
  expect(await historyLength(page)).toBe(recordedFrom + 1);
  expect(recorded[0]).toEqual(points[0]);
  const written = recorded.slice(1);
  expect(written.length).toBeGreaterThanOrEqual(2);
  expect(written[0]?.value).toBe(-30);
  expect(written.at(-1)?.value).toBe(0);
  expect(written[0]?.beat).toBeGreaterThan(2);
  for (let k = 1; k < written.length; k++)
    expect(written[k]?.beat).toBeGreaterThan(written[k - 1]?.beat ?? Number.POSITIVE_INFINITY);
  expect(after.tracks[0]?.sends[0]?.level_db).toBe(0);
  expect(failures).toEqual([]);
});
