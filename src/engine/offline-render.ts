/**
 * Renders an applied graph offline into caller-owned arrays, chunk by chunk, without allocating.
 *
 * Restored from the bench bundle (build/run.mjs) after it was overwritten by mistake; the logic is
 * the bundled code, the comments are reconstructed.
 */
import type { WasmEngine } from "./wasm-engine";

/** Frames per engine render() call (the engine's staging buffers hold at most this many). */
export const OFFLINE_CHUNK_FRAMES = 4096;

/**
 * Renders `frames` frames into `out` (one array per channel, each at least `frames` long). A mono
 * engine output fills every channel; channels the engine lacks are left as they are. `shouldStop` is
 * asked before each chunk with the frames done so far. Returns the frames rendered.
 * @example
 * const done = renderOffline(engine, 48000, [left, right]);
 */
export function renderOffline(
  engine: WasmEngine,
  frames: number,
  out: Float32Array[],
  shouldStop?: (done: number) => boolean,
): number {
  const chunk = Math.min(OFFLINE_CHUNK_FRAMES, engine.maxRenderFrames);
  const sources = engine.outputChannels;
  let done = 0;
  while (done < frames) {
    if (shouldStop?.(done)) break;
    const n = engine.render(Math.min(chunk, frames - done));
    for (let c = 0; c < out.length; c++) {
      if (sources === 0 || (c >= sources && sources !== 1)) continue;
      (out[c] as Float32Array).set(engine.outputQuantum(sources === 1 ? 0 : c, n), done);
    }
    done += n;
  }
  return done;
}
