/**
 * renderSessionJob, the Node.js API that renders a session to WAV files as the CLI does: it streams
 * (the WAVs are byte for byte those of a whole render written at once), and its timeout fails a
 * session that takes too long, leaving no file behind.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeWav, encodeWav, WAV_SAMPLE_FORMATS } from "../../src/audio-io/wav";
import { renderSessionJob, type SessionRenderJob } from "../../src/cli/session-render";
import type { RenderRequestInput } from "../../src/contracts/index";
import { createEngine } from "../../src/index";
import { readSession, saveSession, uploadSession } from "../../src/session/index";

const SR = 44100;

function noise(frames: number, seed: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length: frames }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  });
}

/** Stateful across pieces: MIDI voices, a resonant filter, a feedback delay; a stem beside the output. */
function request(seconds: number, channels: number): RenderRequestInput {
  return {
    version: "v1alpha",
    request_id: "streamed",
    sample_rate: SR,
    channels,
    duration_seconds: seconds,
    node_graph: {
      version: "v1alpha",
      output: "echo",
      nodes: [
        {
          name: "keys",
          node_id: "builtin:sampler",
          buffers: { sample: "buf:1" },
          midi: [
            { type: "note", time: 0.2, duration: 1.5, note: 60, velocity: 100 },
            { type: "note", time: 1.1, duration: 1.2, note: 67, velocity: 80 },
          ],
        },
        {
          name: "osc",
          node_id: "builtin:oscillator",
          params: { frequency: 97, waveform: "saw", amplitude: 0.3 },
        },
        { name: "filter", node_id: "builtin:filter", inputs: ["keys", "osc"], params: { mode: "low", q: 3 } },
        { name: "echo", node_id: "builtin:delay", inputs: ["filter"], params: { time: 271, feedback: 0.7 } },
      ],
    },
    options: { capture: ["filter"] },
  };
}

