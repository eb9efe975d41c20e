/**
 * A full garbage collection on demand, in Node, for the bench rows whose samples take milliseconds
 * and allocate WebAssembly memories (startup, serve): called before each timed sample, outside its
 * time. V8 collects when the memories it has handed out pile up, and that collection (4 to 6 ms)
 * landed on whichever sample came next: every tenth faustwasm start took 6 to 8 ms instead of 1.5 to
 * 3, and a row's median followed where those landed. `--expose-gc` is set at run time so that the
 * bench needs no Node flag of its own.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

/**
 * ms per call of `run`, the mean over `times` calls, each after a full collection (untimed).
 * @example
 * const ms = await meanAfterCollections(5, () => engine.render(request));
 */
export async function meanAfterCollections(times: number, run: () => unknown): Promise<number> {
  let total = 0;
  for (let i = 0; i < times; i++) {
    collectGarbage();
    const started = performance.now();
    await run();
    total += performance.now() - started;
  }
  return total / times;
}
