/**
 * What monitoring while stopped costs the audio thread: µs per 128-frame quantum of RealtimeEngine
 * playing, stopped with monitoring on (the graph rendered with the timeline held) and stopped with
 * it off (silence, the engine not called), in Node, and each stopped figure as a ratio of the
 * playing one measured in the same run.
 *
 *   node scripts/run-ts.mjs bench/monitoring-cost.ts
 *
 * Graphs: W2 (32 saws through filters into a feedback delay; no timeline) and W2 with every filter's
 * cutoff on a ramp (timeline work that a held render skips). Rounds alternate the three modes, and
 * each mode's figure is its fastest round (a busy machine only ever slows a round down).
 */
import { instantiateEngine } from "../src/engine/engine-module";
import { applyGraphProgram, type GraphProgram } from "../src/engine/graph-program";
import { RealtimeEngine } from "../src/engine/realtime-engine";
import { WasmEngine } from "../src/engine/wasm-engine";
import { loadEngineModuleFromDisk } from "../src/hosts/in-process/engine-file";
import { SAMPLE_RATE, w2Program } from "../test/support/workloads";

const QUANTUM = 128;
const QUANTA = 3000; // 8 s of audio per round
const ROUNDS = 5;

type Mode = "playing" | "monitoring" | "off";

function automated(program: GraphProgram): GraphProgram {
  return {
    ...program,
    nodes: program.nodes.map((node) =>
      node.kind === "filter"
        ? {
            ...node,
            timeline: [
              {
                type: "ramp",
                param: "frequency",
                start: 0,
                end: 10 * SAMPLE_RATE,
                from: 200,
                to: 5000,
                curve: "exponential",
              },
            ],
          }
        : node,
    ),
  };
}

async function microsPerQuantum(
  module: WebAssembly.Module,
  program: GraphProgram,
): Promise<Record<Mode, number>> {
  const engine = new WasmEngine(instantiateEngine(module), SAMPLE_RATE, QUANTUM);
  applyGraphProgram(engine, program);
  const realtime = new RealtimeEngine(engine, SAMPLE_RATE);
  realtime.attach(engine, program.nodes.length);
  const outputs = [new Float32Array(QUANTUM), new Float32Array(QUANTUM)];
  const run = (mode: Mode): number => {
    realtime.seek(0, -1);
    if (mode === "playing") realtime.play(-1);
    else realtime.pause(-1);
    realtime.setMonitoring(mode === "monitoring", -1);
    const start = performance.now();
    for (let q = 0; q < QUANTA; q++) realtime.renderQuantum(outputs, QUANTUM);
    return ((performance.now() - start) * 1000) / QUANTA;
  };
  for (const mode of ["playing", "monitoring", "off"] as const) run(mode); // warm up
  const best: Record<Mode, number> = { playing: Infinity, monitoring: Infinity, off: Infinity };
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of ["playing", "monitoring", "off"] as const)
      best[mode] = Math.min(best[mode], run(mode));
  }
  engine.destroy();
  return best;
}

const module = await loadEngineModuleFromDisk();
for (const [name, program] of [
  ["W2", w2Program()],
  ["W2, cutoffs automated", automated(w2Program())],
] as const) {
  const t = await microsPerQuantum(module, program);
  console.log(
    `${name}: playing ${t.playing.toFixed(1)} µs/quantum; stopped, monitoring ${t.monitoring.toFixed(1)} ` +
      `(x${(t.monitoring / t.playing).toFixed(2)} of playing); stopped, off ${t.off.toFixed(2)} ` +
      `(x${(t.off / t.playing).toFixed(3)})`,
  );
}
