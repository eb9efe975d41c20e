/**
 * RemoteHttpEngineClient: an EngineClient whose engine is a session of `webdreamer serve`, reached
 * with fetch (Node.js 20, pages, Deno). It passes the same contract suite as every host
 * (test/serve/http-contract.test.ts): the server validates every call with the same codes and
 * paths, and this side checks again what JSON cannot carry (Float32Arrays, an empty handle).
 *
 * - The engine is the server's in-process host, so `host` is "in-process" and live MIDI is refused
 *   there (E_HOST_UNAVAILABLE) as in-process.
 * - Discovery is cached here, on this client's clock (EngineClientBase); a scan asks the server for a
 *   fresh one. Discovery roots are this client's: none of their kinds is scanned over HTTP, so each
 *   is reported as a failure (E_HOST_UNAVAILABLE), never a failed discovery.
 * - Calls reach the server one at a time, in call order (a cancel passes the line).
 * - Renders stream progress as server-sent events when onProgress is given; an AbortSignal cancels
 *   by a render id unique to the call. onChunk is the in-process host's (E_HOST_UNAVAILABLE).
 * - Network failures are E_HOST_UNAVAILABLE naming the URL.
 */
import { getParameterCommand, parseUploadArguments } from "../api/call-validation";
import type { Clock } from "../api/clock";
import type { DiscoveryRoot } from "../api/discovery-roots";
import type {
  EngineClient,
  FaustCompileOptions,
  FaustCompiling,
  HostKind,
  RenderCallOptions,
  RenderProgress,
  ScheduleAutomationOptions,
  SendMidiOptions,
  SetParameterOptions,
  SetTempoOptions,
} from "../api/engine-client";
import { EngineClientBase } from "../api/engine-client-base";
import type { ParameterReading } from "../api/realtime-client";
import type { BufferHandle } from "../contracts/common";
import { EngineError } from "../contracts/errors";
import type { AutomationInput, GraphDescriptorInput, MidiEventInput } from "../contracts/graph-descriptor";
import type { LiveMidiMessageInput } from "../contracts/live-midi";
import type { NodeDescriptor } from "../contracts/node-descriptor";
import type { PluginDiscoveryResult } from "../contracts/plugin-discovery";
import type { RenderRequestInput, RenderResult } from "../contracts/render";
import type { LoopRegion, TransportState } from "../contracts/transport-state";
import { readEventStream } from "./event-stream-reader";
import {
  API_PREFIX,
  AUDIO_HEADERS,
  decodePlanarFloat32,
  EVENT_STREAM_TYPE,
  encodePlanarFloat32,
  RAW_AUDIO_TYPE,
  type SessionInfo,
  type UploadedBuffer,
} from "./wire";

export interface HttpEngineClientOptions {
  /** The server's base URL, e.g. "http://127.0.0.1:7341". */
  url: string;
  /** The server's bearer token, when it has one. */
  token?: string;
  /** The session engine's sample rate. Default: the server's (48000). */
  sampleRate?: number;
  /** Time source of the discovery cache. Default: the wall clock. */
  clock?: Clock;
  /** Discovery cache TTL, in milliseconds. Default 5 minutes. */
  discoveryTtlMs?: number;
  /** Roots discoverNodes lists (each a failure: no root is scanned over HTTP). */
  discoveryRoots?: readonly DiscoveryRoot[];
}

interface SendOptions {
  json?: unknown;
  bytes?: Uint8Array;
  contentType?: string;
  accept?: string;
  query?: Record<string, string>;
}

function newRenderId(): string {
  return `render-${globalThis.crypto.randomUUID()}`;
}

async function errorOf(response: Response): Promise<EngineError> {
  const text = await response.text();
  try {
    return EngineError.fromWire((JSON.parse(text) as { error?: unknown }).error);
  } catch {
    return new EngineError("E_INTERNAL", `the server answered ${response.status}: ${text.slice(0, 200)}`);
  }
}

export class RemoteHttpEngineClient extends EngineClientBase implements EngineClient, FaustCompiling {
  readonly host: HostKind;

  private constructor(
    private readonly base: string,
    private readonly token: string | undefined,
    private readonly session: SessionInfo,
    options: HttpEngineClientOptions,
  ) {
    super(options);
    this.host = session.host;
  }

