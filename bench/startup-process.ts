/**
 * `node scripts/run-ts.mjs bench/startup-process.ts PAIRS BATCH`: runs benchStartup in this fresh
 * process and prints its figures as JSON on stdout. bench/startup.ts (benchStartupFresh) starts it, so
 * that the row is timed in a process like a user's script, not in the bench's own, whose heap holds
 * what the other groups left (there faustwasm's start took 9 ms, in a fresh process 2 to 3).
 */
import { benchStartup } from "./startup";

const [pairs, batch] = process.argv.slice(2).map(Number);
if (!Number.isInteger(pairs) || !Number.isInteger(batch) || (pairs as number) < 1 || (batch as number) < 1) {
  throw new Error(
    `usage: bench/startup-process.ts PAIRS BATCH (positive integers), got ${process.argv.slice(2).join(" ")}`,
  );
}
process.stdout.write(JSON.stringify(await benchStartup(pairs as number, batch)));
