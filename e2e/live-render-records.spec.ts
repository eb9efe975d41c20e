// What a live render (options.offline = false) of the AudioWorklet host records, in Chromium: a
// gain's ramp per frame equal to the lane on every frame, and per block its first frames; the MIDI
// played to a sampler: its timeline note on its frames and a note sent live on the frames the
// captured sound starts and stops on (the first frame of a quantum after the call), a note scheduled
// during the render (scheduleEvents) on its own frames, and the Standard
// MIDI File reads back (@tonejs/midi) to the same notes within a tick. A take (startMidiRecording)
// running around such a render: the render's record is what it is alone, and the take holds the live
// notes sent before, in and after it on their frames, its elapsed frames counted from its own start.
import { expect, type Page, test } from "@playwright/test";
import * as tonejsMidi from "@tonejs/midi";
import { NOT_ISOLATED_PORT } from "../playwright.config";
import type { LiveRenderRecordsApi } from "./pages/live-render-records";

// @tonejs/midi is CommonJS: in Node its exports arrive under `default`.
const { Midi } = (tonejsMidi as { default?: typeof tonejsMidi }).default ?? tonejsMidi;

declare global {
  interface Window {
    liveRenderRecords: LiveRenderRecordsApi;
  }
}

const QUANTUM = 128;
/** A tick at the default 120 bpm, 480 ticks a quarter note, in seconds. */
const TICK = 60 / 120 / 480;

test("a live render returns the recorded automation and the MIDI played, timeline and live", async ({
  page,
}) => {
  page.on("pageerror", (error) => console.log(`page error: ${error.message}`));
  await page.goto("/e2e/pages/live-render-records.html");
  await page.waitForFunction(() => window.liveRenderRecords !== undefined);
  const { sampleRate } = await page.evaluate(() => window.liveRenderRecords.start());
  const take = await page.evaluate(() => window.liveRenderRecords.take());
  const frames = Math.round(0.6 * sampleRate);
  expect(take.frames).toBe(frames);

  // The lane: 0 -> 1 linearly over 0.5 s, then 1. Every recorded frame is the lane's value there.
  const ramp = 0.5 * sampleRate;
  expect(take.gain).toHaveLength(frames);
  expect(take.blockFrames).toBe(1);
  let worst = 0;
  take.gain.forEach((value, n) => {
    worst = Math.max(worst, Math.abs(value - Math.min(1, n / ramp)));
  });
  console.log(`recorded gain: worst difference from the lane ${worst} over ${frames} frames`);
  expect(worst).toBeLessThan(1e-6);
  // Per block: one value a 128-frame quantum, the lane at each block's first frame.
  const blockCount = Math.ceil(Math.round(0.1 * sampleRate) / QUANTUM);
  expect(take.perBlockFrames).toBe(QUANTUM);
  expect(take.gainPerBlock).toHaveLength(blockCount);
  take.gainPerBlock.forEach((value, b) => {
    expect(Math.abs(value - (b * QUANTUM) / ramp)).toBeLessThan(1e-6);
  });

  // The MIDI: the timeline's note 60 on its frames, the live note 64 on the quantum it reached.
  const on60 = Math.round(0.05 * sampleRate);
  const off60 = Math.round(0.15 * sampleRate);
  const [, , on64, off64] = take.midi.map((m) => m.frame) as number[];
  // Scheduled during the render (scheduleEvents): on its own frames.
  const on67 = Math.round(0.5 * sampleRate);
  const off67 = Math.round(0.55 * sampleRate);
  console.log(
    `live note_on called at frame ${take.onCalledAt}, played at ${on64}; note_off called at ${take.offCalledAt}, played at ${off64}`,
  );
  expect(take.midi).toEqual([
    { frame: on60, status: 0x90, data1: 60, data2: 100 },
    { frame: off60, status: 0x80, data1: 60, data2: 0 },
    { frame: on64, status: 0x90, data1: 64, data2: 127 },
    { frame: off64, status: 0x80, data1: 64, data2: 0 },
    { frame: on67, status: 0x90, data1: 67, data2: 64 },
    { frame: off67, status: 0x80, data1: 67, data2: 0 },
  ]);
  expect((on64 as number) % QUANTUM).toBe(0);
  expect((off64 as number) % QUANTUM).toBe(0);
  expect(on64).toBeGreaterThanOrEqual(take.onCalledAt);
  expect(off64).toBeGreaterThanOrEqual(take.offCalledAt);
  // The sound starts and stops on exactly the recorded frames.
  expect(take.keysSteps).toEqual([
    [on60, Math.fround(100 / 127)],
    [off60, 0],
    [on64, 1],
    [off64, 0],
    [on67, Math.fround(64 / 127)],
    [off67, 0],
  ]);

  // The file reads back to the same notes, within a tick.
  const file = new Midi(Buffer.from(take.midiFile, "base64"));
  const notes = file.tracks.flatMap((track) => track.notes).sort((a, b) => a.time - b.time);
  expect(notes.map((n) => [n.midi, Math.round(n.velocity * 127)])).toEqual([
    [60, 100],
    [64, 127],
    [67, 64],
  ]);
  const expected = [
    [on60, off60],
    [on64 as number, off64 as number],
    [on67, off67],
  ];
  notes.forEach((note, i) => {
    const [on, off] = expected[i] as [number, number];
    expect(Math.abs(note.time - on / sampleRate)).toBeLessThanOrEqual(TICK);
    expect(Math.abs(note.time + note.duration - off / sampleRate)).toBeLessThanOrEqual(TICK);
  });
});

