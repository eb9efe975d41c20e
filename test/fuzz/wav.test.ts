/**
 * Fuzzing WAV decoding and encoding (src/audio-io/wav.ts).
 *
 * decodeWav on arbitrary bytes, on headers built field by field with values the format allows and
 * values it does not, and on valid files with bytes changed, cut or added: it returns well-formed
 * audio no larger than its input allows, or throws WavFileError naming the file. Valid audio
 * round-trips encodeWav -> decodeWav in every sample format, as the module's conventions state.
 */
import fc from "fast-check";
import { expect } from "vitest";

import {
  type AudioData,
  decodeWav,
  encodeWav,
  WAV_SAMPLE_FORMATS,
  WavFileError,
  type WavSampleFormat,
} from "../../src/audio-io/wav";
import { applyEdits, type Bytes, byteEdit, bytesOf, EDGE_U32, rarely } from "./support/byte-mutations";
import { fuzz } from "./support/harness";
import { expectOwnWords, notADomainError, outcomeOf } from "./support/outcomes";

const LABEL = "fuzz.wav";

/** Decodes, accepting only audio that makes sense for the input or a WavFileError about LABEL. */
function decodesOrRejects(bytes: Bytes): AudioData | undefined {
  const audio = outcomeOf(() => decodeWav(bytes, LABEL), expectWavFileError);
  if (audio === undefined) return undefined;
  expect(Number.isInteger(audio.sampleRate) && audio.sampleRate >= 1).toBe(true);
  expect(audio.channels.length).toBeGreaterThanOrEqual(1);
  const frames = audio.channels[0]?.length ?? 0;
  for (const channel of audio.channels) {
    expect(channel).toBeInstanceOf(Float32Array);
    expect(channel.length).toBe(frames);
  }
  // Every sample came from at least two bytes of the file.
  expect(audio.channels.length * frames * 2).toBeLessThanOrEqual(bytes.length);
  return audio;
}

function expectWavFileError(error: unknown): void {
  if (!(error instanceof WavFileError)) notADomainError(error, "a WavFileError");
  expect(error.file).toBe(LABEL);
  expect(error.problem.trim()).not.toBe("");
  expectOwnWords(error.problem);
  expect(error.message).toBe(`${LABEL}: ${error.problem}`);
}

// ---- generators ----

const audioData = (maxChannels: number, maxFrames: number, sample: fc.Arbitrary<number>) =>
  fc
    .record({
      // Up to Web Audio's (and the contracts') 768 kHz; encodeWav's own edges are the next property's.
      sampleRate: fc.oneof(
        fc.constantFrom(1, 8000, 44_100, 48_000, 768_000),
        fc.integer({ min: 1, max: 768_000 }),
      ),
      channelCount: fc.integer({ min: 1, max: maxChannels }),
      frames: fc.nat({ max: maxFrames }),
      samples: fc.array(sample, { maxLength: maxChannels * maxFrames }),
    })
    .map(({ sampleRate, channelCount, frames, samples }) => ({
      sampleRate,
      channels: Array.from({ length: channelCount }, (_, c) =>
        Float32Array.from(
          { length: frames },
          (_, i) => samples[(c * frames + i) % Math.max(1, samples.length)] ?? 0,
        ),
      ),
    }));

// Finite samples only: a WAV holds no NaN or ±Infinity, and encodeWav refuses them by default (the
// arbitrary-shapes property below feeds it non-finite samples and expects that WavFileError).
const anySample = fc.oneof(
  fc.float({ noNaN: true, noDefaultInfinity: true }),
  fc.float({ min: -1, max: 1, noNaN: true }),
  fc.constantFrom(-1, 1, 0, -0, 1 - 2 ** -15, 1 - 2 ** -23, -1 - 2 ** -15, 2, -2),
);

const validWav: fc.Arbitrary<Bytes> = fc
  .tuple(audioData(6, 40, anySample), fc.constantFrom(...WAV_SAMPLE_FORMATS))
  .map(([audio, format]) => bytesOf(encodeWav(audio, { format })));

const EDGE_U16 = [0, 1, 2, 3, 8, 12, 16, 24, 32, 64, 0xfffe, 0xffff];

