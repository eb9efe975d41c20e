/**
 * The export timing the project-export rows share (Node in-process in bench/project.ts, the Chromium
 * Worker in bench/pages/bench.ts, where it alternates with the native reference of
 * bench/project-native-timing.ts): the 16-track, 3-minute project exported on the client given,
 * realtime factors returned.
 */
import type { EngineClient } from "../src/api/engine-client";
import { exportProject } from "../src/project/export-project";
import { PROJECT_SAMPLE_RATE, scaleAudio, scaleProject } from "../test/support/project-scale";

/** One export of the project (upload, compile, render, read back, float32 WAV), as a realtime factor. */
export async function timeProjectExport(
  engine: EngineClient,
  input = { project: scaleProject(), audio: scaleAudio(PROJECT_SAMPLE_RATE) },
): Promise<{ factor: number; rms: number; mixdown: Uint8Array }> {
  const started = performance.now();
  const exported = await exportProject(engine, input, { sampleRate: PROJECT_SAMPLE_RATE });
  const factor = exported.frames / PROJECT_SAMPLE_RATE / ((performance.now() - started) / 1000);
  return { factor, rms: float32WavRms(exported.mixdown), mixdown: exported.mixdown };
}

/** RMS of every sample of a float32 WAV's data (after its 44-byte header), for the log. */
export function float32WavRms(wav: Uint8Array): number {
  const samples = new Float32Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.byteLength));
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  return Math.sqrt(sum / Math.max(1, samples.length));
}
