import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  decodeWav,
  encodeWav,
  encodeWavWithReport,
  readWavFile,
  WavFileError,
  writeWavFile,
} from "../../src/audio-io/wav";
import { formatDb } from "../../src/audio-io/wav-report";

/** The `fmt ` fields of a canonical WAV written by encodeWav (fmt chunk right after the RIFF header). */
function header(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  const fmtSize = view.getUint32(16, true);
  const dataAt = 20 + fmtSize;
  return {
    riff: text(0),
    riffSize: view.getUint32(4, true),
    wave: text(8),
    fmt: text(12),
    formatTag: view.getUint16(20, true),
    channels: view.getUint16(22, true),
    sampleRate: view.getUint32(24, true),
    byteRate: view.getUint32(28, true),
    blockAlign: view.getUint16(32, true),
    bits: view.getUint16(34, true),
    subFormatTag: fmtSize >= 40 ? view.getUint32(44, true) : undefined,
    data: text(dataAt),
    dataSize: view.getUint32(dataAt + 4, true),
  };
}

function noise(frames: number, seed: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length: frames }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  });
}

/** Random multiples of 2^-(bits-1) covering the whole integer range, including both extremes. */
function gridValues(bits: number, frames: number, seed: number): Float32Array {
  const scale = 2 ** (bits - 1);
  const values = noise(frames, seed).map((x) => Math.floor(x * scale) / scale);
  values[0] = -1;
  values[1] = (scale - 1) / scale;
  values[2] = 0;
  values[3] = 1 / scale;
  return values;
}

