/**
 * The built command line on project files (.wdproj): the mixdown and per-track stems it writes are
 * the bytes exportProject makes of the same project, and projects go through the same batch, jobs,
 * sharding, progress and failure reporting as sessions.
 */
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeWav } from "../../src/audio-io/wav-codec";
import { createEngine } from "../../src/create-engine";
import { exportProject } from "../../src/project/export-project";
import { saveProjectFile } from "../../src/project/project-folder";
import { projectSong, SONG_RATE } from "../support/project-song";

const REPO = resolve(import.meta.dirname, "../..");

function webdreamer(...args: string[]) {
  const run = spawnSync(process.execPath, [join(REPO, "bin/webdreamer.mjs"), ...args], {
    cwd: REPO,
    encoding: "utf8",
    // A hang guard (spawnSync blocks the event loop, so Vitest's own timeout cannot fire), long
    // enough for a start at the idle scheduling class beside the browser tests (vitest.config.ts).
    timeout: 120_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("webdreamer render on project files", () => {
  let dir: string;

  beforeAll(async () => {
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
    expect(run.stderr).toContain("webdreamer: 100% | 1/1 projects");
    expect(run.stderr).toMatch(
      /webdreamer: rendered 1 of 1 projects, 1\.0 s of audio in [\d.]+ s; peak [-+]\d+\.\d\d dBFS\n$/,
    );
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
    expect(all.stderr).toMatch(
      /webdreamer: rendered 3 of 4 projects, [\d.]+ s of audio in [\d.]+ s; peak [-+][\d.]+ dBFS; 3 files clipped; 1 failed\n$/,
    );
    expect((await readdir(out)).sort()).toEqual(["a.wav", "b.wav", "c.wav"]);
    // pcm16: 2 bytes a sample.
    expect((await readFile(join(out, "b.wav"))).length).toBe(44 + 44100 * 4);
  });

  it("--sample-rate renders a project at the rate asked: the WAV's rate and the project's length in its frames", async () => {
    // The song is 2 beats at 120 bpm, 1 s; its audio is at 44100 Hz, its rate without the flag.
    for (const rate of [48000, 22050]) {
      const out = join(dir, `at-${rate}.wav`);
      const run = webdreamer(
        "render",
        join(dir, "song.wdproj"),
        "-o",
        out,
        "--sample-rate",
        String(rate),
        "-q",
      );
      expect(run.status, run.stderr).toBe(0);
      const bytes = await readFile(out);
      expect(bytes.readUInt32LE(24)).toBe(rate); // the fmt chunk's sample rate
      const wav = decodeWav(new Uint8Array(bytes));
      expect(wav.sampleRate).toBe(rate);
      expect(wav.channels.map((channel) => channel.length)).toEqual([rate, rate]);
      // The same samples exportProject renders at that rate.
      const engine = await createEngine({ sampleRate: rate });
      const exported = await exportProject(engine, projectSong(), { sampleRate: rate });
      await engine.close();
      expect(bytes.equals(Buffer.from(exported.mixdown)), String(rate)).toBe(true);
    }
  });

  it("refuses a bad --sample-rate, and --sample-rate with a session, as bad usage", async () => {
    const bad = webdreamer(
      "render",
      join(dir, "song.wdproj"),
      "-o",
      join(dir, "x.wav"),
      "--sample-rate",
      "1000",
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(
      'webdreamer: --sample-rate must be an integer from 3000 to 768000 (got "1000")\nRun "webdreamer --help" for usage.\n',
    );
    await writeFile(join(dir, "take.json"), "{}");
    const session = webdreamer(
      "render",
      join(dir, "song.wdproj"),
      join(dir, "take.json"),
      "-o",
      join(dir, "out"),
      "--sample-rate",
      "44100",
    );
    expect(session.status).toBe(2);
    expect(session.stderr).toBe(
      `webdreamer: --sample-rate applies to project files (.wdproj) only: ${join(dir, "take.json")} is a session, which renders at its file's sample_rate\nRun "webdreamer --help" for usage.\n`,
    );
  });

  it("says project, not session, in its messages about projects", async () => {
    const song = join(dir, "song.wdproj");
    const stem = webdreamer(
      "render",
      song,
      "-o",
      join(dir, "s.wav"),
      "--stems",
      join(dir, "s"),
      "--stem",
      "nope",
    );
    expect(stem.status).toBe(1);
    expect(stem.stderr).toContain(
      `webdreamer: failed: ${song}: E_UNKNOWN_NODE: --stem nope: no node named "nope" in the project's graph (nodes: `,
    );
    expect(stem.stderr).toMatch(
      /webdreamer: rendered 0 of 1 projects, 0\.0 s of audio in [\d.]+ s; 1 failed\n$/,
    );

    const timedOut = webdreamer("render", song, "-o", join(dir, "t.wav"), "--timeout", "0.001");
    expect(timedOut.status).toBe(1);
    expect(timedOut.stderr).toContain(
      `webdreamer: failed: ${song}: E_CANCELLED: timed out: the project took longer than its timeout of 0.001 s\n`,
    );

    const batch = join(dir, "batch");
    const oneFile = webdreamer("render", batch, "-o", join(dir, "one.wav"));
    expect(oneFile.status).toBe(2);
    expect(oneFile.stderr).toBe(
      `webdreamer: -o ${join(dir, "one.wav")} names one file, but there are 4 projects: give a directory\nRun "webdreamer --help" for usage.\n`,
    );
    const emptyShard = webdreamer("render", batch, "-o", join(dir, "none"), "--shard", "4/5");
    expect(emptyShard.status).toBe(0);
    expect(emptyShard.stderr).toBe("webdreamer: shard 4/5 has none of the 4 projects\n");
  });
});
