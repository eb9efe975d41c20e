/**
 * WavStreamWriter writes the same bytes as encodeWav for the whole audio, whatever the pieces.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeWavWithReport, WAV_SAMPLE_FORMATS, WavFileError } from "../../src/audio-io/wav";
import { WavStreamWriter } from "../../src/audio-io/wav-stream";

function noise(frames: number, seed: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length: frames }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    // Beyond [-1, 1] too, so the integer formats clip.
    return (state / 2 ** 31 - 1) * 1.2;
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "webdreamer-wav-stream-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function streamed(
  path: string,
  channels: Float32Array[],
  format: (typeof WAV_SAMPLE_FORMATS)[number],
  pieceFrames: number[],
) {
  const writer = await WavStreamWriter.create(path, { sampleRate: 44100, channels: channels.length, format });
  let at = 0;
  for (let i = 0; at < (channels[0]?.length ?? 0); i++) {
    const frames = pieceFrames[i % pieceFrames.length] as number;
    await writer.write(channels.map((channel) => channel.subarray(at, at + frames)));
    at += frames;
  }
  const report = await writer.finish();
  return { bytes: await readFile(path), report };
}

describe("WavStreamWriter", () => {
  // Odd frame counts with 24-bit mono exercise the pad byte; 3 channels the extensible header.
  for (const format of WAV_SAMPLE_FORMATS) {
    for (const channelCount of [1, 2, 3]) {
      for (const frames of [0, 1, 4801, 10_000]) {
        it(`${format}, ${channelCount} channels, ${frames} frames: the bytes of encodeWav`, async () => {
          const channels = Array.from({ length: channelCount }, (_, c) => noise(frames, 7 + c));
          if (frames > 0) channels[0]?.set([0.5, -1, 1, 0.99999, -0, 2 ** -23].slice(0, frames));
          const whole = encodeWavWithReport({ sampleRate: 44100, channels }, { format });
          const path = join(dir, `${format}-${channelCount}-${frames}.wav`);
          const { bytes, report } = await streamed(path, channels, format, [1000, 1, 333, 4096]);
          expect(bytes.length).toBe(whole.bytes.length);
          expect(Buffer.compare(bytes, whole.bytes)).toBe(0);
          // The pieces' reports joined are the whole audio's: the same peak and clipped samples.
          expect(report).toEqual(whole.report);
          if (frames > 1000 && format !== "float32") expect(report.clippedSamples).toBeGreaterThan(0);
        });
      }
    }
  }

  it("leaves only the finished file (written beside it, renamed into place)", async () => {
    const sub = await mkdtemp(join(dir, "rename-"));
    await streamed(join(sub, "out.wav"), [noise(100, 1)], "pcm16", [30]);
    expect(await readdir(sub)).toEqual(["out.wav"]);
  });

  it("abort() removes the partial file and writes nothing in place", async () => {
    const sub = await mkdtemp(join(dir, "abort-"));
    const writer = await WavStreamWriter.create(join(sub, "out.wav"), { sampleRate: 8000, channels: 1 });
    await writer.write([noise(100, 1)]);
    expect((await readdir(sub)).length).toBe(1);
    await writer.abort();
    expect(await readdir(sub)).toEqual([]);
    await expect(writer.write([noise(1, 1)])).rejects.toThrow(
      "out.wav: the file was already finished or aborted",
    );
  });

  it("refuses a piece with another channel count, and a folder it cannot write", async () => {
    const writer = await WavStreamWriter.create(join(dir, "two.wav"), { sampleRate: 8000, channels: 2 });
    await expect(writer.write([noise(10, 1)])).rejects.toThrow(
      `${join(dir, "two.wav")}: a piece has 1 channels, the file has 2`,
    );
    await writer.abort();
    const error = await WavStreamWriter.create(join(dir, "missing", "x.wav"), {
      sampleRate: 8000,
      channels: 1,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WavFileError);
    expect((error as Error).message).toBe(`${join(dir, "missing", "x.wav")}: cannot write: ENOENT`);
  });
});
