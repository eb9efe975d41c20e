/**
 * What the studio's browser tests share: opening the studio on a new project, reading its project and
 * history, setting a clip's notes, test audio (a tone WAV in Node or in the page) and the last audio
 * take, reading the live engine's meters, a saved project rendered in Node, Cancel pressed on a running
 * export, and the small signal measures the tests check numbers with.
 */
import { expect, type Page } from "@playwright/test";

import { decodeWav, encodeWav } from "../src/audio-io/wav-codec";
import { createEngine } from "../src/create-engine";
import { exportProject, type ProjectExport } from "../src/project/export-project";
import type { ProjectWithAudio } from "../src/project/project-package";
import type { MidiClip, Project } from "../src/project/project-schema";
import { unzipProject } from "../src/project/project-zip";
import { download } from "./support/downloads";

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

/** A note as the tests write it (its channel the default). */
type ClipNote = Pick<MidiClip["notes"][number], "beat" | "length_beats" | "note" | "velocity">;

/**
 * Sets the notes of the first clip of the instrument track at `trackIndex`, through the editor (one
 * undo step).
 */
export async function setInstrumentNotes(page: Page, notes: ClipNote[], trackIndex = 0): Promise<void> {
  await page.evaluate(
    ({ notes, trackIndex }) => {
      const element = document.querySelector("webdreamer-studio");
      const track = element?.project.tracks[trackIndex];
      if (!element || track?.kind !== "instrument") throw new Error(`no instrument track at ${trackIndex}`);
      element.editor.execute({
        type: "update_clip",
        track_id: track.id,
        clip_id: track.clips[0]?.id as string,
        clip: { notes },
      });
    },
    { notes, trackIndex },
  );
}