describe("WAV encode and decode", () => {
  it("round-trips float32 bit-exactly, any value, for 1, 2, 3 and 6 channels", () => {
    for (const count of [1, 2, 3, 6]) {
      const channels = Array.from({ length: count }, (_, c) => noise(1001, c + 1).map((x) => x * 3));
      channels[0]?.set([Number.MIN_VALUE, -0, 1e-30, 65504.5]);
      const decoded = decodeWav(encodeWav({ sampleRate: 44100, channels }));
      expect(decoded.sampleRate).toBe(44100);
      expect(decoded.channels).toEqual(channels);
    }
  });

  for (const [format, bits] of [
    ["pcm16", 16],
    ["pcm24", 24],
  ] as const) {
    it(`round-trips ${format} exactly on multiples of 2^-${bits - 1}, mono to 5 channels`, () => {
      for (const count of [1, 2, 5]) {
        const channels = Array.from({ length: count }, (_, c) => gridValues(bits, 777, 10 + c));
        const decoded = decodeWav(encodeWav({ sampleRate: 22050, channels }, { format }));
        expect(decoded.channels).toEqual(channels);
      }
    });

    it(`${format} rounds to nearest and clips to [-1, 1 - 2^-${bits - 1}]`, () => {
      const step = 2 ** -(bits - 1);
      const input = Float32Array.from([2, 1, -1.5, -1, 0.4 * step, 0.6 * step, -0.6 * step, 2.5 * step]);
      const [decoded] = decodeWav(encodeWav({ sampleRate: 8000, channels: [input] }, { format })).channels;
      expect(Array.from(decoded ?? [])).toEqual([
        1 - step,
        1 - step,
        -1,
        -1,
        0,
        step,
        -step,
        3 * step, // ties round toward +infinity
      ]);
    });
  }

  it("writes the header fields: format tag 1 for PCM, 3 for float, extensible above two channels", () => {
    const stereo = [new Float32Array(10), new Float32Array(10)];
    expect(header(encodeWav({ sampleRate: 48000, channels: stereo }, { format: "pcm16" }))).toEqual({
      riff: "RIFF",
      riffSize: 36 + 40,
      wave: "WAVE",
      fmt: "fmt ",
      formatTag: 1,
      channels: 2,
      sampleRate: 48000,
      byteRate: 48000 * 4,
      blockAlign: 4,
      bits: 16,
      subFormatTag: undefined,
      data: "data",
      dataSize: 40,
    });
    expect(
      header(encodeWav({ sampleRate: 44100, channels: stereo.slice(0, 1) }, { format: "pcm24" })),
    ).toMatchObject({
      formatTag: 1,
      channels: 1,
      sampleRate: 44100,
      byteRate: 44100 * 3,
      blockAlign: 3,
      bits: 24,
      dataSize: 30,
    });
    expect(header(encodeWav({ sampleRate: 96000, channels: stereo }))).toMatchObject({
      formatTag: 3,
      channels: 2,
      sampleRate: 96000,
      blockAlign: 8,
      bits: 32,
      dataSize: 80,
    });
    const three = [...stereo, new Float32Array(10)];
    expect(header(encodeWav({ sampleRate: 48000, channels: three }))).toMatchObject({
      formatTag: 0xfffe,
      subFormatTag: 3,
      channels: 3,
      blockAlign: 12,
      bits: 32,
      dataSize: 120,
    });
    expect(header(encodeWav({ sampleRate: 48000, channels: three }, { format: "pcm24" }))).toMatchObject({
      formatTag: 0xfffe,
      subFormatTag: 1,
      channels: 3,
      blockAlign: 9,
      bits: 24,
    });
  });

  it("lays samples out interleaved, little-endian, 24-bit as three bytes lowest first", () => {
    const bytes = encodeWav(
      { sampleRate: 8000, channels: [Float32Array.of(0.5, -1), Float32Array.of(-(2 ** -23), 0)] },
      { format: "pcm24" },
    );
    expect(Array.from(bytes.subarray(44))).toEqual([
      0x00, 0x00, 0x40, 0xff, 0xff, 0xff, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00,
    ]);
  });

  it("pads an odd-length data chunk to an even length, as RIFF requires", () => {
    const samples = Float32Array.of(0.5, -0.25, 2 ** -23);
    const bytes = encodeWav({ sampleRate: 8000, channels: [samples] }, { format: "pcm24" });
    expect(bytes.length).toBe(44 + 9 + 1);
    expect(header(bytes)).toMatchObject({ riffSize: 36 + 9 + 1, dataSize: 9 });
    expect(bytes[53]).toBe(0);
    expect(decodeWav(bytes).channels).toEqual([samples]);
  });

  it("reads 32-bit integer PCM, 64-bit float and big-endian RIFX files", () => {
    const riff = (tag: number, bits: number, data: number[], magic = "RIFF", littleEndian = true) => {
      const bytes = new Uint8Array(44 + data.length);
      const view = new DataView(bytes.buffer);
      const put = (at: number, text: string) =>
        bytes.set(
          [...text].map((ch) => ch.charCodeAt(0)),
          at,
        );
      put(0, magic);
      view.setUint32(4, 36 + data.length, littleEndian);
      put(8, "WAVEfmt ");
      view.setUint32(16, 16, littleEndian);
      view.setUint16(20, tag, littleEndian);
      view.setUint16(22, 1, littleEndian);
      view.setUint32(24, 8000, littleEndian);
      view.setUint32(28, 8000 * (bits / 8), littleEndian);
      view.setUint16(32, bits / 8, littleEndian);
      view.setUint16(34, bits, littleEndian);
      put(36, "data");
      view.setUint32(40, data.length, littleEndian);
      bytes.set(data, 44);
      return bytes;
    };
    expect(Array.from(decodeWav(riff(1, 32, [0, 0, 0, 0xc0, 0, 0, 0, 0x20])).channels[0] ?? [])).toEqual([
      -0.5, 0.25,
    ]);
    const f64 = new Uint8Array(new Float64Array([0.1]).buffer);
    expect(decodeWav(riff(3, 64, [...f64])).channels[0]?.[0]).toBe(Math.fround(0.1));
    const bigEndian = riff(1, 16, [0x40, 0x00, 0xff, 0xff], "RIFX", false);
    expect(Array.from(decodeWav(bigEndian).channels[0] ?? [])).toEqual([0.5, -1 / 32768]);
  });
});

