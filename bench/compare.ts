/**
 * Compares two result files of `npm run bench` row by row: whether two runs agree on every ratio.
 *   node scripts/run-ts.mjs bench/compare.ts a.json b.json [--tolerance 0.1]
 * Prints a Markdown table (ratio in each run, their relative difference, agree or not) and exits with
 * 1 when a row both files hold differs by more than the tolerance (default 10%), so a script can
 * tell. Rows in only one file, or without `pairs` (kept from a run before the interleaved pairs),
 * are listed, not judged.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

interface ResultRow {
  id: string;
  ratio: number;
  spread?: number;
  pairs?: number;
  wide_spread?: boolean;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { tolerance: { type: "string", default: "0.1" } },
});
if (positionals.length !== 2) {
  throw new Error(
    "bench/compare.ts takes two result files: bench/compare.ts a.json b.json [--tolerance 0.1]",
  );
}
const tolerance = Number(values.tolerance);
const [a, b] = positionals.map((path) => {
  const rows = JSON.parse(readFileSync(path, "utf8")) as ResultRow[];
  if (!Array.isArray(rows)) throw new Error(`${path} is not a bench result file (an array of rows)`);
  return new Map(rows.map((row) => [row.id, row]));
}) as [Map<string, ResultRow>, Map<string, ResultRow>];

/**
 * The relative difference of two ratios, symmetric in the two runs: |a − b| / the smaller, so that
 * 1.0 against 1.1 and 1.1 against 1.0 both read 10%.
 */
function relativeDifference(x: number, y: number): number {
  return Math.abs(x - y) / Math.min(Math.abs(x), Math.abs(y));
}

const spread = (row: ResultRow) =>
  row.spread === undefined ? "–" : `${(100 * row.spread).toFixed(0)}%${row.wide_spread ? " wide" : ""}`;
let disagreements = 0;
console.log(
  `| row | ratio, ${positionals[0]} | ratio, ${positionals[1]} | difference | spreads | within ${100 * tolerance}% |`,
);
console.log("| --- | --- | --- | --- | --- | --- |");
for (const id of new Set([...a.keys(), ...b.keys()])) {
  const first = a.get(id);
  const second = b.get(id);
  if (!first || !second) {
    console.log(`| ${id} | ${first?.ratio ?? "–"} | ${second?.ratio ?? "–"} | | | only in one file |`);
    continue;
  }
  if (first.pairs === undefined || second.pairs === undefined) {
    // A row kept from a run before the interleaved pairs (bench/run.ts --only merges): not this run's.
    console.log(`| ${id} | ${first.ratio} | ${second.ratio} | | | not measured in pairs: not judged |`);
    continue;
  }
  const difference = relativeDifference(first.ratio, second.ratio);
  const agree = difference <= tolerance;
  if (!agree) disagreements++;
  console.log(
    `| ${id} | ${first.ratio} | ${second.ratio} | ${(100 * difference).toFixed(1)}% | ${spread(first)}, ${spread(second)} | ${agree ? "yes" : "**no**"} |`,
  );
}
console.log(
  disagreements === 0
    ? `\nevery row both files hold agrees within ${100 * tolerance}%`
    : `\n${disagreements} row(s) differ by more than ${100 * tolerance}%`,
);
process.exitCode = disagreements === 0 ? 0 : 1;