/** A header built field by field: each field right, or set to something a corrupt file could hold. */
const builtWav: fc.Arbitrary<Bytes> = fc
  .record({
    bigEndian: fc.boolean(),
    audioFormat: fc.constantFrom(1, 3, 0xfffe, 0, 2, 0x55, 0xffff),
    channels: fc.oneof(fc.integer({ min: 0, max: 8 }), fc.constantFrom(...EDGE_U16)),
    sampleRate: fc.oneof(fc.constantFrom(0, 1, 8000, 48_000), fc.constantFrom(...EDGE_U32)),
    bits: fc.constantFrom(0, 8, 12, 16, 24, 32, 64, 0xffff),
    blockAlign: rarely(fc.constantFrom(...EDGE_U16)),
    fmtSize: fc.constantFrom(14, 16, 18, 20, 40, 48),
    subformatTag: fc.constantFrom(1, 3, 0, 0xfffe),
    dataDeclared: rarely(fc.constantFrom(...EDGE_U32)),
    data: fc.uint8Array({ maxLength: 256 }),
    before: fc.array(
      fc.tuple(
        fc.constantFrom("LIST", "fact", "JUNK", "cue ", "smpl", "bext", "data", "fmt "),
        fc.uint8Array({ maxLength: 12 }),
      ),
      { maxLength: 2 },
    ),
    after: fc.array(
      fc.tuple(fc.constantFrom("LIST", "cue ", "smpl", "data"), fc.uint8Array({ maxLength: 12 })),
      { maxLength: 2 },
    ),
    riffDeclared: rarely(fc.constantFrom(...EDGE_U32)),
  })
  .map((f) => {
    const little = !f.bigEndian;
    const bytesPerSample = Math.ceil(f.bits / 8);
    const fmt = new Uint8Array(Math.max(f.fmtSize, 16));
    const fmtView = new DataView(fmt.buffer);
    fmtView.setUint16(0, f.audioFormat, little);
    fmtView.setUint16(2, f.channels, little);
    fmtView.setUint32(4, f.sampleRate, little);
    fmtView.setUint32(8, (f.sampleRate * f.channels * bytesPerSample) >>> 0, little);
    fmtView.setUint16(12, f.blockAlign ?? (f.channels * bytesPerSample) & 0xffff, little);
    fmtView.setUint16(14, f.bits, little);
    if (fmt.length >= 18) fmtView.setUint16(16, Math.max(0, fmt.length - 18), little);
    if (fmt.length >= 40) {
      fmtView.setUint16(18, f.bits, little);
      fmtView.setUint32(20, 3, little);
      fmtView.setUint32(24, f.subformatTag, little);
      fmtView.setUint32(28, 0x0010_0000, little);
      fmtView.setUint32(32, 0xaa00_0080, little);
      fmtView.setUint32(36, 0x719b_3800, little);
    }
    const chunks: [string, Uint8Array, number?][] = [
      ...f.before,
      ["fmt ", fmt.subarray(0, f.fmtSize)],
      ["data", f.data, f.dataDeclared ?? f.data.length],
      ...f.after,
    ];
    return riff(f.bigEndian ? "RIFX" : "RIFF", chunks, little, f.riffDeclared);
  });

function riff(
  magic: string,
  chunks: [string, Uint8Array, number?][],
  little: boolean,
  declared: number | null,
): Bytes {
  const size = chunks.reduce((sum, [, body]) => sum + 8 + body.length + (body.length % 2), 12);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  const ascii = (text: string, at: number) => {
    for (let i = 0; i < 4; i++) out[at + i] = text.charCodeAt(i);
  };
  ascii(magic, 0);
  view.setUint32(4, declared ?? size - 8, little);
  ascii("WAVE", 8);
  let at = 12;
  for (const [id, body, declaredSize] of chunks) {
    ascii(id, at);
    view.setUint32(at + 4, declaredSize ?? body.length, little);
    out.set(body, at + 8);
    at += 8 + body.length + (body.length % 2);
  }
  return out;
}

const RIFF_WAVE = [0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x41, 0x56, 0x45];

const inputBytes = (bytes: Uint8Array) => bytes.length;

// ---- properties ----

fuzz(
  "decodeWav on arbitrary bytes (and bytes after a RIFF/WAVE header)",
  fc.oneof(
    fc.uint8Array({ maxLength: 512 }),
    fc.uint8Array({ maxLength: 512 }).map((tail) => bytesOf(Uint8Array.from([...RIFF_WAVE, ...tail]))),
  ),
  (bytes) => {
    decodesOrRejects(bytes);
  },
  { quickRuns: 60, inputBytes },
);

