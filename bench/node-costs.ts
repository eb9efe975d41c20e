/**
 * Measures NODE_CPU_UNITS (src/engine/node-costs.ts): each builtin type's render time per block in
 * units of one builtin:gain on a stereo signal, in Node at 48 kHz and 128 frames.
 *
 * Method: for each type three graphs run interleaved (A B 0 A B 0 ...), each for BLOCKS blocks:
 *   A: a stereo oscillator, COPIES nodes of the type (fed by it when the type takes input; an
 *      instrument with one note held from frame 0) and a mixer of the oscillator and the copies;
 *   B: the same with builtin:gain in place of the type;
 *   0: the oscillator alone into the same mixer, COPIES + 1 times.
 * units = median over rounds of (A - 0) / (B - 0): the oscillator and the mixer cancel out.
 *
 * Run: node scripts/run-ts.mjs bench/node-costs.ts [--write]  (--write updates node-costs.ts)
 */
import { writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { instantiateEngine } from "../src/engine/engine-module";
import { applyGraphProgram, type GraphProgram, type GraphProgramNode } from "../src/engine/graph-program";
import { readProcessorTypes } from "../src/engine/processor-types";
import { WasmEngine } from "../src/engine/wasm-engine";
import { loadEngineModuleFromDisk } from "../src/hosts/in-process/engine-file";

const SAMPLE_RATE = 48000;
const BLOCK = 128;
const COPIES = 16;
const BLOCKS = 1500;
const ROUNDS = 15;

const exports = instantiateEngine(await loadEngineModuleFromDisk());
const types = readProcessorTypes(exports);

/** Types that read a buffer (playback, sampler) read 1 s of stereo noise: engine buffer 0. */
function program(
  kind: string | null,
  takesInput: boolean,
  instrument: boolean,
  buffered = false,
): GraphProgram {
  const source: GraphProgramNode = { kind: "oscillator", inputs: [], params: { channels: 2 } };
  if (kind === null) {
    return { nodes: [source, { kind: "mixer", inputs: Array(COPIES + 1).fill(0), params: {} }], output: 1 };
  }
  const copies: GraphProgramNode[] = Array.from({ length: COPIES }, () => ({
    kind,
    inputs: takesInput ? [0] : [],
    params: {},
    ...(buffered ? { buffers: { 0: 0 } } : {}),
    ...(instrument
      ? { timeline: [{ type: "midi" as const, frame: 0, status: 0x90, data1: 60, data2: 100 }] }
      : {}),
  }));
  const mixer = { kind: "mixer", inputs: [0, ...copies.map((_, i) => i + 1)], params: {} };
  return { nodes: [source, ...copies, mixer], output: COPIES + 1 };
}

/** Milliseconds to render BLOCKS blocks of `graph` on a fresh engine (after a warm-up). */
function time(graph: GraphProgram): number {
  const engine = new WasmEngine(exports, SAMPLE_RATE, BLOCK);
  try {
    let seed = 1;
    const noise = () =>
      Float32Array.from({ length: SAMPLE_RATE }, () => {
        seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
        return seed / 2 ** 31 - 1;
      });
    engine.createBuffer([noise(), noise()], SAMPLE_RATE);
    applyGraphProgram(engine, graph);
    for (let i = 0; i < 20; i++) engine.render(BLOCK);
    const start = performance.now();
    for (let i = 0; i < BLOCKS; i++) engine.render(BLOCK);
    return performance.now() - start;
  } finally {
    engine.destroy();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const units: Record<string, number> = {};
const spreads: Record<string, number> = {};
for (const type of types) {
  const takesInput = type.maxInputs !== 0;
  const node = program(type.kind, takesInput, type.instrument, type.bufferSlots.length > 0);
  const gain = program("gain", true, false);
  const none = program(null, true, false);
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const a = time(node);
    const b = time(gain);
    const zero = time(none);
    ratios.push(Math.max(0, a - zero) / Math.max(1e-9, b - zero));
  }
  const value = median(ratios);
  units[type.kind] = Math.round(value * 100) / 100;
  const sorted = [...ratios].sort((x, y) => x - y);
  spreads[type.kind] =
    (sorted[Math.floor(ROUNDS * 0.75)] as number) / (sorted[Math.floor(ROUNDS * 0.25)] as number) - 1;
  console.log(
    `${type.kind.padEnd(12)} ${units[type.kind]?.toFixed(2).padStart(8)} units   IQR/median ${(100 * (spreads[type.kind] ?? 0)).toFixed(0)}%`,
  );
}
units.gain = 1;

if (process.argv.includes("--write")) {
  const date = new Date().toISOString().slice(0, 10);
  const rows = Object.entries(units)
    .map(([kind, value]) => `  ${kind}: ${value},`)
    .join("\n");
  writeFileSync(
    new URL("../src/engine/node-costs.ts", import.meta.url),
    `/**
 * Render cost per block of each builtin processor, in units of one builtin:gain on a stereo signal
 * (NodeDescriptor.resource_estimate.cpu_units). Measured by bench/node-costs.ts (its header says
 * how) in Node ${process.version} at ${SAMPLE_RATE} Hz and ${BLOCK} frames, on ${hostname()}, ${date}.
 * Ratios move little between machines; rerun the script with --write after a processor changes.
 * Instruments: one voice sounding. Generated: do not edit by hand.
 */
export const NODE_CPU_UNITS: Readonly<Record<string, number>> = {
${rows}
};
`,
  );
  console.log("wrote src/engine/node-costs.ts");
}
