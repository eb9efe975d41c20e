/**
 * The device rack of <webdreamer-studio>, driven as a musician would: a filter added to a synth track
 * from discovery and its cutoff moved (the export's energy above the cutoff drops), a Faust device
 * whose code is typed with an error (marked on its line) and then fixed (it compiles and its control
 * appears, also on the playing engine), a preset saved and recalled, a device moved with the keyboard,
 * and every step undone and redone.
 */

import { expect, type Page, test } from "@playwright/test";

import { decodeWav } from "../src/audio-io/wav-codec";
import type { Device } from "../src/project/project-schema";
import {
  historyLength,
  openNewStudio,
  studioProject as project,
  setInstrumentNotes,
  settled,
} from "./studio-fixture";
import { downloadBytes } from "./support/downloads";
import { recordPageFailures } from "./support/page-failures";

async function synthDevices(page: Page): Promise<Device[]> {
  return (await project(page)).tracks.find((track) => track.kind === "instrument")?.devices ?? [];
}

/**
 * The energy of `samples` above `hz` and in all, from a plain DFT of a Hann-windowed 4096-frame window
 * starting at `from` (the synth's note is steady there).
 */
function spectrumEnergy(samples: Float32Array, rate: number, from: number, hz: number) {
  const size = 4096;
  let above = 0;
  let total = 0;
  for (let bin = 1; bin < size / 2; bin++) {
    let re = 0;
    let im = 0;
    for (let n = 0; n < size; n++) {
      const windowed = (samples[from + n] ?? 0) * (0.5 - 0.5 * Math.cos((2 * Math.PI * n) / size));
      const phase = (2 * Math.PI * bin * n) / size;
      re += windowed * Math.cos(phase);
      im -= windowed * Math.sin(phase);
    }
    const power = re * re + im * im;
    total += power;
    if ((bin * rate) / size > hz) above += power;
  }
  return { above, total };
}

