// Exports a project in the Worker host and plays the same compiled request live in the AudioWorklet
// host, for e2e/project-export.spec.ts.
import { decodeWav } from "../../src/audio-io/wav-codec";
import { createBrowserEngine } from "../../src/create-browser-engine";
import { AudioWorkletEngineClient } from "../../src/hosts/audioworklet/audioworklet-client";
import { compileProject } from "../../src/project/compile-project";
import { exportProject } from "../../src/project/export-project";
import { parseProject } from "../../src/project/project-invariants";
import type { Device, Project } from "../../src/project/project-schema";
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

/** The project's own WAM fixture (an exact gain), built by scripts/build-wam-runtime.mjs. */
const FIXTURE_URL = "/build/wam/fixture/index.js";

/** `project` with `device` inserted first in the (stereo) drums track's chain. */
function withDrumsDevice(project: Project, device: Device): Project {
  return parseProject({
    ...project,
    tracks: project.tracks.map((track) =>
      track.id === "drums" ? { ...track, devices: [device, ...track.devices] } : track,
    ),
  });
}

/**
 * A WAM device in a project: the fixture at gain 0.5 in the drums track's chain, exported by the
 * AudioWorklet host (offline, in an OfflineAudioContext) and played live, against the same project
 * with a builtin gain of 0.5 in its place exported by the Worker host.
 */
async function exportWamDevice() {
  const live = await AudioWorkletEngineClient.start();
  await live.context.resume();
  const sampleRate = live.context.sampleRate;
  const song = projectSong(sampleRate);
  const wam = {
    ...song,
    project: withDrumsDevice(song.project, {
      id: "amp",
      node_id: "wam:com.webdreamer.fixture",
      params: { gain: 0.5 },
      buffers: {},
      extensions: { wam: { module_url: FIXTURE_URL } },
    }),
  };
  const builtin = {
    ...song,
    project: withDrumsDevice(song.project, {
      id: "amp",
      node_id: "builtin:gain",
      params: { gain: 0.5 },
      buffers: {},
    }),
  };
  const worker = await createBrowserEngine({ host: "worker", hostOptions: { sampleRate } });
  const reference = decodeWav(
    (await exportProject(worker, builtin, { sampleRate, tailSeconds: TAIL_SECONDS })).mixdown,
  );
  const workerRefusal = await exportProject(worker, wam, { sampleRate, tailSeconds: TAIL_SECONDS }).then(
    () => "exported",
    (error: Error) => error.message,
  );
  await worker.close();
  const exported = decodeWav(
    (await exportProject(live, wam, { sampleRate, tailSeconds: TAIL_SECONDS })).mixdown,
  );
  // Stems of the WAM project (offline in an OfflineAudioContext, docs/wam.md "Stems") against the
  // builtin twin's from the Worker: the same samples, stem by stem.
  const wamStems = (await exportProject(live, wam, { sampleRate, tailSeconds: TAIL_SECONDS, stems: true }))
    .stems;
  const worker2 = await createBrowserEngine({ host: "worker", hostOptions: { sampleRate } });
  const builtinStems = (
    await exportProject(worker2, builtin, { sampleRate, tailSeconds: TAIL_SECONDS, stems: true })
  ).stems;
  await worker2.close();
  const stemsDiffering: Record<string, number[]> = {};
  for (const [id, bytes] of builtinStems) {
    const want = decodeWav(bytes).channels;
    const got = wamStems.has(id) ? decodeWav(wamStems.get(id) as Uint8Array).channels : [];
    stemsDiffering[id] = want.map(
      (channel, c) => channel.filter((value, i) => !Object.is(value, got[c]?.[i])).length,
    );
  }

  const buffers: Record<string, string> = {};
  for (const [id, data] of wam.audio) buffers[id] = await live.uploadBuffer(data.channels, data.sampleRate);
  const { request } = compileProject(wam.project, { sampleRate, buffers, tailSeconds: TAIL_SECONDS });
  const result = await live.render({ ...request, options: { ...request.options, offline: false } });
  const captured = await live.readBuffer(result.buffer_handle as string);
  await live.close();

  const differing = (channels: Float32Array[]) =>
    reference.channels.map(
      (channel, c) => channel.filter((value, i) => !Object.is(value, channels[c]?.[i])).length,
    );
  return {
    frames: reference.channels[0]?.length,
    exportedFrames: exported.channels[0]?.length,
    exportedDiffering: differing(exported.channels),
    liveStatus: result.status,
    liveDiffering: differing(captured),
    peak: Math.max(...(reference.channels[0] as Float32Array).map(Math.abs)),
    workerRefusal,
    stemsDiffering,
    stemIds: [...wamStems.keys()],
  };
}

Object.assign(window, { exportAndCapture, exportWamDevice });
