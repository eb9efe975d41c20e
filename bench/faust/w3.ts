/**
 * W3 of docs/benchmarks.md ("Faust reverb": a 110 Hz sawtooth into zita_rev1, the whole DSP one
 * Faust program compiled with -ftz 2), timed two ways on the same compiled module in the same run:
 * - webdreamer: the DSP hosted as one external node of engine.wasm (src/faust/faust-node.ts), the
 *   engine at a 128-frame block, rendered with renderOffline into preallocated stereo arrays;
 * - faustwasm: its own offline processor (FaustMonoDspGenerator.createOfflineProcessor at a 128-frame
 *   buffer, then processor.render(null, frames)), the reference.
 * Runs in Node (w3-nodejs.ts) and in a Chromium Worker (pages/w3-worker.ts) alike. Repetitions are
 * interleaved pairs (bench/pairs.ts) so that drift (thermal, other processes) hits both the same way.
 */
import { FaustMonoDspGenerator, type LooseFaustDspFactory } from "@grame/faustwasm/dist/esm/index.js";
import { instantiateEngine } from "../../src/engine/engine-module";
import { renderOffline } from "../../src/engine/render-job";
import { WasmEngine } from "../../src/engine/wasm-engine";
import type { CompiledFaust } from "../../src/faust/compiler";
import { createFaustNode } from "../../src/faust/faust-node";
import { SAMPLE_RATE } from "../../test/support/workloads";
import { describePairs, interleave, type PairStats, pairStats } from "../pairs";
import { median, sanityRms, type Timing } from "../workloads";

/** The W3 program, exactly as docs/benchmarks.md compiles it. */
export const W3_SOURCE = `import("stdfaust.lib");
process = os.sawtooth(110) * 0.25 <: re.zita_rev1_stereo(0, 200, 6000, 3, 4, 48000);`;

/** faustwasm's default options, as docs/benchmarks.md states. */
export const W3_OPTIONS = { name: "w3", argv: ["-ftz", "2"] };

const WARM_UP_SECONDS = 2;
const BLOCK = 128;

export interface W3Timings {
  webdreamer: Timing;
  faustwasm: Timing;
  /** The pairs' ratios webdreamer / faustwasm (bench/pairs.ts). */
  pairs: PairStats;
  /** pairs.ratio: the median of the paired ratios. */
  ratio: number;
}

/** A renderer timed by the harness: render(frames) fills and returns stereo output. */
interface Renderer {
  render(frames: number): Float32Array[];
}

function hostedRenderer(
  compiled: CompiledFaust,
  engineModule: WebAssembly.Module,
  maxFrames: number,
): Renderer {
  const engine = new WasmEngine(instantiateEngine(engineModule), SAMPLE_RATE, BLOCK);
  const node = engine.addExternalNode(
    createFaustNode(compiled),
    compiled.layout.numOutputs,
    compiled.layout.params,
  );
  engine.prepare(node);
  const out = [new Float32Array(maxFrames), new Float32Array(maxFrames)];
  return {
    render(frames) {
      engine.reset();
      renderOffline(engine, frames, out);
      return out;
    },
  };
}

async function faustwasmRenderer(compiled: CompiledFaust): Promise<Renderer> {
  const factory = {
    module: compiled.dsp.module,
    json: compiled.dsp.json,
    soundfiles: {},
  } as LooseFaustDspFactory;
  const processor = await new FaustMonoDspGenerator().createOfflineProcessor(SAMPLE_RATE, BLOCK, factory);
  return {
    render(frames) {
      // A fresh render starts from a cleared DSP, as the engine's reset() does.
      processor.instanceClear();
      return processor.render(undefined, frames);
    },
  };
}

/**
 * Warms both renderers up (2 s each, not recorded), then times `repetitions` renders of `seconds`
 * seconds with each, interleaved (bench/pairs.ts).
 * @example
 * const t = await timeW3(compiled, engineModule, 60, 3, () => performance.now());
 * t.ratio; // ~1: hosting costs next to nothing
 */
export async function timeW3(
  compiled: CompiledFaust,
  engineModule: WebAssembly.Module,
  seconds: number,
  repetitions: number,
  now: () => number,
): Promise<W3Timings> {
  const frames = Math.round(seconds * SAMPLE_RATE);
  const renderers = {
    webdreamer: hostedRenderer(compiled, engineModule, Math.max(frames, WARM_UP_SECONDS * SAMPLE_RATE)),
    faustwasm: await faustwasmRenderer(compiled),
  };
  const timings: Record<keyof typeof renderers, Timing> = {
    webdreamer: { factors: [], rms: 0 },
    faustwasm: { factors: [], rms: 0 },
  };
  for (const renderer of Object.values(renderers)) renderer.render(WARM_UP_SECONDS * SAMPLE_RATE);
  const timed = (name: keyof typeof renderers) => () => {
    const start = now();
    const out = renderers[name].render(frames);
    const elapsed = (now() - start) / 1000;
    if (timings[name].rms === 0) timings[name].rms = sanityRms(out[0] as Float32Array);
    return seconds / elapsed;
  };
  const rounds = await interleave(repetitions, {
    webdreamer: timed("webdreamer"),
    faustwasm: timed("faustwasm"),
  });
  timings.webdreamer.factors = rounds.webdreamer;
  timings.faustwasm.factors = rounds.faustwasm;
  const pairs = pairStats(rounds.webdreamer, rounds.faustwasm, (ours, theirs) => ours / theirs);
  return { ...timings, pairs, ratio: pairs.ratio };
}

/** One line per side: median realtime factor, range, sanity RMS. */
export function describeW3(where: string, timings: W3Timings): string {
  const line = (timing: Timing) => {
    const min = Math.min(...timing.factors).toFixed(0);
    const max = Math.max(...timing.factors).toFixed(0);
    return `x${median(timing.factors).toFixed(1)} (${min} – ${max}), RMS ${timing.rms.toFixed(4)}`;
  };
  return `W3.${where}: webdreamer ${line(timings.webdreamer)}; faustwasm offline ${line(timings.faustwasm)}; ratio ${describePairs(timings.pairs)}`;
}
