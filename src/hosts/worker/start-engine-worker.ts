/**
 * Starts an engine Worker and waits for its engine: the handshake of the main <-> Worker protocol
 * (src/protocol/main-worker.ts), then a Comlink proxy on the dedicated port. Both the Worker host and
 * the AudioWorklet host start their Worker through it.
 */
import * as Comlink from "comlink";
import { EngineError } from "../../contracts/errors";
import { type FaustPolicy, faustPolicyPrefixes } from "../../faust/faust-policy";
import type { EngineHostApi, EngineWorkerInit, EngineWorkerStatus } from "../../protocol/main-worker";
import type { TypedPort } from "../../protocol/typed-port";
import { type EngineWorkerKind, engineAssets } from "../assets/engine-assets";
import { missingEngineFile } from "../assets/fetch-engine";

export interface EngineWorkerOptions {
  sampleRate?: number;
  blockSize?: number;
  /**
   * The folder engine.wasm, engine-processor.js, the engine Worker scripts and libfaust's files are
   * fetched from (e.g. a CDN; relative to the page). Default: beside this module.
   */
  baseUrl?: string | URL;
  /** Start the worker yourself (tests, other bundlers); default: the host's bundled engine worker. */
  createWorker?: () => Worker;
  /** What the Worker's Faust compiles may reach (FaustPolicy, src/faust/registry.ts); none by default. */
  faustPolicy?: FaustPolicy;
}

/**
 * An engine Worker started and ready: the worker and the Comlink proxy of its host API. `kind` picks
 * the host's own Worker script from the engine's assets, unless `options.createWorker` starts one.
 * @example
 * const { worker, remote } = await startEngineWorker<EngineHostApi>({ sampleRate: 48000 }, "worker");
 */
export async function startEngineWorker<Api extends EngineHostApi>(
  options: EngineWorkerOptions,
  kind: EngineWorkerKind,
  /**
   * engine.wasm compiled already, or being compiled (the real-time host compiles it for its worklet):
   * the Worker starts at once, loading its script while the module compiles, and gets the module in
   * its init message instead of fetching the file again.
   */
  module?: WebAssembly.Module | Promise<WebAssembly.Module>,
): Promise<{ worker: Worker; remote: Comlink.Remote<Api> }> {
  // Checked here, so a bad prefix names the option instead of failing the Worker's start.
  const allowUrlPrefixes = faustPolicyPrefixes(options.faustPolicy, "options.faustPolicy");
  const assets = engineAssets(options.baseUrl);
  const worker = options.createWorker?.() ?? assets.startWorker(kind);
  const channel = new MessageChannel();
  const port: TypedPort<never, EngineWorkerStatus> = channel.port1;
  const ready = new Promise<void>((resolve, reject) => {
    port.onmessage = (event) => {
      if (event.data.type === "webdreamer-ready") resolve();
      if (event.data.type === "webdreamer-failed") reject(EngineError.fromWire(event.data.error));
    };
    // A script that is missing or not JavaScript fails before it runs, with an event that has no
    // message: the URL looked for is what the user can check.
    worker.onerror = (event) =>
      reject(missingEngineFile(assets.workerScript(kind), event.message || "the Worker did not start"));
  });
  // Seen by the await below; this keeps a Worker failing while the module compiles from being reported
  // as an unhandled rejection when the compile fails first.
  ready.catch(() => undefined);
  try {
    const compiled = await module;
    const init: EngineWorkerInit = {
      type: "webdreamer-init",
      port: channel.port2,
      wasmUrl: assets.engineWasm,
      ...(compiled ? { module: compiled } : {}),
      libfaust: assets.libfaust,
      sampleRate: options.sampleRate ?? 48000,
      blockSize: options.blockSize ?? 128,
      faustPolicy: { allowUrlPrefixes },
    };
    worker.postMessage(init, [channel.port2]);
    await ready;
  } catch (error) {
    worker.terminate();
    throw error;
  }
  port.onmessage = null;
  return { worker, remote: Comlink.wrap<Api>(channel.port1) };
}
