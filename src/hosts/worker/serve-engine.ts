/**
 * The engine Worker's startup, shared by the Worker host's and the AudioWorklet host's Worker entries:
 * waits for EngineWorkerInit (src/protocol/main-worker.ts), compiles engine.wasm, builds the Worker's
 * in-process client (its own engine, with a Faust registry) and exposes the host's API over Comlink
 * on the init's port, after answering "webdreamer-ready" (or "webdreamer-failed" with the reason).
 */
import * as Comlink from "comlink";
import { EngineError } from "../../contracts/errors";
import { loadLibFaustFromUrls } from "../../faust/libfaust";
import { FaustRegistry } from "../../faust/registry";
import type { EngineHostApi, EngineWorkerInit, EngineWorkerStatus } from "../../protocol/main-worker";
import type { TypedPort } from "../../protocol/typed-port";
import { compileEngineFrom } from "../assets/fetch-engine";
import { InProcessEngineClient } from "../in-process/in-process-client";

/** What a Worker entry builds its host API from. */
export interface EngineWorkerContext {
  /** The Worker's in-process client: validation, buffers, offline renders, Faust. */
  client: InProcessEngineClient;
  /** The compiled engine.wasm (for more engine instances). */
  module: WebAssembly.Module;
  faust: FaustRegistry;
  sampleRate: number;
}

/**
 * Call once at the top of a Worker entry.
 * @example
 * serveEngine(({ client }) => new EngineHost(client));
 */
export function serveEngine(
  createHost: (context: EngineWorkerContext) => EngineHostApi,
  clientOptions: { liveInputAsSilence?: boolean } = {},
): void {
  self.addEventListener("message", async (event: MessageEvent<EngineWorkerInit>) => {
    if (event.data?.type !== "webdreamer-init") return;
    const { wasmUrl, libfaust, sampleRate, blockSize, module: compiled, faustPolicy } = event.data;
    const port: TypedPort<EngineWorkerStatus, never> = event.data.port;
    try {
      const module = compiled ?? (await compileEngineFrom(wasmUrl));
      const faust = new FaustRegistry({
        loadLibFaust: () => loadLibFaustFromUrls(libfaust),
        policy: faustPolicy,
      });
      // The AudioWorklet host's Worker answers real-time renders itself and passes on offline ones,
      // so "worker" names the only host whose callers can meet this client's refusals.
      const client = new InProcessEngineClient({
        module,
        sampleRate,
        blockSize,
        faust,
        hostName: "worker",
        ...clientOptions,
      });
      const host = createHost({ client, module, faust, sampleRate });
      port.postMessage({ type: "webdreamer-ready" });
      Comlink.expose(host, event.data.port);
    } catch (error) {
      const wire =
        error instanceof EngineError
          ? error
          : new EngineError(
              "E_HOST_UNAVAILABLE",
              `the engine worker could not start: ${(error as Error).message}`,
            );
      port.postMessage({ type: "webdreamer-failed", error: wire.toWire() });
    }
  });
}
