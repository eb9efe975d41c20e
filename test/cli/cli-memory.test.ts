/**
 * Long renders stream to disk (docs/reliability.md, "Long renders on disk"): the CLI's peak memory
 * does not grow with a render's length. A 10-minute render with a stem, run as a child process,
 * peaks within 1.5 times a 10-second one's plus 32 MiB; holding the whole render, as the CLI did
 * before it streamed, took over ten times more (about 1.6 GB against 120 MB).
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveSession } from "../../src/session/index";

const REPO = resolve(import.meta.dirname, "../..");
const RATE = 48000;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "webdreamer-cli-memory-"));
  const loop = Float32Array.from({ length: RATE }, (_, i) => Math.sin(i / 7) * 0.5);
  await saveSession(join(dir, "take.json"), {
    request: {
      version: "v1alpha",
      request_id: "memory",
      sample_rate: RATE,
      channels: 2,
      duration_seconds: 10,
      node_graph: {
        version: "v1alpha",
        output: "mix",
        nodes: [
          { name: "loop", node_id: "builtin:playback", buffers: { data: "buf:1" }, params: { loop: 1 } },
          { name: "osc", node_id: "builtin:oscillator", params: { frequency: 110 }, capture: true },
          { name: "mix", node_id: "builtin:mixer", inputs: ["loop", "osc"] },
        ],
      },
    },
    buffers: new Map([["buf:1", { sampleRate: RATE, channels: [loop] }]]),
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Renders `seconds` of the session (output and one stem, pcm16) in a child process: its peak RSS in MiB. */
function peakMiB(seconds: number): number {
  const out = join(dir, `${seconds}`);
  const run = spawnSync(
    process.execPath,
    [
      "--import",
      join(import.meta.dirname, "fixtures", "report-max-rss.mjs"),
      join(REPO, "bin/webdreamer.mjs"),
      "render",
      join(dir, "take.json"),
      "-o",
      join(out, "take.wav"),
      "--stems",
      join(out, "stems"),
      "--seconds",
      `${seconds}`,
      "--format",
      "pcm16",
      "--jobs",
      "1",
      "-q",
    ],
    { encoding: "utf8", timeout: 240_000 },
  );
  expect(run.status, run.stderr).toBe(0);
  const kib = /max-rss-kib=(\d+)/.exec(run.stderr)?.[1];
  expect(kib, run.stderr).toBeDefined();
  return Number(kib) / 1024;
}

describe("the CLI's memory on a long render", () => {
  it("peaks about as high for 10 minutes of audio as for 10 seconds", async () => {
    const short = peakMiB(10);
    const long = peakMiB(600);
    // The files are whole: 10 minutes of 16-bit stereo, and of the mono oscillator's 16-bit mono stem.
    expect((await stat(join(dir, "600", "take.wav"))).size).toBe(44 + 600 * RATE * 2 * 2);
    expect((await stat(join(dir, "600", "stems", "osc.wav"))).size).toBe(44 + 600 * RATE * 2);
    await rm(join(dir, "600"), { recursive: true });
    // Holding 10 minutes of float32 output and stem would alone be 2 × 230 MB above the short run.
    expect(long, `10 s: ${short.toFixed(0)} MiB, 10 min: ${long.toFixed(0)} MiB`).toBeLessThan(
      short * 1.5 + 32,
    );
  });
});
