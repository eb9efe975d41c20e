/**
 * The built command line, run as a child process (bin/webdreamer.mjs -> dist/node/cli.mjs -> worker
 * threads -> the in-process engine) on sessions written to a temporary directory.
 */
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type AudioData, decodeWav } from "../../src/audio-io/wav";
import type { GraphNodeInput, RenderRequestInput } from "../../src/contracts/index";
import { saveSession } from "../../src/session/index";

const REPO = resolve(import.meta.dirname, "../..");
const RATE = 44100;

function noise(frames: number, seed: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length: frames }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 31 - 1) * 0.9;
  });
}

function request(
  nodes: GraphNodeInput[],
  output: string,
  length: Partial<RenderRequestInput>,
  sampleRate = RATE,
) {
  return {
    version: "v1alpha",
    request_id: "cli-test",
    sample_rate: sampleRate,
    channels: 2,
    node_graph: { version: "v1alpha", nodes, output, tempo: { bpm: 90 } },
    ...length,
  } satisfies RenderRequestInput;
}

/** A session playing `audio` once from the start, for `seconds`. */
async function playbackSession(
  path: string,
  audio: AudioData,
  seconds: number,
  extra: GraphNodeInput[] = [],
  capture = false,
) {
  const nodes: GraphNodeInput[] = [
    { name: "drums", node_id: "builtin:playback", buffers: { data: "buf:1" }, capture },
    ...extra,
  ];
  const output = extra.at(-1)?.name ?? "drums";
  await saveSession(path, {
    request: request(nodes, output, { duration_seconds: seconds }, audio.sampleRate),
    buffers: new Map([["buf:1", audio]]),
  });
}

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

async function readWav(path: string): Promise<AudioData> {
  return decodeWav(await readFile(path), path);
}

