/**
 * The project rows of `npm run bench`: the 16-track, 3-minute project of test/support/project-scale.ts
 * compiled (against parsing the request it compiles to, the contracts' own check of that size, same
 * run) and exported to a float32 mixdown (Node in-process here; the Chromium Worker row is measured in
 * bench/pages/bench.ts and set against this one).
 */
import { RenderRequestSchema } from "../src/contracts/render";
import { parseContract } from "../src/contracts/validate";
import { createEngine } from "../src/create-engine";
import { compileProject } from "../src/project/compile-project";
import { PROJECT_SAMPLE_RATE, scaleProject } from "../test/support/project-scale";
import { interleave } from "./pairs";
import { timeProjectExports } from "./project-export-timing";

export interface CompileFigures {
  /** ms per fresh compile, per round. */
  compileMs: number[];
  /** ms per parse of the request it compiles to, per round (interleaved with the compiles). */
  parseMs: number[];
}

/** Times of a fresh compile and of parsing its request, `repetitions` interleaved pairs after a warm-up. */
export async function benchProjectCompile(repetitions: number): Promise<CompileFigures> {
  const project = scaleProject();
  const buffers = Object.fromEntries(project.audio.map((source, i) => [source.content_id, `buf:${i + 1}`]));
  const compile = () => compileProject(project, { sampleRate: PROJECT_SAMPLE_RATE, buffers });
  const { request } = compile();
  parseContract(RenderRequestSchema, request);
  const timed = (run: () => unknown) => () => {
    const started = performance.now();
    run();
    return performance.now() - started;
  };
  const rounds = await interleave(repetitions, {
    compileMs: timed(compile),
    parseMs: timed(() => parseContract(RenderRequestSchema, request)),
  });
  return rounds;
}

/** Realtime factors of exportProject (upload, compile, render, WAV) on the in-process host in Node. */
export async function benchProjectExportNodejs(repetitions: number): Promise<number[]> {
  const engine = await createEngine({ sampleRate: PROJECT_SAMPLE_RATE });
  return timeProjectExports(engine, repetitions);
}
