// Live MIDI (EngineClient.sendMidi) in the real-time AudioWorklet host (Chromium): notes played now
// land on the first frame of the quantum after they reach the audio thread, timed ones on their
// frame; what a MIDI recording returns is the frames the capture shows the sound starting and
// stopping on; a WAM instrument (the fixture) gets live notes on the same frames. Over shared memory
// and over the MessagePort fallback.
import { expect, type Page, test } from "@playwright/test";
import { NOT_ISOLATED_PORT } from "../playwright.config";
import type { LiveMidiApi } from "./pages/live-midi";

declare global {
  interface Window {
    liveMidi: LiveMidiApi;
  }
}

const QUANTUM = 128;

async function open(page: Page, url = "/e2e/pages/live-midi.html") {
  page.on("pageerror", (error) => console.log(`page error: ${error.message}`));
  await page.goto(url);
  await page.waitForFunction(() => window.liveMidi !== undefined);
  return page.evaluate(() => window.liveMidi.start());
}

async function samplerTake(page: Page, url?: string) {
  const { sampleRate, dataPlane } = await open(page, url);
  const take = await page.evaluate(() => window.liveMidi.samplerTake());
  const [on, off] = take.recorded.map((e) => e.frame);
  console.log(
    `${dataPlane}, ${sampleRate} Hz: note_on called at frame ${take.onCalledAt}, landed at ${on} ` +
      `(${(((on as number) - take.onCalledAt) / sampleRate) * 1000} ms later; the transport read ${take.onTakenAt} once the call resolved), ` +
      `note_off called at ${take.offCalledAt}, landed at ${off}; steps ${JSON.stringify(take.steps)}`,
  );
  expect(dataPlane).toBe(url === undefined ? "shared_memory" : "message_port");
  expect(take.frames).toBe(Math.round(1.2 * sampleRate));
  expect(take.first).toBe(0);
  expect(take.lost).toBe(0);
  expect(take.badCommands).toBe(0);
  const on60 = take.recorded[0]?.frame as number;
  const off60 = take.recorded[1]?.frame as number;
  const on64 = Math.round(0.6 * sampleRate);
  const off64 = Math.round(0.8 * sampleRate);
  // The stray note_off was sent after the other: the same quantum or a later one.
  const stray = take.recorded[2]?.frame as number;
  expect(stray % QUANTUM).toBe(0);
  expect(stray).toBeGreaterThanOrEqual(off60);
  // What was recorded: the five messages that played, in order (the stray note_off too: it played).
  expect(take.recorded).toEqual([
    { node: "keys", frame: on60, message: { type: "note_on", note: 60, velocity: 100, channel: 1 } },
    { node: "keys", frame: off60, message: { type: "note_off", note: 60, velocity: 0, channel: 1 } },
    { node: "keys", frame: stray, message: { type: "note_off", note: 70, velocity: 0, channel: 1 } },
    { node: "keys", frame: on64, message: { type: "note_on", note: 64, velocity: 127, channel: 1 } },
    { node: "keys", frame: off64, message: { type: "note_off", note: 64, velocity: 0, channel: 1 } },
  ]);
  // Now: on the first frame of a quantum, not before the call.
  expect(on60 % QUANTUM).toBe(0);
  expect(off60 % QUANTUM).toBe(0);
  expect(on60).toBeGreaterThanOrEqual(take.onCalledAt);
  expect(off60).toBeGreaterThanOrEqual(take.offCalledAt);
  // The capture sounds on exactly the recorded frames: velocity / 127 from the note-on, 0 from the note-off.
  expect(take.steps).toEqual([
    [on60, Math.fround(100 / 127)],
    [off60, 0],
    [on64, 1],
    [off64, 0],
  ]);
  // The take as notes for a clip: durations are the frames between on and off.
  expect(take.notes).toEqual([
    {
      type: "note",
      timeline: "seconds",
      time: on60 / sampleRate,
      duration: (off60 - on60) / sampleRate,
      note: 60,
      velocity: 100,
      channel: 1,
    },
    {
      type: "note",
      timeline: "seconds",
      time: on64 / sampleRate,
      duration: (off64 - on64) / sampleRate,
      note: 64,
      velocity: 127,
      channel: 1,
    },
  ]);
}

