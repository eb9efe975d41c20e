/**
 * Automation lanes in <webdreamer-studio>, driven with the mouse and the keyboard: points drawn on a
 * volume lane, one dragged (one undo step), undone and redone, moved and removed with the keys; a
 * synth parameter picked from its descriptor; pan moves written while playing (one undo step at
 * Stop); and the saved project, rendered by Node.js, plays the levels its lanes say on their frames.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, type Locator, type Page, test } from "@playwright/test";

import { decodeWav, encodeWav } from "../src/audio-io/wav-codec";
import type { AutomationPoint } from "../src/project/project-schema";
import { unzipProject } from "../src/project/project-zip";
import { laneValueAt } from "../src/studio/automation-math";
import { roundForStorage, valueAtPosition } from "../src/studio/device-controls";
import type { EngineChangeDetail } from "../src/studio/studio-element";
import {
  exportAndRenderInNode,
  historyLength,
  openNewStudio,
  pageSampleRate,
  studioProject as project,
  renderInNode,
} from "./studio-fixture";
import { download } from "./support/downloads";
import { recordPageFailures } from "./support/page-failures";

declare global {
  interface Window {
    engineChanges: EngineChangeDetail[];
  }
}

const TEMPO = 120;
const PPB = 32;
const DC = 0.5;
/** The volume lane's range (the fader's): -60 to +12 dB. */
const VOLUME_MIN = -60;
const VOLUME_SPAN = 72;

/** A mono float32 WAV holding DC for `seconds`. */
function dcWav(sampleRate: number, seconds: number): Buffer {
  const samples = new Float32Array(sampleRate * seconds).fill(DC);
  return Buffer.from(encodeWav({ sampleRate, channels: [samples] }, { format: "float32" }));
}

async function lane(page: Page, address: string, trackIndex = 0): Promise<AutomationPoint[] | undefined> {
  return (await project(page)).tracks[trackIndex]?.automation[address]?.points;
}

/** Where a beat and a volume in dB lie in a lane's value area. */
async function spot(area: Locator, beat: number, db: number): Promise<{ x: number; y: number }> {
  const box = await area.boundingBox();
  if (!box) throw new Error("no automation lane");
  const level = (db - VOLUME_MIN) / VOLUME_SPAN;
  return { x: box.x + beat * PPB + 3, y: box.y + (1 - level) * box.height };
}

