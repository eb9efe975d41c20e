/**
 * MIDI in <webdreamer-studio>, driven with the mouse and the keyboard: notes drawn, moved, resized
 * and deleted in the piano roll (each gesture one undo step), played back on their frames; the
 * on-screen and the computer keyboard playing the synth track live, recorded into a clip at the
 * beats of the frames the engine played them on.
 */
import { expect, type Page, test } from "@playwright/test";

import type { MidiRecording } from "../src/api/midi-recording";
import { beatAtSeconds } from "../src/contracts/tempo-map";
import type { MidiClip } from "../src/project/project-schema";
import { ROLL_ROW_PX, rowTop } from "../src/studio/piano-roll-math";
import { historyLength, liveRender, openNewStudio, studioProject as project } from "./studio-fixture";
import { recordPageFailures } from "./support/page-failures";

/** The piano roll's zoom (piano-roll-panel.ts): pixels per beat. */
const ROLL_PPB = 64;

async function synthClips(page: Page): Promise<MidiClip[]> {
  const track = (await project(page)).tracks.find((t) => t.kind === "instrument");
  if (track?.kind !== "instrument") throw new Error("no instrument track");
  return track.clips;
}

async function notes(page: Page) {
  return (await synthClips(page))[0]?.notes.map(({ beat, length_beats, note, velocity }) => ({
    beat,
    length_beats,
    note,
    velocity,
  }));
}

/** Moves the mouse from (x, y) by (dx, dy) in steps, holding the button, as a hand drags. */
async function dragBy(page: Page, x: number, y: number, dx: number, dy: number): Promise<void> {
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let step = 1; step <= 6; step++) await page.mouse.move(x + (dx * step) / 6, y + (dy * step) / 6);
  await page.mouse.up();
}

