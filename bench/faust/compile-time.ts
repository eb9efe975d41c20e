/**
 * Rows faust-compile and faust-compile.cached (docs/performance.md): compiling the W3 program with
 * webdreamer's compileFaust, in Node, against faustwasm's compiler alone
 * (FaustCompiler.createMonoDSPFactory on the same libfaust, same arguments), interleaved pairs.
 *
 * libfaust (through faustwasm) keeps its own factory cache keyed by the source text, and webdreamer
 * keeps one by node id: every timed compile gets a source no earlier round used (a trailing comment
 * naming the round), so that "first" means first for both caches. The cached row compiles each
 * round's source a second time with compileFaust, against faustwasm compiling a fresh one.
 */
import { compileFaust } from "../../src/faust/compiler";
import { libFaustCompiler } from "../../src/faust/libfaust";
import { loadLibFaustFromDisk } from "../../src/faust/libfaust-nodejs";
import { interleave } from "../pairs";
import { W3_OPTIONS, W3_SOURCE } from "./w3";

export interface CompileTimes {
  /** ms per first compileFaust of a fresh source, per round. */
  first: number[];
  /** ms per second compileFaust of the same source (webdreamer's cache), per round. */
  cached: number[];
  /** ms per faustwasm createMonoDSPFactory of a fresh source, per round of `first`. */
  faustwasmFirst: number[];
  /** The same, per round of `cached`. */
  faustwasmCached: number[];
}

/**
 * `pairs` interleaved pairs of first compiles, and `cachedPairs` of cached ones (a cached compile
 * divides a second's compile by a fraction of a millisecond: a pause in either moves a pair's ratio by
 * tens of percent, so that row wants more pairs).
 */
export async function benchFaustCompile(pairs: number, cachedPairs = pairs): Promise<CompileTimes> {
  const compiler = await libFaustCompiler(loadLibFaustFromDisk);
  const args = W3_OPTIONS.argv.join(" ");
  let fresh = 0;
  const source = () => `${W3_SOURCE}\n// round ${++fresh}`;
  // Warm-up: libfaust loaded and its standard libraries read, both paths run once.
  await compileFaust(loadLibFaustFromDisk, source(), W3_OPTIONS);
  await compiler.createMonoDSPFactory(W3_OPTIONS.name, source(), args);
  let last = "";
  const time = async (run: () => Promise<unknown>) => {
    const started = performance.now();
    await run();
    return performance.now() - started;
  };
  const first = await interleave(pairs, {
    ours: () => {
      last = source();
      return time(() => compileFaust(loadLibFaustFromDisk, last, W3_OPTIONS));
    },
    faustwasm: () => {
      const text = source();
      return time(() => compiler.createMonoDSPFactory(W3_OPTIONS.name, text, args));
    },
  });
  // The cached compile is microseconds: 10,000 per round (about 0.15 s, a compile's order) so that a
  // pause weighs on both sides alike, against one fresh faustwasm compile.
  const cachedRounds = await interleave(cachedPairs, {
    cached: async () => {
      const repeats = 10_000;
      return (
        (await time(async () => {
          for (let i = 0; i < repeats; i++) await compileFaust(loadLibFaustFromDisk, last, W3_OPTIONS);
        })) / repeats
      );
    },
    faustwasm: () => {
      const text = source();
      return time(() => compiler.createMonoDSPFactory(W3_OPTIONS.name, text, args));
    },
  });
  return {
    first: first.ours,
    faustwasmFirst: first.faustwasm,
    cached: cachedRounds.cached,
    faustwasmCached: cachedRounds.faustwasm,
  };
}