describe("WAV errors name the file and the problem", () => {
  const good = encodeWav({ sampleRate: 8000, channels: [new Float32Array(100)] }, { format: "pcm16" });

  const problem = (bytes: Uint8Array) => {
    try {
      decodeWav(bytes, "in/broken.wav");
    } catch (error) {
      expect(error).toBeInstanceOf(WavFileError);
      return (error as Error).message;
    }
    throw new Error("decodeWav accepted a corrupt file");
  };

  it("rejects files that are not WAV at all, without quoting their bytes", () => {
    expect(problem(new TextEncoder().encode("ID3\u0004 an mp3 file"))).toBe(
      "in/broken.wav: not a WAV file (no RIFF/WAVE header)",
    );
    expect(problem(new TextEncoder().encode("root:x:0:0:SECRET-TOKEN"))).toBe(
      "in/broken.wav: not a WAV file (no RIFF/WAVE header)",
    );
    expect(problem(new TextEncoder().encode("RIFF\u0000\u0000\u0000\u0000SECRET"))).toBe(
      "in/broken.wav: not a WAV file (no RIFF/WAVE header)",
    );
    expect(problem(new Uint8Array(3))).toBe("in/broken.wav: not a WAV file: only 3 bytes");
  });

  it("rejects a truncated data chunk, saying how many bytes are missing", () => {
    expect(problem(good.subarray(0, 44 + 150))).toBe(
      "in/broken.wav: truncated WAV file: the data chunk declares 200 bytes but only 150 are present",
    );
  });

  it("rejects a missing fmt chunk and an unsupported encoding", () => {
    const noFmt = good.slice();
    noFmt.set([0x78, 0x78, 0x78, 0x78], 12); // "fmt " -> "xxxx"
    expect(problem(noFmt)).toBe('in/broken.wav: corrupt WAV file: Could not find the "fmt " chunk');
    const eightBit = good.slice();
    new DataView(eightBit.buffer).setUint16(34, 8, true);
    new DataView(eightBit.buffer).setUint16(32, 1, true);
    expect(problem(eightBit)).toBe(
      "in/broken.wav: unsupported WAV encoding: 8-bit integer PCM (supported: 16/24/32-bit integer PCM, 32/64-bit float)",
    );
  });

  it("refuses to write channels of different lengths or an unknown format", () => {
    expect(() =>
      encodeWav({ sampleRate: 8000, channels: [new Float32Array(3), new Float32Array(2)] }, {}, "out.wav"),
    ).toThrow("out.wav: channel 1 has 2 frames, channel 0 has 3");
    expect(() =>
      encodeWav(
        { sampleRate: 8000, channels: [new Float32Array(3)] },
        { format: "pcm8" as "pcm16" },
        "out.wav",
      ),
    ).toThrow('out.wav: unknown sample format "pcm8" (use pcm16, pcm24, float32)');
    expect(() => encodeWav({ sampleRate: 44100.5, channels: [new Float32Array(3)] }, {}, "out.wav")).toThrow(
      "out.wav: sample rate 44100.5 is not a positive integer a WAV header can hold",
    );
  });
});

describe("WAV and non-finite samples", () => {
  const poisoned = () => [
    Float32Array.of(0.5, 0.25, Number.NaN, 0.125),
    Float32Array.of(0.5, Number.NEGATIVE_INFINITY, 0.25, Number.POSITIVE_INFINITY),
  ];

  it("refuses NaN and ±Infinity in every format, naming how many and the first", () => {
    for (const format of ["float32", "pcm16", "pcm24"] as const) {
      expect(() => encodeWav({ sampleRate: 8000, channels: poisoned() }, { format }, "out.wav")).toThrow(
        'out.wav: 3 samples are NaN or ±Infinity (the first at channel 1, frame 1): a WAV file holds none; write them as 0 with nonFinite: "zero"',
      );
    }
  });

  it('writes them as 0 with nonFinite: "zero", leaving the caller\'s arrays alone', () => {
    const channels = poisoned();
    for (const format of ["float32", "pcm16"] as const) {
      const decoded = decodeWav(encodeWav({ sampleRate: 8000, channels }, { format, nonFinite: "zero" }));
      expect(decoded.channels.map((c) => Array.from(c))).toEqual([
        [0.5, 0.25, 0, 0.125],
        [0.5, 0, 0.25, 0],
      ]);
    }
    expect(Number.isNaN(channels[0]?.[2])).toBe(true);
  });
});

/**
 * One second of a 600 Hz sine of amplitude 2 at 48 kHz: 80 samples a period, 600 periods. Its peak
 * is exactly 2 (sample 20 of each period is sin(90°)), +6.0206 dBFS. A sample clips in pcm16 when
 * 2·sin(2π·n/80) rounds beyond [-32768, 32767] / 32768, i.e. |sin| >= 1/2 give or take 2^-16: the
 * phases 30°..150° and 210°..330° hold samples n = 7..33 and 47..73 (30° is n = 6.67, no sample
 * sits on the edge), 27 + 27 = 54 a period, 32,400 in the second.
 */
function loudSine(): Float32Array {
  return Float32Array.from({ length: 48_000 }, (_, n) => 2 * Math.sin((2 * Math.PI * 600 * n) / 48_000));
}

