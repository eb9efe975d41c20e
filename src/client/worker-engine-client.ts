/**
 * WorkerEngineClient: the EngineClient of the offline Worker host. Every call goes over Comlink to
 * an EngineHost in a dedicated Worker (src/hosts/engine-worker.ts), which renders with its own
 * engine.wasm faster than real time, off the main thread.
 *
 * Arguments are validated again in the worker (every boundary validates); errors come back with
 * their code and path. The discovery TTL cache lives here, next to the caller's clock.
 */
import * as Comlink from "comlink";

import type { BufferHandle } from "../contracts/common";
import { EngineError } from "../contracts/errors";
import type { GraphDescriptorInput, MidiEventInput } from "../contracts/graph-descriptor";
import type { NodeDescriptor } from "../contracts/node-descriptor";
import type { PluginDiscoveryResult } from "../contracts/plugin-discovery";
import type { RenderRequestInput, RenderResult } from "../contracts/render";
import type { LoopRegion, TransportState } from "../contracts/transport-state";
import type { FaustCompileOptions } from "../faust/compiler";
import type { EngineHost, WireResult } from "../hosts/engine-host";
import type { EngineWorkerInit } from "../hosts/engine-worker";
import { type Clock, systemClock } from "./clock";
import { DiscoveryCache } from "./discovery-cache";
import type {
  DiscoverOptions,
  EngineClient,
  FaustCompiling,
  RenderCallOptions,
  SetParameterOptions,
  SetTempoOptions,
} from "./engine-client";

export interface WorkerEngineClientOptions {
  sampleRate?: number;
  blockSize?: number;
  /** Where the worker fetches engine.wasm. Default "/build/engine.wasm". */
  wasmUrl?: string;
  discoveryTtlMs?: number;
  clock?: Clock;
  /** Start the worker yourself (tests, other bundlers); default: the bundled engine worker. */
  createWorker?: () => Worker;
}

function unwrap<T>(result: WireResult<T>): T {
  if (!result.ok) throw EngineError.fromWire(result.error);
  return result.value;
}

let nextRenderId = 0;

/**
 * An engine Worker started and ready: the worker and the Comlink proxy of its EngineHost.
 * @example
 * const { worker, remote } = await startEngineWorker({ sampleRate: 48000 });
 */
