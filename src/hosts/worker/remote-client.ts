/**
 * RemoteEngineClient: what the Worker and AudioWorklet clients share. Every EngineClient call goes
 * over Comlink to the engine Worker's host API (src/protocol/main-worker.ts), which validates again
 * (every boundary validates) and answers a WireResult; errors are rebuilt with their code and path.
 * The discovery TTL cache lives here, next to the caller's clock (EngineClientBase).
 */
import * as Comlink from "comlink";
import type { Clock } from "../../api/clock";
import { type DiscoveryRoot, isWamRoot, type RootScan } from "../../api/discovery-roots";
import type {
  EngineClient,
  FaustCompileOptions,
  FaustCompiling,
  RenderCallOptions,
  ScheduleAutomationOptions,
  SendMidiOptions,
  SetParameterOptions,
  SetTempoOptions,
} from "../../api/engine-client";
import { EngineClientBase } from "../../api/engine-client-base";
import type { ParameterReading } from "../../api/realtime-client";
import { type WamLoadPolicy, WamLoadPolicySchema } from "../../api/wam-load-policy";
import type { BufferHandle } from "../../contracts/common";
import { EngineError } from "../../contracts/errors";
import type { AutomationInput, GraphDescriptorInput, MidiEventInput } from "../../contracts/graph-descriptor";
import type { LiveMidiMessageInput } from "../../contracts/live-midi";
import type { NodeDescriptor } from "../../contracts/node-descriptor";
import type { PluginDiscoveryResult } from "../../contracts/plugin-discovery";
import type { RenderRequestInput, RenderResult } from "../../contracts/render";
import type { LoopRegion, TransportState } from "../../contracts/transport-state";
import { parseContract } from "../../contracts/validate";
import type { EngineHostApi, WireResult } from "../../protocol/main-worker";
import { DEFAULT_WAM_SCAN_TIMEOUT_MS, scanWamRoot, type WamScanOptions } from "../../wam/wam-roots";

export interface RemoteClientOptions {
  /** Discovery cache TTL, in milliseconds. Default 5 minutes. */
  discoveryTtlMs?: number;
  /**
   * Roots discoverNodes scans besides builtin and compiled Faust (src/api/discovery-roots.ts): Faust
   * roots are scanned (compiled) in the engine Worker, WAM roots here on the page's main thread.
   */
  discoveryRoots?: readonly DiscoveryRoot[];
  /** Where WAM plugins may load from, and the import map for them (docs/wam.md). Default: same origin. */
  wamPolicy?: WamLoadPolicy;
  /**
   * How long one WAM plugin of a discovery root may take to load and be described, in ms, before it
   * is a failure of the scan. Default 15000 (DEFAULT_WAM_SCAN_TIMEOUT_MS); a page on a slow or busy
   * machine that scans large plugins (a Csound one compiles megabytes of WebAssembly) may raise it.
   */
  wamScanTimeoutMs?: number;
  /** Time source of the discovery cache and of TransportState timestamps. Default: the wall clock. */
  clock?: Clock;
}

function unwrap<T>(result: WireResult<T>): T {
  if (!result.ok) throw EngineError.fromWire(result.error);
  return result.value;
}

/** options.wamScanTimeoutMs, checked: a positive number of milliseconds. */
function scanTimeout(ms: number | undefined): number {
  if (ms === undefined) return DEFAULT_WAM_SCAN_TIMEOUT_MS;
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms <= 0) {
    throw new EngineError(
      "E_SCHEMA",
      `must be a positive number of milliseconds, not ${String(ms)}`,
      "options.wamScanTimeoutMs",
    );
  }
  return ms;
}

let nextRenderId = 0;