test.describe("live MIDI in the real-time host", () => {
  test.setTimeout(60_000);
  test.afterEach(async ({ page }) => {
    await page.evaluate(() => window.liveMidi?.close());
  });

  test("notes played now land on a quantum's first frame, timed ones on their frame; the recording holds the frames the capture sounds on", async ({
    page,
  }) => {
    await samplerTake(page);
  });

  test("the same over the MessagePort fallback (no cross-origin isolation)", async ({ page }) => {
    test.setTimeout(120_000); // the second server's first page load compiles the modules
    await samplerTake(page, `http://127.0.0.1:${NOT_ISOLATED_PORT}/e2e/pages/live-midi.html`);
  });

  for (const fallback of [false, true]) {
    test(`a take across graph loads names each note's node by the graph it was played in${fallback ? " (MessagePort fallback)" : ""}`, async ({
      page,
    }) => {
      if (fallback) test.setTimeout(120_000); // the second server's first page load compiles the modules
      await open(
        page,
        fallback ? `http://127.0.0.1:${NOT_ISOLATED_PORT}/e2e/pages/live-midi.html` : undefined,
      );
      // Node 0 is "a" in one graph, "b" in the other; each note's record is drained after the load
      // that follows it, so naming by the graph loaded at drain time would swap the names.
      const take = await page.evaluate(() => window.liveMidi.takeAcrossLoads());
      console.log(`take across loads: ${JSON.stringify(take)}`);
      expect(take.recorded).toEqual(take.sent);
      expect(take.lost).toBe(0);
    });
  }

  test("monitoring: a note sent with the transport stopped is heard (meters: 100/127) and the position stands still; off, silence", async ({
    page,
  }) => {
    const { sampleRate } = await open(page);
    const take = await page.evaluate(() => window.liveMidi.stoppedNotes());
    console.log(`stopped notes: ${JSON.stringify(take)}`);
    const level = Math.fround(100 / 127);
    const position = take.before.positionFrames;
    expect(position).toBeGreaterThan(0.1 * sampleRate); // played past 0.1 s, then paused
    for (const reading of [take.before, take.off, take.monitoringQuiet, take.on, take.released, take.after]) {
      expect(reading.running).toBe(false);
      expect(reading.positionFrames).toBe(position);
    }
    // Monitoring off (the default): the note is taken but nothing sounds while stopped.
    expect(take.off.monitoring).toBe(false);
    expect(take.off.peak).toEqual([0, 0]);
    // On: silence until a note, then the sampler's velocity / 127 on both channels, every frame.
    expect(take.monitoringQuiet.monitoring).toBe(true);
    expect(take.monitoringQuiet.peak).toEqual([0, 0]);
    expect(take.on.peak).toEqual([level, level]);
    for (const rms of take.on.rms) expect(rms).toBeCloseTo(level, 6);
    expect(take.released.peak).toEqual([0, 0]);
    expect(take.refused).toBe('E_SCHEMA at set_monitoring.on: must be a boolean, got "yes"');
    expect(take.after.monitoring).toBe(false);
  });

  test("monitoring: a WAM instrument (the fixture) gets a note sent while stopped at once; off, it waits", async ({
    page,
  }) => {
    await open(page);
    const take = await page.evaluate(() => window.liveMidi.wamStoppedNotes());
    console.log(`WAM stopped notes: ${JSON.stringify(take)}`);
    for (const reading of [take.before, take.off, take.on, take.both, take.released]) {
      expect(reading.running).toBe(false);
    }
    expect(take.off.peak).toEqual([0, 0]);
    // Monitoring on hands the waiting note over: 100/127; with note 62 (velocity 127) 100/127 + 1.
    expect(take.on.peak).toEqual([Math.fround(100 / 127), Math.fround(100 / 127)]);
    expect(take.both.peak).toEqual([Math.fround(100 / 127 + 1), Math.fround(100 / 127 + 1)]);
    expect(take.released.peak).toEqual([0, 0]);
  });

  test("a WAM instrument (the fixture) gets live notes as wam-midi on the same frames", async ({ page }) => {
    const { sampleRate } = await open(page);
    const take = await page.evaluate(() => window.liveMidi.wamTake());
    console.log(`WAM: note_on called at frame ${take.onCalledAt}; steps ${JSON.stringify(take.steps)}`);
    expect(take.frames).toBe(Math.round(0.4 * sampleRate));
    const [first] = take.steps;
    const on60 = first?.[0] as number;
    expect(on60 % QUANTUM).toBe(0);
    expect(on60).toBeGreaterThanOrEqual(take.onCalledAt);
    expect(take.steps).toEqual([
      [on60, Math.fround(100 / 127)],
      [Math.round(0.25 * sampleRate), Math.fround(100 / 127 + 1)],
      [Math.round(0.3 * sampleRate), 0],
    ]);
    expect(take.refused).toMatch(
      /^E_SCHEMA at send_midi\.node: node "zero" \(builtin:constant\) takes no MIDI/,
    );
  });
});
