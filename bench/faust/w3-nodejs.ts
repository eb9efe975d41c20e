/**
 * W3 in Node: compiles the W3 program with libfaust from node_modules and times it hosted in
 * webdreamer against faustwasm's offline processor (w3.ts). Standalone:
 *   node scripts/run-ts.mjs bench/faust/w3-nodejs.ts [seconds=60] [repetitions=3]
 */

import { compileFaust } from "../../src/faust/compiler";
import { loadLibFaustFromDisk } from "../../src/faust/libfaust-nodejs";
import { loadEngineModuleFromDisk } from "../../src/hosts/in-process/engine-file";
import { describeW3, timeW3, W3_OPTIONS, W3_SOURCE, type W3Timings } from "./w3";

/** Row W3.nodejs: the two timings and their ratio. */
export async function benchW3Nodejs(seconds = 60, repetitions = 3): Promise<W3Timings> {
  const compiled = await compileFaust(loadLibFaustFromDisk, W3_SOURCE, W3_OPTIONS);
  return timeW3(compiled, await loadEngineModuleFromDisk(), seconds, repetitions, () => performance.now());
}

if (process.argv[1]?.endsWith("w3-nodejs.mjs")) {
  const [seconds = "60", repetitions = "3"] = process.argv.slice(2);
  console.log(describeW3("nodejs", await benchW3Nodejs(Number(seconds), Number(repetitions))));
}