/** takeAroundRender on the page at `url`, checked; `dataPlane`: what the page must run on. */
async function takeAroundRender(page: Page, url: string, dataPlane: string) {
  page.on("pageerror", (error) => console.log(`page error: ${error.message}`));
  await page.goto(url);
  await page.waitForFunction(() => window.liveRenderRecords !== undefined);
  expect((await page.evaluate(() => window.liveRenderRecords.start())).dataPlane).toBe(dataPlane);
  const run = await page.evaluate(() => window.liveRenderRecords.takeAroundRender());
  const { sampleRate, alone, inside, take } = run;
  console.log(JSON.stringify({ dataPlane, alone: alone.midi, take }));
  const at = (seconds: number) => Math.round(seconds * sampleRate);

  // The render inside the take records exactly what it records alone: the timeline's note 60, note 64
  // sent live and note 67 scheduled (scheduleEvents), each on its frame, where the sound steps.
  expect(alone.midi).toEqual([
    { frame: at(0.05), status: 0x90, data1: 60, data2: 100 },
    { frame: at(0.15), status: 0x80, data1: 60, data2: 0 },
    { frame: at(0.25), status: 0x90, data1: 64, data2: 127 },
    { frame: at(0.4), status: 0x80, data1: 64, data2: 0 },
    { frame: at(0.5), status: 0x90, data1: 67, data2: 64 },
    { frame: at(0.55), status: 0x80, data1: 67, data2: 0 },
  ]);
  expect(inside.midi).toEqual(alone.midi);
  expect(inside.keysSteps).toEqual(alone.keysSteps);
  expect(inside.lostFrames).toBe(0);

  // The take: the live notes only (not the timeline's 60, not the scheduled 67), on their frames:
  // 72 before the render, 64 in it (on the render's own frames), 74 after it.
  expect(take.lost).toBe(0);
  expect(take.events.map(({ node, type, note, frame }) => [node, type, note, frame])).toEqual([
    ["keys", "note_on", 72, run.before[0]],
    ["keys", "note_off", 72, run.before[1]],
    ["keys", "note_on", 64, at(0.25)],
    ["keys", "note_off", 64, at(0.4)],
    ["keys", "note_on", 74, run.after[0]],
    ["keys", "note_off", 74, run.after[1]],
  ]);
  // Its elapsed frames count from its own start and never jump back: within a stretch of play they
  // move with the frames; across the render they count the render's frames (it played from 0).
  const elapsed = take.events.map((e) => e.elapsedFrames);
  const [b0, b1, r0, r1, a0, a1] = elapsed as [number, number, number, number, number, number];
  expect(b0).toBeGreaterThan(0);
  expect(b1 - b0).toBe(run.before[1] - run.before[0]);
  expect(r1 - r0).toBe(at(0.4) - at(0.25));
  expect(a1 - a0).toBe(run.after[1] - run.after[0]);
  expect(r0 - b1).toBeGreaterThan(at(0.25));
  expect(a0 - r1).toBeGreaterThan(at(0.6) - at(0.4));
  expect(take.elapsedFrames).toBeGreaterThan(a1);
}

test("a take around a live render recording MIDI: the render records what it records alone, the take the live MIDI before, in and after it", async ({
  page,
}) => {
  await takeAroundRender(page, "/e2e/pages/live-render-records.html", "shared_memory");
});

test("the same over the MessagePort fallback (no cross-origin isolation)", async ({ page }) => {
  const url = `http://127.0.0.1:${NOT_ISOLATED_PORT}/e2e/pages/live-render-records.html`;
  await takeAroundRender(page, url, "message_port");
});
