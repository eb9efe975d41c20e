/**
 * The export timing the project-export rows share (Node in-process in bench/project.ts, the Chromium
 * Worker in bench/pages/bench.ts, where it alternates with the native reference of
 * bench/project-native-timing.ts): the 16-track, 3-minute project exported on the client given,
 * realtime factors returned.
 */
import type { EngineClient } from "../src/api/engine-client";
import { exportProject } from "../src/project/export-project";
import { PROJECT_SAMPLE_RATE, scaleAudio, scaleProject } from "../test/support/project-scale";

/** What benchProjectPairs (bench/pages/bench.ts) measures: every side of each round, in the order they ran. */
export interface ProjectExportPairs {
  /** Realtime factors of exportProject in the Worker host. */
  webdreamer: number[];
  /** Realtime factors of the native export (buffers, compile, build, render, WAV). */
  native: number[];
  /** Realtime factors of the native startRendering alone. */
  nativeRender: number[];
  /**
   * Realtime factors of the same export in the bench's Node process (in-process host), taken as a third
   * side of each round through `window.nodeProjectExport` (Playwright's exposeFunction); empty when
   * the page has no such function.
   */
  nodejs: number[];
  /** RMS of the first mixdown of each side (they sound alike, not the same: docs/benchmarks.md). */
  rms: { webdreamer: number; native: number };
  /** Native nodes and voices of one build, and the reverb's response length in seconds. */
  native_graph: { nodes: number; sources: number; voices: number; response_seconds: number };
}

/** A ProjectExportPairs with nothing measured yet. */
export function noProjectExports(): ProjectExportPairs {
  return {
    webdreamer: [],
    native: [],
    nativeRender: [],
    nodejs: [],
    rms: { webdreamer: 0, native: 0 },
    native_graph: { nodes: 0, sources: 0, voices: 0, response_seconds: 0 },
  };
}

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
