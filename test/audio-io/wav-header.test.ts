/**
 * The WAV header walk (src/audio-io/wav-header.ts), through decodeWav. The files here are the fuzz
 * suite's counterexamples (test/fuzz/wav.test.ts), reduced: metadata chunks whose contents wavefile's
 * reader trusted.
 */
import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";

import { decodeWav, encodeWav, WavFileError } from "../../src/audio-io/wav";

const GOOD = encodeWav({ sampleRate: 8000, channels: [new Float32Array([0.5, -0.5])] }, { format: "pcm16" });
/** encodeWav writes "RIFF" size "WAVE", a 16-byte fmt chunk (ends at 36), then the data chunk. */
const FMT_END = 36;

/** GOOD with a chunk inserted between `fmt ` and `data`, the RIFF size updated. */
function withChunk(id: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(GOOD.length + 8 + body.length + (body.length % 2));
  const view = new DataView(out.buffer);
  out.set(GOOD.subarray(0, FMT_END));
  for (let i = 0; i < 4; i++) out[FMT_END + i] = id.charCodeAt(i);
  view.setUint32(FMT_END + 4, body.length, true);
  out.set(body, FMT_END + 8);
  out.set(GOOD.subarray(FMT_END), FMT_END + 8 + body.length + (body.length % 2));
  view.setUint32(4, out.length - 8, true);
  return out;
}

function timed<T>(run: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = run();
  return { value, ms: performance.now() - started };
}

describe("decodeWav reads only the fmt and data chunks", () => {
  it("skips a cue chunk without trusting its count of cue points", () => {
    // A 4-byte cue chunk declaring two million points: wavefile looped over them all (16 s here).
    const cue = new Uint8Array(4);
    new DataView(cue.buffer).setUint32(0, 2_000_000, true);
    const { value, ms } = timed(() => decodeWav(withChunk("cue ", cue)));
    expect(Array.from(value.channels[0] ?? [])).toEqual([0.5, -0.5]);
    // Generous for a loaded machine; the walk itself takes microseconds.
    expect(ms).toBeLessThan(2000);
  });

  it("skips LIST chunks nested 20,000 deep without recursing into them", () => {
    // wavefile recursed once per nested LIST: "corrupt WAV file: Maximum call stack size exceeded".
    const depth = 20_000;
    const nested = new Uint8Array(depth * 12);
    const view = new DataView(nested.buffer);
    for (let level = 0; level < depth; level++) {
      nested.set([0x4c, 0x49, 0x53, 0x54], level * 12); // "LIST"
      view.setUint32(level * 12 + 4, (depth - level) * 12 - 8, true);
      nested.set([0x49, 0x4e, 0x46, 0x4f], level * 12 + 8); // "INFO"
    }
    // The outer chunk's own header is withChunk's: its body starts with the first "INFO".
    const decoded = decodeWav(withChunk("LIST", nested.subarray(8)));
    expect(Array.from(decoded.channels[0] ?? [])).toEqual([0.5, -0.5]);
  });

  it("rejects a fmt chunk too short to hold its fields", () => {
    const short = withChunk("JUNK", new Uint8Array(0));
    // Shrink the fmt chunk to 14 bytes: its bitsPerSample would be read from the next chunk's id.
    new DataView(short.buffer).setUint32(16, 14, true);
    let error: unknown;
    try {
      decodeWav(short, "short.wav");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(WavFileError);
    expect((error as WavFileError).message).toBe(
      'short.wav: corrupt WAV file: the "fmt " chunk holds 14 bytes, fewer than the 16 of its fields',
    );
  });
});
