/**
 * The export timing both project-export rows share (Node in-process in bench/project.ts, the Chromium
 * Worker in bench/pages/bench.ts): the 16-track, 3-minute project exported `repetitions` times on the
 * client given, realtime factors returned, the client closed afterwards.
 */
import type { EngineClient } from "../src/api/engine-client";
import { exportProject } from "../src/project/export-project";
import { PROJECT_SAMPLE_RATE, scaleAudio, scaleProject } from "../test/support/project-scale";

export async function timeProjectExports(engine: EngineClient, repetitions: number): Promise<number[]> {
  const project = scaleProject();
  const audio = scaleAudio(PROJECT_SAMPLE_RATE);
  const factors: number[] = [];
  try {
    for (let r = 0; r < repetitions; r++) {
      const started = performance.now();
      const exported = await exportProject(engine, { project, audio }, { sampleRate: PROJECT_SAMPLE_RATE });
      factors.push(exported.frames / PROJECT_SAMPLE_RATE / ((performance.now() - started) / 1000));
    }
  } finally {
    await engine.close();
  }
  return factors;
}
