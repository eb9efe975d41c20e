import { expect, test } from "@playwright/test";
import type { AudioData } from "../src/audio-io/wav-codec";
import { createEngine } from "../src/create-engine";
import { compileProject } from "../src/project/compile-project";
import type { Project } from "../src/project/project-schema";
import { unzipProject } from "../src/project/project-zip";
import { projectSong, SONG_RATE } from "../test/support/project-song";
import { recordPageFailures } from "./support/page-failures";

interface Saved {
  project: string;
  audio: Record<string, string>;
}

declare global {
  interface Window {
    editWithAutosave(name: string): Promise<Saved & { isSaved: boolean; saves: number }>;
    loadSaved(name: string): Promise<Saved>;
    failingSave(name: string): Promise<string>;
    zipSaved(name: string): Promise<number[]>;
    corruptAndLoad(name: string): Promise<string>;
  }
}

async function render(project: Project, audio: ReadonlyMap<string, AudioData>): Promise<Float32Array[]> {
  const engine = await createEngine({ sampleRate: SONG_RATE });
  try {
    const buffers: Record<string, string> = {};
    for (const [id, data] of audio) buffers[id] = await engine.uploadBuffer(data.channels, data.sampleRate);
    const result = await engine.render(compileProject(project, { sampleRate: SONG_RATE, buffers }).request);
    return await engine.readBuffer(result.buffer_handle as string);
  } finally {
    await engine.close();
  }
}

test("an autosaved project in OPFS survives a reload, a failed save keeps it, and its zip renders as in Node", async ({
  page,
}) => {
  const name = `project-e2e-${Date.now()}`;
  const failures = recordPageFailures(page);
  // The page's module defines its functions once loaded (Vite may first optimise a new dependency).
  const ready = () => page.waitForFunction(() => "loadSaved" in window);
  await page.goto("/e2e/pages/project-opfs.html");
  await ready();
  const edited = await page.evaluate((n) => window.editWithAutosave(n), name);
  expect(edited.isSaved).toBe(true);
  expect(edited.saves).toBe(1); // two edits within the delay: one save

  await page.reload();
  await ready();
  const loaded = await page.evaluate((n) => window.loadSaved(n), name);
  const project = JSON.parse(loaded.project) as Project;
  // The edited project, each audio entry now carrying the SHA-256 it is saved under.
  const withoutHashes = { ...project, audio: project.audio.map(({ sha256: _, ...rest }) => rest) };
  expect(JSON.stringify(withoutHashes)).toBe(edited.project);
  expect(project.tracks[1]?.mixer).toMatchObject({ volume_db: -6, pan: 0.25 });
  expect(project.tracks[0]?.name).toBe("Loop");
  expect(loaded.audio).toEqual(edited.audio);

  expect(await page.evaluate((n) => window.failingSave(n), name)).toBe(
    'E_SCHEMA at project.audio[0]: no audio given for "drums"',
  );
  await page.reload();
  await ready();
  expect(await page.evaluate((n) => window.loadSaved(n), name)).toEqual(loaded);

  // The portable file made in the page opens in Node and renders what the project renders there.
  const zip = new Uint8Array(await page.evaluate((n) => window.zipSaved(n), name));
  const opened = await unzipProject(zip, "browser.wdproj");
  expect(opened.project).toEqual(project);
  const song = projectSong();
  const fromPage = await render(opened.project, opened.audio);
  const inNode = await render(withoutHashes as Project, song.audio);
  expect(fromPage[0]?.length).toBe(inNode[0]?.length);
  for (let c = 0; c < 2; c++) {
    const a = fromPage[c] as Float32Array;
    const b = inNode[c] as Float32Array;
    expect(a.filter((value, i) => !Object.is(value, b[i])).length).toBe(0);
  }
  expect(Math.max(...(fromPage[0] as Float32Array).map(Math.abs))).toBeGreaterThan(0.1);

  expect(await page.evaluate((n) => window.corruptAndLoad(n), name)).toBe(
    "E_SCHEMA at project.format_version: is 9, newer than this webdreamer reads (1): open it with a later version",
  );
  expect(failures).toEqual([]);
});
