/**
 * exportProject on the in-process engine: the mixdown WAV is the compiled request's render, stems of
 * the tracks routed to the master sum to it, a range renders its frames only, and a cancel rejects
 * with E_CANCELLED leaving no buffer held.
 */
import { describe, expect, it } from "vitest";
import { decodeWav } from "../../src/audio-io/wav-codec";
import { secondsAtBeat } from "../../src/contracts/tempo-map";
import { createEngine } from "../../src/create-engine";
import type { InProcessEngineClient } from "../../src/hosts/in-process/in-process-client";
import { compileProject } from "../../src/project/compile-project";
import { exportProject } from "../../src/project/export-project";
import { projectSong, SONG_RATE } from "../support/project-song";

const differing = (a: Float32Array, b: Float32Array) =>
  a.filter((value, i) => !Object.is(value, b[i])).length;

describe("exportProject", () => {
  it("writes the mixdown the project renders, and stems that sum to it", async () => {
    const engine = (await createEngine({ sampleRate: SONG_RATE })) as unknown as InProcessEngineClient;
    const song = projectSong();
    const fractions: number[] = [];
    const exported = await exportProject(engine, song, {
      sampleRate: SONG_RATE,
      stems: true,
      tailSeconds: 0.25,
      onProgress: (fraction) => fractions.push(fraction),
    });
    expect(engine.heldBuffers()).toEqual([]);
    expect([...exported.stems.keys()]).toEqual(["drums", "bass", "verb"]);
    expect(fractions.at(-1)).toBe(1);

    // The same request rendered directly.
    const buffers: Record<string, string> = {};
    for (const [id, data] of song.audio)
      buffers[id] = await engine.uploadBuffer(data.channels, data.sampleRate);
    const { request } = compileProject(song.project, { sampleRate: SONG_RATE, buffers, tailSeconds: 0.25 });
    const direct = await engine.readBuffer((await engine.render(request)).buffer_handle as string);
    const mixdown = decodeWav(exported.mixdown);
    // 2 beats at 120 bpm plus the tail: 1.25 s.
    expect(exported.frames).toBe(Math.round(1.25 * SONG_RATE));
    expect(mixdown.channels.map((channel, c) => differing(channel, direct[c] as Float32Array))).toEqual([
      0, 0,
    ]);
    expect(Math.max(...(mixdown.channels[0] as Float32Array).map(Math.abs))).toBeGreaterThan(0.1);

    // Every track goes to the master, which sums them in project order (float32 adds, as the engine).
    const stems = ["drums", "bass", "verb"].map((id) => decodeWav(exported.stems.get(id) as Uint8Array));
    for (let c = 0; c < 2; c++) {
      const [d, b, v] = stems.map((stem) => stem.channels[c] as Float32Array);
      const sum = Float32Array.from(d as Float32Array, (x, i) =>
        Math.fround(Math.fround(x + (b?.[i] ?? 0)) + (v?.[i] ?? 0)),
      );
      expect(differing(sum, mixdown.channels[c] as Float32Array)).toBe(0);
    }
    const verb = stems[2]?.channels[0] as Float32Array;
    expect(Math.max(...verb.map(Math.abs))).toBeGreaterThan(0.001);
    await engine.close();
  });

  it("renders a range only, or the loop, as the project's frames there", async () => {
    const engine = await createEngine({ sampleRate: SONG_RATE });
    const song = projectSong();
    const whole = decodeWav((await exportProject(engine, song, { sampleRate: SONG_RATE })).mixdown);
    const range = { start_beat: 0.5, end_beat: 1.5 };
    const part = decodeWav(
      (await exportProject(engine, song, { sampleRate: SONG_RATE, range, prerollSeconds: "range" })).mixdown,
    );
    const tempo = song.project.tempo;
    const start = Math.round(secondsAtBeat(tempo, 0.5) * SONG_RATE);
    const end = Math.round(secondsAtBeat(tempo, 1.5) * SONG_RATE);
    expect(part.channels[0]?.length).toBe(end - start);
    for (let c = 0; c < 2; c++) {
      const slice = (whole.channels[c] as Float32Array).subarray(start, end);
      expect(differing(part.channels[c] as Float32Array, slice)).toBe(0);
    }
    const looped = {
      ...song,
      project: { ...song.project, loop: { start_beat: 1, end_beat: 2, enabled: true } },
    };
    const loop = decodeWav(
      (await exportProject(engine, looped, { sampleRate: SONG_RATE, range: "loop" })).mixdown,
    );
    expect(loop.channels[0]?.length).toBe(Math.round(SONG_RATE * 0.5));
    await engine.close();
  });

  it("rejects with E_CANCELLED when cancelled, holding no buffer", async () => {
    const engine = (await createEngine({ sampleRate: SONG_RATE })) as unknown as InProcessEngineClient;
    const controller = new AbortController();
    const song = projectSong();
    // A long tail, so the render reports progress before its end.
    const error = await exportProject(engine, song, {
      sampleRate: SONG_RATE,
      tailSeconds: 60,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    }).catch((caught: Error) => caught);
    expect((error as Error).message).toMatch(/^E_CANCELLED: export cancelled after \d+ frames$/);
    expect(engine.heldBuffers()).toEqual([]);
    await engine.close();
  });

  it("rejects a failed render with its own E_RENDER once (was: E_RENDER: ...: E_RENDER: ...)", async () => {
    const engine = (await createEngine({ sampleRate: SONG_RATE })) as unknown as InProcessEngineClient;
    const song = projectSong();
    // NaN in every audio the song plays: the render fails under the default non_finite policy.
    const audio = new Map(
      [...song.audio].map(([id, data]) => [
        id,
        { ...data, channels: data.channels.map((channel) => channel.map(() => Number.NaN)) },
      ]),
    );
    const error = await exportProject(engine, { ...song, audio }, { sampleRate: SONG_RATE }).catch(
      (caught: Error) => caught,
    );
    expect((error as Error).message).toMatch(
      /^E_RENDER: the export's render failed: \d+ non-finite samples \(NaN or ±Infinity\) from frame \d+, in the output; /,
    );
    expect((error as Error).message.match(/E_RENDER/g)).toHaveLength(1);
    expect(engine.heldBuffers()).toEqual([]);
    await engine.close();
  });
});
