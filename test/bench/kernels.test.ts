// The bench's hand-written kernels (wasm/bench/kernels.cpp) must compute what webdreamer computes,
// or W1.kernel and W2.kernel would compare different work (docs/performance.md).
import { describe, expect, it } from "vitest";
import { renderKernel } from "../../bench/kernels";
import { instantiateEngine } from "../../src/engine/engine-module";
import { applyGraphProgram } from "../../src/engine/graph-program";
import { renderOffline } from "../../src/engine/render-job";
import { WasmEngine } from "../../src/engine/wasm-engine";
import { loadEngineModuleFromDisk } from "../../src/hosts/in-process/engine-file";
import { PROGRAMS, SAMPLE_RATE } from "../support/workloads";

// 0.3 s: past W2's 0.25 s feedback delay, so its first echo is compared too.
const BLOCKS = Math.ceil((0.3 * SAMPLE_RATE) / 128);

async function renderEngine(id: "W1" | "W2"): Promise<Float32Array> {
  const engine = new WasmEngine(instantiateEngine(await loadEngineModuleFromDisk()), SAMPLE_RATE, 128);
  applyGraphProgram(engine, PROGRAMS[id]());
  const out = [new Float32Array(BLOCKS * 128), new Float32Array(BLOCKS * 128)];
  renderOffline(engine, BLOCKS * 128, out);
  engine.destroy();
  return out[0] as Float32Array;
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

describe("the bench's fused SIMD kernels", () => {
  it("W1: the engine's 256 sines summed, up to the order of the sum (float rounding)", async () => {
    const kernel = renderKernel("W1", BLOCKS);
    const engine = await renderEngine("W1");
    expect(kernel.length).toBe(engine.length);
    expect(Math.max(...engine.map(Math.abs))).toBeGreaterThan(0.3);
    // Sums of 256 terms of 1/256 in another order (the mixer adds four inputs at a time): 2.4e-6
    // measured, some twenty float steps at the sum's size; a wrong phase or polynomial is ~1e-3 or more.
    expect(maxDifference(kernel, engine)).toBeLessThan(1e-5);
  });

  it("W2: the engine's saw, biquad, gain and feedback delay, sample for sample", async () => {
    const kernel = renderKernel("W2", BLOCKS);
    const engine = await renderEngine("W2");
    expect(Math.max(...engine.map(Math.abs))).toBeGreaterThan(0.1);
    // The same operations in the same order: not a bit differs.
    expect(maxDifference(kernel, engine)).toBe(0);
  });
});
