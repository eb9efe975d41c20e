/**
 * The built command line against bad files and stuck sessions (docs/reliability.md, "Files and
 * sessions"): each bad session fails alone with its reason, the batch completes, the summary and the
 * exit status say so; paths outside a session's folder need --allow-outside-paths; a FIFO or
 * /dev/zero is refused at once; --timeout stops a session that takes too long; empty path flags are
 * usage errors; no message quotes a file's contents.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AudioData, decodeWav, encodeWav } from "../../src/audio-io/wav";
import type { GraphNodeInput } from "../../src/contracts/graph-descriptor";
import { saveSession } from "../../src/session/index";

const REPO = resolve(import.meta.dirname, "../..");
const RATE = 8000;
const posix = process.platform !== "win32";
const SECRET = "SECRET-TOKEN-51c0ffee";

function noise(frames: number, seed: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length: frames }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 31 - 1) * 0.9;
  });
}

/** A session playing its one WAV (looped) for `seconds`. */
async function playbackSession(
  path: string,
  audio: AudioData,
  seconds = 0.2,
  blockSize = 128,
  after: GraphNodeInput[] = [],
) {
  await saveSession(path, {
    blockSize,
    request: {
      version: "v1alpha",
      request_id: "files",
      sample_rate: audio.sampleRate,
      channels: 1,
      duration_seconds: seconds,
      node_graph: {
        version: "v1alpha",
        output: after.at(-1)?.name ?? "p",
        nodes: [
          { name: "p", node_id: "builtin:playback", buffers: { data: "buf:1" }, params: { loop: 1 } },
          ...after,
        ],
      },
    },
    buffers: new Map([["buf:1", audio]]),
  });
}

/** Points the session's one buffer at `bufferPath`, as written in the JSON. */
async function repoint(sessionPath: string, bufferPath: string) {
  const json = JSON.parse(await readFile(sessionPath, "utf8"));
  json.buffers["buf:1"].path = bufferPath;
  await writeFile(sessionPath, JSON.stringify(json));
}

