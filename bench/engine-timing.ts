/** Times webdreamer renders the same way in Node and in a browser Worker. */
import { applyGraphProgram, type GraphProgram } from "../src/engine/graph-program";
import { renderOffline } from "../src/engine/render-job";
import type { WasmEngine } from "../src/engine/wasm-engine";
import { SAMPLE_RATE } from "../test/support/workloads";
import { sanityRms, type Timing } from "./workloads";

const WARM_UP_SECONDS = 2;

/**
 * One short warm-up render (not recorded), then `repetitions` full renders of `seconds` seconds of
 * stereo output. Graph construction is outside the timed region; each render starts from a reset
 * engine, as a fresh render would.
 */
export function timeEngineRenders(
  engine: WasmEngine,
  program: GraphProgram,
  seconds: number,
  repetitions: number,
  now: () => number,
): Timing {
  applyGraphProgram(engine, program);
  const frames = Math.round(seconds * SAMPLE_RATE);
  const out = [new Float32Array(frames), new Float32Array(frames)];
  renderOffline(engine, WARM_UP_SECONDS * SAMPLE_RATE, out);
  const factors: number[] = [];
  let rms = 0;
  for (let r = 0; r < repetitions; r++) {
    engine.reset();
    const start = now();
    renderOffline(engine, frames, out);
    const elapsed = (now() - start) / 1000;
    factors.push(seconds / elapsed);
    if (r === 0) rms = sanityRms(out[0] as Float32Array);
  }
  return { factors, rms };
}