  /**
   * Opens a session on the server and returns its client. E_HOST_UNAVAILABLE when the server does
   * not answer; the server's error (E_UNAUTHORIZED, E_BACKPRESSURE, ...) when it refuses.
   * @example
   * const engine = await RemoteHttpEngineClient.connect({ url: "http://127.0.0.1:7341", token: "the-servers-token" });
   * const result = await engine.render(request);
   */
  static async connect(options: HttpEngineClientOptions): Promise<RemoteHttpEngineClient> {
    const base = `${options.url.replace(/\/+$/, "")}${API_PREFIX}`;
    const response = await fetchOrExplain(`${base}/sessions`, {
      method: "POST",
      headers: headers(options.token, { "content-type": "application/json" }),
      body: JSON.stringify(options.sampleRate === undefined ? {} : { sample_rate: options.sampleRate }),
    });
    if (!response.ok) throw await errorOf(response);
    const session = (await response.json()) as SessionInfo;
    return new RemoteHttpEngineClient(base, options.token, session, options);
  }

  /** The server's id of this client's session. */
  get sessionId(): string {
    return this.session.session_id;
  }

  /**
   * One call to the session, after every call made before it has been answered: calls reach the
   * server in call order, as over a Worker's port (a setParameter made before a render applies
   * before it). `direct` skips the line (cancel, which must pass a render in progress).
   */
  private send(method: string, path: string, options: SendOptions = {}, direct = false): Promise<Response> {
    this.ensureOpen();
    if (direct) return this.sendNow(method, path, options);
    const turn = this.line.then(() => this.sendNow(method, path, options));
    this.line = turn.catch(() => undefined);
    return turn;
  }

  private line: Promise<unknown> = Promise.resolve();

  private async sendNow(method: string, path: string, options: SendOptions): Promise<Response> {
    const query = options.query ? `?${new URLSearchParams(options.query)}` : "";
    const extra: Record<string, string> = {};
    let body: BodyInit | undefined;
    if (options.json !== undefined) {
      extra["content-type"] = "application/json";
      body = JSON.stringify(options.json);
    } else if (options.bytes !== undefined) {
      extra["content-type"] = options.contentType ?? RAW_AUDIO_TYPE;
      body = options.bytes as Uint8Array<ArrayBuffer>;
    }
    if (options.accept !== undefined) extra.accept = options.accept;
    const url = `${this.base}/sessions/${encodeURIComponent(this.session.session_id)}${path}${query}`;
    const response = await fetchOrExplain(url, { method, headers: headers(this.token, extra), body });
    if (!response.ok) throw await errorOf(response);
    return response;
  }

  private async call(method: string, path: string, json?: unknown, direct = false): Promise<void> {
    const response = await this.send(method, path, json === undefined ? {} : { json }, direct);
    await response.body?.cancel();
  }

  private async ask<T>(method: string, path: string, options: SendOptions = {}): Promise<T> {
    return (await (await this.send(method, path, options)).json()) as T;
  }