describe("webdreamer render (the built CLI)", () => {
  let dir: string;
  const loop: AudioData = { sampleRate: RATE, channels: [noise(100_000, 1), noise(100_000, 2)] };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "webdreamer-cli-"));
    await playbackSession(join(dir, "take.json"), loop, 0.3217);
    await playbackSession(
      join(dir, "stems.json"),
      loop,
      0.25,
      [{ name: "half", node_id: "builtin:gain", inputs: ["drums"], params: { gain: 0.5 } }],
      true,
    );
    await mkdir(join(dir, "batch"));
    for (let i = 0; i < 4; i++) {
      const audio = { sampleRate: 22050, channels: [noise(5000, 10 + i), noise(5000, 20 + i)] };
      await playbackSession(join(dir, "batch", `s${i}.json`), audio, 0.2);
    }
    // A finite buffer that a gain of 1000 drives to infinity at frames 100..102: by default the
    // session fails; with options.non_finite "replace" it is written, with 0 there and a warning.
    const loud = new Float32Array(4410).fill(0.001);
    loud.fill(1e36, 100, 103);
    for (const [name, nonFinite] of [
      ["overflow.json", undefined],
      ["overflow-replace.json", "replace"],
    ] as const) {
      await saveSession(join(dir, name), {
        request: {
          ...request(
            [
              { name: "drums", node_id: "builtin:playback", buffers: { data: "buf:1" } },
              { name: "hot", node_id: "builtin:gain", inputs: ["drums"], params: { gain: 1000 } },
            ],
            "hot",
            { duration_seconds: 0.1 },
          ),
          ...(nonFinite === undefined
            ? {}
            : { options: { offline: true, preroll: 0, non_finite: nonFinite } }),
        },
        buffers: new Map([["buf:1", { sampleRate: RATE, channels: [loud] }]]),
      });
    }
    // 1 s of a 600 Hz sine of amplitude 2 at 48 kHz, mono, in a stereo render: as pcm16, 54 samples
    // of each 80-sample period clip (test/audio-io/wav.test.ts counts them), 32,400 a channel.
    await saveSession(join(dir, "loud.json"), {
      request: request(
        [
          {
            name: "tone",
            node_id: "builtin:oscillator",
            params: { frequency: 600, amplitude: 2 },
            capture: true,
          },
        ],
        "tone",
        { duration_seconds: 1 },
        48_000,
      ),
      buffers: new Map(),
    });
    // 40 s of a looped 1 s buffer at 8 kHz: the engine reports progress about once per second of audio.
    const long = { sampleRate: 8000, channels: [noise(8000, 5)] };
    await saveSession(join(dir, "long.json"), {
      request: request(
        [{ name: "loop", node_id: "builtin:playback", buffers: { data: "buf:1" }, params: { loop: 1 } }],
        "loop",
        { duration_seconds: 40 },
        8000,
      ),
      buffers: new Map([["buf:1", long]]),
    });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("renders round(d * sr) frames that reproduce a playback's input exactly in float32", async () => {
    const out = join(dir, "out", "take.wav");
    const run = webdreamer("render", join(dir, "take.json"), "-o", out, "-q");
    expect(run).toMatchObject({ status: 0, stderr: "" });
    const wav = await readWav(out);
    const frames = Math.round(0.3217 * RATE); // 14187
    expect(wav.sampleRate).toBe(RATE);
    expect(wav.channels.map((channel) => channel.length)).toEqual([frames, frames]);
    expect(wav.channels).toEqual(loop.channels.map((channel) => channel.subarray(0, frames)));

    // Another block size changes how the engine steps, not what it renders.
    const odd = join(dir, "out", "take-37.wav");
    expect(webdreamer("render", join(dir, "take.json"), "-o", odd, "--block-size", "37", "-q").status).toBe(
      0,
    );
    expect((await readWav(odd)).channels).toEqual(wav.channels);
  });

  it("--beats sets the length on the graph's tempo, --seconds overrides it, --format pcm16 quantises", async () => {
    const beats = join(dir, "beats.wav");
    expect(webdreamer("render", join(dir, "take.json"), "-o", beats, "--beats", "3", "-q").status).toBe(0);
    const threeBeats = await readWav(beats);
    expect(threeBeats.channels[0]?.length).toBe(2 * RATE); // 3 beats at 90 bpm = 2 s
    expect(threeBeats.channels[1]).toEqual(loop.channels[1]?.subarray(0, 2 * RATE));

    const pcm = join(dir, "pcm16.wav");
    expect(
      webdreamer("render", join(dir, "take.json"), "-o", pcm, "--seconds", "0.01", "--format", "pcm16")
        .status,
    ).toBe(0);
    const bytes = await readFile(pcm);
    expect(new DataView(bytes.buffer, bytes.byteOffset).getUint16(34, true)).toBe(16);
    const [left] = decodeWav(bytes).channels;
    expect(left?.length).toBe(441);
    const expected = loop.channels[0]?.subarray(0, 441).map((x) => Math.round(x * 32768) / 32768);
    expect(left).toEqual(expected);
  });

  it("--stems writes one WAV per captured node (capture: true, plus each --stem)", async () => {
    const stems = join(dir, "stems-out");
    const out = join(dir, "stems.wav");
    const run = webdreamer("render", join(dir, "stems.json"), "-o", out, "--stems", stems, "--stem", "half");
    expect(run.status, run.stderr).toBe(0);
    expect((await readdir(stems)).sort()).toEqual(["drums.wav", "half.wav"]);
    const frames = Math.round(0.25 * RATE);
    const input = loop.channels.map((channel) => channel.slice(0, frames));
    expect((await readWav(join(stems, "drums.wav"))).channels).toEqual(input);
    const half = input.map((channel) => channel.map((x) => x * 0.5));
    expect((await readWav(join(stems, "half.wav"))).channels).toEqual(half);
    expect((await readWav(out)).channels).toEqual(half);
  });

  it("--stems with -o a directory writes STEMS/<session>/<node>.wav, one session included", async () => {
    const renders = join(dir, "layout-renders");
    const stems = join(dir, "layout-stems");
    const run = webdreamer("render", join(dir, "stems.json"), "-o", renders, "--stems", stems, "-q");
    expect(run, run.stderr).toMatchObject({ status: 0 });
    expect(await readdir(renders)).toEqual(["stems.wav"]);
    expect(await readdir(stems)).toEqual(["stems"]);
    expect(await readdir(join(stems, "stems"))).toEqual(["drums.wav"]);
  });

  it("an unknown --stem fails the session (exit 1) and names the node", () => {
    const run = webdreamer(
      "render",
      join(dir, "stems.json"),
      "-o",
      join(dir, "x.wav"),
      "--stems",
      join(dir, "x"),
      "--stem",
      "bass",
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `webdreamer: failed: ${join(dir, "stems.json")}: E_UNKNOWN_NODE: --stem bass: no node named "bass"`,
    );
  });

  it("fails a session whose audio held NaN or ±Infinity, or writes 0 there with a warning when it asks", async () => {
    const failed = webdreamer("render", join(dir, "overflow.json"), "-o", join(dir, "overflow.wav"), "-q");
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain(
      `webdreamer: failed: ${join(dir, "overflow.json")}: E_RENDER: 3 non-finite samples (NaN or ±Infinity) from frame 100, in the output;`,
    );
    expect(await readdir(dir)).not.toContain("overflow.wav");

    const out = join(dir, "overflow-replace.wav");
    const kept = webdreamer("render", join(dir, "overflow-replace.json"), "-o", out, "-q");
    expect(kept.status, kept.stderr).toBe(0);
    expect(kept.stderr).toBe(
      `webdreamer: warning: ${join(dir, "overflow-replace.json")}: 3 non-finite samples (NaN or ±Infinity) from frame 100 were written as 0\n`,
    );
    const [left] = (await readWav(out)).channels;
    expect(Array.from(left?.subarray(99, 104) ?? [])).toEqual([1, 0, 0, 0, 1]);
  });

  it("warns about every integer WAV that clipped, output and stems, naming it, its peak and the count", async () => {
    const out = join(dir, "loud.wav");
    const stems = join(dir, "loud-stems");
    const quiet = webdreamer(
      "render",
      join(dir, "loud.json"),
      "-o",
      out,
      "--stems",
      stems,
      "--format",
      "pcm16",
      "-q",
    );
    expect(quiet.status, quiet.stderr).toBe(0);
    // Even with --quiet: the files are not what the graph played.
    expect(quiet.stderr).toBe(
      `webdreamer: warning: ${out} clipped: 64800 samples beyond full scale in pcm16 (peak +6.02 dBFS); use --normalize, a lower level or --format float32\n` +
        `webdreamer: warning: ${join(stems, "tone.wav")} clipped: 32400 samples beyond full scale in pcm16 (peak +6.02 dBFS); use --normalize, a lower level or --format float32\n`,
    );
    const [left] = (await readWav(out)).channels;
    expect(Math.max(...(left ?? []))).toBe(32767 / 32768);

    const loud = webdreamer("render", join(dir, "loud.json"), "-o", out, "--format", "pcm24");
    expect(loud.stderr).toContain(
      `webdreamer: warning: ${out} clipped: 64800 samples beyond full scale in pcm24`,
    );
    expect(loud.stderr).toMatch(
      /rendered 1 of 1 sessions, 1\.0 s of audio in [\d.]+ s; peak \+6\.02 dBFS; 1 file clipped\n$/,
    );

    // float32 holds it: no warning, the summary still gives the peak.
    const float = webdreamer("render", join(dir, "loud.json"), "-o", out);
    expect(float.stderr).not.toContain("warning");
    expect(float.stderr).toMatch(/; peak \+6\.02 dBFS\n$/);
  });

  it("--normalize brings the output's peak to -0.1 dBFS, stems by the same gain, and reports the gain", async () => {
    const out = join(dir, "normalized.wav");
    const stems = join(dir, "normalized-stems");
    const run = webdreamer(
      "render",
      join(dir, "loud.json"),
      "-o",
      out,
      "--stems",
      stems,
      "--format",
      "pcm16",
      "--normalize",
    );
    expect(run.status, run.stderr).toBe(0);
    // The peak of 2 (+6.02 dBFS) brought down to -0.1 dBFS: a gain of -6.12 dB, and nothing clips.
    expect(run.stderr).not.toContain("warning");
    expect(run.stderr).toContain(
      `webdreamer: ${join(dir, "loud.json")}: normalized to -0.10 dBFS: gain -6.12 dB (its peak was +6.02 dBFS)\n`,
    );
    expect(run.stderr).toMatch(/; peak -0\.10 dBFS; normalized with a gain of -6\.12 dB\n$/);
    const peak = (channels: Float32Array[]) =>
      Math.max(...channels.flatMap((channel) => Array.from(channel, Math.abs)));
    const output = (await readWav(out)).channels;
    expect(Math.abs(20 * Math.log10(peak(output)) + 0.1)).toBeLessThan(0.01);
    const tone = (await readWav(join(stems, "tone.wav"))).channels;
    expect(tone).toHaveLength(1);
    expect(tone[0]).toEqual(output[0]);
    expect(await readdir(dir)).not.toContain("normalized.wav.normalize.partial");

    const bad = webdreamer("render", join(dir, "loud.json"), "-o", out, "--normalize=abc");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(
      '--normalize=DB needs a peak level in dBFS, a number <= 0 such as --normalize=-1 (got "abc")',
    );
  });

  it("bad usage exits 2 with a message naming the flag", () => {
    const format = webdreamer("render", join(dir, "take.json"), "-o", "x.wav", "--format", "mp3");
    expect(format.status).toBe(2);
    expect(format.stderr).toContain('webdreamer: --format must be one of pcm16, pcm24, float32 (got "mp3")');
    const unknown = webdreamer("render", join(dir, "take.json"), "-o", "x.wav", "--frobnicate");
    expect(unknown).toMatchObject({ status: 2, stdout: "" });
    expect(unknown.stderr).toContain("webdreamer: unknown option --frobnicate");
    const shard = webdreamer("render", join(dir, "batch"), "-o", "out", "--shard", "2/2");
    expect(shard.status).toBe(2);
    expect(shard.stderr).toContain('--shard must be I/N with 0 <= I < N, e.g. 0/4 (got "2/2")');
    expect(webdreamer("render", join(dir, "batch"), "-o", "one.wav").stderr).toContain(
      "-o one.wav names one file, but there are 4 sessions: give a directory",
    );
  });

  it("--help prints usage on stdout and exits 0", () => {
    const help = webdreamer("--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: webdreamer render /);
    for (const flag of [
      "--seconds",
      "--beats",
      "--format",
      "--stems",
      "--stem",
      "--block-size",
      "--sample-rate",
      "--jobs",
      "--shard",
      "--timeout",
      "--allow-outside-paths",
      "--quiet",
      "--normalize",
    ]) {
      expect(help.stdout).toContain(flag);
    }
  });

  it("--jobs 2 renders a directory of 4 sessions, each to <out>/<name>.wav", async () => {
    const out = join(dir, "batch-out");
    const run = webdreamer("render", join(dir, "batch"), "-o", out, "--jobs", "2");
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain("webdreamer: rendered 4 of 4 sessions");
    expect((await readdir(out)).sort()).toEqual(["s0.wav", "s1.wav", "s2.wav", "s3.wav"]);
    for (let i = 0; i < 4; i++) {
      const wav = await readWav(join(out, `s${i}.wav`));
      expect(wav.sampleRate).toBe(22050);
      expect(wav.channels).toEqual([noise(4410, 10 + i), noise(4410, 20 + i)]);
    }
  });

  it("--shard 1/2 renders exactly sessions 1 and 3 of the sorted 4 (given as a glob)", async () => {
    const out = join(dir, "shard-out");
    const run = webdreamer(
      "render",
      join(dir, "batch", "s*.json"),
      "-o",
      out,
      "--shard",
      "1/2",
      "--jobs",
      "2",
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain("rendered 2 of 2 sessions (shard 1/2 of 4)");
    expect((await readdir(out)).sort()).toEqual(["s1.wav", "s3.wav"]);
  });

  it("reports progress on stderr every 10 % of a long render, and nothing with -q", async () => {
    const out = join(dir, "long.wav");
    const run = webdreamer("render", join(dir, "long.json"), "-o", out);
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stderr.trim().split("\n");
    const percents = lines.flatMap(
      (line) => /^webdreamer: +(\d+)% \| [01]\/1 sessions \| \d+\.\dx realtime$/.exec(line)?.[1] ?? [],
    );
    // One line per 10 % step passed (a line shows the percent reached when it passed the step).
    expect(percents.map((percent) => Math.floor(Number(percent) / 10))).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
    // The last progress line is the session finished, not just rendered.
    expect(lines.at(-2)).toMatch(/^webdreamer: 100% \| 1\/1 sessions \| \d+\.\dx realtime$/);
    expect(lines.at(-1)).toMatch(
      /^webdreamer: rendered 1 of 1 sessions, 40\.0 s of audio in \d+\.\d s; peak -\d\.\d\d dBFS$/,
    );
    expect((await readWav(out)).channels[0]?.length).toBe(40 * 8000);

    const quiet = webdreamer("render", join(dir, "long.json"), "-o", out, "-q");
    expect(quiet).toMatchObject({ status: 0, stderr: "", stdout: "" });
  });
});
