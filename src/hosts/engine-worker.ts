/**
 * The engine Worker: runs an in-process EngineClient (its own engine.wasm instance, faster than real
 * time) and exposes it as an EngineHost over Comlink on a dedicated MessageChannel port. When a
 * real-time client attaches a worklet, the same host also drives it (RealtimeEngineHost).
 *
 * Protocol: the first message is an EngineWorkerInit carrying the port; the worker answers on that
 * port with `{ type: "webdreamer-ready" }` or `{ type: "webdreamer-failed", error }` before Comlink
 * takes the port over.
 */
import * as Comlink from "comlink";

import { EngineError } from "../contracts/errors";
import { InProcessEngineClient } from "../engine/in-process-client";
import { instantiateEngine, readProcessorTypes } from "../engine/wasm-engine";
import { loadLibFaustWithVite } from "../faust/libfaust-vite";
import { FaustRegistry } from "../faust/registry";
import { RealtimeEngineHost } from "./realtime-engine-host";

export interface EngineWorkerInit {
  type: "webdreamer-init";
  port: MessagePort;
  wasmUrl: string;
  sampleRate: number;
  blockSize: number;
}

self.addEventListener("message", async (event: MessageEvent<EngineWorkerInit>) => {
  if (event.data?.type !== "webdreamer-init") return;
  const { port, wasmUrl, sampleRate, blockSize } = event.data;
  try {
    const module = await WebAssembly.compileStreaming(fetch(wasmUrl));
    const faust = new FaustRegistry({ loadLibFaust: loadLibFaustWithVite });
    const client = new InProcessEngineClient({ module, sampleRate, blockSize, faust });
    // Types for compiling live graphs: the same table the engine was built with.
    const types = readProcessorTypes(instantiateEngine(module));
    port.postMessage({ type: "webdreamer-ready" });
    Comlink.expose(new RealtimeEngineHost(client, types, sampleRate, faust), port);
  } catch (error) {
    const wire = new EngineError(
      "E_HOST_UNAVAILABLE",
      `the engine worker could not start: ${(error as Error).message}`,
    );
    port.postMessage({ type: "webdreamer-failed", error: wire.toWire() });
  }
});
