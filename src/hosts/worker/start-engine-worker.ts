/**
 * Starts an engine Worker and waits for its engine: the handshake of the main <-> Worker protocol
 * (src/protocol/main-worker.ts), then a Comlink proxy on the dedicated port. Both the Worker host and
 * the AudioWorklet host start their Worker through it.
 */
import * as Comlink from "comlink";
import { EngineError } from "../../contracts/errors";
import type { EngineHostApi, EngineWorkerInit, EngineWorkerStatus } from "../../protocol/main-worker";
import type { TypedPort } from "../../protocol/typed-port";

export interface EngineWorkerOptions {
  sampleRate?: number;
  blockSize?: number;
  /** Where the worker fetches engine.wasm. Default "/build/engine.wasm". */
  wasmUrl?: string;
  /** Start the worker yourself (tests, other bundlers); default: the host's bundled engine worker. */
  createWorker?: () => Worker;
}

/**
 * An engine Worker started and ready: the worker and the Comlink proxy of its host API.
 * `createDefaultWorker` starts the host's own Worker entry (a literal `new URL(...)` in the caller,
 * so bundlers find it) unless `options.createWorker` replaces it.
 * @example
 * const { worker, remote } = await startEngineWorker<EngineHostApi>(options, () => new Worker(url, { type: "module" }));
 */
export async function startEngineWorker<Api extends EngineHostApi>(
  options: EngineWorkerOptions,
  createDefaultWorker: () => Worker,
): Promise<{ worker: Worker; remote: Comlink.Remote<Api> }> {
  const worker = options.createWorker?.() ?? createDefaultWorker();
  const channel = new MessageChannel();
  const port: TypedPort<never, EngineWorkerStatus> = channel.port1;
  const ready = new Promise<void>((resolve, reject) => {
    port.onmessage = (event) => {
      if (event.data.type === "webdreamer-ready") resolve();
      if (event.data.type === "webdreamer-failed") reject(EngineError.fromWire(event.data.error));
    };
    worker.onerror = (event) =>
      reject(new EngineError("E_HOST_UNAVAILABLE", `the engine worker failed to load: ${event.message}`));
  });
  const init: EngineWorkerInit = {
    type: "webdreamer-init",
    port: channel.port2,
    wasmUrl: new URL(options.wasmUrl ?? "/build/engine.wasm", location.href).href,
    sampleRate: options.sampleRate ?? 48000,
    blockSize: options.blockSize ?? 128,
  };
  worker.postMessage(init, [channel.port2]);
  try {
    await ready;
  } catch (error) {
    worker.terminate();
    throw error;
  }
  port.onmessage = null;
  return { worker, remote: Comlink.wrap<Api>(channel.port1) };
}
