/**
 * Cost of one builtin:synth voice: µs per 128-frame block per sounding voice, in Node.
 *
 *   node scripts/run-ts.mjs bench/synth-voices.ts
 *
 * Renders 10 s with 0, 1, 8 and 32 held voices (the "full" patch: two saws, noise, the filter swept
 * by its envelope and the LFO, glide; the "lean" patch: one saw, no noise, filter off) and reports
 * (time with N voices - time with none) / N / blocks. Graph construction is outside the timing.
 */
import { instantiateEngine } from "../src/engine/engine-module";
import { applyGraphProgram, type GraphProgram } from "../src/engine/graph-program";
import { WasmEngine } from "../src/engine/wasm-engine";
import { loadEngineModuleFromDisk } from "../src/hosts/in-process/engine-file";

const SR = 48000;
const BLOCK = 128;
const SECONDS = 10;

const PATCHES: Record<string, Record<string, number>> = {
  full: {
    osc_mix: 0.5,
    osc2_detune: 7,
    noise: 0.05,
    filter_cutoff: 800,
    filter_resonance: 2,
    filter_env_amount: 3,
    filter_decay: 5000,
    filter_sustain: 0.3,
    lfo_to_cutoff: 0.5,
    lfo_to_pitch: 10,
    lfo_to_amp: 0.2,
    glide: 50,
  },
  lean: { filter_mode: 0 },
};

async function timeVoices(module: WebAssembly.Module, voices: number, params: Record<string, number>) {
  const engine = new WasmEngine(instantiateEngine(module), SR, BLOCK);
  const timeline = Array.from({ length: voices }, (_, i) => ({
    type: "midi" as const,
    frame: 0,
    status: 0x90,
    data1: 36 + i,
    data2: 100,
  }));
  const program: GraphProgram = {
    nodes: [{ kind: "synth", inputs: [], params: { ...params, voices: 64 }, timeline }],
    output: 0,
  };
  applyGraphProgram(engine, program);
  for (let i = 0; i < 200; i++) engine.render(BLOCK); // warm up
  engine.seek(0);
  engine.reset();
  const blocks = (SECONDS * SR) / BLOCK;
  const start = performance.now();
  for (let i = 0; i < blocks; i++) engine.render(BLOCK);
  const elapsed = performance.now() - start;
  engine.destroy();
  return { microsPerBlock: (elapsed * 1000) / blocks };
}

const module = await loadEngineModuleFromDisk();
for (const [name, params] of Object.entries(PATCHES)) {
  await timeVoices(module, 8, params); // JIT warm-up, not reported
  // The engine's own cost per block with the synth silent: the best of three.
  let base = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) base = Math.min(base, (await timeVoices(module, 0, params)).microsPerBlock);
  for (const voices of [1, 8, 32]) {
    const { microsPerBlock } = await timeVoices(module, voices, params);
    const perVoice = (microsPerBlock - base) / voices;
    console.log(
      `${name}: ${voices} voices: ${microsPerBlock.toFixed(2)} µs/block, ${perVoice.toFixed(2)} µs per voice per 128-frame block (${((perVoice / ((BLOCK / SR) * 1e6)) * 100).toFixed(2)}% of real time)`,
    );
  }
}
