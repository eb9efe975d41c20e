/**
 * <webdreamer-studio> on the demo page, driven as a musician would: with the mouse and the keyboard,
 * through its file picker and its downloads. The notes of the MIDI clip come through the element's
 * public API (`studio.editor`), and it says so: e2e/studio-midi.spec.ts draws notes with the piano roll. The engine itself is read only to check that what plays is what the project says.
 */
import { expect, type Locator, type Page, test } from "@playwright/test";

import { decodeWav, encodeWav } from "../src/audio-io/wav-codec";
import { unzipProject } from "../src/project/project-zip";
import type { EngineChangeDetail } from "../src/studio/studio-element";
import {
  cancelExportAsItShows,
  liveRender,
  openNewStudio,
  studioProject as project,
  renderInNode,
  setInstrumentNotes,
} from "./studio-fixture";
import { download } from "./support/downloads";
import { recordPageFailures } from "./support/page-failures";

declare global {
  interface Window {
    engineChanges: EngineChangeDetail[];
  }
}

const TEMPO = 120;
/** The WAV's two marks: an impulse on its first frame, a negative one this many frames later. */
const SECOND_MARK_FRAME = 1000;
/** A mono source through the centre pan of the equal-power law: cos(π/4) each side. */
const CENTRE_GAIN = Math.cos(Math.PI / 4);

/** A mono float32 WAV of one second: 0.5 on frame 0, -0.25 on frame 1000, silence elsewhere. */
function markedWav(sampleRate: number): Buffer {
  const samples = new Float32Array(sampleRate);
  samples[0] = 0.5;
  samples[SECOND_MARK_FRAME] = -0.25;
  return Buffer.from(encodeWav({ sampleRate, channels: [samples] }, { format: "float32" }));
}

/** Drags the middle (or an edge handle) of `target` by `dx` pixels, in steps as a hand would. */
async function drag(page: Page, target: Locator, dx: number): Promise<void> {
  const box = await target.boundingBox();
  if (!box) throw new Error("nothing to drag");
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let step = 1; step <= 8; step++) await page.mouse.move(x + (dx * step) / 8, y);
  await page.mouse.up();
}

