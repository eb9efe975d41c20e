/**
 * The project rows of `npm run bench`: the 16-track, 3-minute project of test/support/project-scale.ts
 * compiled (against parsing the request it compiles to, the contracts' own check of that size, same
 * run) and exported to a float32 mixdown (Node in-process here, called by the Chromium page as a side
 * of its rounds, bench/pages/bench.ts, so that the Worker row and Node's are interleaved).
 */
import { RenderRequestSchema } from "../src/contracts/render";
import { parseContract } from "../src/contracts/validate";
import { createEngine } from "../src/create-engine";
import { compileProject } from "../src/project/compile-project";
import { PROJECT_SAMPLE_RATE, scaleAudio, scaleProject } from "../test/support/project-scale";
import { interleave } from "./pairs";
import { timeProjectExport } from "./project-export-timing";

export interface CompileFigures {
  /** ms per fresh compile, per round. */
  compileMs: number[];
  /** ms per parse of the request it compiles to, per round (interleaved with the compiles). */
  parseMs: number[];
}

/** Compiles (or parses) per timed round: a collection pause lands on a batch, not on one call. */
const COMPILES_PER_ROUND = 8;

/**
 * Times of a fresh compile and of parsing its request, `repetitions` interleaved pairs after a warm-up,
 * each side's figure the mean of COMPILES_PER_ROUND calls (one call of 25 to 130 ms, where a collection
 * pause is a quarter of it, moved the row by 15% between two quiet runs). A full collection before
 * each call (as startup and serve take) made both sides slower and the row less steady (two runs
 * 3.69 and 3.03), so this row does not take one; it runs in a fresh process (bench/fresh-process.ts).
 */
export async function benchProjectCompile(repetitions: number): Promise<CompileFigures> {
  const project = scaleProject();
  const buffers = Object.fromEntries(project.audio.map((source, i) => [source.content_id, `buf:${i + 1}`]));
  const compile = () => compileProject(project, { sampleRate: PROJECT_SAMPLE_RATE, buffers });
  const { request } = compile();
  parseContract(RenderRequestSchema, request);
  const timed = (run: () => unknown) => () => {
    const started = performance.now();
    for (let i = 0; i < COMPILES_PER_ROUND; i++) run();
    return (performance.now() - started) / COMPILES_PER_ROUND;
  };
  const rounds = await interleave(repetitions, {
    compileMs: timed(compile),
    parseMs: timed(() => parseContract(RenderRequestSchema, request)),
  });
  return rounds;
}

/**
 * exportProject (upload, compile, render, WAV) on the in-process host in Node, one export per call as
 * a realtime factor: the Chromium page calls it as a side of its rounds (bench/pages/bench.ts).
 */
export async function nodeProjectExporter(): Promise<{
  exportOnce(): Promise<number>;
  close(): Promise<void>;
}> {
  const engine = await createEngine({ sampleRate: PROJECT_SAMPLE_RATE });
  const input = { project: scaleProject(), audio: scaleAudio(PROJECT_SAMPLE_RATE) };
  return {
    exportOnce: async () => (await timeProjectExport(engine, input)).factor,
    close: () => engine.close(),
  };
}
