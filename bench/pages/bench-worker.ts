// A module Worker that renders a workload with engine.wasm, faster than real time, and reports the
// realtime factor of each render on request: webdreamer's offline Worker path, timed. The first
// message builds the graph (and warms it up); each later message renders once, so that the page can
// interleave these renders with its native ones (bench/pairs.ts).

import { instantiateEngine } from "../../src/engine/engine-module";
import { WasmEngine } from "../../src/engine/wasm-engine";
import { PROGRAMS, SAMPLE_RATE, type WorkloadId } from "../../test/support/workloads";
import { engineRenderer, type TimedRenderer } from "../engine-timing";

type BenchRequest = { setup: { id: WorkloadId; seconds: number } } | { render: true };

let renderer: TimedRenderer | undefined;

self.onmessage = async (event: MessageEvent<BenchRequest>) => {
  if ("setup" in event.data) {
    const { id, seconds } = event.data.setup;
    const module = await WebAssembly.compileStreaming(fetch("/build/engine.wasm"));
    const engine = new WasmEngine(instantiateEngine(module), SAMPLE_RATE, 128);
    renderer = engineRenderer(engine, PROGRAMS[id](), seconds, () => performance.now());
    self.postMessage({ ready: true });
    return;
  }
  if (!renderer) throw new Error("bench-worker: render before setup");
  const factor = renderer.render();
  self.postMessage({ factor, rms: renderer.rms() });
};