test("notes drawn in the piano roll play on their frames; keys played live are recorded at their beats", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const failures = recordPageFailures(page);
  await page.emulateMedia({ colorScheme: "dark" });
  await openNewStudio(page);
  const studio = page.locator("webdreamer-studio");
  await studio.getByRole("button", { name: "Instrument track" }).click();
  await studio.getByRole("button", { name: "Add MIDI clip to Synth" }).click();
  const clip = studio.getByRole("button", { name: /^MIDI clip Clip 1, 1:1, 4 beats/ });

  // 1. Double-click opens the clip in the piano roll (grid 1/16).
  await clip.dblclick();
  const roll = studio.getByRole("region", { name: "Piano roll: Clip 1 on Synth" });
  await expect(roll).toBeVisible();
  await expect(roll.getByLabel("Note grid")).toHaveValue("0.25");
  const grid = roll.locator(".roll-grid");
  // The page scrolled to show the whole roll (it opened below the arrangement).
  await roll.scrollIntoViewIfNeeded();
  const at = async (beat: number, pitch: number) => {
    const box = await grid.boundingBox();
    if (!box) throw new Error("no grid");
    return { x: box.x + beat * ROLL_PPB, y: box.y + rowTop(pitch) + ROLL_ROW_PX / 2 };
  };

  // 2. A click draws a sixteenth in the cell clicked; a press dragged right draws a longer note.
  let steps = await historyLength(page);
  const c4 = await at(1.1, 60);
  await page.mouse.click(c4.x, c4.y);
  expect(await notes(page)).toEqual([{ beat: 1, length_beats: 0.25, note: 60, velocity: 100 }]);
  const e4 = await at(2.05, 64);
  await dragBy(page, e4.x, e4.y, ROLL_PPB, 0);
  expect(await notes(page)).toEqual([
    { beat: 1, length_beats: 0.25, note: 60, velocity: 100 },
    { beat: 2, length_beats: 1, note: 64, velocity: 100 },
  ]);
  expect(await historyLength(page)).toBe(steps + 2);
  await expect(roll.getByRole("button", { name: "Note E4, beat 3, 1 beats, velocity 100" })).toBeVisible();

  // 3. The first note dragged half a beat left and two semitones up: one undo step.
  steps = await historyLength(page);
  const body = await at(1.08, 60);
  await dragBy(page, body.x, body.y, -ROLL_PPB / 2, -2 * ROLL_ROW_PX);
  expect((await notes(page))?.[0]).toEqual({ beat: 0.5, length_beats: 0.25, note: 62, velocity: 100 });
  expect(await historyLength(page)).toBe(steps + 1);

  // 4. The second note's right edge dragged half a beat longer; Ctrl+Z undoes the whole drag, redo.
  const edge = await at(3 - 2 / ROLL_PPB, 64);
  await dragBy(page, edge.x, edge.y, ROLL_PPB / 2, 0);
  expect((await notes(page))?.[1]).toEqual({ beat: 2, length_beats: 1.5, note: 64, velocity: 100 });
  expect(await historyLength(page)).toBe(steps + 2);
  await expect(studio.getByRole("button", { name: "Undo Edit notes of clip on Synth" })).toBeEnabled();
  await page.keyboard.press("Control+z");
  expect((await notes(page))?.[1]?.length_beats).toBe(1);
  await page.keyboard.press("Shift+Control+z");
  expect((await notes(page))?.[1]?.length_beats).toBe(1.5);

  // 5. Velocity: the selected note's slider; the keyboard moves a focused note; Delete removes one.
  await roll.getByRole("button", { name: /^Note D4, beat 1.5/ }).click();
  await roll.getByRole("slider", { name: "Velocity of the selected note" }).fill("80");
  expect((await notes(page))?.[0]?.velocity).toBe(80);
  const extra = await at(3.6, 67);
  await page.mouse.click(extra.x, extra.y);
  const g4 = roll.getByRole("button", { name: /^Note G4, beat 4.5/ });
  await g4.focus();
  await page.keyboard.press("ArrowLeft");
  await expect(roll.getByRole("button", { name: /^Note G4, beat 4.25, 0.25 beats/ })).toBeFocused();
  expect((await notes(page))?.[2]).toEqual({ beat: 3.25, length_beats: 0.25, note: 67, velocity: 100 });
  await page.keyboard.press("Delete");
  expect(await notes(page)).toEqual([
    { beat: 0.5, length_beats: 0.25, note: 62, velocity: 80 },
    { beat: 2, length_beats: 1.5, note: 64, velocity: 100 },
  ]);
  await roll.getByRole("button", { name: /^Note D4/ }).click();
  await roll.screenshot({ path: "docs/images/studio-piano-roll.png" });

  // 6. Play starts the engine; what it plays, captured live: D4 from the frame of beat 0.5, silence
  // after its release, E4 from the frame of beat 2 (120 bpm: a beat is half a second).
  await studio.getByRole("button", { name: "Play" }).click();
  await expect(studio.getByRole("button", { name: "Pause" })).toBeVisible({ timeout: 30_000 });
  await studio.getByRole("button", { name: "Stop" }).click();
  const live = await liveRender(page, 4);
  expect(live.status).toBe("ok");
  const first = live.left.findIndex((value) => value !== 0);
  const quietFrom = Math.round(0.6 * live.rate);
  const second = live.left.findIndex((value, i) => i >= quietFrom && value !== 0);
  const frameOf = (beat: number) => Math.round(((beat * 60) / 120) * live.rate);
  expect(first).toBeGreaterThanOrEqual(frameOf(0.5));
  expect(first).toBeLessThanOrEqual(frameOf(0.5) + 2);
  expect(second).toBeGreaterThanOrEqual(frameOf(2));
  expect(second).toBeLessThanOrEqual(frameOf(2) + 2);

  // 7. Record armed, Play: past beat 4 the computer keyboard (focus in the keyboard) and the
  // on-screen keys play the synth; Stop puts what was played into a new clip, one undo step.
  await studio.getByRole("button", { name: "Close piano roll" }).click();
  await studio.getByRole("button", { name: "Record" }).click();
  await expect(studio.getByRole("button", { name: "Record" })).toHaveAttribute("aria-pressed", "true");
  steps = await historyLength(page);
  await studio.getByRole("button", { name: "Play" }).click();
  await expect(studio.getByRole("button", { name: "Pause" })).toBeVisible();
  const position = () =>
    page.evaluate(
      () => document.querySelector("webdreamer-studio")?.engine?.readTransport().positionSeconds ?? 0,
    );
  await expect.poll(position, { timeout: 10_000 }).toBeGreaterThan(2.2);
  const keys = studio.getByRole("group", { name: /^Piano keys/ });
  await keys.scrollIntoViewIfNeeded();
  // The computer keys at velocity 90 (the field's default is 100).
  await studio.getByRole("spinbutton", { name: "Velocity" }).fill("90");
  await studio.getByRole("spinbutton", { name: "Velocity" }).press("Enter");
  await keys.focus();
  await page.keyboard.down("a");
  await expect(keys.getByRole("button", { name: "C4", exact: true })).toHaveAttribute("aria-pressed", "true");
  await page.waitForTimeout(150);
  await page.keyboard.up("a");
  await page.keyboard.down("d");
  await page.waitForTimeout(100);
  await page.keyboard.up("d");
  const g4Key = await keys.getByRole("button", { name: "G4", exact: true }).boundingBox();
  if (!g4Key) throw new Error("no G4 key");
  // A click 8 px above the key's bottom edge plays nearly full (velocityForKeyPosition).
  const g4Velocity = await keys.getByRole("button", { name: "G4", exact: true }).evaluate((key, height) => {
    const offsetY = height - 8 - key.clientTop;
    return Math.round(30 + Math.min(1, Math.max(0, offsetY / key.clientHeight)) * 97);
  }, g4Key.height);
  expect(g4Velocity).toBeGreaterThan(110);
  await page.mouse.move(g4Key.x + g4Key.width / 2, g4Key.y + g4Key.height - 8);
  await page.mouse.down();
  await page.waitForTimeout(120);
  await page.mouse.up();
  await page.waitForTimeout(100);
  await studio.getByRole("button", { name: "Stop" }).click();
  await expect.poll(async () => (await synthClips(page)).length).toBe(2);
  const take = (await page.evaluate(
    () => document.querySelector("webdreamer-studio")?.lastTake,
  )) as MidiRecording;
  const synth = (await project(page)).tracks.find((t) => t.kind === "instrument");
  if (synth?.kind !== "instrument") throw new Error("no synth track");
  // The instrument's node as the compiled graph names it (trackNodes.device).
  const node = `${synth.id}.dev.${synth.instrument.id}`;
  const played = take.events.filter((event) => event.node === node);
  expect(
    played.map((event) => [event.message.type, "note" in event.message ? event.message.note : null]),
  ).toEqual([
    ["note_on", 60],
    ["note_off", 60],
    ["note_on", 64],
    ["note_off", 64],
    ["note_on", 67],
    ["note_off", 67],
  ]);
  const recorded = (await synthClips(page))[1] as MidiClip;
  expect(recorded.name).toBe("Take 1");
  const beat = (frame: number) => beatAtSeconds({ bpm: 120 }, frame / take.sampleRate);
  const firstBeat = beat(played[0]?.frame ?? 0);
  // The clip starts on the bar the first note was played in.
  expect(recorded.start_beat).toBe(Math.floor(firstBeat / 4) * 4);
  expect(recorded.start_beat).toBeGreaterThanOrEqual(4);
  const expected = [0, 2, 4].map((i) => {
    const on = played[i] as (typeof played)[number];
    const off = played[i + 1] as (typeof played)[number];
    const onBeat = beat(on.frame);
    return {
      beat: onBeat - recorded.start_beat,
      // The note ends the frames the transport played after its on (recordedMidiEvents' duration).
      length_beats:
        beatAtSeconds(
          { bpm: 120 },
          on.frame / take.sampleRate + (off.elapsedFrames - on.elapsedFrames) / take.sampleRate,
        ) - onBeat,
      note: "note" in on.message ? on.message.note : -1,
      velocity: i === 4 ? g4Velocity : 90,
      channel: 1,
    };
  });
  expect(recorded.notes).toEqual(expected);
  // Each note is held a while: a positive length, played in order.
  expect(recorded.notes.every((n) => n.length_beats > 0)).toBe(true);
  expect(await historyLength(page)).toBe(steps + 1);
  await expect(studio.getByRole("button", { name: "Undo Add clip to Synth" })).toBeEnabled();
  await expect(studio.getByRole("button", { name: "Record" })).toHaveAttribute("aria-pressed", "false");

  // 8. Stopped, the studio's engine monitors: a held key sounds on the master meter while the
  // position stands still (docs/realtime.md, "Monitoring while stopped").
  const stoppedMeter = () =>
    page.evaluate(async () => {
      const engine = document.querySelector("webdreamer-studio")?.engine;
      if (!engine) return { peak: -1, moved: true, monitoring: false };
      const reading = engine.createMeterReading();
      const before = engine.readTransport().positionSeconds;
      let peak = 0;
      for (let frame = 0; frame < 20; frame++) {
        await new Promise((resolve) => requestAnimationFrame(resolve));
        engine.readMeters(reading);
        peak = Math.max(peak, reading.windowPeak[0] ?? 0);
      }
      const after = engine.readTransport();
      return { peak, moved: after.positionSeconds !== before, monitoring: after.monitoring };
    });
  await keys.focus();
  expect(await stoppedMeter()).toMatchObject({ moved: false, monitoring: true });
  await page.keyboard.down("a");
  await expect.poll(async () => (await stoppedMeter()).peak, { timeout: 10_000 }).toBeGreaterThan(0.01);
  expect((await stoppedMeter()).moved).toBe(false);
  await page.keyboard.up("a");

  // 9. The keyboard does not steal typing: letters in the project name stay text.
  const name = studio.getByRole("textbox", { name: "Project name" });
  await name.fill("");
  await name.pressSequentially("ads");
  await expect(name).toHaveValue("ads");
  const state = await page.evaluate(() =>
    document.querySelector("webdreamer-studio")?.engine?.readTransport(),
  );
  expect(state?.badCommands).toBe(0);
  expect(failures).toEqual([]);
});

