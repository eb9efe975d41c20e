/**
 * Float32WavReader reads back, piece by piece, exactly what WavStreamWriter wrote as float32, and
 * refuses what it cannot stream.
 */
import { mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Float32WavReader } from "../../src/audio-io/float32-wav-reader";
import { encodeWav } from "../../src/audio-io/wav";
import { WavStreamWriter } from "../../src/audio-io/wav-stream";

function noise(frames: number, seed: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length: frames }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 31 - 1) * 3;
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "webdreamer-float32-reader-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAll(path: string, pieceFrames: number) {
  const reader = await Float32WavReader.open(path);
  const pieces: Float32Array[][] = [];
  for (let piece = await reader.read(pieceFrames); (piece[0]?.length ?? 0) > 0; ) {
    pieces.push(piece.map((channel) => channel.slice()));
    piece = await reader.read(pieceFrames);
  }
  await reader.close();
  const channels = Array.from({ length: reader.channels }, (_, c) => {
    const joined = new Float32Array(reader.frames);
    let at = 0;
    for (const piece of pieces) {
      joined.set(piece[c] as Float32Array, at);
      at += piece[c]?.length ?? 0;
    }
    return joined;
  });
  return { reader, pieces, channels };
}

describe("Float32WavReader", () => {
  for (const channelCount of [1, 2, 3]) {
    it(`reads ${channelCount} channels back bit for bit, in pieces, the last one shorter`, async () => {
      const path = join(dir, `c${channelCount}.wav`);
      const channels = Array.from({ length: channelCount }, (_, c) => noise(10_007, c + 1));
      const writer = await WavStreamWriter.create(path, { sampleRate: 44_100, channels: channelCount });
      await writer.write(channels);
      await writer.finish();
      const read = await readAll(path, 4096);
      expect(read.reader).toMatchObject({ sampleRate: 44_100, channels: channelCount, frames: 10_007 });
      expect(read.pieces.map((piece) => piece[0]?.length)).toEqual([4096, 4096, 1815]);
      expect(read.channels).toEqual(channels);
    });
  }

  it("refuses an integer WAV, a file that is not a WAV, and a truncated one, naming the file", async () => {
    const pcm = join(dir, "pcm16.wav");
    await writeFile(pcm, encodeWav({ sampleRate: 8000, channels: [noise(10, 1)] }, { format: "pcm16" }));
    await expect(Float32WavReader.open(pcm)).rejects.toThrow(
      `${pcm}: not a float32 WAV file: only float32 is read piece by piece`,
    );
    const text = join(dir, "notes.wav");
    await writeFile(text, "hello, not audio at all");
    await expect(Float32WavReader.open(text)).rejects.toThrow(`${text}: not a little-endian WAV file`);
    const cut = join(dir, "cut.wav");
    await writeFile(cut, encodeWav({ sampleRate: 8000, channels: [noise(100, 1)] }));
    await truncate(cut, 44 + 200);
    await expect(Float32WavReader.open(cut)).rejects.toThrow(
      `${cut}: truncated WAV file: the data chunk declares 400 bytes but only 200 are present`,
    );
  });
});
