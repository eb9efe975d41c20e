/**
 * Runs the data-plane benchmarks in Node and prints a Markdown table:
 * `node scripts/run-ts.mjs bench/dataplane/run-dataplane.ts [--seconds 1.5] [--rounds 5] [--samples 2000]`.
 * Spinning Workers need idle cores: the load average is printed with the results.
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { bundleWorkerEntry, nodeWorkers } from "../../test/support/task-workers";
import { formatDataPlaneResults, measureDoorbellWake, measureRingThroughput } from "./ring-throughput";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "1.5" },
    rounds: { type: "string", default: "5" },
    samples: { type: "string", default: "2000" },
  },
});
const spawn = await nodeWorkers(await bundleWorkerEntry("bench/dataplane/bench-worker.ts"));
const rows = await measureRingThroughput(spawn, {
  seconds: Number(values.seconds),
  rounds: Number(values.rounds),
});
const wake = await measureDoorbellWake(spawn, { samples: Number(values.samples), rounds: 5 });
const load = loadavg().map((value) => value.toFixed(2));
console.log(formatDataPlaneResults(rows, wake).join("\n"));
console.log(`\n(load average ${load.join(", ")}; compare ratios from the same run only)`);
