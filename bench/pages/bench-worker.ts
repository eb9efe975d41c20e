// A module Worker that renders a workload with engine.wasm, faster than real time, and reports the
// realtime factors: webdreamer's offline Worker path, timed.

import { instantiateEngine } from "../../src/engine/engine-module";
import { WasmEngine } from "../../src/engine/wasm-engine";
import { PROGRAMS, SAMPLE_RATE, type WorkloadId } from "../../test/support/workloads";
import { timeEngineRenders } from "../engine-timing";

interface BenchRequest {
  id: WorkloadId;
  seconds: number;
  repetitions: number;
}

self.onmessage = async (event: MessageEvent<BenchRequest>) => {
  const { id, seconds, repetitions } = event.data;
  const module = await WebAssembly.compileStreaming(fetch("/build/engine.wasm"));
  const engine = new WasmEngine(instantiateEngine(module), SAMPLE_RATE, 128);
  const timing = timeEngineRenders(engine, PROGRAMS[id](), seconds, repetitions, () => performance.now());
  self.postMessage(timing);
};
