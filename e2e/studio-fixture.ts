/**
 * What the studio's browser tests share: opening the studio on a new project, reading its project and
 * history, test audio (a tone WAV, a click file for Chromium's fake capture device), reading the live
 * engine's meters, and the small signal measures the tests check numbers with.
 */
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, type Page } from "@playwright/test";

import { encodeWav } from "../src/audio-io/wav-codec";
import type { Project } from "../src/project/project-schema";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium";

/**
 * Opens the studio at `url` once discovery has filled the Instrument picker (the rack and the picker
 * read it), and starts a new project.
 */
export async function openNewStudio(page: Page, url = "/"): Promise<void> {
  await page.goto(url);
  const studio = page.locator("webdreamer-studio");
  await studio.locator(".arrangement").hover();
  await expect(studio.getByLabel("Instrument", { exact: true })).toHaveValue("builtin:synth", {
    timeout: 30_000,
  });
  await studio.getByRole("button", { name: "New" }).click();
}

/** The studio's project as plain JSON. */
export function studioProject(page: Page): Promise<Project> {
  return page.evaluate(() => {
    const studio = document.querySelector("webdreamer-studio");
    if (!studio) throw new Error("no studio on the page");
    return JSON.parse(JSON.stringify(studio.project)) as Project;
  });
}

/** How many edits the studio's history can undo. */
export function historyLength(page: Page): Promise<number> {
  return page.evaluate(() => document.querySelector("webdreamer-studio")?.editor.history.done.length ?? -1);
}

/** The page's audio rate (a fresh AudioContext's, which the studio's engine gets too). */
export function pageSampleRate(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const context = new AudioContext();
    const rate = context.sampleRate;
    await context.close();
    return rate;
  });
}

/** A mono float32 WAV of `seconds` of a sine of `hz` and `amplitude` at `rate`. */
export function toneWav(rate: number, seconds: number, hz = 1000, amplitude = 0.4): Buffer {
  const samples = new Float32Array(Math.round(seconds * rate));
  for (let i = 0; i < samples.length; i++) samples[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / rate);
  return Buffer.from(encodeWav({ sampleRate: rate, channels: [samples] }, { format: "float32" }));
}

/**
 * Launch options for Chromium whose fake capture device plays a file of clicks: 4 frames of 0.9 every
 * 0.25 s at 48 kHz, 2 s long (the device loops it). For `test.use({ launchOptions })`.
 */
export function fakeClickCapture(tag: string) {
  const file = join(tmpdir(), `webdreamer-${tag}-clicks-${process.pid}.wav`);
  const channel = new Float32Array(96000);
  for (let at = 1000; at < channel.length; at += 12000) channel.fill(0.9, at, at + 4);
  writeFileSync(file, encodeWav({ sampleRate: 48000, channels: [channel] }, { format: "pcm16" }));
  return {
    executablePath: CHROMIUM_PATH,
    args: [
      ...CHROMIUM_ARGS,
      "--use-fake-ui-for-media-stream",
      "--use-fake-device-for-media-stream",
      `--use-file-for-fake-audio-capture=${file}`,
    ],
  };
}

/** Frames where |x| first reaches 0.25 after at least 1000 frames below it (the clicks' onsets). */
export function clickOnsets(channel: ArrayLike<number>): number[] {
  const found: number[] = [];
  let quiet = 1000;
  for (let i = 0; i < channel.length; i++) {
    if (Math.abs(channel[i] as number) >= 0.25) {
      if (quiet >= 1000) found.push(i);
      quiet = 0;
    } else quiet++;
  }
  return found;
}

/** The live engine's master window peak (left) over 20 animation frames; -1 without an engine. */
export function masterPeak(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const engine = document.querySelector("webdreamer-studio")?.engine;
    if (!engine) return -1;
    const reading = engine.createMeterReading();
    let peak = 0;
    for (let frame = 0; frame < 20; frame++) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
      engine.readMeters(reading);
      peak = Math.max(peak, reading.windowPeak[0] ?? 0);
    }
    return peak;
  });
}

/** The power of `samples[from, from + size)` at `hz` (Goertzel under a Hann window). */
export function powerAt(samples: Float32Array, rate: number, from: number, size: number, hz: number): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * hz) / rate);
  let s1 = 0;
  let s2 = 0;
  for (let n = 0; n < size; n++) {
    const windowed = (samples[from + n] ?? 0) * (0.5 - 0.5 * Math.cos((2 * Math.PI * n) / size));
    const s0 = windowed + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coefficient * s1 * s2;
}

/** The frequency of a MIDI note (A4 = 69 = 440 Hz). */
export const midiHz = (note: number) => 440 * 2 ** ((note - 69) / 12);
