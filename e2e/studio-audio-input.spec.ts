/**
 * Recording the live audio input in <webdreamer-studio>: an armed audio track, Record and Play take
 * Chromium's fake capture device (a WAV of clicks, e2e/support/fake-capture.ts) into a new clip "Take 1" where
 * recording started less the measured input latency, as one undo step, with nothing of the input
 * heard (monitoring off).
 */
import { expect, test } from "@playwright/test";
import { beatAtSeconds } from "../src/contracts/tempo-map";
import { clickOnsets, historyLength, lastAudioTake, studioProject as project } from "./studio-fixture";
import { recordPageFailures } from "./support/page-failures";

test("an armed audio track records the fake capture device into a clip at the start less the input latency, one undo step", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const failures = recordPageFailures(page);
  await page.goto("/");
  const studio = page.locator("webdreamer-studio");
  await studio.getByRole("button", { name: "New" }).click();
  await page.evaluate(() =>
    document
      .querySelector("webdreamer-studio")
      ?.editor.execute({ type: "add_track", track: { kind: "audio", id: "vox", name: "Vox" } }),
  );
  const arm = studio.getByRole("button", { name: "Arm Vox" });
  await arm.click();
  await expect(arm).toHaveAttribute("aria-pressed", "true");

  // The engine starts with a first Play; the take then starts at 2 s.
  await studio.getByRole("button", { name: "Play" }).click();
  await page.waitForFunction(() => document.querySelector("webdreamer-studio")?.engine !== null);
  await studio.getByRole("button", { name: "Pause" }).click();
  await page.evaluate(() => document.querySelector("webdreamer-studio")?.engine?.seek(2));
  const steps = await historyLength(page);

  await studio.getByRole("button", { name: "Record", exact: true }).click();
  await studio.getByRole("button", { name: "Play" }).click();
  // While recording, nothing of the input is heard: the master meter reads silence.
  const heard = await page.evaluate(async () => {
    const engine = document.querySelector("webdreamer-studio")?.engine;
    if (!engine) throw new Error("no engine");
    const reading = engine.createMeterReading();
    let peak = 0;
    const deadline = performance.now() + 20_000;
    while (!(engine.readTransport().running && engine.readTransport().positionSeconds >= 3.6)) {
      if (performance.now() > deadline) throw new Error("the transport never reached 3.6 s");
      engine.readMeters(reading);
      peak = Math.max(peak, reading.windowPeak[0] ?? 0, reading.windowPeak[1] ?? 0);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return peak;
  });
  await studio.getByRole("button", { name: "Stop" }).click();
  await expect(studio.getByRole("button", { name: /^Audio clip Take 1/ })).toBeVisible();
  await studio.locator(".arrangement").screenshot({ path: "docs/images/studio-audio-take.png" });

  const made = await lastAudioTake(page);
  const { sampleRate, startFrame, latency } = made;
  const after = await project(page);
  const track = after.tracks.find((t) => t.id === "vox");
  const clip = track?.kind === "audio" ? track.clips[0] : undefined;
  const clicks = clickOnsets(made.audio);
  console.log(
    `studio take at ${sampleRate} Hz: started on transport frame ${startFrame}, latency ${JSON.stringify(latency)}, ` +
      `clip ${JSON.stringify(clip)}, ${made.audio.length} frames, clicks at clip frames ${JSON.stringify(clicks)}; ` +
      `master peak while recording ${heard}`,
  );
  expect(heard).toBe(0);
  expect(made.lostFrames).toBe(0);
  // Recording started where play did: 2 s.
  expect(startFrame).toBe(2 * sampleRate);
  expect(latency.frames).toBe(Math.round(latency.seconds * sampleRate));
  expect(latency.frames).toBeGreaterThan(0);
  // The clip: at the beat of the start less the latency, holding the whole take (nothing cut).
  const startBeat = beatAtSeconds(after.tempo, (startFrame - latency.frames) / sampleRate);
  expect(clip?.name).toBe("Take 1");
  expect(clip && "content_id" in clip ? clip.start_beat : null).toBeCloseTo(startBeat, 9);
  expect(made.audio.length).toBe(made.takeLength);
  const source = after.audio.find((a) => clip && "content_id" in clip && a.content_id === clip.content_id);
  expect(source).toMatchObject({ sample_rate: sampleRate, frames: made.takeLength, channels: 2 });
  // The file's clicks, 0.25 s apart (the device loops its 2 s file: one gap may differ).
  expect(clicks.length).toBeGreaterThanOrEqual(5);
  const gaps = clicks.slice(1).map((frame, i) => frame - (clicks[i] as number));
  const period = 0.25 * sampleRate;
  expect(gaps.filter((gap) => Math.abs(gap - period) <= 2).length).toBeGreaterThanOrEqual(gaps.length - 1);

  // One undo step: Undo removes the clip and its audio.
  expect(await historyLength(page)).toBe(steps + 1);
  await page.evaluate(() => document.querySelector("webdreamer-studio")?.undo());
  const undone = await project(page);
  const vox = undone.tracks.find((t) => t.id === "vox");
  expect(vox?.kind === "audio" ? vox.clips.length : -1).toBe(0);
  expect(undone.audio.length).toBe(0);
  expect(failures).toEqual([]);
});
