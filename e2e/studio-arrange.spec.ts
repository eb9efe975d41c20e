/**
 * The studio's arrangement edits through its UI (docs/studio.md, "Arranging"): split with Ctrl+E at the
 * playhead and with Alt+click, the exported mixdown of the split project byte for byte the unsplit
 * one's; Duplicate and Ctrl+D; a clip dragged onto another audio track (and not onto the synth's);
 * markers added with M, renamed, jumped to and deleted; a loop range dragged on the ruler that the
 * playing engine loops. Each edit is one undo step, undone and redone.
 */
import { expect, type Page, test } from "@playwright/test";

import { encodeWav } from "../src/audio-io/wav-codec";
import type { AudioClip } from "../src/project/project-schema";
import { unzipProject } from "../src/project/project-zip";
import { studioProject as project, settled } from "./studio-fixture";
import { downloadBytes } from "./support/downloads";
import { recordPageFailures } from "./support/page-failures";

/** The studio's default zoom: 32 pixels a beat. */
const PPB = 32;

/** A mono float32 WAV of two seconds (four beats at 120 bpm) of deterministic noise. */
function noiseWav(sampleRate: number, seed: number): Buffer {
  let state = seed;
  const samples = Float32Array.from({ length: sampleRate * 2 }, () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return (state / 2 ** 32 - 0.5) * 0.8;
  });
  return Buffer.from(encodeWav({ sampleRate, channels: [samples] }, { format: "float32" }));
}

/** [id, start, length] of each clip of the track at `index`. */
async function clips(page: Page, index: number): Promise<[string, number, number][]> {
  const track = (await project(page)).tracks[index];
  if (!track || track.kind === "bus") return [];
  return track.clips.map((clip) => [clip.id, clip.start_beat, clip.length_beats]);
}

