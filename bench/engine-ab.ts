/**
 * Two builds of engine.wasm against the hand-written kernels (bench/kernels.ts), in one process and
 * interleaved rounds: what an engine change does to the W1.kernel and W2.kernel rows, measured in the
 * same conditions on both sides (docs/performance.md, "The limit"). The `--before` build is usually
 * main's; the `--after` build defaults to this checkout's public/build/engine.wasm.
 *
 *   node scripts/run-ts.mjs bench/engine-ab.ts --before ../main/public/build/engine.wasm [--seconds 3]
 *     [--pairs 9] [--cpu-time]
 *
 * --cpu-time times each render by the process's CPU time instead of the wall clock: on a machine
 * whose load is many times its cores, a render descheduled halfway no longer counts the wait.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { compileEngineModule, type EngineExports, instantiateEngine } from "../src/engine/engine-module";
import { WasmEngine } from "../src/engine/wasm-engine";
import { PROGRAMS, SAMPLE_RATE, type WorkloadId } from "../test/support/workloads";
import { engineRenderer } from "./engine-timing";
import { kernelRenderer } from "./kernels";
import { describePairs, interleave, pairStats } from "./pairs";

const { values } = parseArgs({
  options: {
    before: { type: "string" },
    after: { type: "string", default: "public/build/engine.wasm" },
    seconds: { type: "string", default: "3" },
    pairs: { type: "string", default: "9" },
    "cpu-time": { type: "boolean", default: false },
  },
});
if (!values.before)
  throw new Error("--before takes the engine.wasm to compare with (e.g. main's public/build/engine.wasm)");
const seconds = Number(values.seconds);
const pairs = Number(values.pairs);
const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
const now = values["cpu-time"] ? cpuMs : () => performance.now();
const before = await compileEngineModule(readFileSync(values.before));
const after = await compileEngineModule(readFileSync(values.after));
/** The fusion counters, which builds before them lack (main's before graph fusion, before planAdding). */
const COUNTERS = ["wd_fused_nodes", "wd_adding_nodes"];
/**
 * An engine.wasm built before one of the COUNTERS existed lacks that export, which the loader
 * requires: instantiated here with it standing in (0), and no external nodes (W1 and W2 have none).
 */
function instantiateAny(module: WebAssembly.Module): EngineExports {
  const names = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  if (COUNTERS.every((name) => names.has(name))) return instantiateEngine(module);
  const growths = { count: 0 };
  const refuse = () => {
    throw new Error("external nodes are not supported by bench/engine-ab.ts");
  };
  const webdreamer = Object.fromEntries(
    WebAssembly.Module.imports(module)
      .filter((i) => i.module === "webdreamer")
      .map((i) => [i.name, refuse]),
  );
  const instance = new WebAssembly.Instance(module, {
    webdreamer,
    wasi_snapshot_preview1: { proc_exit: refuse },
    env: { emscripten_notify_memory_growth: () => growths.count++ },
  });
  const exports = {
    ...Object.fromEntries(COUNTERS.map((name) => [name, () => 0])),
    ...instance.exports,
    externals: { register: refuse, unregister: () => {}, attach: () => {} },
    growths,
  } as unknown as EngineExports;
  exports._initialize();
  return exports;
}
const faster = (ours: number, reference: number) => ours / reference;
for (const id of ["W1", "W2"] as WorkloadId[]) {
  const engines = [before, after].map((module) => new WasmEngine(instantiateAny(module), SAMPLE_RATE, 128));
  const [old, ours] = engines.map((engine) => engineRenderer(engine, PROGRAMS[id](), seconds, now));
  const kernel = kernelRenderer(id, seconds, now);
  const r = await interleave(pairs, {
    before: () => (old as typeof kernel).render(),
    after: () => (ours as typeof kernel).render(),
    kernel: () => kernel.render(),
  });
  const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(", ");
  console.log(`${id}.kernel before: ${describePairs(pairStats(r.before, r.kernel, faster))}`);
  console.log(`${id}.kernel after:  ${describePairs(pairStats(r.after, r.kernel, faster))}`);
  console.log(`${id} after / before: ${describePairs(pairStats(r.after, r.before, faster))}`);
  console.log(
    `  x realtime: before [${list(r.before)}], after [${list(r.after)}], kernel [${list(r.kernel)}]`,
  );
  for (const engine of engines) engine.destroy();
}