export async function startEngineWorker<Host extends EngineHost = EngineHost>(
  options: WorkerEngineClientOptions,
): Promise<{ worker: Worker; remote: Comlink.Remote<Host> }> {
  const worker =
    options.createWorker?.() ??
    new Worker(new URL("../hosts/engine-worker.ts", import.meta.url), { type: "module" });
  const channel = new MessageChannel();
  const ready = new Promise<void>((resolve, reject) => {
    channel.port1.onmessage = (event: MessageEvent<{ type: string; error?: unknown }>) => {
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
  channel.port1.onmessage = null;
  return { worker, remote: Comlink.wrap<Host>(channel.port1) };
}

/**
 * What the Worker and AudioWorklet clients share: every EngineClient call forwarded over Comlink
 * to the EngineHost in an engine Worker, with errors rebuilt with their code and path.
 */
export abstract class RemoteEngineClient<Host extends EngineHost = EngineHost>
  implements EngineClient, FaustCompiling
{
  abstract readonly host: EngineClient["host"];
  protected closed = false;
  private readonly discovery: DiscoveryCache;

  protected constructor(
    protected readonly worker: Worker,
    // A strong reference for the client's whole life: Comlink closes the port when the proxy is
    // collected, which would silently drop calls in flight.
    protected readonly remote: Comlink.Remote<Host>,
    options: WorkerEngineClientOptions,
  ) {
    this.discovery = new DiscoveryCache({
      ...(options.discoveryTtlMs !== undefined ? { ttlMs: options.discoveryTtlMs } : {}),
      clock: options.clock ?? systemClock,
    });
  }

  protected ensureOpen(): void {
    if (this.closed) throw new EngineError("E_CLOSED", "the engine client is closed");
  }

  protected async call<T>(invoke: (remote: Comlink.Remote<Host>) => Promise<WireResult<T>>): Promise<T> {
    this.ensureOpen();
    return unwrap(await invoke(this.remote));
  }

  /**
   * One control-plane round trip to the engine Worker, as every call makes (diagnostics).
   * @example
   * const t0 = performance.now(); await engine.ping(); console.log(performance.now() - t0);
   */
  async ping(): Promise<void> {
    await this.call((r) => r.ping());
  }

  /** The plain Comlink round trip on the same port, without this client's wrapping (benchmarks). */
  async rawPing(): Promise<void> {
    await this.remote.rawPing();
  }

  /** @example const state = await engine.getTransportState(); */
  getTransportState(): Promise<TransportState> {
    return this.call((r) => r.getTransportState());
  }
  /** @example await engine.play(); */
  play(): Promise<void> {
    return this.call((r) => r.play());
  }
  /** @example await engine.pause(); */
  pause(): Promise<void> {
    return this.call((r) => r.pause());
  }
  /** @example await engine.stop(); */
  stop(): Promise<void> {
    return this.call((r) => r.stop());
  }
  /** @example await engine.seek(12.5); */
  seek(seconds: number): Promise<void> {
    return this.call((r) => r.seek(seconds));
  }
  /** @example await engine.setLoop({ start_seconds: 0, end_seconds: 4 }); */
  setLoop(loop: LoopRegion | null): Promise<void> {
    return this.call((r) => r.setLoop(loop));
  }
  /** @example await engine.setTempo(128, { rampSeconds: 2 }); */
  setTempo(bpm: number, options?: SetTempoOptions): Promise<void> {
    return this.call((r) => r.setTempo(bpm, options));
  }
  /** @example await engine.loadGraph(graph); */
  loadGraph(graph: GraphDescriptorInput): Promise<void> {
    return this.call((r) => r.loadGraph(graph));
  }
  /** @example await engine.setParameter("filter", "frequency", 800, { atSeconds: 1 }); */
  setParameter(
    node: string,
    parameter: string,
    value: number | string,
    options?: SetParameterOptions,
  ): Promise<void> {
    return this.call((r) => r.setParameter(node, parameter, value, options));
  }
  /** @example await engine.scheduleEvents("synth", [{ type: "note", time: 0, duration: 1, note: 60, velocity: 100 }]); */
  scheduleEvents(node: string, events: MidiEventInput[]): Promise<void> {
    return this.call((r) => r.scheduleEvents(node, events));
  }

  /**
   * Renders in the worker. The signal cancels it there (status "partial"); progress arrives through
   * a Comlink proxy callback.
   * @example
   * const result = await engine.render(request, { onProgress: (p) => console.log(p.frames_rendered) });
   */
  async render(request: RenderRequestInput, options: RenderCallOptions = {}): Promise<RenderResult> {
    this.ensureOpen();
    const renderId = `render-${nextRenderId++}`;
    const cancel = () => void this.remote.cancelRender(renderId);
    options.signal?.addEventListener("abort", cancel, { once: true });
    try {
      const progress = options.onProgress ? Comlink.proxy(options.onProgress) : undefined;
      return unwrap(await this.remote.render(request, renderId, options.signal?.aborted ?? false, progress));
    } finally {
      options.signal?.removeEventListener("abort", cancel);
    }
  }

  /**
   * Compiles Faust in the worker (libfaust loads there, once).
   * @example
   * const reverb = await engine.compileFaust('import("stdfaust.lib"); process = re.zita_rev1_stereo(0, 200, 6000, 3, 4, 48000);');
   */
  compileFaust(source: string, options?: FaustCompileOptions): Promise<NodeDescriptor> {
    return this.call((r) => r.compileFaust(source, options));
  }

  /** @example const [left, right] = await engine.readBuffer(result.buffer_handle!); */
  readBuffer(handle: BufferHandle): Promise<Float32Array[]> {
    return this.call((r) => r.readBuffer(handle));
  }
  /** @example await engine.releaseBuffer(handle); */
  releaseBuffer(handle: BufferHandle): Promise<void> {
    return this.call((r) => r.releaseBuffer(handle));
  }
  /** The channels are copied to the worker; the caller keeps its arrays. @example await engine.uploadBuffer([left], 48000); */
  uploadBuffer(channels: Float32Array[], sampleRate: number): Promise<BufferHandle> {
    return this.call((r) => r.uploadBuffer(channels, sampleRate));
  }
  /** @example const { nodes } = await engine.discoverNodes({ maxAgeMs: 60_000 }); */
  async discoverNodes(options?: DiscoverOptions): Promise<PluginDiscoveryResult> {
    this.ensureOpen();
    return this.discovery.discover(options, async () => unwrap(await this.remote.discoverNodes()));
  }
  /** @example await engine.invalidateDiscovery(); */
  async invalidateDiscovery(): Promise<void> {
    this.ensureOpen();
    this.discovery.invalidate();
  }
  /** Closes the engine and terminates the worker. Idempotent. @example await engine.close(); */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.discovery.invalidate();
    try {
      await this.remote.close();
    } finally {
      this.remote[Comlink.releaseProxy]();
      this.worker.terminate();
    }
  }
}

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
    const { worker, remote } = await startEngineWorker(options);
    return new WorkerEngineClient(worker, remote, options);
  }
}

/**
 * The bootstrapper's factory for the "worker" host.
 * @example
 * new EngineBootstrapper().registerHost("worker", workerHostFactory);
 */
export const workerHostFactory = (context: {
  hostOptions?: WorkerEngineClientOptions;
}): Promise<EngineClient> => WorkerEngineClient.start(context.hostOptions ?? {});