  /** @example const state = await engine.getTransportState(); */
  getTransportState(): Promise<TransportState> {
    return this.ask("GET", "/transport");
  }
  /** @example await engine.play(); */
  play(): Promise<void> {
    return this.call("POST", "/transport/play");
  }
  /** @example await engine.pause(); */
  pause(): Promise<void> {
    return this.call("POST", "/transport/pause");
  }
  /** @example await engine.stop(); */
  stop(): Promise<void> {
    return this.call("POST", "/transport/stop");
  }
  /** @example await engine.seek(12.5); */
  seek(seconds: number): Promise<void> {
    return this.call("POST", "/transport/seek", { position_seconds: seconds });
  }
  /** @example await engine.setLoop({ start_seconds: 0, end_seconds: 4 }); */
  setLoop(loop: LoopRegion | null): Promise<void> {
    return this.call("POST", "/transport/loop", { loop });
  }
  /** @example await engine.setTempo(128, { rampSeconds: 2 }); */
  setTempo(bpm: number, options: SetTempoOptions = {}): Promise<void> {
    return this.call("POST", "/transport/tempo", { bpm, ramp_seconds: options.rampSeconds });
  }
  /** @example await engine.loadGraph(graph); */
  loadGraph(graph: GraphDescriptorInput): Promise<void> {
    return this.call("PUT", "/graph", graph);
  }
  /**
   * A parameter's value now in the session's loaded graph (GET /graph/parameters): the server's
   * in-process host plays the one frame before the transport position (docs/realtime.md, "Reading a
   * parameter"). Refusals as any host's: E_UNKNOWN_NODE at get_parameter.node, E_SCHEMA at
   * get_parameter.parameter_id naming the node's parameters.
   * @example
   * const remote = await RemoteHttpEngineClient.connect({ url: "http://127.0.0.1:7341" });
   * const { value, frame } = await remote.getParameter("filter", "frequency");
   */
  async getParameter(node: string, parameterId: string): Promise<ParameterReading> {
    const query = getParameterCommand(node, parameterId);
    return this.ask("GET", "/graph/parameters", { query });
  }
  /** @example await engine.setParameter("filter", "frequency", 800, { atSeconds: 1 }); */
  setParameter(
    node: string,
    parameterId: string,
    value: number | string,
    options: SetParameterOptions = {},
  ): Promise<void> {
    return this.call("POST", "/graph/parameters", {
      node,
      parameter_id: parameterId,
      value,
      at_seconds: options.atSeconds,
    });
  }
  /** @example await engine.scheduleEvents("synth", [{ type: "note", time: 0, duration: 1, note: 60, velocity: 100 }]); */
  scheduleEvents(node: string, events: MidiEventInput[]): Promise<void> {
    return this.call("POST", "/graph/events", { node, events });
  }
  /** Validated by the server, whose in-process host then refuses it (E_HOST_UNAVAILABLE). */
  sendMidi(node: string, message: LiveMidiMessageInput, options: SendMidiOptions = {}): Promise<void> {
    return this.call("POST", "/graph/midi", { node, message, at_seconds: options.atSeconds });
  }
  /** @example await engine.scheduleAutomation("amp", "gain", { kind: "breakpoints", points: [{ time: 0, value: 1 }] }); */
  scheduleAutomation(
    node: string,
    parameterId: string,
    automation: AutomationInput,
    options: ScheduleAutomationOptions = {},
  ): Promise<void> {
    return this.call("POST", "/graph/automation", {
      node,
      parameter_id: parameterId,
      automation,
      mode: options?.mode,
    });
  }

