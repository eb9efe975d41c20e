/**
 * What readSession reads (docs/reliability.md, "Files and sessions"): WAVs inside the session's
 * folder only unless allowOutsidePaths (no absolute path, no `..`, no symbolic link leading out);
 * regular files only (a FIFO or /dev/zero is refused at once); size caps with E_LIMIT; a UTF-8 BOM
 * accepted; and no message that quotes what a file holds.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, symlink, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeWav } from "../../src/audio-io/wav";
import { EngineError, LIMITS } from "../../src/contracts/index";
import { type ReadSessionOptions, readSession } from "../../src/session/index";

const posix = process.platform !== "win32";
const SECRET = "SECRET-TOKEN-3f9a1c";

let root: string;
/** <root>/sessions: the session folder; <root>/elsewhere: a folder beside it. */
let sessions: string;
let elsewhere: string;
const wav = encodeWav({ sampleRate: 8000, channels: [Float32Array.from({ length: 80 }, (_, i) => i / 80)] });

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "webdreamer-session-files-"));
  sessions = join(root, "sessions");
  elsewhere = join(root, "elsewhere");
  await mkdir(join(sessions, "take.audio"), { recursive: true });
  await mkdir(elsewhere);
  await writeFile(join(sessions, "take.audio", "tone.wav"), wav);
  await writeFile(join(elsewhere, "tone.wav"), wav);
  await writeFile(join(elsewhere, "secret.txt"), `${SECRET}\n`);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function sessionJson(bufferPath: string): string {
  return JSON.stringify({
    version: "v1alpha",
    sample_rate: 8000,
    block_size: 128,
    request: {
      version: "v1alpha",
      request_id: "files",
      sample_rate: 8000,
      channels: 1,
      duration_seconds: 0.01,
      node_graph: {
        version: "v1alpha",
        output: "p",
        nodes: [{ name: "p", node_id: "builtin:playback", buffers: { data: "buf:1" } }],
      },
    },
    buffers: { "buf:1": { path: bufferPath } },
  });
}

let count = 0;
/** Writes a session naming `bufferPath` into `folder` and reads it: the error's message, or "read". */
async function read(
  bufferPath: string,
  options: ReadSessionOptions = {},
  folder = sessions,
): Promise<string> {
  const path = join(folder, `s${count++}.json`);
  await writeFile(path, sessionJson(bufferPath));
  return readSession(path, options).then(
    (session) => `read ${session.audio.get("buf:1")?.channels[0]?.length} frames`,
    (error: Error) => {
      expect(error).toBeInstanceOf(EngineError);
      return error.message;
    },
  );
}

const AT = 'at buffers["buf:1"].path';
const OPT_IN = "to read it anyway, pass allowOutsidePaths (the CLI's --allow-outside-paths)";

describe("buffer paths stay inside the session's folder", () => {
  it("reads a WAV inside the folder, also through `..` that stays inside", async () => {
    expect(await read("take.audio/tone.wav")).toBe("read 80 frames");
    expect(await read("take.audio/../take.audio/tone.wav")).toBe("read 80 frames");
  });

  it("refuses `..` leading out, and reads it with allowOutsidePaths", async () => {
    expect(await read("../elsewhere/tone.wav")).toBe(
      `E_SCHEMA ${AT}: "../elsewhere/tone.wav" leads outside the session's folder (${sessions}): ${OPT_IN}`,
    );
    expect(await read("../elsewhere/tone.wav", { allowOutsidePaths: true })).toBe("read 80 frames");
  });

  it("refuses an absolute path, even one inside the folder, and reads it with allowOutsidePaths", async () => {
    const inside = join(sessions, "take.audio", "tone.wav");
    expect(await read(inside)).toBe(
      `E_SCHEMA ${AT}: ${JSON.stringify(inside)} is an absolute path; a session's WAVs must be inside its folder (${sessions}): ${OPT_IN}`,
    );
    expect(await read(join(elsewhere, "tone.wav"), { allowOutsidePaths: true })).toBe("read 80 frames");
  });

  it.runIf(posix)(
    "refuses a symbolic link leading out (real paths compared), and follows it with allowOutsidePaths",
    async () => {
      await symlink(join(elsewhere, "tone.wav"), join(sessions, "take.audio", "link-out.wav"));
      await symlink(elsewhere, join(sessions, "dir-link"));
      await symlink("tone.wav", join(sessions, "take.audio", "link-in.wav"));
      expect(await read("take.audio/link-out.wav")).toBe(
        `E_SCHEMA ${AT}: ${join(sessions, "take.audio", "link-out.wav")}: a symbolic link leads outside the session's folder (${sessions}): ${OPT_IN}`,
      );
      expect(await read("dir-link/tone.wav")).toMatch(
        /: a symbolic link leads outside the session's folder /,
      );
      expect(await read("take.audio/link-in.wav")).toBe("read 80 frames");
      expect(await read("take.audio/link-out.wav", { allowOutsidePaths: true })).toBe("read 80 frames");
    },
  );

  it.runIf(posix)("accepts a session folder that is itself reached through a link", async () => {
    await symlink(sessions, join(root, "linked-sessions"));
    expect(await read("take.audio/tone.wav", {}, join(root, "linked-sessions"))).toBe("read 80 frames");
  });
});

