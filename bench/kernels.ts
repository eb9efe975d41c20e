/**
 * The hand-written fused SIMD kernels of W1 and W2 (wasm/bench/kernels.cpp, built by wasm/build.sh
 * into public/build/bench-kernels.wasm): the limit rows W1.kernel and W2.kernel of docs/performance.md
 * time webdreamer in Node against them, in the same process, pairs interleaved.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { SAMPLE_RATE, type WorkloadId } from "../test/support/workloads";
import type { TimedRenderer } from "./engine-timing";
import { sanityRms } from "./workloads";

interface KernelExports {
  memory: WebAssembly.Memory;
  _initialize(): void;
  kernels_init(): void;
  kernels_alloc(frames: number): number;
  kernels_w1(out: number, blocks: number): void;
  kernels_w2(out: number, blocks: number): void;
}

const BLOCK = 128;
const WARM_UP_SECONDS = 2;

/** The kernel module, instantiated with do-nothing stand-ins for the imports Emscripten leaves. */
function instantiateKernels(): KernelExports {
  const path = resolve("public/build/bench-kernels.wasm");
  const module = new WebAssembly.Module(readFileSync(path));
  const imports: Record<string, Record<string, () => void>> = {};
  for (const { module: from, name } of WebAssembly.Module.imports(module)) {
    imports[from] ??= {};
    (imports[from] as Record<string, () => void>)[name] = () => {
      if (name === "proc_exit") throw new Error(`${path} exited`);
    };
  }
  const exports = new WebAssembly.Instance(module, imports).exports as unknown as KernelExports;
  exports._initialize();
  return exports;
}

/** The first `blocks` blocks of workload `id` from the kernel, from a reset state (mono). */
export function renderKernel(id: WorkloadId, blocks: number): Float32Array {
  const kernels = instantiateKernels();
  const out = kernels.kernels_alloc(blocks * BLOCK);
  kernels.kernels_init();
  (id === "W1" ? kernels.kernels_w1 : kernels.kernels_w2)(out, blocks);
  return new Float32Array(kernels.memory.buffer, out, blocks * BLOCK).slice();
}

/**
 * A renderer of `seconds` seconds of workload `id` with the kernel, mono (the workloads are mono
 * sums sent to both channels), from a reset state each time, after a 2 s warm-up.
 */
export function kernelRenderer(id: WorkloadId, seconds: number, now: () => number): TimedRenderer {
  const kernels = instantiateKernels();
  const blocks = Math.ceil((seconds * SAMPLE_RATE) / BLOCK);
  const out = kernels.kernels_alloc(blocks * BLOCK);
  const run = id === "W1" ? kernels.kernels_w1 : kernels.kernels_w2;
  kernels.kernels_init();
  run(out, (WARM_UP_SECONDS * SAMPLE_RATE) / BLOCK);
  let rms = 0;
  return {
    render() {
      kernels.kernels_init();
      const start = now();
      run(out, blocks);
      const factor = seconds / ((now() - start) / 1000);
      if (rms === 0) rms = sanityRms(new Float32Array(kernels.memory.buffer, out, blocks * BLOCK));
      return factor;
    },
    rms: () => rms,
  };
}