test("a song made in the studio plays on its frames and exports what Node.js renders", async ({ page }) => {
  test.setTimeout(180_000);
  const failures = recordPageFailures(page);
  await page.emulateMedia({ colorScheme: "dark" });
  // Discovery fills the picker (the synth first) once the pointer reaches the arrangement.
  await openNewStudio(page);
  const studio = page.locator("webdreamer-studio");
  await studio.getByRole("textbox", { name: "Project name" }).fill("Studio e2e");
  await studio.getByRole("textbox", { name: "Project name" }).press("Enter");
  await page.evaluate(() => {
    window.engineChanges = [];
    document
      .querySelector("webdreamer-studio")
      ?.addEventListener("webdreamer-engine-change", (event) => window.engineChanges.push(event.detail));
  });

  // 1. A WAV through the file picker, at the rate the page's audio runs (so frames map one to one).
  const rate = await page.evaluate(async () => {
    const context = new AudioContext();
    const sampleRate = context.sampleRate;
    await context.close();
    return sampleRate;
  });
  const chooser = page.waitForEvent("filechooser");
  await studio.getByRole("button", { name: "Audio track from file…" }).click();
  await (await chooser).setFiles({ name: "marks.wav", mimeType: "audio/wav", buffer: markedWav(rate) });
  const audioClip = studio.getByRole("button", { name: /^Audio clip marks, 1:1/ });
  await expect(audioClip).toBeVisible();
  // The waveform preview came back from its Worker and was drawn.
  await expect(audioClip.locator("canvas.waveform")).toHaveAttribute("data-drawn", /.+/);
  let song = await project(page);
  expect(song.audio).toEqual(
    [
      {
        content_id: "marks",
        name: "marks.wav",
        sample_rate: rate,
        frames: rate,
        channels: 1,
        sha256: undefined,
      },
    ].map(({ sha256: _, ...rest }) => rest),
  );
  expect(song.tracks[0]?.kind).toBe("audio");

  // 2. Dragged two beats right (snap: beat): one undo step, however many moves the drag made.
  await drag(page, audioClip, 2 * 32 + 5);
  await expect(studio.getByRole("button", { name: /^Audio clip marks, 1:3/ })).toBeVisible();
  song = await project(page);
  const clip = song.tracks[0]?.kind === "audio" ? song.tracks[0].clips[0] : undefined;
  expect(clip?.start_beat).toBe(2);
  await expect(studio.getByRole("button", { name: "Undo Move clip on marks" })).toBeEnabled();

  // 3. An instrument track with the synth from discovery, and a MIDI clip (both through the UI).
  await studio.getByRole("button", { name: "Instrument track" }).click();
  await expect(studio.getByRole("group", { name: "Clips of Synth" })).toBeVisible();
  await studio.getByRole("button", { name: "Add MIDI clip to Synth" }).click();
  const midiClip = studio.getByRole("button", { name: /^MIDI clip Clip 1, 1:1, 4 beats/ });
  await expect(midiClip).toBeVisible();
  // Its right edge trimmed by a drag: a bar longer.
  await drag(page, midiClip.locator(".trim.end"), 4 * 32);
  await expect(studio.getByRole("button", { name: /^MIDI clip Clip 1, 1:1, 8 beats/ })).toBeVisible();
  // The notes through the public API (studio-midi.spec.ts draws them in the piano roll): two from beat 3.
  await setInstrumentNotes(
    page,
    [
      { beat: 3, length_beats: 1, note: 57, velocity: 100 },
      { beat: 4, length_beats: 2, note: 64, velocity: 90 },
    ],
    1,
  );
  await expect(studio.locator(".clip.midi svg.notes rect")).toHaveCount(2);

  // 4. The synth's fader at -6 dB (the slider's own input and change events).
  await studio.getByRole("slider", { name: "Volume of Synth" }).fill("-6");
  await expect(studio.getByRole("slider", { name: "Volume of Synth" })).toHaveAttribute(
    "aria-valuetext",
    "-6.0 dB",
  );
  song = await project(page);
  expect(song.tracks[1]?.mixer.volume_db).toBe(-6);

  // The studio as the docs show it, in both colour schemes (docs/studio.md).
  await studio.locator(".clip.midi").click();
  for (const scheme of ["dark", "light"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await studio.screenshot({ path: `docs/images/studio-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: "dark" });

  // 5. Play (Space), with the loop on: the master meter moves; a pan change while playing reaches the
  // engine as one set_parameter, not a reload.
  await studio.getByRole("button", { name: "Loop" }).click();
  // Space plays from anywhere but a button or a field: here the focused audio clip.
  await studio.locator(".clip.audio").focus();
  await page.keyboard.press("Space");
  await expect(studio.getByRole("button", { name: "Pause" })).toBeVisible({ timeout: 30_000 });
  const meterPeak = () =>
    page.evaluate(async () => {
      const engine = document.querySelector("webdreamer-studio")?.engine;
      if (!engine) return 0;
      const reading = engine.createMeterReading();
      let peak = 0;
      for (let frame = 0; frame < 30; frame++) {
        await new Promise((resolve) => requestAnimationFrame(resolve));
        engine.readMeters(reading);
        peak = Math.max(peak, reading.windowPeak[0] ?? 0);
      }
      return peak;
    });
  await expect.poll(meterPeak, { timeout: 15_000 }).toBeGreaterThan(0.01);
  const changesBefore = await page.evaluate(() => window.engineChanges.length);
  const pan = studio.getByRole("slider", { name: "Pan of marks" });
  await pan.focus();
  await pan.press("ArrowLeft");
  await expect(pan).toHaveAttribute("aria-valuetext", "1% left");
  await expect
    .poll(() => page.evaluate((n) => window.engineChanges.slice(n), changesBefore))
    .toEqual([{ kind: "edits", calls: ["set_parameter"] }]);
  await pan.press("ArrowRight");
  const state = await page.evaluate(() =>
    document.querySelector("webdreamer-studio")?.engine?.readTransport(),
  );
  expect(state?.running).toBe(true);
  expect(state?.badCommands).toBe(0);
  await page.screenshot({ path: "test-results/studio-dark-playing.png", fullPage: false });
  await studio.locator(".clip.audio").focus();
  await page.keyboard.press("Space");
  await expect(studio.getByRole("button", { name: "Play" })).toBeVisible();

  // 6. What the engine plays, captured live from the studio's own engine and buffers: the audio
  // clip's first sample on the frame of beat 2, the second mark 1000 frames later, by the pan law.
  const live = await liveRender(page, 4);
  const { left, right } = live;
  const firstSound = left.findIndex((value) => value !== 0);
  expect(live.status).toBe("ok");
  expect(live.graph).toBe("restored");
  expect(live.rate).toBe(rate);
  expect(live.frames).toBe(2 * rate);
  expect(firstSound).toBe(Math.round(((2 * 60) / TEMPO) * rate));
  expect(left[firstSound]).toBeCloseTo(0.5 * CENTRE_GAIN, 6);
  expect(right[firstSound]).toBeCloseTo(0.5 * CENTRE_GAIN, 6);
  expect(left[firstSound + 1000]).toBeCloseTo(-0.25 * CENTRE_GAIN, 6);
  expect(Math.max(...left.slice(firstSound + 1, firstSound + 1000).map(Math.abs))).toBe(0);
  // The synth's first note at beat 3 (its attack starts from 0, so allow the first frame to be silent).
  const synthFrom = left.findIndex((value, i) => i > firstSound + 1000 && value !== 0);
  expect(synthFrom).toBeGreaterThanOrEqual(Math.round(1.5 * rate));
  expect(synthFrom).toBeLessThanOrEqual(Math.round(1.5 * rate) + 2);

  // 7. The mixdown, exported in the Worker with a progress bar, and the project as a file: Node.js
  // renders the file to the same bytes.
  const mixdown = await download(page, () => studio.getByRole("button", { name: "Export mixdown" }).click());
  expect(mixdown.name).toBe("Studio-e2e.wav");
  const file = await download(page, () => studio.getByRole("button", { name: "Save as file" }).click());
  expect(file.name).toBe("Studio-e2e.wdproj");
  const opened = await unzipProject(new Uint8Array(file.bytes), file.name);
  expect(opened.project.tracks.map((track) => track.name)).toEqual(["marks", "Synth"]);
  const inNode = await renderInNode(opened, rate);
  const exported = decodeWav(new Uint8Array(mixdown.bytes));
  expect(exported.sampleRate).toBe(rate);
  expect(exported.channels[0]?.length).toBe(inNode.frames);
  expect(Buffer.from(inNode.mixdown).equals(mixdown.bytes)).toBe(true);
  expect(
    (exported.channels[0] as Float32Array).reduce((peak, x) => Math.max(peak, Math.abs(x)), 0),
  ).toBeGreaterThan(0.05);

  // 8. Cancel: the synth's clip trimmed to 16 bars by the keyboard (snap: bar, Shift+→) and the
  // tempo at 20 bpm make a 3-minute song; its export stops at Cancel and nothing downloads.
  await studio.getByLabel("Snap").selectOption({ label: "Bar" });
  await studio.locator(".clip.midi").focus();
  for (let bar = 2; bar < 16; bar++) await page.keyboard.press("Shift+ArrowRight");
  await expect(studio.getByRole("button", { name: /^MIDI clip Clip 1, 1:1, 64 beats/ })).toBeVisible();
  const tempo = studio.getByRole("spinbutton", { name: "Tempo" });
  await tempo.fill("20");
  await tempo.press("Enter");
  let downloads = 0;
  page.on("download", () => downloads++);
  await studio.getByRole("button", { name: "Export mixdown" }).click();
  const cancelled = await cancelExportAsItShows(page);
  expect(cancelled.label).toBe("Mixdown export");
  expect(cancelled.progress).toBeLessThan(1);
  await expect(studio.getByRole("progressbar", { name: "Mixdown export" })).toBeHidden();
  await expect(studio.getByRole("button", { name: "Export mixdown" })).toBeEnabled();
  expect(downloads).toBe(0);
  await studio.getByRole("button", { name: "Undo Tempo" }).click();
  for (let bar = 2; bar < 16; bar++)
    await studio.getByRole("button", { name: "Undo Edit clip on Synth" }).click();
  await expect(studio.getByRole("button", { name: /^MIDI clip Clip 1, 1:1, 8 beats/ })).toBeVisible();

  // 9. Undo everything with Ctrl+Z, back to the empty project; redo everything with Shift+Ctrl+Z.
  const finished = await project(page);
  const labels: string[] = [];
  await studio.locator(".clip.audio").focus();
  for (;;) {
    const undo = studio.getByRole("button", { name: /^Undo/ });
    if (await undo.isDisabled()) break;
    labels.push(((await undo.getAttribute("aria-label")) ?? "").replace(/^Undo /, ""));
    await page.keyboard.press("Control+z");
  }
  expect(labels).toEqual([
    "Pan of marks",
    "Pan of marks",
    "Loop range",
    "Volume of Synth",
    "Edit notes of clip on Synth",
    "Edit clip on Synth",
    "Add clip to Synth",
    "Add instrument track",
    "Move clip on marks",
    "Import marks.wav",
    "Rename project",
  ]);
  const empty = await project(page);
  expect(empty.tracks).toEqual([]);
  expect(empty.audio).toEqual([]);
  for (let i = 0; i < labels.length; i++) await page.keyboard.press("Shift+Control+z");
  expect(JSON.stringify(await project(page))).toBe(JSON.stringify(finished));
  expect(failures).toEqual([]);
});
