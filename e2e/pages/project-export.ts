// Exports a project in the Worker host and plays the same compiled request live in the AudioWorklet
// host, for e2e/project-export.spec.ts.
import { decodeWav } from "../../src/audio-io/wav-codec";
import { createBrowserEngine } from "../../src/create-browser-engine";
import { AudioWorkletEngineClient } from "../../src/hosts/audioworklet/audioworklet-client";
import { compileProject } from "../../src/project/compile-project";
import { exportProject } from "../../src/project/export-project";
import { projectSong } from "../../test/support/project-song";

const TAIL_SECONDS = 0.5;

/** Worker export against the live capture of the same project at the real-time context's rate. */
async function exportAndCapture() {
  const live = await AudioWorkletEngineClient.start();
  await live.context.resume();
  const sampleRate = live.context.sampleRate;
  const song = projectSong(sampleRate);
  const worker = await createBrowserEngine({ host: "worker", hostOptions: { sampleRate } });
  const fractions: number[] = [];
  const exported = await exportProject(worker, song, {
    sampleRate,
    stems: true,
    tailSeconds: TAIL_SECONDS,
    onProgress: (fraction) => fractions.push(fraction),
  });
  const mixdown = decodeWav(exported.mixdown);

  const buffers: Record<string, string> = {};
  for (const [id, data] of song.audio) buffers[id] = await live.uploadBuffer(data.channels, data.sampleRate);
  const { request } = compileProject(song.project, { sampleRate, buffers, tailSeconds: TAIL_SECONDS });
  const result = await live.render({ ...request, options: { ...request.options, offline: false } });
  const captured = await live.readBuffer(result.buffer_handle as string);
  await live.close();

  // A cancel in the Worker: a long export stopped at its first progress report.
  const controller = new AbortController();
  const cancelled = await exportProject(worker, song, {
    sampleRate,
    tailSeconds: 120,
    signal: controller.signal,
    onProgress: () => controller.abort(),
  }).then(
    () => "finished",
    (error: Error) => error.message,
  );
  await worker.close();

  const differing = mixdown.channels.map(
    (channel, c) => channel.filter((value, i) => !Object.is(value, captured[c]?.[i])).length,
  );
  return {
    sampleRate,
    exportedFrames: exported.frames,
    liveStatus: result.status,
    liveFrames: result.frames,
    differing,
    peak: Math.max(...(mixdown.channels[0] as Float32Array).map(Math.abs)),
    stems: [...exported.stems.keys()],
    stemFrames: [...exported.stems.values()].map((bytes) => decodeWav(bytes).channels[0]?.length),
    fractions: {
      count: fractions.length,
      last: fractions.at(-1),
      increasing: fractions.every((f, i) => i === 0 || f >= (fractions[i - 1] as number)),
    },
    renderMs: exported.renderMs,
    cancelled,
  };
}

Object.assign(window, { exportAndCapture });
