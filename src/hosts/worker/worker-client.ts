/**
 * WorkerEngineClient: the EngineClient of the offline Worker host. Every call goes over Comlink to an
 * EngineHost in a dedicated Worker (engine-worker.ts), which renders with its own engine.wasm faster
 * than real time, off the main thread.
 */
import type { EngineClient } from "../../api/engine-client";
import type { HostContext } from "../../api/host-factory";
import type { EngineHostApi } from "../../protocol/main-worker";
import { engineAssets } from "../assets/engine-assets";
import { loadEngineModule } from "../assets/fetch-engine";
import { type RemoteClientOptions, RemoteEngineClient } from "./remote-client";
import { type EngineWorkerOptions, startEngineWorker } from "./start-engine-worker";

export interface WorkerEngineClientOptions extends EngineWorkerOptions, RemoteClientOptions {}

/** The offline Worker host's client: renders faster than real time, off the main thread. */
export class WorkerEngineClient extends RemoteEngineClient {
  readonly host = "worker" as const;

  /**
   * Starts an engine Worker and resolves once its engine is running.
   * @example
   * const engine = await WorkerEngineClient.start({ sampleRate: 48000 });
   * const result = await engine.render(request);
   */
  static async start(options: WorkerEngineClientOptions = {}): Promise<WorkerEngineClient> {
    // engine.wasm is compiled once per page and handed to every engine Worker it starts (the Worker
    // loads its script meanwhile), instead of each Worker fetching and compiling it.
    const module = loadEngineModule(engineAssets(options.baseUrl).engineWasm);
    const { worker, remote } = await startEngineWorker<EngineHostApi>(options, "worker", module);
    return new WorkerEngineClient(worker, remote, options);
  }
}

/**
 * The bootstrapper's factory for the "worker" host.
 * @example
 * new EngineBootstrapper().registerHost("worker", workerHostFactory);
 */
export const workerHostFactory = (context: HostContext<WorkerEngineClientOptions>): Promise<EngineClient> =>
  WorkerEngineClient.start(context.hostOptions ?? {});
