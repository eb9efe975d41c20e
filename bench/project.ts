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
import { meanAfterCollections } from "./collect-garbage";
import { interleave } from "./pairs";
import { timeProjectExport } from "./project-export-timing";

export interface CompileFigures {
  /** ms per fresh compile, per round. */
  compileMs: number[];
  /** ms per parse of the request it compiles to, per round (interleaved with the compiles). */
  parseMs: number[];
}

/** Compiles (or parses) per timed round. */
const COMPILES_PER_ROUND = 8;

/**
 * Times of a fresh compile and of parsing its request, `repetitions` interleaved pairs after a warm-up,
 * each side's figure the mean of COMPILES_PER_ROUND calls, each after a full collection (untimed,
 * bench/collect-garbage.ts). One call of 25 to 130 ms, where a collection owed to earlier calls is
 * a quarter of it, moved the row by 15% between two quiet runs; batches of 8 without the collections
 * still moved it by 9% (3.34 and 3.65).
 */
export async function benchProjectCompile(repetitions: number): Promise<CompileFigures> {
  const project = scaleProject();
  const buffers = Object.fromEntries(project.audio.map((source, i) => [source.content_id, `buf:${i + 1}`]));
  const compile = () => compileProject(project, { sampleRate: PROJECT_SAMPLE_RATE, buffers });
  const { request } = compile();
  parseContract(RenderRequestSchema, request);
  const timed = (run: () => unknown) => () => meanAfterCollections(COMPILES_PER_ROUND, run);
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
