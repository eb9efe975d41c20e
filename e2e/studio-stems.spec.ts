/**
 * Export stems in <webdreamer-studio> (docs/studio.md, "Export"): a project of an imported WAV, the
 * synth and a bus fed by a send, exported as stems through the button; the downloaded zip holds one
 * WAV per track and bus, named after the tracks, each sample for sample the stem Node.js renders
 * (createEngine in-process, exportProject with `stems`) from the project saved as a file. A long
 * export cancelled at its progress bar downloads nothing and leaves the studio exporting again.
 */
import { expect, type Page, test } from "@playwright/test";
import { unzipSync } from "fflate";

import { decodeWav, encodeWav } from "../src/audio-io/wav-codec";
import { unzipProject } from "../src/project/project-zip";
import { cancelExportAsItShows, openNewStudio, renderInNode } from "./studio-fixture";
import { download } from "./support/downloads";
import { recordPageFailures } from "./support/page-failures";

/** A mono float32 WAV of one second: 0.5 on frame 0, -0.25 on frame 1000, silence elsewhere. */
function markedWav(sampleRate: number): Buffer {
  const samples = new Float32Array(sampleRate);
  samples[0] = 0.5;
  samples[1000] = -0.25;
  return Buffer.from(encodeWav({ sampleRate, channels: [samples] }, { format: "float32" }));
}

/** The largest absolute difference between two WAVs' samples, over every channel. */
function maxDifference(a: Uint8Array, b: Uint8Array): number {
  const left = decodeWav(a).channels;
  const right = decodeWav(b).channels;
  expect(left.length).toBe(right.length);
  let worst = 0;
  left.forEach((channel, c) => {
    expect(channel.length).toBe(right[c]?.length);
    channel.forEach((x, i) => {
      worst = Math.max(worst, Math.abs(x - (right[c]?.[i] ?? Number.NaN)));
    });
  });
  return worst;
}

const peak = (wav: Uint8Array) =>
  Math.max(
    ...decodeWav(wav).channels.map((channel) => channel.reduce((m, x) => Math.max(m, Math.abs(x)), 0)),
  );

/** Runs a project command on the studio's editor in the page. */
function execute(page: Page, command: object): Promise<void> {
  return page.evaluate((json) => {
    const studio = document.querySelector("webdreamer-studio");
    if (!studio) throw new Error("no studio on the page");
    studio.editor.execute(JSON.parse(json));
  }, JSON.stringify(command));
}

