/**
 * readRegularFile and readWavFile read only regular files, and never more than their cap: a FIFO
 * (which would block forever) and /dev/zero (which never ends) are refused at once, without reading.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileReadError, readRegularFile } from "../../src/audio-io/regular-file";
import { encodeWav, readWavFile } from "../../src/audio-io/wav";

const posix = process.platform !== "win32";

let dir: string;
let fifo: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "webdreamer-regular-file-"));
  fifo = join(dir, "pipe.wav");
  if (posix) execFileSync("mkfifo", [fifo]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<FileReadError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FileReadError);
  return error as FileReadError;
}

describe("readRegularFile", () => {
  it.runIf(posix)("refuses a FIFO without opening it (no writer: opening would block forever)", async () => {
    const error = await failure(readRegularFile(fifo, { maxBytes: 1000 }));
    expect(error.failure).toBe("not-regular");
    expect(error.message).toBe(`${fifo}: not a regular file: it is a FIFO (named pipe)`);
  });

  it.runIf(existsSync("/dev/zero"))("refuses /dev/zero (it never ends) and a directory", async () => {
    expect((await failure(readRegularFile("/dev/zero", { maxBytes: 1000 }))).message).toBe(
      "/dev/zero: not a regular file: it is a character device",
    );
    expect((await failure(readRegularFile(dir, { maxBytes: 1000 }))).message).toBe(
      `${dir}: not a regular file: it is a directory`,
    );
  });

  it("refuses a file over the cap by its size, before reading it", async () => {
    const big = join(dir, "big.bin");
    await writeFile(big, "");
    await truncate(big, 5_000_000_000); // sparse: no disk space used
    const error = await failure(readRegularFile(big, { maxBytes: 1_000_000 }));
    expect(error).toMatchObject({ failure: "too-large", size: 5_000_000_000 });
    expect(error.message).toBe(`${big}: 5000000000 bytes is more than 1000000, the most allowed`);
    const exact = join(dir, "exact.bin");
    await writeFile(exact, "0123456789");
    expect(Buffer.from(await readRegularFile(exact, { maxBytes: 10 })).toString()).toBe("0123456789");
    expect((await failure(readRegularFile(exact, { maxBytes: 9 }))).failure).toBe("too-large");
  });

  // A /proc file says it is 0 bytes long and then has more: a file that grows while it is read.
  it.runIf(existsSync("/proc/self/status"))(
    "stops reading a file that grows past the cap while read",
    async () => {
      const error = await failure(readRegularFile("/proc/self/status", { maxBytes: 16 }));
      expect(error.failure).toBe("grew-too-large");
      expect(error.message).toBe(
        "/proc/self/status: grew while it was read to more than 16 bytes, the most allowed",
      );
      const whole = await readRegularFile("/proc/self/status", { maxBytes: 1_000_000 });
      expect(Buffer.from(whole).toString()).toMatch(/^Name:/);
    },
  );

  it("names a missing file and stops at an aborted signal", async () => {
    const missing = join(dir, "missing.wav");
    expect((await failure(readRegularFile(missing, { maxBytes: 10 }))).message).toBe(
      `${missing}: cannot read: ENOENT`,
    );
    const file = join(dir, "a.bin");
    await writeFile(file, "abc");
    expect(
      (await failure(readRegularFile(file, { maxBytes: 10, signal: AbortSignal.abort() }))).failure,
    ).toBe("aborted");
  });
});

describe("readWavFile", () => {
  it.runIf(posix)("refuses a FIFO and /dev/zero at once with WavFileError naming the file", async () => {
    const started = performance.now();
    await expect(readWavFile(fifo)).rejects.toThrow(`${fifo}: not a regular file: it is a FIFO (named pipe)`);
    await expect(readWavFile("/dev/zero")).rejects.toThrow(
      "/dev/zero: not a regular file: it is a character device",
    );
    // Refused without reading: far below the time a read of /dev/zero to any cap would take.
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("applies maxBytes, and never quotes a file that is not WAV", async () => {
    const wav = join(dir, "tone.wav");
    const bytes = encodeWav({ sampleRate: 8000, channels: [new Float32Array(100)] }, { format: "pcm16" });
    await writeFile(wav, bytes);
    expect((await readWavFile(wav, { maxBytes: bytes.length })).channels[0]?.length).toBe(100);
    await expect(readWavFile(wav, { maxBytes: bytes.length - 1 })).rejects.toThrow(
      `${wav}: ${bytes.length} bytes is more than ${bytes.length - 1}, the most allowed`,
    );
    const secret = join(dir, "secret.wav");
    await writeFile(secret, "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n");
    const error = await readWavFile(secret).catch((caught: Error) => caught);
    expect((error as Error).message).toBe(`${secret}: not a WAV file (no RIFF/WAVE header)`);
  });
});
