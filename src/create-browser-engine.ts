/**
 * createBrowserEngine: the composition root of the browser entry. It registers the hosts a page can
 * run (the offline Worker host and the real-time AudioWorklet host) with a bootstrapper, which picks
 * one from what the page can do and what the caller asks for.
 */
import type { EngineClient } from "./api/engine-client";
import { isRealtimeEngineClient, type RealtimeEngineClient } from "./api/realtime-client";
import { type CreateEngineOptions, EngineBootstrapper } from "./client/bootstrapper";
import { EngineError } from "./contracts/errors";
import {
  type AudioWorkletEngineClientOptions,
  audioWorkletHostFactory,
} from "./hosts/audioworklet/audioworklet-client";
import { type WorkerEngineClientOptions, workerHostFactory } from "./hosts/worker/worker-client";

/**
 * The hosts a page can run.
 * @example
 * const { host, reason } = browserBootstrapper().select({ mode: "realtime" });
 */
export function browserBootstrapper(): EngineBootstrapper {
  return new EngineBootstrapper()
    .registerHost("worker", workerHostFactory)
    .registerHost("audioworklet", audioWorkletHostFactory);
}

/**
 * Creates an engine for this page; E_HOST_UNAVAILABLE names why when no host fits.
 * @example
 * const engine = await createBrowserEngine({ host: "worker", hostOptions: { sampleRate: 44100 } });
 */
export function createBrowserEngine(
  options: CreateEngineOptions<WorkerEngineClientOptions & AudioWorkletEngineClientOptions> = {},
): Promise<EngineClient> {
  return browserBootstrapper().createEngine(options);
}

/**
 * Creates an engine that plays in real time (the bootstrapper's "realtime" mode): what a player or a DAW view
 * needs. E_HOST_UNAVAILABLE when this browser has no AudioWorklet.
 * @example
 * const engine = await createRealtimeEngine({ context: new AudioContext() });
 * engine.readTransport().positionSeconds;
 */
export async function createRealtimeEngine(
  options: AudioWorkletEngineClientOptions = {},
): Promise<RealtimeEngineClient> {
  const client = await browserBootstrapper().createEngine({ mode: "realtime", hostOptions: options });
  if (!isRealtimeEngineClient(client)) {
    await client.close();
    throw new EngineError(
      "E_HOST_UNAVAILABLE",
      `realtime: the ${client.host} host does not play in real time`,
    );
  }
  return client;
}
