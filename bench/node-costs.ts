/**
 * Measures NODE_CPU_UNITS (src/engine/node-costs.ts): each builtin type's render time per block in
 * units of one builtin:gain on a stereo signal, in Node at 48 kHz and 128 frames, by measureCpuUnits
 * (src/engine/cpu-units.ts says how and on what conditions), the method the test
 * test/engine/node-cpu-units.test.ts holds the table to.
 *
 * Each figure is the median of PASSES passes over every type (longer batches than the test's). A
 * node's cost relative to a gain depends on the CPU: on the two virtual CPUs of the machine the table
 * was measured on, a gain took 1.7 times as long on one as on the other while a filter took 1.1 times,
 * so a filter measured 5.3 gains on one and 8.7 on the other. With `--cpus 0,1` the script measures
 * pinned to each CPU (taskset, Linux) and writes the figure off by the least on both, 2ab / (a + b).
 *
 * Run: node scripts/run-ts.mjs bench/node-costs.ts [--cpus 0,1] [--kinds a,b] [--write]  (--write
 * updates node-costs.ts; with --kinds only those types are measured and written, a new processor's
 * figure added without measuring the rest again)
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { builtinCpuSubject, CPU_ESTIMATE, measureCpuUnits, median } from "../src/engine/cpu-units";
import { instantiateEngine } from "../src/engine/engine-module";
import { WasmEngine } from "../src/engine/wasm-engine";
import { loadEngineModuleFromDisk } from "../src/hosts/in-process/engine-file";

const SAMPLE_RATE = 48000;
const BLOCK = 128;
const PASSES = Number(process.env.PASSES ?? 7);
const OPTIONS = { ...CPU_ESTIMATE, rounds: 40, maxBatches: 8 };
const kindsAt = process.argv.indexOf("--kinds");
/** The kinds to measure (--kinds, or KINDS in a pinned child); all when empty. */
const KINDS = (kindsAt > 0 ? (process.argv[kindsAt + 1] ?? "") : (process.env.KINDS ?? ""))
  .split(",")
  .filter((kind) => kind !== "");

// Optimized code from the start, as the test has it (test/engine/node-cpu-units.test.ts says why).
setFlagsFromString("--no-liftoff");
const compiledEngine = await loadEngineModuleFromDisk();

/** Each type's median over PASSES passes in this process, by kind. */
function measureHere(): Record<string, number> {
  const engine = new WasmEngine(instantiateEngine(compiledEngine), SAMPLE_RATE, BLOCK);
  const types = engine.types.filter((type) => KINDS.length === 0 || KINDS.includes(type.kind));
  const unknown = KINDS.filter((kind) => !types.some((type) => type.kind === kind));
  if (unknown.length > 0) throw new Error(`--kinds: no builtin type ${unknown.join(", ")}`);
  const passes = new Map<string, number[]>(types.map((type) => [type.kind, []]));
  for (let pass = 0; pass < PASSES; pass++) {
    for (const type of types) {
      passes.get(type.kind)?.push(measureCpuUnits(engine, builtinCpuSubject(type), OPTIONS).units);
    }
  }
  return Object.fromEntries([...passes].map(([kind, values]) => [kind, median(values)]));
}

/** `--cpus 0,1`: this script again, pinned to each CPU in turn (taskset), one result per CPU. */
function measurePinned(cpus: string[]): Record<string, number>[] {
  return cpus.map((cpu) => {
    const child = spawnSync(
      "taskset",
      ["-c", cpu, process.execPath, "--no-liftoff", fileURLToPath(import.meta.url), "--json"],
      { encoding: "utf8", env: { ...process.env, PASSES: String(PASSES), KINDS: KINDS.join(",") } },
    );
    if (child.status !== 0) throw new Error(`taskset -c ${cpu}: ${child.stderr || child.error}`);
    return JSON.parse(child.stdout.trim().split("\n").at(-1) as string) as Record<string, number>;
  });
}

const cpusAt = process.argv.indexOf("--cpus");
const results = cpusAt > 0 ? measurePinned((process.argv[cpusAt + 1] ?? "").split(",")) : [measureHere()];
if (process.argv.includes("--json")) {
  console.log(JSON.stringify(results[0]));
  process.exit(0);
}
// The figure off by the least, relative to what each CPU measured: 2ab / (a + b) for two results.
const units: Record<string, number> = {};
for (const kind of Object.keys(results[0] ?? {})) {
  const values = results.map((result) => result[kind] as number);
  const [low, high] = [Math.min(...values), Math.max(...values)];
  units[kind] = kind === "gain" ? 1 : Math.round(((2 * low * high) / (low + high)) * 100) / 100;
  console.log(
    `${kind.padEnd(12)} ${units[kind]?.toFixed(2).padStart(8)} units   ${values.map((value) => value.toFixed(2)).join(" / ")}   off by ${(100 * ((high - low) / (high + low))).toFixed(0)}% at most`,
  );
}

if (process.argv.includes("--write") && KINDS.length > 0) {
  // Only the kinds measured change; the header keeps saying how the table was measured.
  const path = new URL("../src/engine/node-costs.ts", import.meta.url);
  let text = readFileSync(path, "utf8");
  for (const [kind, value] of Object.entries(units)) {
    const line = new RegExp(`^  ${kind}: [0-9.]+,$`, "m");
    text = line.test(text)
      ? text.replace(line, `  ${kind}: ${value},`)
      : text.replace(/\n};\n$/, `\n  ${kind}: ${value},\n};\n`);
  }
  writeFileSync(path, text);
  console.log(`wrote ${Object.keys(units).join(", ")} into src/engine/node-costs.ts`);
} else if (process.argv.includes("--write")) {
  const date = new Date().toISOString().slice(0, 10);
  const rows = Object.entries(units)
    .map(([kind, value]) => `  ${kind}: ${value},`)
    .join("\n");
  writeFileSync(
    new URL("../src/engine/node-costs.ts", import.meta.url),
    `/**
 * Render cost per block of each builtin processor at its defaults, in units of one builtin:gain on a
 * stereo signal (NodeDescriptor.resource_estimate.cpu_units). Measured by bench/node-costs.ts (the
 * median of ${PASSES} passes of measureCpuUnits, src/engine/cpu-units.ts: how, and on what conditions) in
 * Node ${process.version} at ${SAMPLE_RATE} Hz and ${BLOCK} frames, on ${hostname()}, ${date}${
   results.length > 1
     ? `, the
 * figure off by the least on each of its CPUs ${process.argv[cpusAt + 1]}`
     : ""
 }.
 * The hosts' discovery measures each kind on the running machine (builtin-cpu-units.ts); these
 * figures stand in until it has, and in the test double's catalog. Rerun the script with --write
 * after a processor changes. Generated: do not edit by hand.
 */
export const NODE_CPU_UNITS: Readonly<Record<string, number>> = {
${rows}
};
`,
  );
  console.log("wrote src/engine/node-costs.ts");
}
