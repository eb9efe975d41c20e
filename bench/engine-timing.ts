/** Times webdreamer renders the same way in Node and in a browser Worker. */
import { applyGraphProgram, type GraphProgram } from "../src/engine/graph-program";
import { renderOffline } from "../src/engine/render-job";
import type { WasmEngine } from "../src/engine/wasm-engine";
import { SAMPLE_RATE } from "../test/support/workloads";
import { sanityRms } from "./workloads";

const WARM_UP_SECONDS = 2;

/** One side of a pair: each call renders once and returns the realtime factor. */
export interface TimedRenderer {
  render(): number;
  /** Sanity RMS of the first timed render (0 before it). */
  rms(): number;
}

/**
 * Builds `program` on `engine` and renders a 2 s warm-up (not recorded); each render() then renders
 * `seconds` seconds of stereo output from a reset engine, as a fresh render would, timing only the
 * render call (graph construction is outside the timed region).
 */
export function engineRenderer(
  engine: WasmEngine,
  program: GraphProgram,
  seconds: number,
  now: () => number,
): TimedRenderer {
  applyGraphProgram(engine, program);
  const frames = Math.round(seconds * SAMPLE_RATE);
  const out = [new Float32Array(frames), new Float32Array(frames)];
  renderOffline(engine, WARM_UP_SECONDS * SAMPLE_RATE, out);
  let rms = 0;
  return {
    render() {
      engine.reset();
      const start = now();
      renderOffline(engine, frames, out);
      const factor = seconds / ((now() - start) / 1000);
      if (rms === 0) rms = sanityRms(out[0] as Float32Array);
      return factor;
    },
    rms: () => rms,
  };
}
