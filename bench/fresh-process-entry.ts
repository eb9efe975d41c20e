/**
 * `node scripts/run-ts.mjs bench/fresh-process-entry.ts ROW [numbers...]`: times one of the Node rows
 * below in this fresh process and prints its figures as JSON on stdout (bench/fresh-process.ts starts
 * it; why, there).
 */
import { benchProjectCompile } from "./project";
import { benchServeOverhead } from "./serve";
import { benchStartup } from "./startup";

const ROWS: Record<string, (...numbers: number[]) => Promise<unknown>> = {
  startup: (pairs = 15, batch = 5) => benchStartup(pairs, batch),
  serve: (pairs = 30, batch = 5) => benchServeOverhead(pairs, batch),
  "project-compile": (pairs = 15) => benchProjectCompile(pairs),
};

const [row = "", ...rest] = process.argv.slice(2);
const numbers = rest.map(Number);
const bench = ROWS[row];
if (!bench || numbers.some((n) => !Number.isInteger(n) || n < 1)) {
  throw new Error(
    `usage: bench/fresh-process-entry.ts ROW [positive integers...], ROW among ${Object.keys(ROWS).join(", ")}; got "${process.argv.slice(2).join(" ")}"`,
  );
}
process.stdout.write(JSON.stringify(await bench(...numbers)));
