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
import { alternateRounds } from "./pairs";
import { timeProjectExport } from "./project-export-timing";

export interface CompileFigures {
  /** ms per fresh compile, per round. */
  compileMs: number[];
  /** ms per parse of the request it compiles to, per round (interleaved with the compiles). */
  parseMs: number[];
}

/** Compiles (and parses) per timed round, alternating one by one. */
const COMPILES_PER_ROUND = 8;

/**
 * Times of a fresh compile and of parsing its request, `repetitions` rounds after a warm-up round:
 * a round alternates COMPILES_PER_ROUND compiles and as many parses one by one, and each side's
 * figure is the mean of the middle half of its calls (`alternateRounds`, bench/pairs.ts), so a call
 * that met a collection is left out as an outlier. A collection is most of a 10 ms compile and a
 * fraction of a 35 ms parse: with the mean of a batch of 8 calls the row read 2.84 to 3.69 over six
 * runs (spreads 12 to 47%), and a full collection before each call made both sides slower (V8 drops
 * compiled code in a full collection) and the row less steady.
 */
export async function benchProjectCompile(repetitions: number): Promise<CompileFigures> {
  const project = scaleProject();
  const buffers = Object.fromEntries(project.audio.map((source, i) => [source.content_id, `buf:${i + 1}`]));
  const compile = () => compileProject(project, { sampleRate: PROJECT_SAMPLE_RATE, buffers });
  const { request } = compile();
  const rounds = await alternateRounds(
    repetitions,
    COMPILES_PER_ROUND,
    {
      compile: { calls: 1, run: compile },
      parse: { calls: 1, run: () => parseContract(RenderRequestSchema, request) },
    },
    { warmUp: 1 },
  );
  // alternate() gives microseconds per call.
  const ms = (us: number[]) => us.map((value) => value / 1000);
  return { compileMs: ms(rounds.compile), parseMs: ms(rounds.parse) };
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