test("split, duplicate, move, markers and the loop range, each one undo step", async ({ page }) => {
  test.setTimeout(180_000);
  const failures = recordPageFailures(page);
  await page.emulateMedia({ colorScheme: "dark" });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/");
  const studio = page.locator("webdreamer-studio");
  await studio.getByRole("button", { name: "New" }).click();
  await studio.getByRole("textbox", { name: "Project name" }).fill("Arrange e2e");
  await studio.getByRole("textbox", { name: "Project name" }).press("Enter");
  // The empty project: the playhead's line stops above "No tracks yet" (what is at the line's x in
  // the middle of the words is the words, not the line), and runs through the master's lane.
  const empty = studio.getByText(/^No tracks yet\./);
  const emptyBox = await empty.boundingBox();
  const headBox = await studio.locator(".playhead").boundingBox();
  if (!emptyBox || !headBox) throw new Error("no empty text or playhead");
  expect(headBox.x).toBeGreaterThan(emptyBox.x);
  expect(headBox.x).toBeLessThan(emptyBox.x + emptyBox.width);
  // What is drawn on top at the line's x (the line made hit-testable for the question: it ignores
  // the pointer otherwise).
  const onTop = (y: number) =>
    studio.evaluate(
      (element, at) => {
        const line = element.shadowRoot?.querySelector<HTMLElement>(".playhead");
        if (line) line.style.pointerEvents = "auto";
        const top = element.shadowRoot?.elementFromPoint(at.x, at.y)?.className ?? "";
        if (line) line.style.pointerEvents = "";
        return top;
      },
      { x: headBox.x + headBox.width / 2, y },
    );
  expect(await onTop(emptyBox.y + emptyBox.height / 2)).toBe("empty");
  expect(await onTop(emptyBox.y - 10)).toBe("playhead");
  const rate = await page.evaluate(async () => {
    const context = new AudioContext();
    const sampleRate = context.sampleRate;
    await context.close();
    return sampleRate;
  });
  for (const [name, seed] of [
    ["loop.wav", 1],
    ["hats.wav", 2],
  ] as const) {
    const chooser = page.waitForEvent("filechooser");
    await studio.getByRole("button", { name: "Audio track from file…" }).click();
    await (await chooser).setFiles({ name, mimeType: "audio/wav", buffer: noiseWav(rate, seed) });
    await expect(
      studio.getByRole("button", { name: new RegExp(`^Audio clip ${name.slice(0, -4)}, 1:1`) }),
    ).toBeVisible();
  }
  // The hats out of the way (muted), so the mixdown is the loop track's.
  await studio.getByRole("button", { name: "Mute hats" }).click();
  const ruler = studio.locator(".ruler-row");
  const rulerBox = async () => (await ruler.boundingBox()) ?? { x: 0, y: 0, width: 0, height: 0 };
  const atBeat = async (beat: number) => {
    const box = await rulerBox();
    return { x: box.x + beat * PPB + 1, y: box.y + box.height - 4 };
  };
  const unsplit = await downloadBytes(page, () =>
    studio.getByRole("button", { name: "Export mixdown" }).click(),
  );

  // 1. Split at the playhead: the ruler clicked at beat 1 (snap: beat), the clip selected, Ctrl+E.
  const loopClip = studio.getByRole("button", { name: /^Audio clip loop, 1:1, 4 beats/ });
  await loopClip.click({ position: { x: 3 * PPB, y: 20 } });
  const one = await atBeat(1);
  await page.mouse.click(one.x, one.y);
  await expect(studio.locator(".playhead")).toHaveAttribute("style", /translateX\(32px\)/);
  await loopClip.focus();
  await page.keyboard.press("Control+e");
  expect(await clips(page, 0)).toEqual([
    ["loop-clip", 0, 1],
    ["loop-clip-2", 1, 3],
  ]);
  const song = await project(page);
  const right = song.tracks[0]?.kind === "audio" ? (song.tracks[0].clips[1] as AudioClip) : undefined;
  expect(right?.source_start_seconds).toBe(0.5);
  await expect(studio.getByRole("button", { name: "Undo Split clip on loop" })).toBeEnabled();
  await studio.getByRole("button", { name: "Undo Split clip on loop" }).click();
  expect(await clips(page, 0)).toEqual([["loop-clip", 0, 4]]);
  await studio.getByRole("button", { name: "Redo Split clip on loop" }).click();
  expect(await clips(page, 0)).toEqual([
    ["loop-clip", 0, 1],
    ["loop-clip-2", 1, 3],
  ]);

  // 2. Alt+click on the right half at beat 3: split there (on the grid).
  const rightHalf = studio.getByRole("button", { name: /^Audio clip loop, 1:2, 3 beats/ });
  const rightBox = (await rightHalf.boundingBox()) ?? { x: 0, y: 0, height: 0 };
  await page.keyboard.down("Alt");
  await page.mouse.click(rightBox.x + 2 * PPB + 3, rightBox.y + rightBox.height / 2);
  await page.keyboard.up("Alt");
  expect(await clips(page, 0)).toEqual([
    ["loop-clip", 0, 1],
    ["loop-clip-2", 1, 2],
    ["loop-clip-3", 3, 1],
  ]);

  // 3. The mixdown of the split project is the unsplit one's, byte for byte.
  const split = await downloadBytes(page, () =>
    studio.getByRole("button", { name: "Export mixdown" }).click(),
  );
  expect(split.length).toBe(unsplit.length);
  expect(split.equals(unsplit)).toBe(true);

  // 4. Duplicate: the selected clip (loop-3, just made) with Ctrl+D, then the button: copies after it.
  await page.keyboard.press("Control+d");
  expect(await clips(page, 0)).toEqual([
    ["loop-clip", 0, 1],
    ["loop-clip-2", 1, 2],
    ["loop-clip-3", 3, 1],
    ["loop-clip-4", 4, 1],
  ]);
  await studio.getByRole("button", { name: "Duplicate", exact: true }).click();
  expect((await clips(page, 0)).at(-1)).toEqual(["loop-clip-5", 5, 1]);
  await studio.getByRole("button", { name: "Undo Add clip to loop" }).click();
  await studio.getByRole("button", { name: "Undo Add clip to loop" }).click();
  expect(await clips(page, 0)).toHaveLength(3);
  await studio.getByRole("button", { name: "Redo Add clip to loop" }).click();
  expect((await clips(page, 0)).at(-1)).toEqual(["loop-clip-4", 4, 1]);

  // 5. loop-4 dragged down onto the hats' lane and two beats right: one undo step.
  const moved = studio.getByRole("button", { name: /^Audio clip loop, 2:1, 1 beats/ });
  const from = (await moved.boundingBox()) ?? { x: 0, y: 0, width: 0, height: 0 };
  const hatsLane = (await studio.getByRole("group", { name: "Clips of hats" }).boundingBox()) ?? {
    y: 0,
    height: 0,
  };
  const x0 = from.x + from.width / 2;
  const y0 = from.y + from.height / 2;
  const y1 = hatsLane.y + hatsLane.height / 2;
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  for (let step = 1; step <= 10; step++)
    await page.mouse.move(x0 + (2 * PPB * step) / 10, y0 + ((y1 - y0) * step) / 10);
  await page.mouse.up();
  expect(await clips(page, 0)).toHaveLength(3);
  expect(await clips(page, 1)).toEqual([
    ["hats-clip", 0, 4],
    ["loop-clip-4", 6, 1],
  ]);
  await expect(studio.getByRole("button", { name: "Undo Move clip to hats" })).toBeEnabled();
  await studio.getByRole("button", { name: "Undo Move clip to hats" }).click();
  expect((await clips(page, 0)).at(-1)).toEqual(["loop-clip-4", 4, 1]);
  expect(await clips(page, 1)).toEqual([["hats-clip", 0, 4]]);
  await studio.getByRole("button", { name: "Redo Move clip to hats" }).click();
  expect((await clips(page, 1)).at(-1)).toEqual(["loop-clip-4", 6, 1]);
  // Not onto an instrument track: the clip stays on an audio track.
  await studio.getByRole("button", { name: "Instrument track" }).click({ timeout: 30_000 });
  const synthLane = (await studio.getByRole("group", { name: "Clips of Synth" }).boundingBox()) ?? {
    y: 0,
    height: 0,
  };
  const hatsClip = (await studio.getByRole("button", { name: /^Audio clip loop, 2:3/ }).boundingBox()) ?? {
    x: 0,
    y: 0,
    width: 0,
    height: 0,
  };
  await page.mouse.move(hatsClip.x + 5, hatsClip.y + 5);
  await page.mouse.down();
  for (let step = 1; step <= 6; step++)
    await page.mouse.move(hatsClip.x + 5, hatsClip.y + 5 + ((synthLane.y + 20 - hatsClip.y) * step) / 6);
  await page.mouse.up();
  expect((await clips(page, 1)).at(-1)).toEqual(["loop-clip-4", 6, 1]);
  expect(await clips(page, 2)).toEqual([]);

  // 6. Markers: M at the playhead (beat 8), renamed, the playhead moved away, the flag clicked.
  const eight = await atBeat(8);
  await page.mouse.click(eight.x, eight.y);
  await studio.locator(".clip.audio").first().focus();
  await page.keyboard.press("m");
  expect((await project(page)).markers).toEqual([{ id: "marker", beat: 8, name: "Marker 1" }]);
  await studio.getByRole("textbox", { name: "Marker name" }).fill("Chorus");
  await studio.getByRole("textbox", { name: "Marker name" }).press("Enter");
  expect((await project(page)).markers).toEqual([{ id: "marker", beat: 8, name: "Chorus" }]);
  await expect(studio.getByRole("button", { name: "Undo Edit marker" })).toBeEnabled();
  const zero = await atBeat(0);
  await page.mouse.click(zero.x, zero.y);
  await expect(studio.locator(".playhead")).toHaveAttribute("style", /translateX\(0px\)/);
  await studio.getByRole("button", { name: "Marker Chorus, 3:1" }).click();
  await expect(studio.locator(".playhead")).toHaveAttribute("style", /translateX\(256px\)/);
  // A second marker with the button at beat 2, then deleted; undo brings it back.
  const two = await atBeat(2);
  await page.mouse.click(two.x, two.y);
  await studio.getByRole("button", { name: "Add marker" }).click();
  await expect(studio.getByRole("button", { name: "Marker Marker 2, 1:3" })).toBeVisible();
  await studio.getByRole("button", { name: "Delete marker" }).click();
  await expect(studio.getByRole("button", { name: "Marker Marker 2, 1:3" })).toHaveCount(0);
  await studio.getByRole("button", { name: "Undo Remove marker" }).click();
  expect((await project(page)).markers.map((m) => [m.name, m.beat])).toEqual([
    ["Marker 2", 2],
    ["Chorus", 8],
  ]);

  // 7. The loop range: a drag on the ruler from beat 4 to beat 8, one undo step.
  // In the ruler's upper half (the bar numbers and the loop band), above the markers' flags.
  const four = { x: (await atBeat(4)).x, y: (await rulerBox()).y + 8 };
  await page.mouse.move(four.x, four.y);
  await page.mouse.down();
  for (let step = 1; step <= 8; step++) await page.mouse.move(four.x + (4 * PPB * step) / 8, four.y);
  await page.mouse.up();
  expect((await project(page)).loop).toEqual({ start_beat: 4, end_beat: 8, enabled: true });
  await expect(studio.getByRole("button", { name: "Undo Loop range" })).toBeEnabled();
  await studio.getByRole("button", { name: "Undo Loop range" }).click();
  expect((await project(page)).loop).toBeNull();
  await studio.getByRole("button", { name: "Redo Loop range" }).click();
  expect((await project(page)).loop).toEqual({ start_beat: 4, end_beat: 8, enabled: true });
  await expect(studio.locator(".loop-band.on")).toBeVisible();

  // The arrangement as the docs show it (docs/studio.md).
  await studio.getByRole("button", { name: /^Audio clip loop, 1:2, 2 beats/ }).click();
  for (const scheme of ["dark", "light"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await studio.locator(".arrangement").screenshot({ path: `docs/images/studio-arrange-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: "dark" });

  // 8. Play: the engine loops beats 4 to 8 (2 s to 4 s); Loop turns it off and on.
  await studio.getByRole("button", { name: "Play" }).click();
  await expect(studio.getByRole("button", { name: "Pause" })).toBeVisible({ timeout: 30_000 });
  await settled(page);
  const transport = () =>
    page.evaluate(() => {
      const state = document.querySelector("webdreamer-studio")?.engine?.readTransport();
      return state
        ? {
            enabled: state.loopEnabled,
            start: state.loopStartFrames / state.sampleRate,
            end: state.loopEndFrames / state.sampleRate,
            beats: state.positionBeats,
          }
        : null;
    });
  await expect.poll(transport).toMatchObject({ enabled: true, start: 2, end: 4 });
  // Play started at the playhead (beat 2, where Marker 2 was added), not at 0.
  expect((await transport())?.beats).toBeGreaterThanOrEqual(2);
  await studio.getByRole("button", { name: "Loop", exact: true }).click();
  expect((await project(page)).loop?.enabled).toBe(false);
  await expect.poll(async () => (await transport())?.enabled).toBe(false);
  await studio.getByRole("button", { name: "Loop", exact: true }).click();
  await expect.poll(async () => (await transport())?.enabled).toBe(true);
  await studio.getByRole("button", { name: "Pause" }).click();

  // 9. Markers and the loop range are saved with the project (Save as file, read back in Node).
  const saved = await unzipProject(
    new Uint8Array(
      await downloadBytes(page, () => studio.getByRole("button", { name: "Save as file" }).click()),
    ),
  );
  expect(saved.project.markers.map((m) => [m.name, m.beat])).toEqual([
    ["Marker 2", 2],
    ["Chorus", 8],
  ]);
  expect(saved.project.loop).toEqual({ start_beat: 4, end_beat: 8, enabled: true });
  expect(failures).toEqual([]);
});
