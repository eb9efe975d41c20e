/**
 * EngineHost: the engine Worker's side of the control plane (EngineHostApi, src/protocol/main-worker.ts).
 * It wraps the EngineClient that runs where the engine runs (the Worker's in-process client) and
 * exposes it over Comlink with wire-safe results: every call resolves to `{ ok: true, value }` or
 * `{ ok: false, error }` with the error as `EngineError.toWire()`, because Comlink rethrows a plain
 * Error and drops `code` and `path`.
 */
import * as Comlink from "comlink";
import type { DiscoveryRoot, DiscoveryRootScanning, RootScan } from "../../api/discovery-roots";
import type {
  EngineClient,
  FaustCompileOptions,
  FaustCompiling,
  RenderProgress,
  ScheduleAutomationOptions,
  SendMidiOptions,
  SetParameterOptions,
  SetTempoOptions,
} from "../../api/engine-client";
import type { ParameterReader, ParameterReading } from "../../api/realtime-client";
import type { BufferHandle } from "../../contracts/common";
import { EngineError } from "../../contracts/errors";
import type { AutomationInput, GraphDescriptorInput, MidiEventInput } from "../../contracts/graph-descriptor";
import type { LiveMidiMessageInput } from "../../contracts/live-midi";
import type { NodeDescriptor } from "../../contracts/node-descriptor";
import type { PluginDiscoveryResult } from "../../contracts/plugin-discovery";
import type { RenderRequestInput, RenderResult } from "../../contracts/render";
import type { LoopRegion, TransportState } from "../../contracts/transport-state";
import type { EngineHostApi, WireResult } from "../../protocol/main-worker";

/** Runs a call and turns its outcome into a WireResult (an EngineError keeps its code and path). */
export async function settle<T>(call: () => Promise<T>): Promise<WireResult<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return { ok: false, error: EngineError.fromWire(error).toWire() };
  }
}

/**
 * Exposed with Comlink.expose(new EngineHost(client), port). Method names mirror EngineClient;
 * render() takes a progress callback (a Comlink proxy) and an id that cancelRender() can abort.
 * @example
 * Comlink.expose(new EngineHost(inProcessClient), port);
 */
export class EngineHost implements EngineHostApi {
  private readonly renders = new Map<string, AbortController>();

  constructor(
    private readonly client: EngineClient & Partial<FaustCompiling> & Partial<DiscoveryRootScanning>,
  ) {}

  /** Compiles Faust for the worker's graphs (see InProcessEngineClient.compileFaust). */
  compileFaust(source: string, options?: FaustCompileOptions): Promise<WireResult<NodeDescriptor>> {
    return settle(async () => {
      if (!this.client.compileFaust)
        throw new EngineError("E_HOST_UNAVAILABLE", "this host has no Faust compiler");
      return this.client.compileFaust(source, options);
    });
  }

  /** Releases a compiled DSP of the worker (see InProcessEngineClient.releaseFaust). */
  releaseFaust(nodeId: string): Promise<WireResult<void>> {
    return settle(async () => {
      if (!this.client.releaseFaust)
        throw new EngineError("E_HOST_UNAVAILABLE", "this host has no Faust compiler");
      return this.client.releaseFaust(nodeId);
    });
  }

  /** Diagnostics: one control-plane round trip through the wire wrapping (benchmarks, health checks). */
  ping(): Promise<WireResult<number>> {
    return settle(async () => 0);
  }

  /** The same round trip without the wrapping: the plain Comlink baseline for `ping`. */
  rawPing(): number {
    return 0;
  }

