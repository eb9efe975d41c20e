/**
 * Row long-render-memory (docs/performance.md): an hour of audio rendered offline by one engine, in
 * 1 s slices into the same two arrays (as a streaming export consumes them), showing that the
 * engine's memory stays flat: the wasm memory's size, the engine allocator's bytes in use and its
 * allocation count are read after the first minute and at the end, and Node's heap beside them.
 * The graph is cheap (oscillator -> filter -> gain) so that the hour takes seconds.
 */
import { instantiateEngine } from "../src/engine/engine-module";
import { applyGraphProgram } from "../src/engine/graph-program";
import { renderOffline } from "../src/engine/render-job";
import { WasmEngine } from "../src/engine/wasm-engine";
import { loadEngineModuleFromDisk } from "../src/hosts/in-process/engine-file";

export interface MemorySnapshot {
  wasmBytes: number;
  inUseBytes: number;
  allocations: number;
  nodeHeapBytes: number;
}

export interface LongRender {
  seconds: number;
  /** Wall time of the whole render, s. */
  elapsed: number;
  afterFirstMinute: MemorySnapshot;
  atEnd: MemorySnapshot;
}

export async function benchLongRender(seconds = 3600): Promise<LongRender> {
  const exports = instantiateEngine(await loadEngineModuleFromDisk());
  const engine = new WasmEngine(exports, 48000, 128);
  applyGraphProgram(engine, {
    nodes: [
      { kind: "oscillator", inputs: [], params: { frequency: 220, waveform: 1 } },
      { kind: "filter", inputs: [0], params: { mode: 0, frequency: 2000, q: 1 } },
      { kind: "gain", inputs: [1], params: { gain: 0.5 } },
    ],
    output: 2,
  });
  const out = [new Float32Array(48000), new Float32Array(48000)];
  const snapshot = (): MemorySnapshot => ({
    wasmBytes: (exports as unknown as { memory: WebAssembly.Memory }).memory.buffer.byteLength,
    inUseBytes: exports.wd_memory_in_use(),
    allocations: exports.wd_allocation_count(),
    nodeHeapBytes: process.memoryUsage().heapUsed,
  });
  const started = performance.now();
  let afterFirstMinute = snapshot();
  for (let s = 0; s < seconds; s++) {
    renderOffline(engine, 48000, out);
    if (s === 59) afterFirstMinute = snapshot();
  }
  const elapsed = (performance.now() - started) / 1000;
  const atEnd = snapshot();
  engine.destroy();
  return { seconds, elapsed, afterFirstMinute, atEnd };
}
