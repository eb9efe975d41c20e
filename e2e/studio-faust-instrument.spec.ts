/**
 * A Faust synth instrument track in <webdreamer-studio>: picked from the Instrument picker ("Faust synth
 * (code)"), its code and voices kept in the project, its clip's notes heard on their frames at their
 * pitch in the Worker's mixdown, which a Node render of the saved project matches byte for byte, and
 * a live note from the keyboard API sounding on the playing engine.
 */
import { expect, test } from "@playwright/test";

import { decodeWav } from "../src/audio-io/wav-codec";
import { secondsAtBeat } from "../src/contracts/tempo-map";
import { unzipProject } from "../src/project/project-zip";
import { DEFAULT_FAUST_SYNTH_CODE, FAUST_SYNTH_VOICES } from "../src/studio/faust-instrument";
import {
  exportAndRenderInNode,
  historyLength,
  masterPeak,
  midiHz,
  openNewStudio,
  powerAt,
  studioProject as project,
  renderInNode,
  setInstrumentNotes,
  settled,
} from "./studio-fixture";
import { download } from "./support/downloads";
import { recordPageFailures } from "./support/page-failures";

test("a Faust synth instrument track plays its clip, exports as Node renders it, and plays live", async ({
  page,
}) => {
  test.setTimeout(240_000);
  const failures = recordPageFailures(page);
  await openNewStudio(page);
  const studio = page.locator("webdreamer-studio");
  const picker = studio.getByLabel("Instrument", { exact: true });

  // 1. The picker offers the Faust synth after the builtin instruments; adding it is one track whose
  // instrument carries its code and its voices.
  const labels = await picker.locator("option").allTextContents();
  expect(labels.at(-1)).toBe("Faust synth (code)");
  await picker.selectOption({ label: "Faust synth (code)" });
  await studio.getByRole("button", { name: "Instrument track" }).click();
  await expect.poll(async () => (await project(page)).tracks.length, { timeout: 30_000 }).toBe(1);
  const track = (await project(page)).tracks[0];
  if (track?.kind !== "instrument") throw new Error("the Faust synth track is not an instrument track");
  expect(track.name).toBe("Faust synth");
  expect(track.instrument.node_id).toMatch(/^faust:/);
  expect(track.instrument.extensions?.faust).toEqual({
    source: DEFAULT_FAUST_SYNTH_CODE,
    voices: FAUST_SYNTH_VOICES,
  });

  // 2. A clip with two notes: A4 on beat 1, E5 on beat 3 (a beat each), added through the editor.
  await studio.getByRole("button", { name: "Add MIDI clip to Faust synth" }).click();
  await setInstrumentNotes(page, [
    { beat: 1, length_beats: 1, note: 69, velocity: 100 },
    { beat: 3, length_beats: 1, note: 76, velocity: 100 },
  ]);
  const saved = await project(page);
  const clip = saved.tracks[0]?.kind === "instrument" ? saved.tracks[0].clips[0] : undefined;
  expect(clip?.start_beat).toBe(0);

  // 3. The mixdown from the Worker, and the project as a file rendered in Node: the same bytes.
  const { mixdown, exported, inNode } = await exportAndRenderInNode(page);
  const rate = exported.sampleRate;
  expect(exported.channels[0]?.length).toBe(inNode.frames);
  expect(Buffer.from(inNode.mixdown).equals(mixdown.bytes)).toBe(true);

  // 4. The notes sound on their frames, at their pitch.
  const left = exported.channels[0] as Float32Array;
  const frameAt = (beat: number) => Math.round(secondsAtBeat(saved.tempo, beat) * rate);
  const first = left.findIndex((x) => x !== 0);
  expect(first).toBeGreaterThanOrEqual(frameAt(1));
  expect(first).toBeLessThanOrEqual(frameAt(1) + 2);
  // Silent from the first note's release tail (0.1 s) to the second note.
  const quietFrom = frameAt(2) + Math.round(0.15 * rate);
  expect(left.subarray(quietFrom, frameAt(3)).every((x) => x === 0)).toBe(true);
  const size = 4096;
  const a4 = { at: midiHz(69), other: midiHz(76) };
  const inFirst = frameAt(1) + Math.round(0.05 * rate);
  const inSecond = frameAt(3) + Math.round(0.05 * rate);
  expect(frameAt(2) - inFirst).toBeGreaterThan(size);
  const firstA4 = powerAt(left, rate, inFirst, size, a4.at);
  const firstE5 = powerAt(left, rate, inFirst, size, a4.other);
  const secondA4 = powerAt(left, rate, inSecond, size, a4.at);
  const secondE5 = powerAt(left, rate, inSecond, size, a4.other);
  expect(firstA4).toBeGreaterThan(1000 * firstE5);
  expect(secondE5).toBeGreaterThan(1000 * secondA4);

  // 5. Live: the engine started (Play, Stop), a note on the selected track sounds on the master
  // meter, and stops after its note off.
  await studio.getByRole("button", { name: "Play" }).click();
  await expect(studio.getByRole("button", { name: "Stop" })).toBeEnabled({ timeout: 30_000 });
  await studio.getByRole("button", { name: "Stop" }).click();
  await expect.poll(() => masterPeak(page), { timeout: 10_000 }).toBe(0);
  await page.evaluate(() => document.querySelector("webdreamer-studio")?.noteOn(69, 100));
  await expect.poll(() => masterPeak(page), { timeout: 10_000 }).toBeGreaterThan(0.05);
  await page.evaluate(() => document.querySelector("webdreamer-studio")?.noteOff(69));
  await expect.poll(() => masterPeak(page), { timeout: 10_000 }).toBe(0);

  // 6. The instrument's code in the rack's Faust editor: typed code compiles with the same 8 voices
  // and replaces the instrument (one undo step), the track keeping its clip; Undo brings it back.
  const editor = studio.getByLabel("Faust code of Instrument of Faust synth");
  await expect(editor).toHaveValue(DEFAULT_FAUST_SYNTH_CODE);
  const pureSine = DEFAULT_FAUST_SYNTH_CODE.replace(" + 0.2 * os.sawtooth(2 * freq)", "");
  await editor.fill(pureSine);
  await expect
    .poll(
      async () => {
        await settled(page);
        const edited = (await project(page)).tracks[0];
        return edited?.kind === "instrument" ? edited.instrument.extensions?.faust : null;
      },
      { timeout: 30_000 },
    )
    .toEqual({ source: pureSine, voices: FAUST_SYNTH_VOICES });
  const edited = (await project(page)).tracks[0];
  if (edited?.kind !== "instrument") throw new Error("the Faust synth track is gone");
  expect(edited.instrument.node_id).toMatch(/^faust:/);
  expect(edited.instrument.node_id).not.toBe(track.instrument.node_id);
  expect(edited.clips).toEqual(saved.tracks[0]?.kind === "instrument" ? saved.tracks[0].clips : null);
  await studio.getByRole("button", { name: "Undo Edit Faust code on Faust synth" }).click();
  await expect(editor).toHaveValue(DEFAULT_FAUST_SYNTH_CODE);
  expect((await project(page)).tracks[0]).toEqual(saved.tracks[0]);

  // 7. Voices on the track: a three-note chord (A4, C#5, E5 on beat 1) sounds whole with 8 voices;
  // with Voices 2 (one undo step, saved in the project) one note is stolen, in the Worker's mixdown
  // and in Node's render of the saved project alike; "0" is refused with a notice and changes nothing.
  const chord = [69, 73, 76];
  await setInstrumentNotes(
    page,
    chord.map((note) => ({ beat: 1, length_beats: 2, note, velocity: 100 })),
  );
  // The exports since the live engine started are at the studio's rate then (the page's), the renders
  // here at the mixdown's.
  let liveRate = 0;
  const chordPowers = (samples: Float32Array) => {
    const at = Math.round(secondsAtBeat(saved.tempo, 2) * liveRate);
    return chord.map((note) => powerAt(samples, liveRate, at, size, midiHz(note)));
  };
  const renderSaved = async (bytes: Buffer, name: string) =>
    (await renderInNode(await unzipProject(new Uint8Array(bytes), name), liveRate)).mixdown;
  const eightFile = await download(page, () => studio.getByRole("button", { name: "Save as file" }).click());
  const voicesField = studio.getByRole("spinbutton", { name: "Voices of Instrument of Faust synth" });
  await expect(voicesField).toHaveValue(String(FAUST_SYNTH_VOICES));
  const beforeVoices = await historyLength(page);
  await voicesField.fill("0");
  await voicesField.press("Enter");
  await expect(studio.getByText('Voices must be a whole number from 1 to 64, not "0"')).toBeVisible();
  await expect(voicesField).toHaveValue(String(FAUST_SYNTH_VOICES));
  await voicesField.fill("2");
  await voicesField.press("Enter");
  await expect
    .poll(async () => {
      const voiced = (await project(page)).tracks[0];
      return voiced?.kind === "instrument" ? voiced.instrument.extensions?.faust : null;
    })
    .toEqual({ source: DEFAULT_FAUST_SYNTH_CODE, voices: 2 });
  expect(await historyLength(page)).toBe(beforeVoices + 1);
  await expect(studio.getByRole("button", { name: "Undo Voices of Faust synth" })).toBeEnabled();
  const twoMixdown = await download(page, () =>
    studio.getByRole("button", { name: "Export mixdown" }).click(),
  );
  const twoFile = await download(page, () => studio.getByRole("button", { name: "Save as file" }).click());
  const twoSaved = await unzipProject(new Uint8Array(twoFile.bytes), twoFile.name);
  const twoTrack = twoSaved.project.tracks[0];
  expect(twoTrack?.kind === "instrument" ? twoTrack.instrument.extensions?.faust : null).toEqual({
    source: DEFAULT_FAUST_SYNTH_CODE,
    voices: 2,
  });
  liveRate = decodeWav(new Uint8Array(twoMixdown.bytes)).sampleRate;
  const twoInNode = await renderSaved(twoFile.bytes, twoFile.name);
  const eight = chordPowers(
    decodeWav(await renderSaved(eightFile.bytes, eightFile.name)).channels[0] as Float32Array,
  );
  expect(Buffer.from(twoInNode).equals(twoMixdown.bytes)).toBe(true);
  const two = chordPowers(decodeWav(twoInNode).channels[0] as Float32Array);
  // Sounding: within 1000x (30 dB) of the loudest note of the chord with 8 voices.
  const loudest = Math.max(...eight);
  const sounding = (powers: number[]) => powers.filter((power) => power > loudest / 1000).length;
  expect(sounding(eight)).toBe(3);
  expect(sounding(two)).toBe(2);
  test.info().annotations.push({
    type: "chord powers at A4, C#5, E5 (8 voices | 2 voices)",
    description: `${eight.map((power) => power.toExponential(2)).join(", ")} | ${two
      .map((power) => power.toExponential(2))
      .join(", ")}`,
  });
  await studio.getByRole("button", { name: "Undo Voices of Faust synth" }).click();
  await expect(voicesField).toHaveValue(String(FAUST_SYNTH_VOICES));

  const state = await page.evaluate(() =>
    document.querySelector("webdreamer-studio")?.engine?.readTransport(),
  );
  expect(state?.badCommands).toBe(0);
  expect(failures).toEqual([]);
});