fuzz(
  "decodeWav on headers built field by field",
  builtWav,
  (bytes) => {
    decodesOrRejects(bytes);
  },
  { quickRuns: 80, inputBytes },
);

fuzz(
  "decodeWav on valid files with bytes changed, cut or added",
  fc
    .tuple(validWav, fc.array(byteEdit(80), { minLength: 1, maxLength: 4 }))
    .map(([bytes, edits]) => applyEdits(bytes, edits)),
  (bytes) => {
    decodesOrRejects(bytes);
  },
  { quickRuns: 80, inputBytes },
);

/** What decoding a written sample gives back, by the conventions in wav.ts's header comment. */
function expectedSample(value: number, format: WavSampleFormat): number {
  if (format === "float32") return value;
  const bits = format === "pcm16" ? 16 : 24;
  const scale = 2 ** (bits - 1);
  const scaled = Math.round(value * scale);
  const clipped = Number.isNaN(scaled) ? 0 : Math.min(scale - 1, Math.max(-scale, scaled));
  // An integer has no -0: `+ 0` turns -0 into 0.
  return Math.fround(clipped / scale) + 0;
}

fuzz(
  "encodeWav -> decodeWav round-trips audio in every sample format",
  fc.tuple(audioData(8, 64, anySample), fc.constantFrom(...WAV_SAMPLE_FORMATS)),
  ([audio, format]) => {
    const decoded = decodesOrRejects(bytesOf(encodeWav(audio, { format })));
    expect(decoded?.sampleRate).toBe(audio.sampleRate);
    expect(decoded?.channels.length).toBe(audio.channels.length);
    audio.channels.forEach((channel, c) => {
      const back = decoded?.channels[c] as Float32Array;
      expect(back.length).toBe(channel.length);
      channel.forEach((value, i) => {
        const expected = expectedSample(value, format);
        // Object.is: float32 keeps -0 and NaN as written.
        if (!Object.is(back[i], expected)) {
          throw new Error(
            `${format} channel ${c} frame ${i}: wrote ${value}, read ${back[i]}, expected ${expected}`,
          );
        }
      });
    });
  },
  { quickRuns: 60 },
);

fuzz(
  "encodeWav on arbitrary audio shapes and options: a file that decodes, or WavFileError",
  fc.record({
    sampleRate: fc.oneof(
      fc.integer({ min: 1, max: 0xffff_ffff }),
      fc.constantFrom(0, -1, 1.5, 2 ** 32, Number.NaN),
    ),
    lengths: fc.array(fc.nat({ max: 8 }), { maxLength: 70 }),
    format: fc.constantFrom<string>(...WAV_SAMPLE_FORMATS, "pcm8", "float64", "constructor", ""),
  }),
  ({ sampleRate, lengths, format }) => {
    const audio = { sampleRate, channels: lengths.map((length) => new Float32Array(length).fill(0.25)) };
    const bytes = outcomeOf(
      // The format as an untyped caller (a CLI flag) could pass it.
      () => encodeWav(audio, JSON.parse(JSON.stringify({ format })), LABEL),
      expectWavFileError,
    );
    if (bytes === undefined) return;
    const decoded = decodesOrRejects(bytesOf(bytes));
    expect(decoded?.sampleRate).toBe(sampleRate);
    expect(decoded?.channels.map((channel) => channel.length)).toEqual(lengths);
  },
  { quickRuns: 60 },
);

fuzz(
  "encodeWav on audio holding NaN or ±Infinity: refused naming the first, or written as 0 when asked",
  fc.tuple(
    audioData(4, 32, anySample),
    fc.nat(),
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
    fc.constantFrom(...WAV_SAMPLE_FORMATS),
  ),
  ([audio, at, bad, format]) => {
    const frames = audio.channels[0]?.length ?? 0;
    if (frames === 0) return;
    const channel = at % audio.channels.length;
    const frame = Math.floor(at / audio.channels.length) % frames;
    (audio.channels[channel] as Float32Array)[frame] = bad;
    const refused = outcomeOf(() => encodeWav(audio, { format }, LABEL), expectWavFileError);
    expect(refused, "a WAV with a non-finite sample was written").toBeUndefined();
    const decoded = decodesOrRejects(bytesOf(encodeWav(audio, { format, nonFinite: "zero" }, LABEL)));
    expect(decoded?.channels[channel]?.[frame]).toBe(0);
  },
  { quickRuns: 30 },
);