  /**
   * Renders on the server. With onProgress the answer is a stream of progress events; the signal
   * cancels the render there (status "partial"), even one that has not started yet.
   * @example
   * const result = await engine.render(request, { onProgress: (p) => console.log(p.frames_rendered) });
   */
  async render(request: RenderRequestInput, options: RenderCallOptions = {}): Promise<RenderResult> {
    this.ensureOpen();
    if (options.onChunk !== undefined) {
      throw new EngineError(
        "E_HOST_UNAVAILABLE",
        "render option onChunk is for the in-process host in this process; over HTTP the result is read by handle",
      );
    }
    const renderId = newRenderId();
    const cancel = () =>
      this.call("POST", `/renders/${encodeURIComponent(renderId)}/cancel`, undefined, true).catch(
        () => undefined,
      );
    // A cancel before the render is remembered by the server for this id: the render starts cancelled.
    if (options.signal?.aborted) await cancel();
    const onAbort = () => void cancel();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const events = options.onProgress !== undefined;
      const response = await this.send("POST", "/render", {
        json: request ?? null,
        query: { render_id: renderId },
        ...(events ? { accept: EVENT_STREAM_TYPE } : {}),
      });
      if (!response.headers.get("content-type")?.startsWith(EVENT_STREAM_TYPE) || response.body === null) {
        return (await response.json()) as RenderResult;
      }
      return await this.readRenderEvents(
        response.body,
        options.onProgress as (progress: RenderProgress) => void,
      );
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
    }
  }

  private async readRenderEvents(
    body: ReadableStream<Uint8Array>,
    onProgress: (progress: RenderProgress) => void,
  ): Promise<RenderResult> {
    for await (const { event, data } of readEventStream(body)) {
      const value = JSON.parse(data) as unknown;
      if (event === "progress") onProgress(value as RenderProgress);
      else if (event === "result") return value as RenderResult;
      else if (event === "error") throw EngineError.fromWire((value as { error?: unknown }).error);
    }
    throw new EngineError(
      "E_HOST_UNAVAILABLE",
      "the server ended the render's event stream without a result",
    );
  }

  /**
   * Compiles Faust on the server, for this session's graphs; the cached discovery is dropped.
   * @example
   * const remote = await RemoteHttpEngineClient.connect({ url: "http://127.0.0.1:7341" });
   * const gain = await remote.compileFaust("process = *(0.5);");
   */
  async compileFaust(source: string, options: FaustCompileOptions = {}): Promise<NodeDescriptor> {
    if (options.allowUrlPrefixes !== undefined) {
      throw new EngineError(
        "E_SCHEMA",
        "is not taken over HTTP: the server fetches nothing for a compile",
        "options.allowUrlPrefixes",
      );
    }
    const wire = {
      name: options.name,
      argv: options.argv,
      libraries: options.libraries,
      voices: options.voices,
      group_voices: options.groupVoices,
      release_length: options.releaseLength,
      dynamic_voices: options.dynamicVoices,
    };
    const descriptor = await this.ask<NodeDescriptor>("POST", "/faust", { json: { source, options: wire } });
    this.forgetDiscovery();
    return descriptor;
  }

  /**
   * Releases a DSP compiled in this session; the cached discovery is dropped.
   * @example
   * const remote = await RemoteHttpEngineClient.connect({ url: "http://127.0.0.1:7341" });
   * await remote.releaseFaust("faust:0123456789abcdef");
   */
  async releaseFaust(nodeId: string): Promise<void> {
    await this.call("DELETE", `/faust/${encodeURIComponent(nodeId)}`);
    this.forgetDiscovery();
  }

  /**
   * Raw float32 from the server, cut into channels by its X-Webdreamer-Channels header. The handle
   * is checked by the server (a URL carries text only: a non-string is sent as its text).
   */
  async readBuffer(handle: BufferHandle): Promise<Float32Array[]> {
    const response = await this.send("GET", `/buffers/${encodeURIComponent(String(handle))}`, {
      query: { format: "f32" },
    });
    const count = Number(response.headers.get(AUDIO_HEADERS.channels));
    const channels = decodePlanarFloat32(new Uint8Array(await response.arrayBuffer()), count);
    if (channels === null)
      throw new EngineError("E_INTERNAL", `the server sent audio that is not ${count} channels`);
    return channels;
  }

  /** @example await engine.releaseBuffer(handle); */
  async releaseBuffer(handle: BufferHandle): Promise<void> {
    await this.call("DELETE", `/buffers/${encodeURIComponent(String(handle))}`);
  }

  /** The channels are checked here (JSON cannot say what is wrong with them) and sent as raw float32. */
  async uploadBuffer(channels: Float32Array[], sampleRate: number): Promise<BufferHandle> {
    this.ensureOpen();
    const upload = parseUploadArguments(channels, sampleRate);
    const answer = await this.ask<UploadedBuffer>("POST", "/buffers", {
      bytes: encodePlanarFloat32(upload.channels),
      query: { channels: String(upload.channels.length), sample_rate: String(upload.sample_rate) },
    });
    return answer.buffer_handle;
  }

  /** A fresh scan on the server (this client's cache decides when). */
  protected scanNodes(): Promise<PluginDiscoveryResult> {
    return this.ask("GET", "/discovery", { query: { max_age_ms: "0" } });
  }

  /** Closes the session on the server (its engine, buffers and renders). */
  protected async release(): Promise<void> {
    const url = `${this.base}/sessions/${encodeURIComponent(this.session.session_id)}`;
    await fetch(url, { method: "DELETE", headers: headers(this.token, {}) }).then(
      (response) => response.body?.cancel(),
      () => undefined,
    );
  }
}

function headers(token: string | undefined, extra: Record<string, string>): Record<string, string> {
  return token === undefined ? extra : { ...extra, authorization: `Bearer ${token}` };
}

async function fetchOrExplain(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new EngineError("E_HOST_UNAVAILABLE", `the webdreamer server at ${url} did not answer: ${reason}`);
  }
}
