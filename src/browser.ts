/**
 * webdreamer in the browser: the entry point for pages and components.
 *
 * @example
 * import { createBrowserEngine } from "webdreamer/browser";
 * const engine = await createBrowserEngine({ mode: "offline" });
 * const result = await engine.render(request);
 *
 * The bootstrapper picks the host from what the page can do: the real-time AudioWorklet host plays
 * live; the offline Worker host renders faster than real time off the main thread.
 */
import { type CreateEngineOptions, EngineBootstrapper } from "./client/bootstrapper";
import type { EngineClient } from "./client/engine-client";
import { type RealtimeEngineClientOptions, realtimeHostFactory } from "./client/realtime-engine-client";
import { type WorkerEngineClientOptions, workerHostFactory } from "./client/worker-engine-client";

export * from "./client/index";
export { RealtimeEngineClient, type RealtimeEngineClientOptions } from "./client/realtime-engine-client";
export { WorkerEngineClient, type WorkerEngineClientOptions } from "./client/worker-engine-client";
export * from "./contracts/index";

/** The hosts a page can run. */
export function browserBootstrapper(): EngineBootstrapper {
  return new EngineBootstrapper()
    .registerHost("worker", workerHostFactory)
    .registerHost("audioworklet", realtimeHostFactory);
}

/**
 * Creates an engine for this page; E_HOST_UNAVAILABLE names why when no host fits.
 * @example
 * const engine = await createBrowserEngine({ host: "worker", hostOptions: { sampleRate: 44100 } });
 */
export function createBrowserEngine(
  options: CreateEngineOptions<WorkerEngineClientOptions & RealtimeEngineClientOptions> = {},
): Promise<EngineClient> {
  return browserBootstrapper().createEngine(options);
}
