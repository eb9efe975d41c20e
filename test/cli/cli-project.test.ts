/**
 * The built command line on project files (.wdproj): the mixdown and per-track stems it writes are
 * the bytes exportProject makes of the same project, and projects go through the same batch, jobs,
 * sharding, progress and failure reporting as sessions.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine } from "../../src/create-engine";
import { exportProject } from "../../src/project/export-project";
import { saveProjectFile } from "../../src/project/project-folder";
import { projectSong, SONG_RATE } from "../support/project-song";

const REPO = resolve(import.meta.dirname, "../..");

function webdreamer(...args: string[]) {
  const run = spawnSync(process.execPath, [join(REPO, "bin/webdreamer.mjs"), ...args], {
    cwd: REPO,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("webdreamer render on project files", () => {
  let dir: string;

  beforeAll(async () => {
    execFileSync(process.execPath, ["scripts/build-cli.mjs"], { cwd: REPO });
    dir = await mkdtemp(join(tmpdir(), "webdreamer-cli-project-"));
    await saveProjectFile(join(dir, "song.wdproj"), projectSong());
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes the mixdown and a stem per track and bus, the bytes exportProject makes", async () => {
    const run = webdreamer(
      "render",
      join(dir, "song.wdproj"),
      "-o",
      join(dir, "mix.wav"),
      "--stems",
      join(dir, "stems"),
    );
    expect(run.stderr).toContain("webdreamer: 100% | 1/1 sessions");
    expect(run.status).toBe(0);
    expect((await readdir(join(dir, "stems"))).sort()).toEqual(["bass.wav", "drums.wav", "verb.wav"]);

    const engine = await createEngine({ sampleRate: SONG_RATE });
    const exported = await exportProject(engine, projectSong(), { sampleRate: SONG_RATE, stems: true });
    await engine.close();
    expect(Buffer.from(await readFile(join(dir, "mix.wav"))).equals(Buffer.from(exported.mixdown))).toBe(
      true,
    );
    for (const [track, bytes] of exported.stems) {
      expect(
        Buffer.from(await readFile(join(dir, "stems", `${track}.wav`))).equals(Buffer.from(bytes)),
        track,
      ).toBe(true);
    }
    // 2 beats at 120 bpm, stereo float32: 44100 frames of 8 bytes after a 44-byte header.
    expect(exported.mixdown.length).toBe(44 + 44100 * 8);
  });

  it("renders projects in a batch with sessions' jobs and shards, and reports a corrupt project alone", async () => {
    const batch = join(dir, "batch");
    await mkdir(batch);
    for (const name of ["a", "b", "c"]) await saveProjectFile(join(batch, `${name}.wdproj`), projectSong());
    await writeFile(join(batch, "d.wdproj"), "not a zip");
    const out = join(dir, "renders");

    const shard = webdreamer("render", batch, "-o", out, "--shard", "0/2", "--jobs", "2");
    // Sorted a, b, c, d: shard 0 of 2 takes a and c.
    expect(shard.status).toBe(0);
    expect((await readdir(out)).sort()).toEqual(["a.wav", "c.wav"]);

    const all = webdreamer("render", batch, "-o", out, "--jobs", "2", "--format", "pcm16");
    expect(all.status).toBe(1);
    expect(all.stderr).toMatch(
      new RegExp(
        `webdreamer: failed: ${join(batch, "d.wdproj")}: E_SCHEMA at ${join(batch, "d.wdproj")}: is not a webdreamer project file: not a readable zip`,
      ),
    );
    expect(all.stderr).toContain("webdreamer: rendered 3 of 4 sessions");
    expect((await readdir(out)).sort()).toEqual(["a.wav", "b.wav", "c.wav"]);
    // pcm16: 2 bytes a sample.
    expect((await readFile(join(out, "b.wav"))).length).toBe(44 + 44100 * 4);
  });
});