test("a filter's cutoff, a Faust device typed in place, presets and undo in the device rack", async ({
  page,
}) => {
  test.setTimeout(480_000);
  const failures = recordPageFailures(page);
  await page.emulateMedia({ colorScheme: "dark" });
  await openNewStudio(page);
  const studio = page.locator("webdreamer-studio");
  await studio.getByRole("button", { name: "Instrument track" }).click();
  await studio.getByRole("button", { name: "Add MIDI clip to Synth" }).click();
  // One long saw note (the synth's default voice), rich in harmonics up to the top of the spectrum.
  await setInstrumentNotes(page, [{ beat: 0, length_beats: 4, note: 45, velocity: 100 }]);
  const start = await historyLength(page);

  // 1. The rack: discovery fills the picker, builtin effects first; a filter added is one step.
  const rack = studio.getByRole("group", { name: "Devices of Synth" });
  await rack.hover();
  const picker = rack.getByLabel("Device to add to Synth");
  await expect(picker.locator("option").first()).toHaveAttribute("value", "builtin:filter", {
    timeout: 30_000,
  });
  const offered = await picker
    .locator("option")
    .evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
  expect(offered.slice(0, 5)).toEqual([
    "builtin:filter",
    "builtin:compressor",
    "builtin:reverb",
    "builtin:delay",
    "builtin:panner",
  ]);
  expect(offered).not.toContain("builtin:synth");
  expect(offered.at(-1)).toBe("faust-code");
  await picker.selectOption("builtin:filter");
  await rack.getByRole("button", { name: "Add device" }).click();
  await expect(rack.getByRole("group", { name: "Filter" })).toBeVisible();
  expect((await synthDevices(page)).map((device) => device.node_id)).toEqual(["builtin:filter"]);
  expect(await historyLength(page)).toBe(start + 1);

  // 2. Generated controls: the mode a select of its choices, the frequency a log slider in Hz.
  await expect(rack.getByLabel("mode of Filter")).toHaveValue("0");
  const cutoff = rack.getByRole("slider", { name: "frequency of Filter" });
  await expect(cutoff).toHaveAttribute("aria-valuetext", "1.00 kHz");
  // The cutoff to the top with the keyboard (End): one step; the export keeps the saw's highs.
  await cutoff.focus();
  await page.keyboard.press("End");
  await expect(cutoff).toHaveAttribute("aria-valuetext", "24.0 kHz");
  expect((await synthDevices(page))[0]?.params.frequency).toBe(24000);
  expect(await historyLength(page)).toBe(start + 2);
  const open = decodeWav(
    new Uint8Array(
      await downloadBytes(page, () => studio.getByRole("button", { name: "Export mixdown" }).click()),
    ),
  );
  // Dragged by the mouse to the slider's middle (about 490 Hz on its log scale): one undo step.
  await cutoff.scrollIntoViewIfNeeded();
  const box = await cutoff.boundingBox();
  if (!box) throw new Error("no cutoff slider");
  await page.mouse.move(box.x + box.width - 6, box.y + box.height / 2);
  await page.mouse.down();
  for (let step = 1; step <= 8; step++)
    await page.mouse.move(box.x + box.width - 6 - ((box.width / 2 - 6) * step) / 8, box.y + box.height / 2);
  await page.mouse.up();
  const low = (await synthDevices(page))[0]?.params.frequency as number;
  expect(low).toBeGreaterThan(200);
  expect(low).toBeLessThan(1000);
  expect(await historyLength(page)).toBe(start + 3);
  await expect(studio.getByRole("button", { name: "Undo Device parameters of Synth" })).toBeVisible();
  const closed = decodeWav(
    new Uint8Array(
      await downloadBytes(page, () => studio.getByRole("button", { name: "Export mixdown" }).click()),
    ),
  );
  const rate = open.sampleRate;
  const from = Math.round(0.5 * rate);
  const wide = spectrumEnergy(open.channels[0] as Float32Array, rate, from, 4000);
  const narrow = spectrumEnergy(closed.channels[0] as Float32Array, rate, from, 4000);
  // Above 4 kHz (three octaves over the cutoff of a 12 dB/octave lowpass) the energy drops by far more
  // than 20 dB; the note is still there.
  expect(narrow.above).toBeLessThan(wide.above / 100);
  expect(wide.above / wide.total).toBeGreaterThan(0.01);
  expect(narrow.total).toBeGreaterThan(wide.total / 100);
  test.info().annotations.push({
    type: "energy above 4 kHz",
    description: `cutoff 24 kHz: ${wide.above.toExponential(3)}; cutoff ${low} Hz: ${narrow.above.toExponential(3)} (${(10 * Math.log10(narrow.above / wide.above)).toFixed(1)} dB)`,
  });

  // 3. Play, so the Faust device also reaches the live engine.
  await studio.getByRole("button", { name: "Play" }).click();
  await expect(studio.getByRole("button", { name: "Pause" })).toBeVisible({ timeout: 30_000 });

  // A Faust device: its code editor, compiled on the Worker engine, its cutoff control generated.
  await picker.selectOption("faust-code");
  await rack.getByRole("button", { name: "Add device" }).click();
  const faust = rack.getByRole("group", { name: "Faust" });
  await expect(faust.getByRole("slider", { name: "cutoff of Faust" })).toHaveAttribute(
    "aria-valuetext",
    "2.00 kHz",
    {
      timeout: 60_000,
    },
  );
  expect(await historyLength(page)).toBe(start + 4);
  const code = faust.getByLabel("Faust code of Faust");
  // Code with an error on line 3: the line is marked and the error named.
  await code.fill('import("stdfaust.lib");\ng = hslider("gain", 0.5, 0, 1, 0.01);\nprocess = *(g) : foo;\n');
  await expect(faust.locator('.faust-line[data-line="3"]')).toHaveClass(/error/, { timeout: 20_000 });
  await expect(faust.locator('.faust-line[data-line="2"]')).not.toHaveClass(/error/);
  await expect(faust.getByRole("list", { name: "Faust errors of Faust" })).toContainText("Line 3:");
  await expect(faust.getByRole("list", { name: "Faust errors of Faust" })).toContainText("foo");
  expect(await historyLength(page)).toBe(start + 4);
  // Fixed: it compiles, the gain control replaces the cutoff, the code is in the project.
  const fixed = 'import("stdfaust.lib");\ng = hslider("gain", 0.5, 0, 1, 0.01);\nprocess = *(g);\n';
  await code.fill(fixed);
  await expect(faust.getByRole("slider", { name: "gain of Faust" })).toBeVisible({ timeout: 20_000 });
  await expect(faust.getByRole("slider", { name: "cutoff of Faust" })).toHaveCount(0);
  await expect(faust.locator(".faust-line.error")).toHaveCount(0);
  await settled(page);
  const [, faustDevice] = await synthDevices(page);
  expect(faustDevice?.extensions).toEqual({ faust: { source: fixed } });
  expect(faustDevice?.node_id).toMatch(/^faust:/);
  expect(await historyLength(page)).toBe(start + 5);
  await expect(studio.getByRole("button", { name: "Undo Edit Faust code on Synth" })).toBeVisible();
  await code.blur();

  // 4. Presets: the filter's values saved as "Dark", the cutoff moved, "Dark" recalled (one step).
  const filter = rack.getByRole("group", { name: "Filter" });
  await filter.getByLabel("Preset name for Filter").fill("Dark");
  await filter.getByRole("button", { name: "Save preset" }).click();
  const saved = (await project(page)).presets;
  expect(saved).toHaveLength(1);
  expect(saved[0]).toMatchObject({
    name: "Dark",
    node_id: "builtin:filter",
    params: { frequency: low, mode: 0 },
  });
  for (const scheme of ["dark", "light"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await studio.locator(".devices").screenshot({ path: `docs/images/studio-devices-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: "dark" });
  await cutoff.focus();
  await page.keyboard.press("End");
  expect((await synthDevices(page))[0]?.params.frequency).toBe(24000);
  await filter.getByLabel("Presets of Filter").selectOption({ label: "Dark" });
  await filter.getByRole("button", { name: "Recall" }).click();
  expect((await synthDevices(page))[0]?.params.frequency).toBe(low);
  await expect(cutoff).not.toHaveAttribute("aria-valuetext", "24.0 kHz");
  await expect(studio.getByRole("button", { name: "Undo Recall preset Dark" })).toBeVisible();
  expect(await historyLength(page)).toBe(start + 8);

  // 5. Reordered with the keyboard: Faust moved up, the focus stays on the Faust device.
  await faust.getByRole("button", { name: "Move Faust up" }).focus();
  await page.keyboard.press("Enter");
  expect((await synthDevices(page)).map((device) => device.id)).toEqual([faustDevice?.id, "filter"]);
  await expect(faust.getByRole("button", { name: "Move Faust down" })).toBeFocused();
  expect(await historyLength(page)).toBe(start + 9);
  await settled(page);

  // The live engine followed every edit (a reload for the Faust device's new node) without a fault.
  await expect(studio.locator(".notice")).toHaveCount(0);
  const playing = await project(page);

  // 6. Undo back to the synth without devices, then redo to the same project.
  await studio.locator(".arrangement").click({ position: { x: 5, y: 5 } });
  for (let step = 0; step < 9; step++) await page.keyboard.press("Control+z");
  expect(await synthDevices(page)).toEqual([]);
  expect((await project(page)).presets).toEqual([]);
  await expect(rack.getByRole("group", { name: "Faust" })).toHaveCount(0);
  for (let step = 0; step < 9; step++) await page.keyboard.press("Control+Shift+z");
  expect(await project(page)).toEqual(playing);
  await expect(faust.getByLabel("Faust code of Faust")).toHaveValue(fixed);
  await settled(page);
  await studio.getByRole("button", { name: "Stop" }).click();
  expect(failures).toEqual([]);
});