let dir: string;
const createInProcess = (options: { sampleRate: number; blockSize: number }) =>
  createEngine({ host: "in-process", ...options });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "webdreamer-session-render-"));
  const sample = { sampleRate: 22050, channels: [noise(20_000, 4)] };
  // 2.5 s and 3 pieces; an odd frame count so that 24-bit mono needs its pad byte.
  await saveSession(join(dir, "mono.json"), {
    request: request(2.50001, 1),
    buffers: new Map([["buf:1", sample]]),
  });
  await saveSession(join(dir, "stereo.json"), {
    request: request(2.3, 2),
    buffers: new Map([["buf:1", sample]]),
  });
  await saveSession(join(dir, "long.json"), {
    request: request(1800, 1),
    buffers: new Map([["buf:1", sample]]),
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The session rendered whole (no onChunk) and encoded at once: the reference bytes. */
async function wholeRender(session: string, format: (typeof WAV_SAMPLE_FORMATS)[number]) {
  const onDisk = await readSession(join(dir, session));
  const engine = await createInProcess({ sampleRate: SR, blockSize: onDisk.file.block_size });
  const { request: loaded } = await uploadSession(onDisk, engine);
  const result = await engine.render(loaded);
  const output = await engine.readBuffer(result.buffer_handle ?? "");
  const filter = await engine.readBuffer(result.extensions.captures?.filter ?? "");
  await engine.close();
  return {
    frames: result.frames,
    output: encodeWav({ sampleRate: SR, channels: output }, { format }),
    filter: encodeWav({ sampleRate: SR, channels: filter }, { format }),
  };
}

function job(session: string, out: string, extra: Partial<SessionRenderJob> = {}): SessionRenderJob {
  return {
    sessionPath: join(dir, session),
    outputPath: join(dir, out, "out.wav"),
    stemsDir: join(dir, out, "stems"),
    format: "float32",
    length: null,
    blockSize: null,
    extraStems: [],
    ...extra,
  };
}

describe("renderSessionJob streams to disk", () => {
  for (const session of ["mono.json", "stereo.json"]) {
    for (const format of WAV_SAMPLE_FORMATS) {
      it(`${session}, ${format}: output and stem byte for byte those of a whole render`, async () => {
        const whole = await wholeRender(session, format);
        const out = `${session}-${format}`;
        const outcome = await renderSessionJob(job(session, out, { format }), {
          createEngine: createInProcess,
        });
        expect(outcome).toMatchObject({ frames: whole.frames, sampleRate: SR, nonFinite: null });
        expect(outcome.files.map((file) => [file.path, file.node, file.report.frames])).toEqual([
          [join(dir, out, "out.wav"), null, whole.frames],
          [join(dir, out, "stems", "filter.wav"), "filter", whole.frames],
        ]);
        expect(whole.frames).toBeGreaterThan(2 * 49152); // more than two pieces
        const output = await readFile(join(dir, out, "out.wav"));
        const stem = await readFile(join(dir, out, "stems", "filter.wav"));
        expect(output.length).toBe(whole.output.length);
        expect(Buffer.compare(output, whole.output)).toBe(0);
        expect(Buffer.compare(stem, whole.filter)).toBe(0);
        expect(await readdir(join(dir, out))).toEqual(["out.wav", "stems"]);
      });
    }
  }
});

describe("renderSessionJob's stems", () => {
  it("keeps a mono node's stem mono in a stereo render, and a stereo node's stereo", async () => {
    const stereo = { sampleRate: SR, channels: [noise(SR, 8), noise(SR, 9)] };
    await saveSession(join(dir, "mono-stem.json"), {
      request: {
        version: "v1alpha",
        request_id: "mono-stem",
        sample_rate: SR,
        channels: 2,
        duration_seconds: 0.5,
        node_graph: {
          version: "v1alpha",
          output: "mix",
          nodes: [
            { name: "tone", node_id: "builtin:oscillator", params: { frequency: 441 }, capture: true },
            { name: "pad", node_id: "builtin:playback", buffers: { data: "buf:1" }, capture: true },
            { name: "mix", node_id: "builtin:mixer", inputs: ["tone", "pad"] },
          ],
        },
      },
      buffers: new Map([["buf:1", stereo]]),
    });
    const outcome = await renderSessionJob(job("mono-stem.json", "mono-stem", { format: "pcm24" }), {
      createEngine: createInProcess,
    });
    expect(outcome.files.map((file) => [file.node, file.report.channels])).toEqual([
      [null, 2],
      ["tone", 1],
      ["pad", 2],
    ]);
    const tone = decodeWav(await readFile(join(dir, "mono-stem", "stems", "tone.wav")));
    expect(tone.channels).toHaveLength(1);
    expect(tone.channels[0]?.length).toBe(SR / 2);
    // A 441 Hz sine at amplitude 1: the samples are the tone's (100 a period at 44.1 kHz).
    expect(tone.channels[0]?.[25]).toBeCloseTo(1, 4);
    const pad = decodeWav(await readFile(join(dir, "mono-stem", "stems", "pad.wav")));
    expect(pad.channels).toHaveLength(2);
  });
});

describe("renderSessionJob with normalizePeakDbfs (--normalize)", () => {
  /** A mono tone of amplitude 2 and a stereo pad, both captured, summed by a mixer: it peaks above 2. */
  async function saveMix(name: string, toneAmplitude: number, padLevel: number) {
    const pad = {
      sampleRate: SR,
      channels: [noise(SR, 11), noise(SR, 12)].map((c) => c.map((x) => x * padLevel)),
    };
    await saveSession(join(dir, name), {
      request: {
        version: "v1alpha",
        request_id: name,
        sample_rate: SR,
        channels: 2,
        duration_seconds: 1.5,
        node_graph: {
          version: "v1alpha",
          output: "mix",
          nodes: [
            {
              name: "tone",
              node_id: "builtin:oscillator",
              params: { frequency: 600, amplitude: toneAmplitude },
              capture: true,
            },
            {
              name: "pad",
              node_id: "builtin:playback",
              buffers: { data: "buf:1" },
              params: { loop: 1 },
              capture: true,
            },
            { name: "mix", node_id: "builtin:mixer", inputs: ["tone", "pad"] },
          ],
        },
      },
      buffers: new Map([["buf:1", pad]]),
    });
  }
  const peakOf = (channels: Float32Array[]) =>
    Math.max(...channels.map((channel) => channel.reduce((peak, x) => Math.max(peak, Math.abs(x)), 0)));
  const read = async (out: string, file: string) => decodeWav(await readFile(join(dir, out, file))).channels;
  const dbfs = (amplitude: number) => 20 * Math.log10(amplitude);

  beforeAll(async () => {
    await saveMix("loud-mix.json", 2, 0.5);
    await saveMix("silent-mix.json", 0, 0);
  });

  it("applies one gain to the output and every stem: each sample is the plain render's times the gain", async () => {
    const plain = await renderSessionJob(job("loud-mix.json", "mix-plain"), {
      createEngine: createInProcess,
    });
    const normalized = await renderSessionJob(
      job("loud-mix.json", "mix-normalized", { normalizePeakDbfs: -0.1 }),
      {
        createEngine: createInProcess,
      },
    );
    expect(plain.normalization).toBeNull();
    const before = plain.files[0]?.report.peak ?? 0;
    expect(before).toBeGreaterThan(2);
    const { normalization } = normalized;
    expect(normalization).toMatchObject({ targetDbfs: -0.1, applied: true });
    expect(normalization?.peakDbfs).toBeCloseTo(dbfs(before), 10);
    expect(normalization?.gain).toBeCloseTo(10 ** (-0.1 / 20) / before, 12);
    expect(normalization?.gainDb).toBeCloseTo(-0.1 - dbfs(before), 10);
    const gain = normalization?.gain ?? 0;
    for (const file of ["out.wav", "stems/tone.wav", "stems/pad.wav"]) {
      const scaled = (await read("mix-plain", file)).map((channel) => channel.map((x) => x * gain));
      expect(await read("mix-normalized", file), file).toEqual(scaled);
    }
    // The output now peaks at the target, and the reported gain is the ratio of the two peaks.
    const output = await read("mix-normalized", "out.wav");
    expect(Math.abs(dbfs(peakOf(output)) - -0.1)).toBeLessThan(0.01);
    expect(dbfs(peakOf(output)) - dbfs(peakOf(await read("mix-plain", "out.wav")))).toBeCloseTo(
      normalization?.gainDb ?? 0,
      5,
    );
    // The stems still sum to the output (the tone is mono, added to both channels); the tone stays mono.
    const [tone] = await read("mix-normalized", "stems/tone.wav");
    const pad = await read("mix-normalized", "stems/pad.wav");
    expect(await read("mix-normalized", "stems/tone.wav")).toHaveLength(1);
    for (let c = 0; c < 2; c++) {
      const sum = (pad[c] as Float32Array).map((x, i) => x + (tone?.[i] ?? 0));
      const error = peakOf([sum.map((x, i) => x - (output[c]?.[i] ?? 0))]);
      expect(error).toBeLessThan(1e-6);
    }
    // Reports are of the files written, and nothing of the first pass is left.
    expect(normalized.files.map((file) => [file.path, file.report.format])).toEqual([
      [join(dir, "mix-normalized", "out.wav"), "float32"],
      [join(dir, "mix-normalized", "stems", "tone.wav"), "float32"],
      [join(dir, "mix-normalized", "stems", "pad.wav"), "float32"],
    ]);
    expect(normalized.files[0]?.report.peakDbfs).toBeCloseTo(-0.1, 5);
    expect((await readdir(join(dir, "mix-normalized"), { recursive: true })).sort()).toEqual([
      "out.wav",
      "stems",
      "stems/pad.wav",
      "stems/tone.wav",
    ]);
  });

  it("in pcm16 and pcm24 the output peaks at the target within 0.01 dB and nothing clips", async () => {
    for (const [format, target] of [
      ["pcm16", -1],
      ["pcm24", -0.1],
      ["pcm16", 0],
    ] as const) {
      const out = `mix-${format}${target}`;
      const outcome = await renderSessionJob(
        job("loud-mix.json", out, { format, normalizePeakDbfs: target }),
        {
          createEngine: createInProcess,
        },
      );
      const peak = dbfs(peakOf(await read(out, "out.wav")));
      expect(Math.abs(peak - target), `${format} at ${target}: ${peak}`).toBeLessThan(0.01);
      expect(outcome.files[0]?.report).toMatchObject({ format, clippedSamples: 0 });
      expect(outcome.files[0]?.report.peakDbfs).toBeCloseTo(peak, 3);
    }
  });

  it("stopped between the passes, leaves neither the first pass's files nor a final one", async () => {
    const controller = new AbortController();
    const error = await renderSessionJob(job("loud-mix.json", "mix-stopped", { normalizePeakDbfs: -0.1 }), {
      createEngine: createInProcess,
      signal: controller.signal,
      // The render's last report: its audio is complete, the second pass has not started.
      onProgress: (progress) => {
        if (progress.frames_rendered === progress.frames_total) controller.abort();
      },
    }).catch((caught: Error) => caught);
    expect((error as Error).message).toBe(
      `E_CANCELLED: writing ${join(dir, "mix-stopped", "out.wav")} was stopped`,
    );
    const left = await readdir(join(dir, "mix-stopped"), { recursive: true });
    expect(left.filter((name) => name.endsWith(".wav") || name.endsWith(".partial"))).toEqual([]);
  });

  it("leaves a silent render as it is (gain 1) and says it was not normalised", async () => {
    const outcome = await renderSessionJob(job("silent-mix.json", "silent", { normalizePeakDbfs: -0.1 }), {
      createEngine: createInProcess,
    });
    expect(outcome.normalization).toEqual({
      targetDbfs: -0.1,
      peakDbfs: Number.NEGATIVE_INFINITY,
      gain: 1,
      gainDb: 0,
      applied: false,
    });
    expect(peakOf(await read("silent", "out.wav"))).toBe(0);
  });
});

describe("renderSessionJob's timeout", () => {
  it("fails a session that outlives timeoutSeconds with E_CANCELLED, and leaves no file", async () => {
    const started = performance.now();
    const error = await renderSessionJob(job("long.json", "timed-out", { timeoutSeconds: 0.5 }), {
      createEngine: createInProcess,
    }).catch((caught: Error) => caught);
    expect((error as Error).message).toBe(
      "E_CANCELLED: timed out: the session took longer than its timeout of 0.5 s",
    );
    // Half an hour of audio would take minutes; the timeout stopped it within a piece or two.
    expect(performance.now() - started).toBeLessThan(30_000);
    // No WAV and no partial file (the folders may exist: they are made before the render starts).
    const left = await readdir(join(dir, "timed-out"), { recursive: true }).catch(() => [] as string[]);
    expect(left.filter((name) => name.endsWith(".wav") || name.endsWith(".partial"))).toEqual([]);
  });

  it("stops at the caller's signal too", async () => {
    const controller = new AbortController();
    const error = await renderSessionJob(job("long.json", "aborted"), {
      createEngine: createInProcess,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    }).catch((caught: Error) => caught);
    expect((error as Error).message).toMatch(/^E_CANCELLED: render cancelled after \d+ of 79380000 frames$/);
  });
});