test("automation lanes: points drawn, dragged and recorded play as the lane says", async ({ page }) => {
  test.setTimeout(180_000);
  const failures = recordPageFailures(page);
  await page.emulateMedia({ colorScheme: "dark" });
  await openNewStudio(page);
  const studio = page.locator("webdreamer-studio");
  await page.evaluate(() => {
    window.engineChanges = [];
    document
      .querySelector("webdreamer-studio")
      ?.addEventListener("webdreamer-engine-change", (event) => window.engineChanges.push(event.detail));
  });
  const rate = await pageSampleRate(page);
  const chooser = page.waitForEvent("filechooser");
  await studio.getByRole("button", { name: "Audio track from file…" }).click();
  await (await chooser).setFiles({ name: "dc.wav", mimeType: "audio/wav", buffer: dcWav(rate, 4) });
  await expect(studio.getByRole("button", { name: /^Audio clip dc, 1:1/ })).toBeVisible();

  // 1. Auto shows the lane under the track, automating the volume.
  await studio.getByRole("button", { name: "Auto lane of dc" }).click();
  await expect(studio.getByRole("button", { name: "Auto lane of dc" })).toHaveAttribute(
    "aria-pressed",
    "true",
  );
  await expect(studio.getByRole("combobox", { name: "Automated parameter of dc" })).toHaveValue("volume");
  const area = studio.getByRole("group", { name: "Volume automation of dc" }).locator(".automation-area");

  // 2. Three clicks draw three points (snap: beat), each one undo step; the third lands between.
  const before = await historyLength(page);
  for (const [beat, db] of [
    [1, -30],
    [5, 0],
    [3, -40],
  ] as const) {
    const at = await spot(area, beat, db);
    await page.mouse.click(at.x, at.y);
  }
  let points = (await lane(page, "volume")) ?? [];
  expect(points.map((point) => point.beat)).toEqual([1, 3, 5]);
  // The value from the height: within a pixel's worth of dB (72 dB over the lane's height).
  expect(points.map((point) => Math.round(point.value))).toEqual([-30, -40, 0]);
  expect(await historyLength(page)).toBe(before + 3);
  await expect(studio.getByRole("button", { name: /^Volume point 2 of 3, 1:4, -40\.0 dB$/ })).toBeVisible();

  // 3. The middle point dragged a beat right and up: one undo step for the whole drag.
  const middle = await spot(area, 3, points[1]?.value ?? 0);
  await page.mouse.move(middle.x - 3, middle.y);
  await page.mouse.down();
  for (let step = 1; step <= 8; step++)
    await page.mouse.move(middle.x - 3 + (PPB * step) / 8, middle.y - (20 * step) / 8);
  await page.mouse.up();
  points = (await lane(page, "volume")) ?? [];
  expect(points[1]?.beat).toBe(4);
  const box = await area.boundingBox();
  const draggedDb = -40 + (20 / (box?.height ?? 1)) * VOLUME_SPAN;
  expect(points[1]?.value).toBeCloseTo(draggedDb, 0);
  expect(await historyLength(page)).toBe(before + 4);
  await expect(studio.getByRole("button", { name: "Undo Automation of volume on dc" })).toBeEnabled();

  // 4. Ctrl+Z gives the point back at beat 3; Shift+Ctrl+Z beat 4 again.
  await page.keyboard.press("Control+z");
  expect((await lane(page, "volume"))?.[1]?.beat).toBe(3);
  await page.keyboard.press("Shift+Control+z");
  expect((await lane(page, "volume"))?.[1]?.beat).toBe(4);

  // 5. The keys: → moves the focused point a beat (it stops at its neighbour), ↑ raises it 1% of
  // the range (0.72 dB), Delete removes it; a double-click removes the first.
  const second = studio.getByRole("button", { name: /^Volume point 2 of 3/ });
  await second.focus();
  await page.keyboard.press("ArrowLeft");
  expect((await lane(page, "volume"))?.[1]?.beat).toBe(3);
  const valueBefore = (await lane(page, "volume"))?.[1]?.value ?? 0;
  await page.keyboard.press("ArrowUp");
  expect((await lane(page, "volume"))?.[1]?.value).toBeCloseTo(valueBefore + 0.72, 9);
  await expect(second).toHaveAccessibleName(/^Volume point 2 of 3, 1:4, /);
  await page.keyboard.press("Delete");
  expect((await lane(page, "volume"))?.map((point) => point.beat)).toEqual([1, 5]);
  // The focus stays in the lane: on the point before the one removed.
  await expect(studio.getByRole("button", { name: /^Volume point 1 of 2, 1:2, / })).toBeFocused();
  await page.keyboard.press("Control+z");
  await studio.getByRole("button", { name: /^Volume point 1 of 3/ }).dblclick();
  expect((await lane(page, "volume"))?.map((point) => point.beat)).toEqual([3, 5]);
  await page.keyboard.press("Control+z");
  points = (await lane(page, "volume")) ?? [];
  expect(points.map((point) => point.beat)).toEqual([1, 3, 5]);

  // 6. A synth track's lane offers its instrument's parameters from its descriptor.
  await studio.getByRole("button", { name: "Instrument track" }).click();
  await studio.getByRole("button", { name: "Auto lane of Synth" }).click();
  const picker = studio.getByRole("combobox", { name: "Automated parameter of Synth" });
  await picker.selectOption({ label: "Synth: Filter cutoff" });
  const cutoffArea = studio.getByRole("group", { name: "Synth: Filter cutoff automation of Synth" });
  const cutoffBox = await cutoffArea.locator(".automation-area").boundingBox();
  if (!cutoffBox) throw new Error("no cutoff lane");
  await page.mouse.click(cutoffBox.x + 2 * PPB + 3, cutoffBox.y + cutoffBox.height / 2);
  const synth = (await project(page)).tracks[1];
  const cutoffAddress = `device:${synth?.kind === "instrument" ? synth.instrument.id : ""}:filter_cutoff`;
  const cutoff = synth?.automation[cutoffAddress]?.points ?? [];
  expect(cutoff.map((point) => point.beat)).toEqual([2]);
  // Half way up the filter's range, 20 to 20000 Hz.
  expect(Math.abs((cutoff[0]?.value ?? 0) - 10010)).toBeLessThan(20000 / (cutoffBox.height - 2));
  await expect(studio.getByRole("slider", { name: "Synth: Filter cutoff of Synth" })).toBeVisible();

  for (const scheme of ["dark", "light"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await studio.locator(".arrangement").screenshot({ path: `docs/images/studio-automation-${scheme}.png` });
    // Both lanes open, in each scheme: axe-core finds nothing serious for a screen reader or the eye.
    const results = await new AxeBuilder({ page }).include("webdreamer-studio").analyze();
    const serious = results.violations
      .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
      .map((violation) => ({
        id: violation.id,
        targets: violation.nodes.slice(0, 5).map((node) => node.target.join(" ")),
      }));
    expect(serious, scheme).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: "dark" });
  await page.evaluate(
    ({ trackId, address }) => {
      // The drawn cutoff point goes: the lane the rack's control writes starts empty.
      document
        .querySelector("webdreamer-studio")
        ?.editor.execute({ type: "set_automation", track_id: trackId, address, lane: null });
    },
    { trackId: synth?.id ?? "", address: cutoffAddress },
  );

  // 7. Write on a pan lane and on the synth's cutoff lane: the strip's pan moves and the moves of the
  // instrument's own cutoff control in the rack while playing become points at the playhead, the
  // engine follows each write, and Stop lands both lanes as one undo step; the mixer's pan and the
  // instrument's cutoff stay put.
  await studio.getByRole("combobox", { name: "Automated parameter of dc" }).selectOption("pan");
  for (const write of ["Write Pan of dc", "Write Synth: Filter cutoff of Synth"]) {
    await studio.getByRole("button", { name: write }).click();
    await expect(studio.getByRole("button", { name: write })).toHaveAttribute("aria-pressed", "true");
  }
  const cutoffControl = studio
    .getByRole("group", { name: "Devices of Synth" })
    .getByRole("slider", { name: "Filter cutoff of Instrument of Synth" });
  // Log slider positions (0..1000) and the values they stand for (4 significant digits).
  const cutoffPositions = [700, 700, 600, 500, 400, 300];
  const cutoffValues = cutoffPositions.map((position) =>
    roundForStorage(valueAtPosition(position, [20, 20000])),
  );
  const recordedFrom = await historyLength(page);
  await studio.getByRole("button", { name: "Play" }).click();
  await expect(studio.getByRole("button", { name: "Pause" })).toBeVisible({ timeout: 30_000 });
  await expect
    .poll(() =>
      page.evaluate(() => document.querySelector("webdreamer-studio")?.engine?.readTransport().positionBeats),
    )
    .toBeGreaterThan(0.5);
  const changesBefore = await page.evaluate(() => window.engineChanges.length);
  const pan = studio.getByRole("slider", { name: "Pan of dc" });
  const moves = ["-0.8", "-0.8", "-0.4", "0", "0.5", "0.8"];
  for (const [i, value] of moves.entries()) {
    await pan.fill(value);
    await cutoffControl.fill(String(cutoffPositions[i]));
    // A hand's pace: the playhead moves on between the moves.
    await page.waitForTimeout(150);
  }
  await expect
    .poll(() =>
      page.evaluate((n) => window.engineChanges.slice(n).flatMap((change) => change.calls), changesBefore),
    )
    .toContain("schedule_automation");
  await studio.getByRole("button", { name: "Stop" }).click();
  await expect(studio.getByRole("button", { name: "Play" })).toBeVisible();
  const recorded = (await lane(page, "pan")) ?? [];
  // One undo step for the take, both lanes (the moves interleaved); it takes both back.
  expect(await historyLength(page)).toBe(recordedFrom + 1);
  await expect(studio.getByRole("button", { name: "Undo Automation of pan on dc" })).toBeEnabled();
  const cutoffRecorded = (await lane(page, cutoffAddress, 1)) ?? [];
  expect(cutoffRecorded.length).toBeGreaterThanOrEqual(2);
  expect(cutoffRecorded.length).toBeLessThanOrEqual(cutoffPositions.length);
  expect(cutoffRecorded[0]?.value).toBe(cutoffValues[0]);
  expect(cutoffRecorded.at(-1)?.value).toBe(cutoffValues.at(-1));
  expect(cutoffRecorded[0]?.beat).toBeGreaterThan(0.5);
  for (let i = 1; i < cutoffRecorded.length; i++)
    expect(cutoffRecorded[i]?.beat).toBeGreaterThan(cutoffRecorded[i - 1]?.beat ?? 0);
  const synthAfter = (await project(page)).tracks[1];
  expect(synthAfter?.kind === "instrument" ? synthAfter.instrument.params.filter_cutoff : "none").toBe(
    undefined,
  );
  await studio.getByRole("button", { name: "Undo Automation of pan on dc" }).click();
  expect(await lane(page, "pan")).toBeUndefined();
  expect(await lane(page, cutoffAddress, 1)).toBeUndefined();
  await studio.getByRole("button", { name: "Redo Automation of pan on dc" }).click();
  expect(await lane(page, "pan")).toEqual(recorded);
  expect(await lane(page, cutoffAddress, 1)).toEqual(cutoffRecorded);
  test.info().annotations.push({
    type: "cutoff written from the rack (beat: Hz)",
    description: cutoffRecorded.map((point) => `${point.beat.toFixed(3)}: ${point.value}`).join("; "),
  });
  expect(recorded.length).toBeGreaterThanOrEqual(2);
  expect(recorded.length).toBeLessThanOrEqual(moves.length);
  expect(recorded[0]?.value).toBe(-0.8);
  expect(recorded.at(-1)?.value).toBe(0.8);
  expect(recorded[0]?.beat).toBeGreaterThan(0.5);
  for (let i = 1; i < recorded.length; i++)
    expect(recorded[i]?.beat).toBeGreaterThan(recorded[i - 1]?.beat ?? 0);
  expect((await project(page)).tracks[0]?.mixer.pan).toBe(0);
  const state = await page.evaluate(() =>
    document.querySelector("webdreamer-studio")?.engine?.readTransport(),
  );
  expect(state?.badCommands).toBe(0);

  // 8. The saved project, rendered by Node.js: each frame's level is what the two lanes say there.
  const file = await download(page, () => studio.getByRole("button", { name: "Save as file" }).click());
  const opened = await unzipProject(new Uint8Array(file.bytes), file.name);
  const saved = opened.project.tracks[0];
  const volume = saved?.automation.volume?.points ?? [];
  const panLane = saved?.automation.pan?.points ?? [];
  expect(volume).toEqual(await lane(page, "volume"));
  expect(panLane).toEqual(recorded);
  expect(opened.project.tracks[1]?.automation[cutoffAddress]?.points).toEqual(cutoffRecorded);
  const rendered = decodeWav((await renderInNode(opened, rate)).mixdown);
  const [left, right] = rendered.channels as [Float32Array, Float32Array];
  const checked: string[] = [];
  // Fixed beats along the volume lane, and the recorded pan points (wherever the playhead was) with
  // the midpoints between them, while the DC plays (8 beats).
  const panBeats = panLane.flatMap((point, i) => [
    point.beat,
    (point.beat + (panLane[i + 1]?.beat ?? point.beat + 1)) / 2,
  ]);
  const beats = [0.5, 1, 2, 2.5, 3, 4, 5, 6, 7.5, ...panBeats.filter((beat) => beat < 7.9)];
  for (const beat of beats) {
    const frame = Math.round(((beat * 60) / TEMPO) * rate);
    const exact = (frame / rate) * (TEMPO / 60);
    const gain = DC * 10 ** (laneValueAt(volume, exact) / 20);
    const theta = ((laneValueAt(panLane, exact) + 1) * Math.PI) / 4;
    expect(left[frame], `left at beat ${beat}`).toBeCloseTo(gain * Math.cos(theta), 5);
    expect(right[frame], `right at beat ${beat}`).toBeCloseTo(gain * Math.sin(theta), 5);
    checked.push(`${beat}: ${left[frame]?.toFixed(5)} ${right[frame]?.toFixed(5)}`);
  }
  test.info().annotations.push({ type: "levels at beats (left right)", description: checked.join("; ") });
  expect(failures).toEqual([]);
});

