/**
 * Node rows timed in a fresh Node process of their own (bench/fresh-process-entry.ts): a start, a
 * served render and a project's compile are what a user's script or server does in a process of its
 * own, and in the bench's process, after the other groups, they were timed against a heap that held
 * what those groups left. There faustwasm's start took 9 ms where a fresh process takes 2 to 3, and
 * two full runs read `serve-overhead` at 0.40 and 0.34, `project-compile` at 3.69 and 3.03.
 *
 * Each row takes its pairs in several processes and pools them, as the page rows take theirs in
 * several pages: a process keeps a level of its own (faustwasm's start took 2 ms in one process and
 * 3.3 in the next; a project's compile against its parse read 2.43 in one and 2.97 in the next).
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

/** The rows bench/fresh-process-entry.ts knows. */
export type FreshProcessRow = "startup" | "serve" | "project-compile";

/**
 * Runs `row`'s bench in `processes` fresh processes, one after another, each with `numbers` as its
 * arguments, and returns each side's figures pooled in process order.
 * @example
 * const times = await inFreshProcess<"webdreamer" | "faustwasm">("startup", [5, 5], 6);
 */
export async function inFreshProcess<K extends string>(
  row: FreshProcessRow,
  numbers: number[],
  processes: number,
): Promise<Record<K, number[]>> {
  const pooled: Partial<Record<K, number[]>> = {};
  for (let index = 0; index < processes; index++) {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["scripts/run-ts.mjs", "bench/fresh-process-entry.ts", row, ...numbers.map(String)],
      { maxBuffer: 1 << 20 },
    );
    const figures = JSON.parse(stdout) as Record<K, number[]>;
    for (const side of Object.keys(figures) as K[])
      pooled[side] = [...(pooled[side] ?? []), ...figures[side]];
  }
  return pooled as Record<K, number[]>;
}