describe("only regular files, within the size limits", () => {
  it.runIf(posix)("refuses a FIFO at once (it would block forever), inside the folder or out", async () => {
    execFileSync("mkfifo", [join(sessions, "take.audio", "pipe.wav")]);
    const started = performance.now();
    expect(await read("take.audio/pipe.wav")).toBe(
      `E_SCHEMA ${AT}: ${join(sessions, "take.audio", "pipe.wav")}: not a regular file: it is a FIFO (named pipe)`,
    );
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it.runIf(existsSync("/dev/zero"))(
    "refuses /dev/zero at once (it never ends): as a path leading out, and when allowed",
    async () => {
      await symlink("/dev/zero", join(sessions, "take.audio", "zero.wav"));
      const started = performance.now();
      expect(await read("/dev/zero")).toMatch(/ is an absolute path; /);
      expect(await read("take.audio/zero.wav")).toMatch(
        /: a symbolic link leads outside the session's folder /,
      );
      expect(await read("/dev/zero", { allowOutsidePaths: true })).toBe(
        `E_SCHEMA ${AT}: /dev/zero: not a regular file: it is a character device`,
      );
      expect(await read("take.audio/zero.wav", { allowOutsidePaths: true })).toBe(
        `E_SCHEMA ${AT}: ${join(sessions, "take.audio", "zero.wav")}: not a regular file: it is a character device`,
      );
      expect(performance.now() - started).toBeLessThan(5000);
    },
  );

  it("refuses a directory named as a WAV", async () => {
    expect(await read("take.audio")).toBe(
      `E_SCHEMA ${AT}: ${join(sessions, "take.audio")}: not a regular file: it is a directory`,
    );
  });

  it.runIf(posix)("refuses a session file that is a FIFO or a device", async () => {
    const fifo = join(sessions, "pipe.json");
    execFileSync("mkfifo", [fifo]);
    await expect(readSession(fifo)).rejects.toThrow(
      `E_SCHEMA: ${fifo}: not a regular file: it is a FIFO (named pipe)`,
    );
    if (existsSync("/dev/zero")) {
      await expect(readSession("/dev/zero")).rejects.toThrow(
        "E_SCHEMA: /dev/zero: not a regular file: it is a character device",
      );
    }
  });

  it("refuses a WAV over LIMITS.audioFileBytes with E_LIMIT naming the file, the limit and the size", async () => {
    const big = join(sessions, "take.audio", "huge.wav");
    await writeFile(big, wav);
    const size = LIMITS.audioFileBytes.value + 1;
    await truncate(big, size); // sparse: no disk space used
    expect(await read("take.audio/huge.wav")).toBe(
      `E_LIMIT ${AT}: ${big}: the file is ${size} bytes; the limit for a WAV file of a session is ${LIMITS.audioFileBytes.value} bytes (audioFileBytes)`,
    );
  });

  it("refuses a session file over LIMITS.sessionFileBytes with E_LIMIT", async () => {
    const big = join(sessions, "huge.json");
    await writeFile(big, sessionJson("take.audio/tone.wav"));
    const size = LIMITS.sessionFileBytes.value + 10;
    await truncate(big, size);
    await expect(readSession(big)).rejects.toThrow(
      `E_LIMIT: ${big}: the file is ${size} bytes; the limit for a session file is ${LIMITS.sessionFileBytes.value} bytes (sessionFileBytes)`,
    );
  });
});

describe("session text", () => {
  it("accepts a UTF-8 byte-order mark at the start", async () => {
    const path = join(sessions, "bom.json");
    await writeFile(path, `\uFEFF${sessionJson("take.audio/tone.wav")}`);
    expect((await readFile(path)).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const session = await readSession(path);
    expect(session.file.request.request_id).toBe("files");
  });

  it("never quotes a file's contents: not JSON, not WAV", async () => {
    const notJson = join(sessions, "secret.json");
    await writeFile(notJson, `${SECRET} and more\n`);
    const jsonError = await readSession(notJson).catch((error: Error) => error.message);
    expect(jsonError).toBe("E_SCHEMA: is not valid JSON: unexpected character");
    await writeFile(notJson, `{"version": "v1alpha",\n  "x": ${SECRET}}`);
    expect(await readSession(notJson).catch((error: Error) => error.message)).toBe(
      "E_SCHEMA: is not valid JSON: unexpected character",
    );
    await writeFile(notJson, `{"version": "v1alpha",\n  "${SECRET}": 1,}`);
    expect(await readSession(notJson).catch((error: Error) => error.message)).toBe(
      "E_SCHEMA: is not valid JSON: expected double-quoted property name (line 2, column 28)",
    );
    const wavError = await read("../elsewhere/secret.txt", { allowOutsidePaths: true });
    expect(wavError).toBe(
      `E_SCHEMA ${AT}: ${join(elsewhere, "secret.txt")}: not a WAV file (no RIFF/WAVE header)`,
    );
    for (const message of [jsonError, wavError]) expect(message).not.toContain("SECRET");
  });

  it("stops reading at an aborted signal with E_CANCELLED", async () => {
    const path = join(sessions, "fine.json");
    await writeFile(path, sessionJson("take.audio/tone.wav"));
    await expect(readSession(path, { signal: AbortSignal.abort() })).rejects.toThrow(
      "E_CANCELLED: reading the session was stopped",
    );
  });
});