/** Resolves once every edit so far reached the studio's live engine. */
export function settled(page: Page): Promise<void> {
  return page.evaluate(() => document.querySelector("webdreamer-studio")?.settled());
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
 * For `page.addInitScript`: `window.toneWav(name, seconds, rate, frequency = 1000)` makes a mono
 * float32 WAV File of a sine of amplitude 0.4 in the page (no fixture file to keep).
 */
export const TONE_WAV_IN_PAGE = `
  window.toneWav = (name, seconds, rate, frequency = 1000) => {
    const frames = Math.round(seconds * rate);
    const samples = new Float32Array(frames);
    for (let i = 0; i < frames; i++) samples[i] = 0.4 * Math.sin((2 * Math.PI * frequency * i) / rate);
    const header = new DataView(new ArrayBuffer(44));
    const text = (at, s) => [...s].forEach((c, i) => header.setUint8(at + i, c.charCodeAt(0)));
    text(0, "RIFF");
    header.setUint32(4, 36 + samples.byteLength, true);
    text(8, "WAVEfmt ");
    header.setUint32(16, 16, true);
    header.setUint16(20, 3, true);
    header.setUint16(22, 1, true);
    header.setUint32(24, rate, true);
    header.setUint32(28, rate * 4, true);
    header.setUint16(32, 4, true);
    header.setUint16(34, 32, true);
    text(36, "data");
    header.setUint32(40, samples.byteLength, true);
    return new File([header.buffer, samples], name, { type: "audio/wav" });
  };
`;

declare global {
  interface Window {
    toneWav(name: string, seconds: number, rate: number, frequency?: number): File;
  }
}

/** The studio's last audio take as plain numbers (its first channel as an array). */
export function lastAudioTake(page: Page) {
  return page.evaluate(() => {
    const finished = document.querySelector("webdreamer-studio")?.lastAudioTake;
    if (!finished) throw new Error("no audio take");
    return {
      sampleRate: finished.take.sampleRate,
      startFrame: finished.take.startFrame,
      latency: finished.take.latency,
      lostFrames: finished.take.lostFrames,
      startBeat: finished.startBeat,
      audio: Array.from(finished.audio.channels[0] ?? []),
      takeLength: finished.take.channels[0]?.length ?? 0,
    };
  });
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

/**
 * The studio's project played by its live engine (a live render, not offline) from beat 0 to
 * `endBeat`, once every edit reached it. With stems, which mark captures, so the graph differs from
 * the one playing and loads afresh: no tail of what played before (a kept graph keeps its processors'
 * state, docs/realtime.md). Returns the output's channels and the left channel of each capture (every
 * track's strip, and the nodes `extra` names), by node name.
 */
export function liveRender(page: Page, endBeat: number, extra: string[] = []) {
  return page.evaluate(
    async ({ endBeat, extra }) => {
      const element = document.querySelector("webdreamer-studio");
      const engine = element?.engine;
      if (!element || !engine) throw new Error("the studio's engine has not started");
      await element.settled();
      const path = "/src/project/compile-project.ts";
      const { compileProject } = (await import(
        /* @vite-ignore */ path
      )) as typeof import("../src/project/compile-project");
      const { request } = compileProject(element.project, {
        sampleRate: engine.context.sampleRate,
        buffers: element.engineBuffers,
        range: { start_beat: 0, end_beat: endBeat },
        stems: true,
      });
      const options = { ...request.options, offline: false };
      if (extra.length > 0) options.capture = [...((request.options.capture as string[]) ?? []), ...extra];
      const result = await engine.render({ ...request, options });
      const [left, right] = await engine.readBuffer(result.buffer_handle as string);
      const handles = (result.extensions as { captures?: Record<string, string> }).captures ?? {};
      const captures: Record<string, number[]> = {};
      for (const [name, handle] of Object.entries(handles))
        captures[name] = Array.from((await engine.readBuffer(handle))[0] as Float32Array);
      return {
        status: result.status,
        graph: (result.extensions.live_render as { graph?: string } | undefined)?.graph,
        frames: result.frames,
        rate: engine.context.sampleRate,
        left: Array.from(left ?? []),
        right: Array.from(right ?? []),
        captures,
      };
    },
    { endBeat, extra },
  );
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

/** A saved project (unzipProject's) rendered by Node.js at `sampleRate`, as the studio's exports render. */
export async function renderInNode(
  opened: ProjectWithAudio,
  sampleRate: number,
  stems = false,
): Promise<ProjectExport> {
  const node = await createEngine({ sampleRate });
  try {
    return await exportProject(node, opened, { sampleRate, stems });
  } finally {
    await node.close();
  }
}

/**
 * Export mixdown and Save as file, through the buttons: the mixdown's download and WAV, and the saved
 * project opened and rendered by Node.js at the mixdown's rate (the tests check the same bytes).
 */
export async function exportAndRenderInNode(page: Page) {
  const studio = page.locator("webdreamer-studio");
  const mixdown = await download(page, () => studio.getByRole("button", { name: "Export mixdown" }).click());
  const file = await download(page, () => studio.getByRole("button", { name: "Save as file" }).click());
  const exported = decodeWav(new Uint8Array(mixdown.bytes));
  const opened = await unzipProject(new Uint8Array(file.bytes), file.name);
  const inNode = await renderInNode(opened, exported.sampleRate);
  return { mixdown, file, exported, opened, inNode };
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

/** What the project bar showed when cancelExportAsItShows pressed Cancel. */
export interface CancelledExport {
  /** The progress bar's name ("Mixdown export", "Stems export"). */
  label: string | null;
  /** Its value, 0..1, when Cancel was pressed. */
  progress: number;
  /** The project bar's export buttons that were disabled then. */
  disabled: string[];
}

/**
 * Presses the project bar's "Cancel export" in the page, the first frame it shows (up to 20 s): a
 * click sent from the test takes round trips, and on a busy machine a CI run saw a short export end
 * first, its button gone and the click waiting for it until the test timed out. Fails with the
 * studio's notice when the button never shows.
 */
export async function cancelExportAsItShows(page: Page): Promise<CancelledExport> {
  const outcome = await page.evaluate(async () => {
    const root = document.querySelector("webdreamer-studio")?.shadowRoot;
    if (!root) throw new Error("no studio on the page");
    const end = performance.now() + 20_000;
    while (performance.now() < end) {
      const buttons = [...root.querySelectorAll("button")];
      const cancel = buttons.find((b) => b.textContent === "Cancel export");
      const bar = root.querySelector<HTMLProgressElement>(".export-progress progress");
      if (cancel && bar) {
        const shown = {
          label: bar.getAttribute("aria-label"),
          progress: bar.value,
          disabled: buttons.filter((b) => b.disabled).map((b) => b.textContent?.trim() ?? ""),
        };
        cancel.click();
        return shown;
      }
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    return { notice: root.querySelector('[role="alert"]')?.textContent?.trim() ?? "(no notice)" };
  });
  if ("notice" in outcome)
    throw new Error(`no "Cancel export" within 20 s; the studio says: ${outcome.notice}`);
  return outcome;
}
