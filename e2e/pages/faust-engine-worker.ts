/**
 * The engine Worker of src/hosts/engine-worker.ts, with Faust: its in-process client gets a
 * FaustRegistry that loads libfaust from Vite's URLs. (The bundled engine worker can do the same by
 * passing `faust` to its InProcessEngineClient; this page proves the path meanwhile.)
 */
import * as Comlink from "comlink";
import { EngineError } from "../../src/contracts/errors";
import { InProcessEngineClient } from "../../src/engine/in-process-client";
import { loadLibFaustWithVite } from "../../src/faust/libfaust-vite";
import { FaustRegistry } from "../../src/faust/registry";
import { EngineHost } from "../../src/hosts/engine-host";
import type { EngineWorkerInit } from "../../src/hosts/engine-worker";

self.addEventListener("message", async (event: MessageEvent<EngineWorkerInit>) => {
  if (event.data?.type !== "webdreamer-init") return;
  const { port, wasmUrl, sampleRate, blockSize } = event.data;
  try {
    const module = await WebAssembly.compileStreaming(fetch(wasmUrl));
    const faust = new FaustRegistry({ loadLibFaust: loadLibFaustWithVite });
    const client = new InProcessEngineClient({ module, sampleRate, blockSize, faust });
    port.postMessage({ type: "webdreamer-ready" });
    Comlink.expose(new EngineHost(client), port);
  } catch (error) {
    const wire = new EngineError(
      "E_HOST_UNAVAILABLE",
      `the engine worker could not start: ${(error as Error).message}`,
    );
    port.postMessage({ type: "webdreamer-failed", error: wire.toWire() });
  }
});
