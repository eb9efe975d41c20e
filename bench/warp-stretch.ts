/**
 * The `warp-stretch` row: how fast builtin:playback_warp stretches, in x realtime per stereo voice
 * (seconds of output per second of render), against Rubber Band's WASM build from the npm registry
 * (`rubberband-wasm`, a dev dependency used only here) stretching the same audio by the same ratio in
 * the same run, interleaved. Both stretch 10 s of stereo audio (a harmonic tone plus noise) by 1.5,
 * pitch unchanged; Rubber Band in its real-time mode (what an engine playing a clip would use) with
 * its default (faster) engine, blocks of its own preferred size.
 *
 * Standalone: `node scripts/run-ts.mjs bench/warp-stretch.ts` prints both figures.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { RubberBandInterface, RubberBandOption } from "rubberband-wasm";

import { applyGraphProgram } from "../src/engine/graph-program";
import { renderOffline } from "../src/engine/render-job";
import type { WasmEngine } from "../src/engine/wasm-engine";
import { interleave } from "./pairs";
import { median } from "./workloads";

const RATE = 48000;
const SOURCE_SECONDS = 10;
const RATIO = 1.5;

function stereoSource(): Float32Array[] {
  let state = 7;
  const noise = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  };
  return [0, 1].map((c) =>
    Float32Array.from({ length: SOURCE_SECONDS * RATE }, (_, n) => {
      const w = (2 * Math.PI * (220 + 110 * c) * n) / RATE;
      return 0.3 * Math.sin(w) + 0.1 * Math.sin(2 * w) + 0.05 * noise();
    }),
  );
}

/** x realtime of builtin:playback_warp on `engine` (a fresh WasmEngine at 48 kHz). */
function timeWarp(engine: WasmEngine): number {
  const frames = Math.ceil(SOURCE_SECONDS * RATE * RATIO);
  const out = [new Float32Array(frames), new Float32Array(frames)];
  engine.reset();
  const start = performance.now();
  renderOffline(engine, frames, out);
  const seconds = (performance.now() - start) / 1000;
  if (!(Math.max(...Array.from(out[0]?.subarray(RATE, 2 * RATE) ?? [], Math.abs)) > 0.1)) {
    throw new Error("playback_warp rendered silence");
  }
  return frames / RATE / seconds;
}

async function rubberBand(): Promise<RubberBandInterface> {
  const require = createRequire(import.meta.url);
  const wasm = new WebAssembly.Module(readFileSync(require.resolve("rubberband-wasm/dist/rubberband.wasm")));
  return RubberBandInterface.initialize(wasm);
}

/** x realtime of Rubber Band (real-time mode) stretching the same audio by the same ratio. */
function timeRubberBand(api: RubberBandInterface, source: Float32Array[]): number {
  const state = api.rubberband_new(RATE, 2, RubberBandOption.RubberBandOptionProcessRealTime, RATIO, 1);
  const block = api.rubberband_get_samples_required(state) || 1024;
  const size = Math.max(block, 4096);
  api.rubberband_set_max_process_size(state, size);
  const pointers = api.malloc(2 * 4);
  const data = [api.malloc(size * 4), api.malloc(size * 4)];
  for (const [c, pointer] of data.entries()) api.memWritePtr(pointers + c * 4, pointer);
  const length = (source[0] as Float32Array).length;
  let produced = 0;
  const start = performance.now();
  for (let read = 0; read < length; ) {
    const want = Math.min(size, Math.max(1, api.rubberband_get_samples_required(state)), length - read);
    for (const [c, channel] of source.entries())
      api.memWrite(data[c] as number, channel.subarray(read, read + want));
    read += want;
    api.rubberband_process(state, pointers, want, read >= length ? 1 : 0);
    for (
      let available = api.rubberband_available(state);
      available > 0;
      available = api.rubberband_available(state)
    ) {
      const got = api.rubberband_retrieve(state, pointers, Math.min(size, available));
      produced += got;
    }
  }
  const seconds = (performance.now() - start) / 1000;
  api.rubberband_delete(state);
  for (const pointer of [pointers, ...data]) api.free(pointer);
  if (produced < length * RATIO * 0.9) throw new Error(`Rubber Band produced ${produced} frames`);
  return produced / RATE / seconds;
}

export interface WarpStretchTimings {
  warp: number[];
  rubberBand: number[];
}

/** `repetitions` interleaved pairs; `engine` is a fresh WasmEngine at 48 kHz, 128-frame blocks. */
export async function benchWarpStretch(engine: WasmEngine, repetitions: number): Promise<WarpStretchTimings> {
  const source = stereoSource();
  const audio = engine.createBuffer(source, RATE);
  applyGraphProgram(engine, {
    nodes: [{ kind: "playback_warp", inputs: [], params: { time_ratio: RATIO }, buffers: { 0: audio } }],
    output: 0,
  });
  const api = await rubberBand();
  timeWarp(engine); // warm-up
  timeRubberBand(api, source);
  return interleave(repetitions, {
    warp: () => timeWarp(engine),
    rubberBand: () => timeRubberBand(api, source),
  });
}

export function describeWarpStretch(t: WarpStretchTimings): string {
  return `warp stretch x${median(t.warp).toFixed(1)} realtime per stereo voice, Rubber Band x${median(t.rubberBand).toFixed(1)}`;
}

if (/warp-stretch\.(ts|mjs)$/.test(process.argv[1] ?? "")) {
  const { instantiateEngine } = await import("../src/engine/engine-module");
  const { WasmEngine: Engine } = await import("../src/engine/wasm-engine");
  const { loadEngineModuleFromDisk } = await import("../src/hosts/in-process/engine-file");
  const engine = new Engine(instantiateEngine(await loadEngineModuleFromDisk()), RATE, 128);
  const timings = await benchWarpStretch(engine, 3);
  console.log(describeWarpStretch(timings));
  console.log(JSON.stringify(timings));
}
