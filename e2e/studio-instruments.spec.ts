/**
 * Instruments from discovery in <webdreamer-studio>: a Faust DSP of a `faust-roots` root
 * (e2e/fixtures/pluck.dsp) picked with a voice count, its own parameter set from the rack's generated
 * control and automated by a lane, its clip's notes (a chord too: it is polyphonic) heard on their
 * frames at the automated level in the Worker's mixdown, which a Node render of the saved project
 * matches byte for byte; a WAM instrument of the corpus (`wam-roots`) offered and played live; and the
 * track header's buttons never over a clip at any zoom.
 */
import { expect, test } from "@playwright/test";

import { decodeWav } from "../src/audio-io/wav-codec";
import { secondsAtBeat } from "../src/contracts/tempo-map";
import {
  exportAndRenderInNode,
  masterPeak,
  midiHz,
  openNewStudio,
  powerAt,
  studioProject,
} from "./studio-fixture";
import { download } from "./support/downloads";
import { recordPageFailures } from "./support/page-failures";

const SYNTH101 = "wam:com.sequencerParty.synth101";

test("a Faust instrument from discovery with 4 voices, its parameter in the rack and a lane, exports as Node renders it; a WAM instrument plays live", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(300_000);
  const failures = recordPageFailures(page);
  await openNewStudio(page);
  const studio = page.locator("webdreamer-studio");
  const pluckSource = await (await page.request.get("/e2e/fixtures/pluck.dsp")).text();

  // 1. Roots for a Faust DSP and a WAM instrument; the next visit to the arrangement scans them.
  await page.evaluate((base) => {
    const element = document.querySelector("webdreamer-studio");
    if (!element) throw new Error("no studio");
    element.faustRoots = [{ kind: "faust-url", url: `${base}/e2e/fixtures/`, files: ["pluck.dsp"] }];
    element.wamRoots = [
      { kind: "wam-module", url: `${base}/wam-corpus/plugins/burns-audio/synth101/index.js` },
    ];
  }, baseURL);
  await page.mouse.move(0, 0);
  await studio.locator(".arrangement").hover();
  const picker = studio.getByLabel("Instrument", { exact: true });
  await expect(picker.locator("option", { hasText: "Pluck (Faust)" })).toHaveCount(1, { timeout: 60_000 });
  const labels = await picker.locator("option").allTextContents();
  expect(labels[0]).toBe("Synth");
  expect(labels.at(-1)).toBe("Faust synth (code)");
  // Builtin, then Faust, then WAM, then the Faust synth written in place.
  const pluckAt = labels.indexOf("Pluck (Faust)");
  const wamAt = labels.findIndex((label) => label.endsWith("(WAM)"));
  expect(wamAt).toBeGreaterThan(pluckAt);
  expect(labels.slice(0, pluckAt).every((label) => !label.includes("("))).toBe(true);
  expect(await picker.locator("option").nth(wamAt).getAttribute("value")).toBe(SYNTH101);

  // 2. Voices apply to Faust choices only; a bad count is refused with its reason.
  const voices = studio.getByLabel("Voices", { exact: true });
  await expect(voices).toBeDisabled();
  await picker.selectOption({ label: "Pluck (Faust)" });
  await expect(voices).toBeEnabled();
  await voices.fill("0");
  await studio.getByRole("button", { name: "Instrument track" }).click();
  await expect(studio.getByRole("alert")).toContainText(
    'Voices must be a whole number from 1 to 64, not "0"',
  );
  expect((await studioProject(page)).tracks).toHaveLength(0);
  await voices.fill("4");
  await studio.getByRole("button", { name: "Instrument track" }).click();
  await expect.poll(async () => (await studioProject(page)).tracks.length, { timeout: 30_000 }).toBe(1);
  const track = (await studioProject(page)).tracks[0];
  if (track?.kind !== "instrument") throw new Error("the Pluck track is not an instrument track");
  expect(track.name).toBe("Pluck");
  expect(track.instrument.node_id).toMatch(/^faust:/);
  expect(track.instrument.extensions?.faust).toEqual({ source: pluckSource, voices: 4 });

  // 3. The instrument's own parameter in the rack (voice controls freq, gate, gain are not parameters).
  const rack = studio.getByRole("group", { name: "Instrument of Pluck" });
  const level = rack.getByRole("slider", { name: "level of Instrument of Pluck" });
  await expect(level).toHaveValue("0.5", { timeout: 30_000 });
  await expect(rack.getByRole("slider")).toHaveCount(1);
  await level.focus();
  await page.keyboard.press("ArrowLeft");
  await expect(level).toHaveValue("0.49");
  const levelId = Object.keys(
    ((await studioProject(page)).tracks[0] as typeof track).instrument.params ?? {},
  )[0] as string;
  expect(levelId).toMatch(/level$/);
  expect(((await studioProject(page)).tracks[0] as typeof track).instrument.params).toEqual({
    [levelId]: 0.49,
  });

  // 4. Its lane: the picker lists it; points at 0.25 from beat 0 and 0.5 from beat 2 (steps).
  await studio.getByRole("button", { name: "Auto lane of Pluck" }).click();
  const lanePicker = studio.getByRole("combobox", { name: "Automated parameter of Pluck" });
  await lanePicker.selectOption({ label: "Pluck: level" });
  const address = `device:${track.instrument.id}:${levelId}`;
  await expect(lanePicker).toHaveValue(address);
  await page.evaluate(
    ({ trackId, address }) => {
      const element = document.querySelector("webdreamer-studio");
      element?.editor.execute({
        type: "set_automation",
        track_id: trackId,
        address,
        lane: {
          points: [
            { beat: 0, value: 0.25, curve: "step" },
            { beat: 2, value: 0.5, curve: "step" },
          ],
        },
      });
      element?.addMidiClip(trackId, {
        notes: [
          { beat: 0, length_beats: 1, note: 69, velocity: 127 },
          { beat: 2, length_beats: 1, note: 69, velocity: 127 },
          { beat: 2, length_beats: 1, note: 76, velocity: 127 },
        ],
      });
    },
    { trackId: track.id, address },
  );
  await expect(studio.getByRole("button", { name: "Pluck: level point 2 of 2, 1:3, 0.5" })).toBeVisible();

  // 5. The header column and the timeline never overlap: at the smallest, the default and the largest
  // zoom every button of a track's (or a lane's) header lies inside its header, clear of every clip.
  for (const pixelsPerBeat of [6, 32, 240]) {
    const overlaps = await page.evaluate(async (zoom) => {
      const element = document.querySelector("webdreamer-studio");
      if (!element?.shadowRoot) throw new Error("no studio");
      element.pixelsPerBeat = zoom;
      await element.updateComplete;
      const root = element.shadowRoot;
      const clips = [...root.querySelectorAll(".lane .clip")].map((clip) => clip.getBoundingClientRect());
      const found: string[] = [];
      let buttons = 0;
      for (const header of root.querySelectorAll(".track-header")) {
        const box = header.getBoundingClientRect();
        for (const control of header.querySelectorAll("button, select, input")) {
          buttons++;
          const r = control.getBoundingClientRect();
          const name = control.getAttribute("aria-label") ?? control.textContent;
          if (
            r.left < box.left ||
            r.right > box.right + 0.5 ||
            r.top < box.top ||
            r.bottom > box.bottom + 0.5
          )
            found.push(`${name} sticks out of its header`);
          for (const c of clips) {
            if (r.left < c.right && c.left < r.right && r.top < c.bottom && c.top < r.bottom)
              found.push(`${name} over a clip`);
          }
        }
      }
      return { found, buttons, clips: clips.length };
    }, pixelsPerBeat);
    expect(overlaps.found, `at ${pixelsPerBeat} px a beat`).toEqual([]);
    // Pluck's Clip, Auto and Remove, and its lane's picker, Write and Clear, over its one clip.
    expect(overlaps.buttons).toBeGreaterThanOrEqual(6);
    expect(overlaps.clips).toBe(1);
  }
  await page.evaluate(() => {
    const element = document.querySelector("webdreamer-studio");
    if (element) element.pixelsPerBeat = 32;
  });
  await studio.locator(".timeline").screenshot({ path: "test-results/studio-instruments-timeline.png" });

  // 6. The mixdown from the Worker and the saved file rendered in Node: the same bytes.
  const saved = await studioProject(page);
  const { mixdown, exported, inNode } = await exportAndRenderInNode(page);
  const rate = exported.sampleRate;
  expect(exported.channels[0]?.length).toBe(inNode.frames);
  expect(Buffer.from(inNode.mixdown).equals(mixdown.bytes)).toBe(true);

  // 7. The notes on their frames, at the lane's level: one A4 at 0.25, then A4 and E5 together at 0.5.
  const left = exported.channels[0] as Float32Array;
  const frameAt = (beat: number) => Math.round(secondsAtBeat(saved.tempo, beat) * rate);
  const first = left.findIndex((x) => x !== 0);
  expect(first).toBeGreaterThanOrEqual(frameAt(0));
  expect(first).toBeLessThanOrEqual(frameAt(0) + 2);
  const peak = (from: number, to: number) =>
    left.subarray(from, to).reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  // The centre pan passes cos(pi/4) of a mono instrument to each side.
  const pan = Math.SQRT1_2;
  const held = Math.round(0.05 * rate);
  expect(peak(frameAt(0) + held, frameAt(1))).toBeCloseTo(0.25 * pan, 3);
  expect(left.subarray(frameAt(1) + Math.round(0.1 * rate), frameAt(2)).every((x) => x === 0)).toBe(true);
  const size = 4096;
  const inChord = frameAt(2) + held;
  const a4 = powerAt(left, rate, inChord, size, midiHz(69));
  const e5 = powerAt(left, rate, inChord, size, midiHz(76));
  const between = powerAt(left, rate, inChord, size, 550);
  expect(a4).toBeGreaterThan(1000 * between);
  expect(e5).toBeGreaterThan(1000 * between);
  expect(e5 / a4).toBeGreaterThan(0.8);
  expect(e5 / a4).toBeLessThan(1.25);
  const single = powerAt(left, rate, frameAt(0) + held, size, midiHz(69));
  // Level 0.5 against 0.25: twice the amplitude, four times the power.
  expect(a4 / single).toBeGreaterThan(3.9);
  expect(a4 / single).toBeLessThan(4.1);

  // 8. The WAM instrument: a track with its module URL, a live note heard on the master.
  await picker.selectOption(SYNTH101);
  // The rack's Voices of the Faust instrument says the 4 it was added with.
  await expect(studio.getByRole("spinbutton", { name: "Voices of Instrument of Pluck" })).toHaveValue("4");
  await expect(voices).toBeDisabled();
  await studio.getByRole("button", { name: "Instrument track" }).click();
  await expect.poll(async () => (await studioProject(page)).tracks.length, { timeout: 30_000 }).toBe(2);
  const wam = (await studioProject(page)).tracks[1];
  if (wam?.kind !== "instrument") throw new Error("the WAM track is not an instrument track");
  expect(wam.instrument.node_id).toBe(SYNTH101);
  expect(wam.instrument.extensions?.wam).toEqual({
    module_url: `${baseURL}/wam-corpus/plugins/burns-audio/synth101/index.js`,
  });
  await studio.getByRole("button", { name: "Play" }).click();
  await expect(studio.getByRole("button", { name: "Pause" })).toBeVisible({ timeout: 60_000 });
  await studio.getByRole("button", { name: "Stop" }).click();
  await expect(studio.getByRole("button", { name: "Play" })).toBeVisible();
  await expect.poll(() => masterPeak(page), { timeout: 30_000 }).toBe(0);
  await page.evaluate(() => document.querySelector("webdreamer-studio")?.noteOn(57, 120));
  await expect.poll(() => masterPeak(page), { timeout: 30_000 }).toBeGreaterThan(0.01);
  await page.evaluate(() => document.querySelector("webdreamer-studio")?.noteOff(57));
  await page.screenshot({ path: "test-results/studio-instruments.png", fullPage: true });

  // 9. The WAM instrument exports (the live AudioWorklet host renders it offline; the Worker cannot
  // host a WAM): its clip's note, the Faust track muted, is silent before its beat and sounds after.
  await page.evaluate(
    (trackIds) => {
      const element = document.querySelector("webdreamer-studio");
      if (!element) throw new Error("no studio");
      element.editor.execute({ type: "set_mixer", track_id: trackIds[0] as string, mixer: { mute: true } });
      element.editor.execute({
        type: "add_clip",
        track_id: trackIds[1] as string,
        clip: {
          id: "wam-clip",
          start_beat: 0,
          length_beats: 4,
          notes: [{ beat: 1, length_beats: 1, note: 57, velocity: 120 }],
        },
      });
    },
    (await studioProject(page)).tracks.map((track) => track.id),
  );
  const wamMixdown = await download(page, () =>
    studio.getByRole("button", { name: "Export mixdown" }).click(),
  );
  const wamExported = decodeWav(new Uint8Array(wamMixdown.bytes));
  const wamLeft = wamExported.channels[0] as Float32Array;
  const beatFrames = Math.round(secondsAtBeat((await studioProject(page)).tempo, 1) * wamExported.sampleRate);
  const wamPeak = (from: number, to: number) =>
    wamLeft.subarray(from, to).reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  const onset = wamLeft.findIndex((x) => x !== 0);
  expect(wamPeak(0, beatFrames)).toBe(0);
  expect(onset).toBeGreaterThanOrEqual(beatFrames);
  expect(wamPeak(beatFrames, 2 * beatFrames)).toBeGreaterThan(0.01);
  test.info().annotations.push({
    type: "WAM instrument export",
    description: `rate ${wamExported.sampleRate}, ${wamLeft.length} frames, onset ${onset} (beat 1 at ${beatFrames}), peak ${wamPeak(beatFrames, 2 * beatFrames).toFixed(4)}`,
  });
  expect(failures).toEqual([]);
});