export abstract class RemoteEngineClient<Api extends EngineHostApi = EngineHostApi>
  extends EngineClientBase
  implements EngineClient, FaustCompiling
{
  protected constructor(
    protected readonly worker: Worker,
    // A strong reference for the client's whole life: Comlink closes the port when the proxy is
    // collected, which would silently drop calls in flight.
    protected readonly remote: Comlink.Remote<Api>,
    options: RemoteClientOptions,
  ) {
    super(options);
    this.wamPolicy = parseContract(WamLoadPolicySchema, options.wamPolicy ?? {}, "options.wamPolicy");
    this.wamScanTimeoutMs = scanTimeout(options.wamScanTimeoutMs);
    this.sampleRate = (options as { sampleRate?: number }).sampleRate ?? 48_000;
  }

  /** The app's WAM policy (validated): every WAM this client loads obeys it. */
  readonly wamPolicy: WamLoadPolicy;
  private readonly wamScanTimeoutMs: number;
  private readonly sampleRate: number;
  private scanContext: BaseAudioContext | undefined;

  /**
   * Where WAM roots' plugins are instantiated to be described. The Worker host has no audio context
   * of its own: an OfflineAudioContext at the engine's rate, made on first use and never started
   * (instances answer getParameterInfo without rendering). The real-time host uses its context.
   */
  protected wamScanContext(): BaseAudioContext {
    this.scanContext ??= new OfflineAudioContext(2, 128, this.sampleRate);
    return this.scanContext;
  }

  /**
   * How WAM roots' plugins get their resource_estimate: none here (this host cannot render a WAM);
   * the real-time host measures them (wam-cost-meter.ts).
   */
  protected wamCostMeter(): WamScanOptions["measureCost"] {
    return undefined;
  }

  /** Faust roots in the Worker (its compiler, so their nodes play there); WAM roots on this thread. */
  protected override async scanRoot(root: DiscoveryRoot): Promise<RootScan> {
    if (isWamRoot(root)) {
      const measureCost = this.wamCostMeter();
      return scanWamRoot(root, {
        context: this.wamScanContext(),
        policy: this.wamPolicy,
        timeoutMs: this.wamScanTimeoutMs,
        ...(measureCost ? { measureCost } : {}),
      });
    }
    return unwrap(await this.remote.scanDiscoveryRoot(root));
  }

  protected async call<T>(invoke: (remote: Comlink.Remote<Api>) => Promise<WireResult<T>>): Promise<T> {
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
  /** @example const { value, frame } = await engine.getParameter("filter", "frequency"); */
  getParameter(node: string, parameterId: string): Promise<ParameterReading> {
    return this.call((r) => r.getParameter(node, parameterId));
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
   * Validated in the Worker; the worklet plays it (AudioWorklet), the Worker host refuses it
   * (E_HOST_UNAVAILABLE: no real-time clock).
   * @example await engine.sendMidi("keys", { type: "note_on", note: 60, velocity: 100 });
   */
  sendMidi(node: string, message: LiveMidiMessageInput, options?: SendMidiOptions): Promise<void> {
    return this.call((r) => r.sendMidi(node, message, options));
  }
  /**
   * Validated and applied in the Worker (in-process record, or the worklet's lane: AudioWorklet).
   * @example await engine.scheduleAutomation("amp", "gain", { kind: "web_audio", events: [{ type: "linearRampToValueAtTime", value: 0, time: 3 }] });
   */
  scheduleAutomation(
    node: string,
    parameterId: string,
    automation: AutomationInput,
    options?: ScheduleAutomationOptions,
  ): Promise<void> {
    return this.call((r) => r.scheduleAutomation(node, parameterId, automation, options));
  }

  /**
   * Renders in the worker. The signal cancels it there (status "partial"); progress arrives through
   * a Comlink proxy callback.
   * @example
   * const result = await engine.render(request, { onProgress: (p) => console.log(p.frames_rendered) });
   */
  async render(request: RenderRequestInput, options: RenderCallOptions = {}): Promise<RenderResult> {
    this.ensureOpen();
    if (options.onChunk !== undefined) {
      // A function cannot cross to the worker per piece; streaming is the in-process host's.
      throw new EngineError(
        "E_HOST_UNAVAILABLE",
        `render option onChunk is for the in-process host (Node.js); the ${this.host} host returns the whole result`,
      );
    }
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
   * Compiles Faust in the worker (libfaust loads there, once). The new node type is discoverable at
   * once: the discovery cached on this side is dropped (the worker's own scan is always fresh).
   * @example
   * const reverb = await engine.compileFaust('import("stdfaust.lib"); process = re.zita_rev1_stereo(0, 200, 6000, 3, 4, 48000);');
   */
  async compileFaust(source: string, options?: FaustCompileOptions): Promise<NodeDescriptor> {
    const descriptor = await this.call((r) => r.compileFaust(source, options));
    this.forgetDiscovery();
    return descriptor;
  }

  /**
   * Releases a DSP compiled in the worker; the discovery cached on this side is dropped.
   * @example
   * await engine.releaseFaust("faust:0123456789abcdef");
   */
  async releaseFaust(nodeId: string): Promise<void> {
    await this.call((r) => r.releaseFaust(nodeId));
    this.forgetDiscovery();
  }

  /** @example const [left, right] = await engine.readBuffer(result.buffer_handle ?? ""); */
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

  /** A fresh scan in the worker (the cache in EngineClientBase decides when). */
  protected async scanNodes(): Promise<PluginDiscoveryResult> {
    return unwrap(await this.remote.discoverNodes());
  }

  /** Closes the worker's engine and terminates the worker. */
  protected async release(): Promise<void> {
    try {
      await this.remote.close();
    } finally {
      this.remote[Comlink.releaseProxy]();
      this.worker.terminate();
    }
  }
}