test("Web MIDI input plays the selected track and is recorded with its velocity, CC and pitch bend", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const failures = recordPageFailures(page);
  // A MIDI keyboard: Web MIDI with one input port the test plays through (the browser has no device).
  await page.addInitScript(() => {
    const port = { type: "input", name: "Test keys", onmidimessage: null };
    Object.assign(window, { testMidiPort: port });
    Object.defineProperty(navigator, "requestMIDIAccess", {
      value: async () => ({ inputs: new Map([["test", port]]), onstatechange: null }),
    });
  });
  await openNewStudio(page);
  const studio = page.locator("webdreamer-studio");
  await studio.getByRole("button", { name: "Instrument track" }).click();
  await studio.getByRole("button", { name: "Connect MIDI" }).click();
  await expect(studio.getByRole("status").filter({ hasText: "MIDI:" })).toHaveText("MIDI: Test keys");
  await studio.getByRole("button", { name: "Record" }).click();
  await studio.getByRole("button", { name: "Play" }).click();
  await expect(studio.getByRole("button", { name: "Pause" })).toBeVisible({ timeout: 30_000 });
  const position = () =>
    page.evaluate(
      () => document.querySelector("webdreamer-studio")?.engine?.readTransport().positionSeconds ?? 0,
    );
  await expect.poll(position, { timeout: 10_000 }).toBeGreaterThan(0.3);
  const play = (bytes: number[]) =>
    page.evaluate((data) => {
      const port = (
        window as unknown as { testMidiPort: { onmidimessage(event: { data: Uint8Array }): void } }
      ).testMidiPort;
      port.onmidimessage({ data: new Uint8Array(data) });
    }, bytes);
  await play([0x90, 62, 90]); // note on D4, velocity 90, channel 1
  await page.waitForTimeout(100);
  await play([0xb0, 1, 64]); // modulation 64
  await play([0xe0, 0, 0x50]); // pitch bend +2048
  await page.waitForTimeout(100);
  await play([0x90, 62, 0]); // note on with velocity 0: note off
  await page.waitForTimeout(50);
  await studio.getByRole("button", { name: "Stop" }).click();
  await expect.poll(async () => (await synthClips(page)).length).toBe(1);
  const take = (await page.evaluate(
    () => document.querySelector("webdreamer-studio")?.lastTake,
  )) as MidiRecording;
  expect(take.events.map((event) => event.message)).toEqual([
    { type: "note_on", note: 62, velocity: 90, channel: 1 },
    { type: "cc", controller: 1, value: 64, channel: 1 },
    { type: "pitch_bend", value: 2048, channel: 1 },
    { type: "note_off", note: 62, velocity: 0, channel: 1 },
  ]);
  const [clip] = await synthClips(page);
  const beat = (frame: number) =>
    beatAtSeconds({ bpm: 120 }, frame / take.sampleRate) - (clip?.start_beat ?? 0);
  const [on, cc, bend] = take.events;
  expect(clip?.notes.map(({ note, velocity, beat }) => ({ note, velocity, beat }))).toEqual([
    { note: 62, velocity: 90, beat: beat(on?.frame ?? -1) },
  ]);
  expect(clip?.cc).toEqual([{ beat: beat(cc?.frame ?? -1), controller: 1, value: 64, channel: 1 }]);
  expect(clip?.pitch_bend).toEqual([{ beat: beat(bend?.frame ?? -1), value: 2048, channel: 1 }]);
  expect(failures).toEqual([]);
});