function webdreamer(args: string[], cwd = REPO) {
  const run = spawnSync(process.execPath, [join(REPO, "bin/webdreamer.mjs"), ...args], {
    cwd,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const audio = (seed: number): AudioData => ({ sampleRate: RATE, channels: [noise(800, seed)] });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "webdreamer-cli-files-"));
  await mkdir(join(dir, "outside"));
  await writeFile(join(dir, "outside", "secret.txt"), `${SECRET}\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a batch with bad sessions among good ones", () => {
  it("renders the good ones, fails each bad one alone with its reason, and says how many failed", async () => {
    const batch = join(dir, "batch");
    await mkdir(batch);
    for (const name of ["good-1", "good-2", "good-3", "escape", "not-wav"]) {
      await playbackSession(join(batch, `${name}.json`), audio(name.length));
    }
    await repoint(join(batch, "escape.json"), "../outside/secret.txt");
    // Not the session's own audio file: saveSession names audio by content, and good-1..3 share theirs.
    await mkdir(join(batch, "junk"));
    await writeFile(join(batch, "junk", "p.data.wav"), `${SECRET}\n`);
    await repoint(join(batch, "not-wav.json"), "junk/p.data.wav");
    await writeFile(join(batch, "bom.json"), `\uFEFF${await readFile(join(batch, "good-1.json"), "utf8")}`);
    // A FIFO named like a session: reading it would block forever.
    if (posix) execFileSync("mkfifo", [join(batch, "pipe.json")]);

    const out = join(dir, "batch-out");
    const run = webdreamer(["render", batch, "-o", out, "--jobs", "2", "--shard", "0/1"]);
    expect(run.status).toBe(1);
    const failed = (name: string, reason: string) => `webdreamer: failed: ${join(batch, name)}: ${reason}`;
    expect(run.stderr).toContain(
      failed(
        "escape.json",
        `E_SCHEMA at buffers["buf:1"].path: "../outside/secret.txt" leads outside the session's folder (${batch}): to read it anyway, pass allowOutsidePaths (the CLI's --allow-outside-paths)`,
      ),
    );
    expect(run.stderr).toContain(
      failed(
        "not-wav.json",
        `E_SCHEMA at buffers["buf:1"].path: ${join(batch, "junk", "p.data.wav")}: not a WAV file (no RIFF/WAVE header)`,
      ),
    );
    const fifoFailure = posix
      ? [
          failed(
            "pipe.json",
            `E_SCHEMA: ${join(batch, "pipe.json")}: not a regular file: it is a FIFO (named pipe)`,
          ),
        ]
      : [];
    for (const line of fifoFailure) expect(run.stderr).toContain(line);
    const sessions = posix ? 7 : 6;
    const failures = posix ? 3 : 2;
    expect(run.stderr).toMatch(
      new RegExp(
        `webdreamer: rendered ${sessions - failures} of ${sessions} sessions \\(shard 0/1 of ${sessions}\\), [\\d.]+ s of audio in [\\d.]+ s; peak [-+]\\d+\\.\\d\\d dBFS; ${failures} failed\\n$`,
      ),
    );
    expect(run.stderr).not.toContain("SECRET");
    expect((await readdir(out)).sort()).toEqual(["bom.wav", "good-1.wav", "good-2.wav", "good-3.wav"]);
    const rendered = decodeWav(await readFile(join(out, "good-2.wav")));
    expect(rendered.channels[0]?.subarray(0, 800)).toEqual(audio(6).channels[0]);

    // -q keeps the failures and the summary that counts them.
    const quiet = webdreamer(["render", batch, "-o", out, "-q"]);
    expect(quiet.status).toBe(1);
    expect(quiet.stderr.trim().split("\n")).toHaveLength(failures + 1);
    expect(quiet.stderr).toContain(`; ${failures} failed\n`);
  });

  it("--timeout fails a session that takes too long, alone, and leaves no partial file", async () => {
    const batch = join(dir, "timeout");
    await mkdir(batch);
    for (const name of ["a", "b", "c"]) await playbackSession(join(batch, `${name}.json`), audio(1), 1);
    // An hour of audio through two reverbs in blocks of one frame: over half a minute of work on a
    // quiet machine, far beyond the timeout of 5 s (which leaves the short sessions room to start
    // their engines on a loaded machine).
    await playbackSession(
      join(batch, "long.json"),
      { sampleRate: 48000, channels: [noise(4800, 2)] },
      3600,
      1,
      [
        { name: "r1", node_id: "builtin:reverb", inputs: ["p"] },
        { name: "r2", node_id: "builtin:reverb", inputs: ["r1"] },
      ],
    );
    const out = join(dir, "timeout-out");
    const started = performance.now();
    const run = webdreamer([
      "render",
      batch,
      "-o",
      out,
      "--stems",
      join(out, "stems"),
      "--jobs",
      "2",
      "--timeout",
      "5",
    ]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `webdreamer: failed: ${join(batch, "long.json")}: E_CANCELLED: timed out: the session took longer than its timeout of 5 s`,
    );
    expect(run.stderr).toMatch(
      /rendered 3 of 4 sessions, [\d.]+ s of audio in [\d.]+ s; peak [-+][\d.]+ dBFS; 1 failed\n$/,
    );
    expect((await readdir(out)).sort()).toEqual(["a.wav", "b.wav", "c.wav"]);
    // Not a speed target: the batch did not wait for half an hour of audio.
    expect(performance.now() - started).toBeLessThan(45_000);
  });
});

describe("paths outside a session's folder", () => {
  it.runIf(posix)("need --allow-outside-paths, which reads them through `..` and links alike", async () => {
    const sessions = join(dir, "outside-sessions");
    await mkdir(sessions);
    await writeFile(join(dir, "outside", "far.wav"), encodeWav(audio(3)));
    await symlink(join(dir, "outside", "far.wav"), join(sessions, "far-link.wav"));
    await playbackSession(join(sessions, "up.json"), audio(1));
    await repoint(join(sessions, "up.json"), "../outside/far.wav");
    await playbackSession(join(sessions, "link.json"), audio(1));
    await repoint(join(sessions, "link.json"), "far-link.wav");
    const out = join(dir, "outside-out");
    const refused = webdreamer(["render", sessions, "-o", out]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('"../outside/far.wav" leads outside the session\'s folder');
    expect(refused.stderr).toContain(
      `${join(sessions, "far-link.wav")}: a symbolic link leads outside the session's folder (${sessions})`,
    );
    expect(refused.stderr).toContain("; 2 failed\n");
    const allowed = webdreamer(["render", sessions, "-o", out, "--allow-outside-paths", "-q"]);
    expect(allowed).toMatchObject({ status: 0, stderr: "" });
    for (const name of ["up.wav", "link.wav"]) {
      expect(decodeWav(await readFile(join(out, name))).channels[0]?.subarray(0, 800)).toEqual(
        audio(3).channels[0],
      );
    }
  });

  it.runIf(existsSync("/dev/zero"))(
    "refuses /dev/zero at once, even with --allow-outside-paths",
    async () => {
      const path = join(dir, "zero.json");
      await playbackSession(path, audio(4));
      await repoint(path, "/dev/zero");
      const refused = webdreamer(["render", path, "-o", join(dir, "zero.wav")]);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain('"/dev/zero" is an absolute path; ');
      const started = performance.now();
      const allowed = webdreamer(["render", path, "-o", join(dir, "zero.wav"), "--allow-outside-paths"]);
      expect(allowed.status).toBe(1);
      expect(allowed.stderr).toContain(
        `webdreamer: failed: ${path}: E_SCHEMA at buffers["buf:1"].path: /dev/zero: not a regular file: it is a character device`,
      );
      expect(performance.now() - started).toBeLessThan(30_000);
    },
  );
});

describe("empty paths", () => {
  it.each([
    [["-o", ""], "-o/--output is an empty path: give a file or directory"],
    [["--output="], "-o/--output is an empty path: give a file or directory"],
    [["-o", "out", "--stems", ""], "--stems is an empty path: give a file or directory"],
  ])("%j is a usage error naming the flag, and nothing is written", async (flags, message) => {
    const cwd = await mkdtemp(join(dir, "cwd-"));
    const session = join(dir, "empty-path.json");
    if (!existsSync(session)) await playbackSession(session, audio(5));
    const run = webdreamer(["render", session, ...flags], cwd);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`webdreamer: ${message}\n`);
    expect(await readdir(cwd)).toEqual([]);
  });
});