test("the master's lanes: its volume drawn and set, a master device's parameter, rendered as Node renders them", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const failures = recordPageFailures(page);
  await openNewStudio(page);
  const studio = page.locator("webdreamer-studio");
  const rate = await pageSampleRate(page);
  const chooser = page.waitForEvent("filechooser");
  await studio.getByRole("button", { name: "Audio track from file…" }).click();
  await (await chooser).setFiles({ name: "dc.wav", mimeType: "audio/wav", buffer: dcWav(rate, 4) });
  await expect(studio.getByRole("button", { name: /^Audio clip dc, 1:1/ })).toBeVisible();
  await studio.getByRole("combobox", { name: "Device to add to Master" }).selectOption("builtin:gain");
  await studio
    .getByRole("group", { name: "Devices of Master" })
    .getByRole("button", { name: "Add device" })
    .click();
  await expect.poll(async () => (await project(page)).master.devices.length).toBe(1);
  const gain = (await project(page)).master.devices[0]?.id as string;

  // 1. The master's Auto shows its lane: its volume and its device's parameters, no pan.
  await studio.getByRole("button", { name: "Auto lane of Master" }).press("Enter");
  const picker = studio.getByRole("combobox", { name: "Automated parameter of Master" });
  await expect(picker).toHaveValue("volume");
  const addresses = await picker
    .locator("option")
    .evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
  expect(addresses).toContain(`device:${gain}:gain`);
  expect(addresses).not.toContain("pan");
  expect(addresses[0]).toBe("volume");

  // 2. A click on the lane draws a volume point (one undo step), on the master's lanes.
  const before = await historyLength(page);
  const area = studio.getByRole("group", { name: "Volume automation of Master" }).locator(".automation-area");
  const at = await spot(area, 2, -12);
  await page.mouse.click(at.x, at.y);
  const drawn = (await project(page)).master.automation.volume?.points ?? [];
  expect(drawn.map((point) => point.beat)).toEqual([2]);
  expect(Math.round(drawn[0]?.value ?? 0)).toBe(-12);
  expect(await historyLength(page)).toBe(before + 1);
  await expect(studio.getByRole("button", { name: "Undo Automation of volume on Master" })).toBeEnabled();

  // 3. An exact volume lane: it steps to -6.02 dB (a half) at beat 2.
  await page.evaluate(() => {
    const step = (beat: number, value: number) => ({ beat, value, curve: "step" as const });
    document.querySelector("webdreamer-studio")?.editor.execute({
      type: "set_automation",
      track_id: "master",
      address: "volume",
      lane: { points: [step(0, 0), step(2, 20 * Math.log10(0.5))] },
    });
  });

  // 4. Write on the gain device's lane: moving its control in the master's rack while playing writes
  // points at the playhead (one undo step at Stop); the device's own gain stays put.
  await picker.selectOption(`device:${gain}:gain`);
  await studio.getByRole("button", { name: "Write Gain: Gain of Master" }).click();
  const gainControl = studio.locator(`[data-device="${gain}"] input[data-param="gain"]`);
  const writtenFrom = await historyLength(page);
  await studio.getByRole("button", { name: "Play" }).click();
  await expect(studio.getByRole("button", { name: "Pause" })).toBeVisible({ timeout: 30_000 });
  await expect
    .poll(() =>
      page.evaluate(() => document.querySelector("webdreamer-studio")?.engine?.readTransport().positionBeats),
    )
    .toBeGreaterThan(0.25);
  const gains = [1, 1, 0.8, 0.5, 0.3, 0.25];
  for (const value of gains) {
    await gainControl.fill(String(value));
    await page.waitForTimeout(150);
  }
  await studio.getByRole("button", { name: "Stop" }).click();
  await expect(studio.getByRole("button", { name: "Play" })).toBeVisible();
  expect(await historyLength(page)).toBe(writtenFrom + 1);
  await expect(
    studio.getByRole("button", { name: `Undo Automation of device:${gain}:gain on Master` }),
  ).toBeEnabled();
  const written = (await project(page)).master.automation[`device:${gain}:gain`]?.points ?? [];
  expect(written.length).toBeGreaterThanOrEqual(2);
  expect(written[0]?.value).toBe(1);
  expect(written.at(-1)?.value).toBe(0.25);
  for (let i = 1; i < written.length; i++)
    expect(written[i]?.beat).toBeGreaterThan(written[i - 1]?.beat ?? 0);
  expect((await project(page)).master.devices[0]?.params.gain).toBe(undefined);
  test.info().annotations.push({
    type: "master gain written from the rack (beat: gain)",
    description: written.map((point) => `${point.beat.toFixed(3)}: ${point.value}`).join("; "),
  });

  // 5. The mixdown equals the Node render of the saved file and holds each level on its frames:
  // DC 0.5 through the centre pan (cos(pi/4)), halved at beat 2 by the volume, times the written gain.
  const { mixdown, exported, opened, inNode } = await exportAndRenderInNode(page);
  expect(opened.project.master.automation[`device:${gain}:gain`]?.points).toEqual(written);
  expect(Buffer.from(inNode.mixdown).equals(mixdown.bytes)).toBe(true);
  const left = exported.channels[0] as Float32Array;
  const perSecond = exported.sampleRate;
  const level = DC * Math.SQRT1_2;
  const writtenBeats = written.flatMap((point, i) => [
    point.beat,
    (point.beat + (written[i + 1]?.beat ?? point.beat + 1)) / 2,
  ]);
  const checked: string[] = [];
  for (const beat of [0.25, 1.5, 2.5, 3, 3.5, 6, 7.5, ...writtenBeats.filter((beat) => beat < 7.9)]) {
    const frame = Math.round(((beat * 60) / 120) * perSecond);
    const exact = (frame / perSecond) * 2;
    const volume = exact < 2 ? 1 : 0.5;
    expect(left[frame], `at beat ${beat}`).toBeCloseTo(level * volume * laneValueAt(written, exact), 5);
    checked.push(`${beat.toFixed(3)}: ${left[frame]?.toFixed(5)}`);
  }
  test.info().annotations.push({ type: "master levels at beats", description: checked.join("; ") });
  await studio.locator(".timeline").screenshot({ path: "test-results/studio-master-lane.png" });
  const axe = await new AxeBuilder({ page }).include("webdreamer-studio").analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
  expect(failures).toEqual([]);
});