test("Export stems downloads one WAV per track and bus, as Node.js renders them; Cancel downloads none", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const failures = recordPageFailures(page);
  await openNewStudio(page);
  const studio = page.locator("webdreamer-studio");
  await studio.getByRole("textbox", { name: "Project name" }).fill("Stems e2e");
  await studio.getByRole("textbox", { name: "Project name" }).press("Enter");
  // Before Play the studio exports at 48 kHz or its audio's highest rate: a 48 kHz WAV keeps its
  // samples as they are (no resampling), so the WAV's stem has known numbers.
  const rate = 48000;

  // An imported WAV, the synth with two notes, and a bus fed by a send from the WAV's track.
  const chooser = page.waitForEvent("filechooser");
  await studio.getByRole("button", { name: "Audio track from file…" }).click();
  await (await chooser).setFiles({ name: "marks.wav", mimeType: "audio/wav", buffer: markedWav(rate) });
  await expect(studio.getByRole("button", { name: /^Audio clip marks, 1:1/ })).toBeVisible();
  await studio.getByRole("button", { name: "Instrument track" }).click();
  await studio.getByRole("button", { name: "Add MIDI clip to Synth" }).click();
  await expect(studio.getByRole("button", { name: /^MIDI clip Clip 1, 1:1, 4 beats/ })).toBeVisible();
  const synth = await page.evaluate(() => {
    const track = document.querySelector("webdreamer-studio")?.project.tracks[1];
    if (track?.kind !== "instrument") throw new Error("no synth track");
    return { track: track.id, clip: track.clips[0]?.id as string };
  });
  await execute(page, {
    type: "update_clip",
    track_id: synth.track,
    clip_id: synth.clip,
    clip: {
      notes: [
        { beat: 1, length_beats: 1, note: 57, velocity: 100 },
        { beat: 2, length_beats: 1.5, note: 64, velocity: 90 },
      ],
    },
  });
  await studio.getByRole("button", { name: "+ Bus" }).click();
  await expect(studio.getByRole("group", { name: "Mixer strip Bus 1" })).toBeVisible();
  await studio.getByRole("button", { name: "Add send from marks" }).click();

  // Cancel first: the synth's clip 64 beats long at 20 bpm makes a 3-minute song; its export stops at
  // Cancel, nothing downloads, and both exports are offered again.
  await execute(page, {
    type: "update_clip",
    track_id: synth.track,
    clip_id: synth.clip,
    clip: { length_beats: 64 },
  });
  const tempo = studio.getByRole("spinbutton", { name: "Tempo" });
  await tempo.fill("20");
  await tempo.press("Enter");
  let downloads = 0;
  page.on("download", () => downloads++);
  await studio.getByRole("button", { name: "Export stems" }).click();
  const cancelled = await cancelExportAsItShows(page);
  expect(cancelled.label).toBe("Stems export");
  expect(cancelled.progress).toBeLessThan(1);
  expect(cancelled.disabled).toEqual(expect.arrayContaining(["Export mixdown", "Export stems"]));
  await expect(studio.getByRole("progressbar", { name: "Stems export" })).toBeHidden();
  await expect(studio.getByRole("button", { name: "Export stems" })).toBeEnabled();
  await expect(studio.getByRole("button", { name: "Export mixdown" })).toBeEnabled();
  expect(downloads).toBe(0);
  await studio.getByRole("button", { name: "Undo Tempo" }).click();
  await studio.getByRole("button", { name: "Undo Edit clip on Synth" }).click();
  await expect(studio.getByRole("button", { name: /^MIDI clip Clip 1, 1:1, 4 beats/ })).toBeVisible();

  // The export: a zip named after the project, one WAV per track and bus in project order.
  const stems = await download(page, () => studio.getByRole("button", { name: "Export stems" }).click());
  expect(stems.name).toBe("Stems-e2e-stems.zip");
  const entries = unzipSync(new Uint8Array(stems.bytes));
  expect(Object.keys(entries)).toEqual(["01-marks.wav", "02-Synth.wav", "03-Bus-1.wav"]);

  // Node.js renders the saved project's stems: the same samples (max difference 0), the same bytes.
  const file = await download(page, () => studio.getByRole("button", { name: "Save as file" }).click());
  const opened = await unzipProject(new Uint8Array(file.bytes), file.name);
  expect(opened.project.tracks.map((track) => track.kind)).toEqual(["audio", "instrument", "bus"]);
  const inNode = await renderInNode(opened, rate, true);
  const names = ["01-marks.wav", "02-Synth.wav", "03-Bus-1.wav"];
  opened.project.tracks.forEach((track, index) => {
    const fromPage = entries[names[index] as string] as Uint8Array;
    const fromNode = inNode.stems.get(track.id) as Uint8Array;
    const wav = decodeWav(fromPage);
    expect(wav.sampleRate).toBe(rate);
    expect(wav.channels.length).toBe(2);
    expect(wav.channels[0]?.length).toBe(inNode.frames);
    expect(maxDifference(fromPage, fromNode)).toBe(0);
    expect(Buffer.from(fromPage).equals(Buffer.from(fromNode))).toBe(true);
  });
  // Each stem sounds: the WAV's first mark through the centre pan (0.5 × cos(π/4)), the synth, and
  // on the bus the 0 dB post-fader send of that same mark (the bus's centre pan passes stereo as is).
  expect(peak(entries["01-marks.wav"] as Uint8Array)).toBeCloseTo(0.5 * Math.cos(Math.PI / 4), 6);
  expect(peak(entries["02-Synth.wav"] as Uint8Array)).toBeGreaterThan(0.05);
  expect(peak(entries["03-Bus-1.wav"] as Uint8Array)).toBeCloseTo(0.5 * Math.cos(Math.PI / 4), 6);
  expect(failures).toEqual([]);
});
