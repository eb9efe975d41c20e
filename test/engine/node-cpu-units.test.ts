/**
 * NodeDescriptor.resource_estimate.cpu_units against what the engine then spends: each builtin's
 * figure (the table bench/node-costs.ts wrote) and each Faust DSP's (timed when it was compiled)
 * against the node's cost measured here, in gains, by the same method (cpu-units.ts:
 * graphs with and without copies of the node, timed in short interleaved turns against a chain of
 * gains, the median of the rounds' ratios, so the machine's load falls on both sides of a ratio).
 * A processor that got faster or slower, or a Faust estimate the machine's load threw off, fails here.
 *
 * V8 runs new WebAssembly at a baseline tier for its first moments and optimizes it while it runs
 * (a node's first batch measured up to twice its cost); this file compiles everything optimized from
 * the start (--no-liftoff, as bench/node-costs.ts does), the state the figures are for.
 *
 * A builtin's cost in gains depends on the CPU: a gain is memory-bound, an oscillator or filter
 * compute-bound (bench/node-costs.ts: a filter measured 5.4 gains on one of this machine's CPUs and
 * 8.7 on the other). So the hosts measure each builtin's figure on the running machine the first time
 * it is asked (builtin-cpu-units.ts), by the same method with shorter batches. The builtin test asks
 * for one kind's estimate (discovery, after forgetting that kind) and measures the kind right after,
 * kind by kind, so a turn of the machine's load or a move to the other CPU falls on both alike.
 */
import { setFlagsFromString } from "node:v8";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forgetBuiltinCpuUnits } from "../../src/engine/builtin-cpu-units";
import { builtinCpuSubject, CPU_ESTIMATE, measureCpuUnits } from "../../src/engine/cpu-units";
import { externalCpuSubject } from "../../src/engine/node-resources";
import type { WasmEngine } from "../../src/engine/wasm-engine";
import { createFaustNode } from "../../src/faust/faust-node";
import { faustMemoryBytes } from "../../src/faust/heap";
import { createEngine, type NodeDescriptor } from "../../src/index";
import { compile } from "../faust/support";
import { newEngine } from "../support/render";

/** How far an estimate may be from the measured cost, relative to the measured cost. */
const TOLERANCE = 0.25;

/** The builtin test's measurements around each estimate: CPU_ESTIMATE, at most four batches. */
const REFERENCE = { ...CPU_ESTIMATE, maxBatches: 4 };

let engine: WasmEngine;
beforeAll(async () => {
  // Before this file's first compile (each test file has its own process and module cache).
  setFlagsFromString("--no-liftoff");
  engine = await newEngine(48000, 128);
});
afterAll(() => setFlagsFromString("--liftoff"));

function deviation(estimate: number, measured: number): number {
  return Math.abs(estimate - measured) / measured;
}

describe("cpu_units", () => {
  it("every builtin's estimate, measured on this machine when discovery first asks it, is within 25% of its measured cost at 48 kHz, 128 frames", async () => {
    const client = await createEngine({ host: "in-process", sampleRate: 48000, blockSize: 128 });
    const rows: string[] = [];
    const failures: string[] = [];
    for (const type of engine.types) {
      // The kind measured here, the estimate as discovery makes it (this kind measured again), and
      // the kind measured here again: the estimate is held to the nearer of the two measurements
      // around it (the thread can move to the other CPU, where the kind costs other gains, between).
      const before = measureCpuUnits(engine, builtinCpuSubject(type), REFERENCE);
      forgetBuiltinCpuUnits(type.kind);
      const { nodes } = await client.discoverNodes({ maxAgeMs: 0 });
      const descriptor = nodes.find((node) => node.node_id === `builtin:${type.kind}`);
      const estimate = descriptor?.resource_estimate?.cpu_units ?? 0;
      expect(descriptor?.extensions?.resource_notes, type.kind).toMatch(
        /^cpu_units measured on this machine/,
      );
      const after = measureCpuUnits(engine, builtinCpuSubject(type), REFERENCE);
      const measured = [before, after].reduce((a, b) =>
        deviation(estimate, a.units) <= deviation(estimate, b.units) ? a : b,
      );
      const off = deviation(estimate, measured.units);
      const row = `builtin:${type.kind} estimate ${estimate} measured ${before.units.toFixed(2)} / ${after.units.toFixed(2)} (${(100 * off).toFixed(0)}%, batches ${measured.batchMedians.map((m) => m.toFixed(2)).join(" ")})`;
      rows.push(row);
      if (off > TOLERANCE) failures.push(row);
    }
    await client.close();
    console.log(`cpu_units:\n  ${rows.join("\n  ")}`);
    expect(failures.join("\n"), "the estimates off by more than 25%").toBe("");
  }, 150_000);

  it("a Faust DSP's estimate, timed when it was compiled, is within 25% of its measured cost", async () => {
    const sources = {
      gain: "process = *(0.5), *(0.5);",
      filter: 'import("stdfaust.lib"); process = par(i, 2, fi.lowpass(4, 2000));',
      reverb: 'import("stdfaust.lib"); process = re.zita_rev1_stereo(0, 200, 6000, 3, 4, 48000);',
    };
    const client = (await createEngine({ host: "in-process", sampleRate: 48000, blockSize: 128 })) as Awaited<
      ReturnType<typeof createEngine>
    > & { compileFaust(source: string): Promise<NodeDescriptor> };
    const rows: string[] = [];
    const failures: string[] = [];
    const measuredByName: Record<string, number> = {};
    for (const [name, source] of Object.entries(sources)) {
      const descriptor = await client.compileFaust(source);
      const compiled = await compile(source);
      const spec = {
        nodeId: compiled.nodeId,
        numOutputs: compiled.layout.numOutputs,
        params: compiled.layout.params,
        create: () => createFaustNode(compiled),
        memoryBytes: faustMemoryBytes(compiled.layout, new Map()),
      };
      const measured = measureCpuUnits(engine, externalCpuSubject(spec, true, false), CPU_ESTIMATE);
      measuredByName[name] = measured.units;
      const estimate = descriptor.resource_estimate?.cpu_units ?? 0;
      const off = deviation(estimate, measured.units);
      const row = `faust ${name} estimate ${estimate} measured ${measured.units.toFixed(2)} (${(100 * off).toFixed(0)}%, batches ${measured.batchMedians.map((m) => m.toFixed(2)).join(" ")})`;
      rows.push(row);
      if (off > TOLERANCE) failures.push(row);
    }
    await client.close();
    console.log(`cpu_units:\n  ${rows.join("\n  ")}`);
    expect(failures.join("\n"), "the estimates off by more than 25%").toBe("");
    // The three differ by more than the tolerance (gain 16-18, filter 36-52, reverb 160-220 units in
    // ten runs), so the measurement tells them apart.
    expect(measuredByName.filter as number).toBeGreaterThan(1.5 * (measuredByName.gain as number));
    expect(measuredByName.reverb as number).toBeGreaterThan(2 * (measuredByName.filter as number));
  });
});