describe("WAV write reports: peak and clipped samples", () => {
  it("a 600 Hz sine of amplitude 2 as pcm16: peak +6.02 dBFS, 32,400 samples clipped", () => {
    const { report } = encodeWavWithReport(
      { sampleRate: 48_000, channels: [loudSine()] },
      { format: "pcm16" },
    );
    expect(report).toMatchObject({ format: "pcm16", channels: 1, frames: 48_000, peak: 2 });
    expect(report.peakDbfs).toBeCloseTo(6.0206, 4);
    expect(formatDb(report.peakDbfs)).toBe("+6.02");
    expect(report.clippedSamples).toBe(32_400);
    expect(report.nonFiniteSamples).toBe(0);
  });

  it("counts exactly the samples the integer range cannot hold, at its asymmetric edges", () => {
    for (const bits of [16, 24] as const) {
      const scale = 2 ** (bits - 1);
      // -1 and (scale - 1) / scale fit; +1 rounds to scale and clips; a half step below -1 rounds up to
      // -scale (Math.round ties toward +infinity) and fits; one full step below clips.
      const edges = Float32Array.of(-1, (scale - 1) / scale, 1, (-scale - 0.5) / scale, (-scale - 1) / scale);
      const format = bits === 16 ? "pcm16" : "pcm24";
      const { bytes, report } = encodeWavWithReport({ sampleRate: 8000, channels: [edges] }, { format });
      expect(report.clippedSamples, format).toBe(2);
      expect(report.peak).toBe(Math.fround((scale + 1) / scale));
      expect(Array.from(decodeWav(bytes).channels[0] ?? [])).toEqual([
        -1,
        (scale - 1) / scale,
        (scale - 1) / scale,
        -1,
        -1,
      ]);
    }
  });

  it("float32 clips nothing and keeps the peak above full scale", async () => {
    const { bytes, report } = encodeWavWithReport({ sampleRate: 48_000, channels: [loudSine()] });
    expect(report).toMatchObject({ format: "float32", peak: 2, clippedSamples: 0 });
    expect(Math.max(...(decodeWav(bytes).channels[0] ?? []))).toBe(2);
  });

  it("silence has a peak of -Infinity dBFS; non-finite samples written as 0 are counted, not peaked", () => {
    const silent = encodeWavWithReport(
      { sampleRate: 8000, channels: [new Float32Array(10)] },
      { format: "pcm24" },
    );
    expect(silent.report).toMatchObject({ peak: 0, peakDbfs: Number.NEGATIVE_INFINITY, clippedSamples: 0 });
    expect(formatDb(silent.report.peakDbfs)).toBe("-inf");
    const holes = [Float32Array.of(0.5, Number.NaN), Float32Array.of(Number.NEGATIVE_INFINITY, -0.25)];
    const { report } = encodeWavWithReport(
      { sampleRate: 8000, channels: holes },
      { format: "pcm16", nonFinite: "zero" },
    );
    expect(report).toMatchObject({ peak: 0.5, clippedSamples: 0, nonFiniteSamples: 2 });
  });
});

describe("WAV files", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "webdreamer-wav-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes, renames into place and reads back", async () => {
    const path = join(dir, "tone.wav");
    const channels = [noise(4800, 7), noise(4800, 8)];
    const peak = Math.max(...channels.flatMap((channel) => Array.from(channel, Math.abs)));
    expect(await writeWavFile(path, { sampleRate: 48000, channels })).toEqual({
      format: "float32",
      channels: 2,
      frames: 4800,
      peak,
      peakDbfs: 20 * Math.log10(peak),
      clippedSamples: 0,
      nonFiniteSamples: 0,
    });
    expect(await readdir(dir)).toEqual(["tone.wav"]);
    expect((await readFile(path)).length).toBe(44 + 4800 * 2 * 4);
    expect(await readWavFile(path)).toEqual({ sampleRate: 48000, channels });
  });

  it("reports the samples it wrote as 0, and writes nothing when it refuses", async () => {
    const path = join(dir, "holes.wav");
    const channels = [Float32Array.of(1, Number.NaN, Number.POSITIVE_INFINITY)];
    await expect(writeWavFile(path, { sampleRate: 8000, channels })).rejects.toThrow(
      `${path}: 2 samples are NaN or ±Infinity (the first at channel 0, frame 1)`,
    );
    expect(await readdir(dir)).not.toContain("holes.wav");
    expect(await writeWavFile(path, { sampleRate: 8000, channels }, { nonFinite: "zero" })).toMatchObject({
      peak: 1,
      nonFiniteSamples: 2,
    });
    expect((await readWavFile(path)).channels).toEqual([Float32Array.of(1, 0, 0)]);
    await rm(path);
  });

  it("reports the clipping of an integer file it wrote", async () => {
    const path = join(dir, "loud.wav");
    const report = await writeWavFile(
      path,
      { sampleRate: 48_000, channels: [loudSine()] },
      { format: "pcm16" },
    );
    expect(report).toMatchObject({ format: "pcm16", frames: 48_000, peak: 2, clippedSamples: 32_400 });
    const written = (await readWavFile(path)).channels[0] ?? new Float32Array();
    expect(written.filter((x) => x === 32767 / 32768 || x === -1).length).toBe(32_400);
    await rm(path);
  });

  it("names a missing or corrupt file in the error", async () => {
    const missing = join(dir, "missing.wav");
    await expect(readWavFile(missing)).rejects.toThrow(`${missing}: cannot read: ENOENT`);
    const corrupt = join(dir, "corrupt.wav");
    await writeFile(corrupt, "RIFF....WAVEjunk");
    await expect(readWavFile(corrupt)).rejects.toThrow(`${corrupt}: corrupt WAV file:`);
  });
});
