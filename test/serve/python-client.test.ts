/**
 * The Python client of docs/serve.md (examples/python/webdreamer_client.py, standard library only),
 * run by python3 against a server with a token: it renders 2 s with progress events, reads the WAV
 * and the raw float32, and meets a refused request as a WebdreamerError with code and path.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";
import { decodeWav } from "../../src/audio-io/wav-codec";
import { startTestServer, type TestServer } from "../support/serve";

const TOKEN = "python-token-0123456789";
let running: TestServer | undefined;
afterAll(async () => {
  await running?.server.close();
});

it("renders, reads WAV and float32, and sees a refusal, with the standard library only", async () => {
  running = await startTestServer({ token: TOKEN });
  const out = join(mkdtempSync(join(tmpdir(), "webdreamer-python-")), "take.wav");
  const { stdout } = await promisify(execFile)(
    "python3",
    ["examples/python/webdreamer_client.py", running.url, out],
    {
      env: { ...process.env, WEBDREAMER_TOKEN: TOKEN },
    },
  );
  const summary = JSON.parse(stdout) as Record<string, unknown>;
  expect(summary).toMatchObject({
    status: "ok",
    frames: 96000,
    wav_bytes: 44 + 96000 * 2 * 4, // a float32 WAV: the 44-byte header, then the samples
    refused: { status: 400, code: "E_SCHEMA", path: "channels" },
    last_progress: { request_id: "python-example", frames_rendered: 96000, frames_total: 96000 },
  });
  expect(summary.progress_events as number).toBeGreaterThanOrEqual(1);
  // A lowpassed 220 Hz saw: well above silence, below full scale.
  expect(summary.peak as number).toBeGreaterThan(0.1);
  expect(summary.peak as number).toBeLessThan(1);
  const wav = decodeWav(readFileSync(out));
  expect(wav.sampleRate).toBe(48000);
  expect(wav.channels.map((channel) => channel.length)).toEqual([96000, 96000]);
  expect(Math.max(...(wav.channels[0] ?? []).map(Math.abs))).toBeCloseTo(summary.peak as number, 6);
  // The session was closed on the way out.
  expect(
    (
      (await (
        await fetch(`${running.url}/v1alpha/health`, { headers: { authorization: `Bearer ${TOKEN}` } })
      ).json()) as { sessions: number }
    ).sessions,
  ).toBe(0);
});