  getTransportState(): Promise<WireResult<TransportState>> {
    return settle(() => this.client.getTransportState());
  }
  play(): Promise<WireResult<void>> {
    return settle(() => this.client.play());
  }
  pause(): Promise<WireResult<void>> {
    return settle(() => this.client.pause());
  }
  stop(): Promise<WireResult<void>> {
    return settle(() => this.client.stop());
  }
  seek(seconds: number): Promise<WireResult<void>> {
    return settle(() => this.client.seek(seconds));
  }
  setLoop(loop: LoopRegion | null): Promise<WireResult<void>> {
    return settle(() => this.client.setLoop(loop));
  }
  setTempo(bpm: number, options?: SetTempoOptions): Promise<WireResult<void>> {
    return settle(() => this.client.setTempo(bpm, options));
  }
  loadGraph(graph: GraphDescriptorInput): Promise<WireResult<void>> {
    return settle(() => this.client.loadGraph(graph));
  }
  getParameter(node: string, parameterId: string): Promise<WireResult<ParameterReading>> {
    return settle(async () => {
      const client = this.client as EngineClient & Partial<ParameterReader>;
      if (!client.getParameter)
        throw new EngineError("E_HOST_UNAVAILABLE", "this engine cannot read parameters", "get_parameter");
      return client.getParameter(node, parameterId);
    });
  }
  setParameter(
    node: string,
    parameter: string,
    value: number | string,
    options?: SetParameterOptions,
  ): Promise<WireResult<void>> {
    return settle(() => this.client.setParameter(node, parameter, value, options));
  }
  scheduleEvents(node: string, events: MidiEventInput[]): Promise<WireResult<void>> {
    return settle(() => this.client.scheduleEvents(node, events));
  }
  sendMidi(
    node: string,
    message: LiveMidiMessageInput,
    options?: SendMidiOptions,
  ): Promise<WireResult<void>> {
    return settle(() => this.client.sendMidi(node, message, options));
  }
  scheduleAutomation(
    node: string,
    parameterId: string,
    automation: AutomationInput,
    options?: ScheduleAutomationOptions,
  ): Promise<WireResult<void>> {
    return settle(() => this.client.scheduleAutomation(node, parameterId, automation, options));
  }

  /**
   * Renders; `renderId` lets cancelRender() abort it, `onProgress` is a Comlink proxy or undefined.
   * `aborted`: the caller's signal had already fired (a cancel message would arrive too early).
   */
  async render(
    request: RenderRequestInput,
    renderId: string,
    aborted: boolean,
    onProgress?: (progress: RenderProgress) => void,
  ): Promise<WireResult<RenderResult>> {
    const controller = new AbortController();
    if (aborted) controller.abort();
    this.renders.set(renderId, controller);
    try {
      return await settle(() =>
        this.client.render(request, {
          signal: controller.signal,
          ...(onProgress ? { onProgress: (progress: RenderProgress) => void onProgress(progress) } : {}),
        }),
      );
    } finally {
      this.renders.delete(renderId);
    }
  }

  /** Aborts a render started with this id (it returns status "partial"); unknown ids are ignored. */
  cancelRender(renderId: string): void {
    this.renders.get(renderId)?.abort();
  }

  /** The channels are transferred, not copied: the worker keeps its own copy under the handle. */
  async readBuffer(handle: BufferHandle): Promise<WireResult<Float32Array[]>> {
    const result = await settle(() => this.client.readBuffer(handle));
    return result.ok
      ? Comlink.transfer(
          result,
          result.value.map((c) => c.buffer as ArrayBuffer),
        )
      : result;
  }
  releaseBuffer(handle: BufferHandle): Promise<WireResult<void>> {
    return settle(() => this.client.releaseBuffer(handle));
  }
  uploadBuffer(channels: Float32Array[], sampleRate: number): Promise<WireResult<BufferHandle>> {
    return settle(() => this.client.uploadBuffer(channels, sampleRate));
  }
  /** Always a fresh scan: the TTL cache lives in the client, next to its clock. */
  discoverNodes(): Promise<WireResult<PluginDiscoveryResult>> {
    return settle(() => this.client.discoverNodes({ maxAgeMs: 0 }));
  }
  /** Scans a Faust root with the Worker's compiler, so its nodes are usable in the Worker's graphs. */
  scanDiscoveryRoot(root: DiscoveryRoot): Promise<WireResult<RootScan>> {
    return settle(async () => {
      if (!this.client.scanDiscoveryRoot)
        throw new EngineError("E_HOST_UNAVAILABLE", "this host scans no discovery roots");
      return this.client.scanDiscoveryRoot(root);
    });
  }
  close(): Promise<WireResult<void>> {
    return settle(() => this.client.close());
  }
}
