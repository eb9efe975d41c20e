/**
 * TestDoubleEngineClient: an EngineClient with no engine behind it. It answers the control plane from
 * in-memory state and backs RenderResults with small in-memory buffers holding a deterministic ramp, so
 * applications and the contract suite can be tested without WASM, threads or audio hardware.
 *
 * It validates exactly as a real host must (same schemas, same graph checks, same error codes and paths);
 * only the audio is fake. Deliberate simplifications: tempo changes apply at once (no ramp), and
 * scheduled parameters and MIDI are recorded in `appliedCommands()` rather than rendered. Live MIDI
 * (sendMidi) is recorded as a real-time host records it (LiveMidiRecorder), on the frame of the
 * double's clock when sent (a timed message: on its own frame, at once). Two
 * request extensions provoke what a real graph would: TEST_DOUBLE_FAULT_EXTENSION a failed render,
 * TEST_DOUBLE_NON_FINITE_EXTENSION a NaN in the audio (reported under the same policy as the engine's).
 */

import {
  getParameterCommand,
  makeCommand,
  monitoringFlag,
  parseHandleArgument,
  parseUploadArguments,
  scheduleAutomationCommand,
  sendMidiCommand,
  setParameterCommand,
} from "../api/call-validation";
import { type Clock, systemClock } from "../api/clock";
import { type DiscoveryRoot, discoveryRootKey, type RootScan, RootScanSchema } from "../api/discovery-roots";
import type {
  EngineClient,
  HostKind,
  RenderCallOptions,
  ScheduleAutomationOptions,
  SendMidiOptions,
  SetParameterOptions,
  SetTempoOptions,
} from "../api/engine-client";
import { EngineClientBase } from "../api/engine-client-base";
import { audioBytes, HeldBufferBytes } from "../api/held-buffer-bytes";
import type { HostContext } from "../api/host-factory";
import type { LiveMidiRecorder, MidiRecording, RecordedMidiEvent } from "../api/midi-recording";
import type { ParameterReading } from "../api/realtime-client";
import { automationAfter } from "../contracts/automation-lane";
import { CONTRACT_VERSION } from "../contracts/common";
import type { EngineCommand } from "../contracts/engine-command";
import { EngineError } from "../contracts/errors";
import type {
  AutomationInput,
  GraphDescriptor,
  GraphDescriptorInput,
  MidiEventInput,
  Tempo,
} from "../contracts/graph-descriptor";
import { graphEventCount } from "../contracts/graph-limits";
import { checkGraph, DEFAULT_FEEDBACK_NODE_IDS, graphBufferReferences } from "../contracts/graph-semantics";
import { checkLimit, formatCount } from "../contracts/limits";
import { type LiveMidiMessageInput, liveMidiBytes, liveMidiMessageOf } from "../contracts/live-midi";
import type { NodeDescriptorInput } from "../contracts/node-descriptor";
import {
  failsOnNonFinite,
  type NonFiniteReport,
  nonFiniteError,
  nonFiniteReport,
} from "../contracts/non-finite";
import { type PluginDiscoveryResult, PluginDiscoveryResultSchema } from "../contracts/plugin-discovery";
import {
  capturedNodeNames,
  checkRenderRequest,
  type RenderRequest,
  type RenderRequestInput,
  RenderRequestSchema,
  type RenderResult,
  type RenderResultInput,
  RenderResultSchema,
  refuseRecordedAutomation,
  renderFrameCount,
} from "../contracts/render";
import { beatAtSeconds, bpmAtBeat } from "../contracts/tempo-map";
import { type LoopRegion, type TransportState, TransportStateSchema } from "../contracts/transport-state";
import { formatPath, parseContract } from "../contracts/validate";
import { TEST_DOUBLE_CATALOG } from "./test-double-catalog";

/** Put a message under this key of a RenderRequest's extensions to make the double fail the render. */
export const TEST_DOUBLE_FAULT_EXTENSION = "test_double_fault";

/**
 * Put a frame number under this key of a RenderRequest's extensions and the double's audio holds a
 * NaN there, in every channel of the output and the captures: the double replaces it by 0 and
 * reports it as the engine does (docs/reliability.md, "Non-finite audio").
 */
export const TEST_DOUBLE_NON_FINITE_EXTENSION = "test_double_non_finite";

/** Period, in frames, of the double's ramp. */
export const TEST_DOUBLE_RAMP_PERIOD = 100;

/**
 * The sample the double renders at `frame` of `channel`: a rising ramp repeating every 100 frames,
 * negated on odd channels, so tests can tell channels and offsets apart.
 * @example
 * testDoubleSample(0, 150); // 0.5
 */
export function testDoubleSample(channel: number, frame: number): number {
  const ramp = (frame % TEST_DOUBLE_RAMP_PERIOD) / TEST_DOUBLE_RAMP_PERIOD;
  return channel % 2 === 0 ? ramp : -ramp;
}

export interface TestDoubleOptions {
  /** Time source for the transport and the discovery cache. Default: the wall clock. */
  clock?: Clock;
  /** Discovery cache TTL, in milliseconds. Default DEFAULT_DISCOVERY_TTL_MS. */
  discoveryTtlMs?: number;
  /** Default: "test-double-<random>". */
  sessionId?: string;
  /** Reported in TransportState. Default 48000. */
  sampleRate?: number;
  /** Reported in TransportState. Default 128. */
  bufferSizeFrames?: number;
  /** What discovery finds. Default TEST_DOUBLE_CATALOG. */
  catalog?: readonly NodeDescriptorInput[];
  /** Discovery roots, as every client takes them (validated; E_SCHEMA at options.discoveryRoots[i]). */
  discoveryRoots?: readonly DiscoveryRoot[];
  /**
   * What scanning a root finds, for testing an app's plugin list without plugins: called once per
   * scan of the root (the per-root cache decides when). Default: every root is one failure saying the
   * test double scans no roots.
   * @example
   * new TestDoubleEngineClient({ scanRoot: () => ({ nodes: [], scanned_paths: ["x"], failures: [], elapsed_ms: 0 }) });
   */
  scanRoot?: (root: DiscoveryRoot) => RootScan | Promise<RootScan>;
  /** Node ids allowed to close a cycle. Default DEFAULT_FEEDBACK_NODE_IDS. */
  feedbackNodeIds?: ReadonlySet<string>;
  /** Frames rendered between progress reports and cancellation checks. Default 4096. */
  renderChunkFrames?: number;
}

interface StoredBuffer {
  channels: Float32Array[];
  sampleRate: number;
  bytes: number;
}

export class TestDoubleEngineClient extends EngineClientBase implements EngineClient, LiveMidiRecorder {
  readonly host: HostKind = "test-double";
  private readonly clock: Clock;
  private readonly sessionId: string;
  private readonly sampleRate: number;
  private readonly bufferSizeFrames: number;
  private readonly catalog: readonly NodeDescriptorInput[];
  private readonly feedbackNodeIds: ReadonlySet<string>;
  private readonly renderChunkFrames: number;
  private readonly buffers = new Map<string, StoredBuffer>();
  private readonly bufferBytes = new HeldBufferBytes();
  /** MIDI events the loaded graph holds, its own and those scheduled since (graphEvents). */
  private loadedEvents = 0;
  private readonly log: EngineCommand[] = [];
  private nextHandle = 1;
  private scans = 0;
  private readonly rootScanner: ((root: DiscoveryRoot) => RootScan | Promise<RootScan>) | undefined;
  private graph: GraphDescriptor | undefined;
  private tempo: Tempo | undefined;
  private loop: LoopRegion | null = null;
  private running = false;
  /** Position at `anchorMs`; while running, position advances with the clock from there. */
  private anchorPosition = 0;
  private anchorMs: number;
  /** Seconds the transport ran before `anchorMs` (the played-frames clock of a recording). */
  private playedBefore = 0;
  /** The MIDI recording running: its events and the played seconds at its start (null: none). */
  private recording: { events: RecordedMidiEvent[]; startedAt: number } | null = null;
  private monitoringOn = false;

  /**
   * @example
   * const client = new TestDoubleEngineClient({ clock: new ManualClock(), discoveryTtlMs: 1000 });
   */
  constructor(options: TestDoubleOptions = {}) {
    super({
      clock: options.clock,
      discoveryTtlMs: options.discoveryTtlMs,
      discoveryRoots: options.discoveryRoots,
    });
    this.rootScanner = options.scanRoot;
    this.clock = options.clock ?? systemClock;
    this.sessionId = options.sessionId ?? `test-double-${Math.random().toString(36).slice(2, 10)}`;
    this.sampleRate = options.sampleRate ?? 48_000;
    this.bufferSizeFrames = options.bufferSizeFrames ?? 128;
    this.catalog = options.catalog ?? TEST_DOUBLE_CATALOG;
    this.feedbackNodeIds = options.feedbackNodeIds ?? DEFAULT_FEEDBACK_NODE_IDS;
    this.renderChunkFrames = options.renderChunkFrames ?? 4096;
    this.anchorMs = this.clock.now();
  }

  /**
   * Every command applied so far, validated, in order (transport, tempo, parameters, MIDI, graph loads).
   * @example
   * expect(client.appliedCommands().at(-1)).toMatchObject({ type: "set_parameter", value: 1200 });
   */
  appliedCommands(): readonly EngineCommand[] {
    return this.log;
  }

  /**
   * Handles of the buffers currently held (uploads, renders, captures), to check for leaks.
   * @example
   * expect(client.heldBuffers()).toEqual([]);
   */
  heldBuffers(): string[] {
    return [...this.buffers.keys()];
  }

  async getTransportState(): Promise<TransportState> {
    this.ensureOpen();
    const position = this.positionNow();
    const tempo = this.tempo;
    const beats = tempo === undefined ? undefined : beatAtSeconds(tempo, position);
    return parseContract(TransportStateSchema, {
      version: CONTRACT_VERSION,
      session_id: this.sessionId,
      running: this.running,
      position_seconds: position,
      sample_rate: this.sampleRate,
      buffer_size_frames: this.bufferSizeFrames,
      tempo_bpm: tempo === undefined || beats === undefined ? null : bpmAtBeat(tempo, beats),
      last_update_iso8601: new Date(this.clock.now()).toISOString(),
      extensions: {
        ...(beats === undefined ? {} : { position_beats: beats }),
        loop: this.loop,
        dropouts: { underruns: 0, ring_overflows: 0 },
        data_plane: "in_process",
      },
    });
  }

  async play(): Promise<void> {
    this.ensureOpen();
    this.apply(makeCommand("play", {}));
    if (!this.running) this.moveTo(this.positionNow(), true);
  }

  async pause(): Promise<void> {
    this.ensureOpen();
    this.apply(makeCommand("pause", {}));
    this.moveTo(this.positionNow(), false);
  }

  async stop(): Promise<void> {
    this.ensureOpen();
    this.apply(makeCommand("stop", {}));
    this.moveTo(0, false);
  }

  async seek(seconds: number): Promise<void> {
    this.ensureOpen();
    const command = makeCommand("seek", { position_seconds: seconds });
    this.apply(command);
    this.moveTo(command.position_seconds, this.running);
  }

  async setLoop(loop: LoopRegion | null): Promise<void> {
    this.ensureOpen();
    const command = makeCommand("set_loop", { loop });
    // Re-anchor first so the elapsed time before the change is measured against the old region.
    this.moveTo(this.positionNow(), this.running);
    this.apply(command);
    this.loop = command.loop;
  }

  async setTempo(bpm: number, options: SetTempoOptions = {}): Promise<void> {
    this.ensureOpen();
    const command = makeCommand("set_tempo", { bpm, ramp_seconds: options.rampSeconds });
    this.apply(command);
    this.tempo = { bpm: command.bpm };
  }

  async loadGraph(graph: GraphDescriptorInput): Promise<void> {
    this.ensureOpen();
    const command = makeCommand("load_graph", { graph });
    checkGraph(command.graph, { rootLabel: "load_graph.graph", feedbackNodeIds: this.feedbackNodeIds });
    this.checkNodeIds(command.graph, "load_graph.graph");
    this.checkBufferReferences(command.graph, "load_graph.graph");
    this.apply(command);
    this.graph = command.graph;
    this.loadedEvents = graphEventCount(command.graph);
    this.tempo = command.graph.tempo;
  }

  async setParameter(
    node: string,
    parameterId: string,
    value: number | string,
    options: SetParameterOptions = {},
  ): Promise<void> {
    this.ensureOpen();
    const command = setParameterCommand(node, parameterId, value, options);
    this.requireLoadedNode(command.node, "set_parameter.node");
    this.apply(command);
  }

  /**
   * A parameter's value as the double holds it (ParameterReader): the last setParameter applied (a
   * timed one once the transport has reached its time), else the graph's `params`, else the catalog
   * default; a choice as its index. The double renders no lanes: a parameter with automation reads
   * as without it. `frame` is the transport position in frames. Refusals as a real host's:
   * E_UNKNOWN_NODE at get_parameter.node, E_SCHEMA at get_parameter.parameter_id naming the known ids.
   * @example
   * await client.setParameter("amp", "gain", 0.5);
   * await client.getParameter("amp", "gain"); // { value: 0.5, frame: 0 }
   */
  async getParameter(node: string, parameterId: string): Promise<ParameterReading> {
    this.ensureOpen();
    const command = getParameterCommand(node, parameterId);
    this.requireLoadedNode(command.node, "get_parameter.node");
    const target = (this.graph as GraphDescriptor).nodes.find((candidate) => candidate.name === command.node);
    const id = command.parameter_id;
    const parameters = this.catalog.find((d) => d.node_id === target?.node_id)?.parameters ?? [];
    const info = parameters.find((parameter) => parameter.id === id);
    if (target === undefined || info === undefined) {
      throw new EngineError(
        "E_SCHEMA",
        `unknown parameter "${id}" of ${target?.node_id} (known: ${parameters.map((p) => p.id).join(", ")})`,
        "get_parameter.parameter_id",
      );
    }
    const position = this.positionNow();
    let value: number | string = Object.hasOwn(target.params, id)
      ? (target.params[id] as number | string)
      : info.default;
    for (const logged of this.log) {
      if (logged.type === "load_graph")
        value = Object.hasOwn(target.params, id) ? (target.params[id] as number | string) : info.default;
      if (logged.type !== "set_parameter" || logged.node !== command.node || logged.parameter_id !== id)
        continue;
      if (logged.at_seconds === null || logged.at_seconds <= position) value = logged.value;
    }
    const numeric = typeof value === "string" ? (info.extensions?.choices ?? []).indexOf(value) : value;
    return { value: numeric, frame: Math.round(position * this.sampleRate) };
  }

  /**
   * Validates as a real host (schema, node, parameter id in the catalog, buffer handle, the lane's
   * append rules and limits: automation-lane.ts), records the lane in the loaded graph and the
   * command in appliedCommands(); nothing is rendered from it.
   * @example
   * await client.scheduleAutomation("amp", "gain", { kind: "web_audio", events: [{ type: "setValueAtTime", value: 0, time: 1 }] });
   */
  async scheduleAutomation(
    node: string,
    parameterId: string,
    automation: AutomationInput,
    options: ScheduleAutomationOptions = {},
  ): Promise<void> {
    this.ensureOpen();
    const command = scheduleAutomationCommand(node, parameterId, automation, options);
    this.requireLoadedNode(command.node, "schedule_automation.node");
    const graph = this.graph as GraphDescriptor;
    const target = graph.nodes.find((candidate) => candidate.name === command.node);
    const id = command.parameter_id;
    const known = this.catalog.find((d) => d.node_id === target?.node_id)?.parameters?.map((p) => p.id) ?? [];
    if (!known.includes(id)) {
      throw new EngineError(
        "E_SCHEMA",
        `unknown parameter "${id}" of ${target?.node_id} (known: ${known.join(", ")})`,
        "schedule_automation.parameter_id",
      );
    }
    const handle = "buffer_handle" in command.automation ? command.automation.buffer_handle : undefined;
    if (handle !== undefined && !this.buffers.has(handle)) {
      throw unknownHandle(handle, "schedule_automation.automation.buffer_handle");
    }
    const existing =
      target !== undefined && Object.hasOwn(target.automation, id) ? target.automation[id] : undefined;
    const lane = automationAfter(existing, command.automation, command.mode);
    this.apply(command);
    this.graph = {
      ...graph,
      nodes: graph.nodes.map((candidate) =>
        candidate === target
          ? { ...candidate, automation: { ...candidate.automation, [id]: lane } }
          : candidate,
      ),
    };
  }

  async scheduleEvents(node: string, events: MidiEventInput[]): Promise<void> {
    this.ensureOpen();
    const command = makeCommand("schedule_events", { node, events });
    this.requireLoadedNode(command.node, "schedule_events.node");
    // As a real-time host, the graph keeps what was scheduled: events accumulate against graphEvents.
    const context = `${formatCount(this.loadedEvents)} in the loaded graph and ${formatCount(command.events.length)} scheduled now`;
    checkLimit("graphEvents", this.loadedEvents + command.events.length, "schedule_events.events", context);
    this.apply(command);
    this.loadedEvents += command.events.length;
  }

  /**
   * Validates as a real host (schema, node loaded, a node whose catalog entry is an instrument), then
   * records the command in appliedCommands() and, while a MIDI recording runs, the message: on the
   * double's position now, or on its own frame when timed.
   * @example
   * await client.sendMidi("synth", { type: "note_on", note: 60, velocity: 100 });
   */
  async sendMidi(node: string, message: LiveMidiMessageInput, options: SendMidiOptions = {}): Promise<void> {
    this.ensureOpen();
    const command = sendMidiCommand(node, message, options);
    this.requireLoadedNode(command.node, "send_midi.node");
    const target = this.graph?.nodes.find((candidate) => candidate.name === command.node);
    const descriptor = this.catalog.find((d) => d.node_id === target?.node_id);
    if (descriptor?.extensions?.is_instrument !== true) {
      throw new EngineError(
        "E_SCHEMA",
        `node "${command.node}" (${target?.node_id}) takes no MIDI: live MIDI plays into an instrument (builtin:synth, builtin:sampler, a Faust DSP with voices or [midi:...] controls, a WAM)`,
        "send_midi.node",
      );
    }
    this.apply(command);
    const recording = this.recording;
    if (recording === null) return;
    const position = this.positionNow();
    const at = command.at_seconds ?? position;
    const played = this.playedNow() - recording.startedAt + Math.max(0, at - position);
    for (const [status, data1, data2] of liveMidiBytes(command.message)) {
      const recorded = liveMidiMessageOf(status, data1, data2);
      if (recorded === null) continue;
      recording.events.push({
        node: command.node,
        frame: Math.round(at * this.sampleRate),
        elapsedFrames: Math.round(played * this.sampleRate),
        message: recorded,
      });
    }
  }

  /**
   * Whether monitoring is on (setMonitoring): what a UI test checks after its monitoring toggle.
   * @example
   * await client.setMonitoring(true);
   * expect(client.monitoring).toBe(true);
   */
  get monitoring(): boolean {
    return this.monitoringOn;
  }

  /**
   * Monitoring while stopped on or off, validated as the real-time host validates it (E_SCHEMA at
   * set_monitoring.on); the double renders nothing, so it only keeps the flag (`monitoring`).
   * @example
   * await client.setMonitoring(true);
   */
  async setMonitoring(on: boolean): Promise<void> {
    const flag = monitoringFlag(on);
    this.ensureOpen();
    this.monitoringOn = flag;
  }

  /**
   * Starts a MIDI recording (LiveMidiRecorder); one running starts over.
   * @example
   * await client.startMidiRecording();
   */
  async startMidiRecording(): Promise<void> {
    this.ensureOpen();
    this.recording = { events: [], startedAt: this.playedNow() };
  }

  /**
   * Stops the recording and returns it; E_SCHEMA when none runs.
   * @example
   * const take = await client.stopMidiRecording();
   */
  async stopMidiRecording(): Promise<MidiRecording> {
    this.ensureOpen();
    const recording = this.recording;
    if (recording === null) {
      throw new EngineError("E_SCHEMA", "no MIDI recording runs: call startMidiRecording first");
    }
    this.recording = null;
    return {
      sampleRate: this.sampleRate,
      events: recording.events,
      elapsedFrames: Math.round((this.playedNow() - recording.startedAt) * this.sampleRate),
      lost: 0,
    };
  }

  async render(input: RenderRequestInput, options: RenderCallOptions = {}): Promise<RenderResult> {
    this.ensureOpen();
    if (options.onChunk !== undefined) {
      throw new EngineError(
        "E_HOST_UNAVAILABLE",
        "render option onChunk is for the in-process host (Node.js); the test double returns the whole result",
      );
    }
    const started = this.clock.now();
    const request = parseContract(RenderRequestSchema, input);
    refuseRecordedAutomation(request, "the test double (it renders a formula, not the graph)");
    checkRenderRequest(request, { feedbackNodeIds: this.feedbackNodeIds });
    // A live render (options.offline false) plays as the real-time host plays it: at the double's
    // rate only, taking its length in real time (processing_time_ms, in result()).
    if (!request.options.offline && request.sample_rate !== this.sampleRate) {
      throw new EngineError(
        "E_SCHEMA",
        `must be ${this.sampleRate}: a real-time render runs at the audio context's rate`,
        "sample_rate",
      );
    }
    this.checkNodeIds(request.node_graph, "node_graph");
    this.checkBufferReferences(request.node_graph, "node_graph");

    const fault = request.extensions[TEST_DOUBLE_FAULT_EXTENSION];
    if (typeof fault === "string") {
      return this.result(request, started, {
        status: "error",
        error: new EngineError("E_RENDER", fault).message,
        frames: 0,
      });
    }

    const framesTotal = renderFrameCount(request);
    const results = 1 + capturedNodeNames(request).length;
    this.bufferBytes.ensureRoom(4 * framesTotal * request.channels * results, "");
    const channels = Array.from({ length: request.channels }, () => new Float32Array(framesTotal));
    let framesRendered = 0;
    while (framesRendered < framesTotal && options.signal?.aborted !== true) {
      const end = Math.min(framesTotal, framesRendered + this.renderChunkFrames);
      channels.forEach((channel, index) => {
        for (let frame = framesRendered; frame < end; frame++)
          channel[frame] = testDoubleSample(index, frame);
      });
      framesRendered = end;
      options.onProgress?.({
        request_id: request.request_id,
        frames_rendered: framesRendered,
        frames_total: framesTotal,
      });
    }

    const complete = framesRendered === framesTotal;
    const kept = complete ? channels : channels.map((channel) => channel.slice(0, framesRendered));
    const report = this.nonFinite(request, kept, framesRendered);
    const failed = failsOnNonFinite(request.options.non_finite, report);
    if (failed) {
      return this.result(request, started, {
        status: "error",
        error: nonFiniteError(report).message,
        frames: 0,
        extensions: { non_finite: report },
      });
    }
    // fromEntries defines own keys: no node name can reach a prototype setter and be lost.
    const captures = Object.fromEntries(
      capturedNodeNames(request).map((name) => [
        name,
        this.store(
          kept.map((channel) => channel.slice()),
          request.sample_rate,
        ),
      ]),
    );
    return this.result(request, started, {
      status: complete ? "ok" : "partial",
      error: complete
        ? null
        : new EngineError("E_CANCELLED", `render cancelled after ${framesRendered} of ${framesTotal} frames`)
            .message,
      buffer_handle: this.store(kept, request.sample_rate),
      frames: framesRendered,
      extensions: { captures, ...(report === null ? {} : { non_finite: report }) },
    });
  }

  async readBuffer(handle: string): Promise<Float32Array[]> {
    this.ensureOpen();
    return this.buffer(handle).channels.map((channel) => channel.slice());
  }

  async releaseBuffer(handle: string): Promise<void> {
    this.ensureOpen();
    const stored = this.buffer(handle);
    this.buffers.delete(handle);
    this.bufferBytes.remove(stored.bytes);
  }

  async uploadBuffer(channels: Float32Array[], sampleRate: number): Promise<string> {
    this.ensureOpen();
    const upload = parseUploadArguments(channels, sampleRate);
    this.bufferBytes.ensureRoom(audioBytes(upload.channels), "upload.channels");
    return this.store(
      upload.channels.map((channel) => channel.slice()),
      upload.sample_rate,
    );
  }

  protected async release(): Promise<void> {
    this.buffers.clear();
    this.bufferBytes.clear();
  }

  private apply(command: EngineCommand): void {
    this.log.push(command);
  }

  private positionNow(): number {
    const elapsed = this.running ? (this.clock.now() - this.anchorMs) / 1000 : 0;
    const position = this.anchorPosition + elapsed;
    const loop = this.loop;
    if (
      loop === null ||
      !this.running ||
      this.anchorPosition >= loop.end_seconds ||
      position < loop.end_seconds
    ) {
      return position;
    }
    const length = loop.end_seconds - loop.start_seconds;
    return loop.start_seconds + ((position - loop.start_seconds) % length);
  }

  /** Seconds the transport has run since the double started. */
  private playedNow(): number {
    return this.playedBefore + (this.running ? (this.clock.now() - this.anchorMs) / 1000 : 0);
  }

  private moveTo(position: number, running: boolean): void {
    this.playedBefore = this.playedNow();
    this.anchorPosition = position;
    this.anchorMs = this.clock.now();
    this.running = running;
  }

  private requireLoadedNode(node: string, path: string): void {
    if (this.graph === undefined) throw new EngineError("E_UNKNOWN_NODE", "no graph is loaded", path);
    if (!this.graph.nodes.some((candidate) => candidate.name === node)) {
      throw new EngineError("E_UNKNOWN_NODE", `no node named "${node}" in the loaded graph`, path);
    }
  }

  /** Every node_id must name a type of the catalog, as a real host resolves it against its own. */
  private checkNodeIds(graph: GraphDescriptor, rootLabel: string): void {
    const known = new Set(this.catalog.map((descriptor) => descriptor.node_id));
    graph.nodes.forEach((node, index) => {
      if (!known.has(node.node_id)) {
        throw new EngineError(
          "E_UNKNOWN_NODE",
          `unknown node_id "${node.node_id}" (not in this double's catalog)`,
          formatPath(["nodes", index, "node_id"], rootLabel),
        );
      }
    });
  }

  private checkBufferReferences(graph: GraphDescriptor, rootLabel: string): void {
    for (const { path, handle } of graphBufferReferences(graph, rootLabel)) {
      if (!this.buffers.has(handle)) throw unknownHandle(handle, path);
    }
  }

  private buffer(handle: string): StoredBuffer {
    const checked = parseHandleArgument(handle);
    const stored = this.buffers.get(checked);
    if (stored === undefined) throw unknownHandle(checked, "handle");
    return stored;
  }

  /** Keeps audio under a new handle; the caller made room for it (bufferBytes.ensureRoom). */
  private store(channels: Float32Array[], sampleRate: number): string {
    const handle = `buf:${this.sessionId}.${this.nextHandle++}`;
    const bytes = audioBytes(channels);
    this.bufferBytes.add(bytes);
    this.buffers.set(handle, { channels, sampleRate, bytes });
    return handle;
  }

  /**
   * The NaN TEST_DOUBLE_NON_FINITE_EXTENSION asks for, if it lies in the rendered frames: already
   * replaced by 0 in `channels` (as the engine would have), and its report.
   */
  private nonFinite(
    request: RenderRequest,
    channels: Float32Array[],
    frames: number,
  ): NonFiniteReport | null {
    const frame = request.extensions[TEST_DOUBLE_NON_FINITE_EXTENSION];
    if (typeof frame !== "number" || !Number.isInteger(frame) || frame < 0 || frame >= frames) return null;
    for (const channel of channels) channel[frame] = 0;
    const captures = new Map(
      capturedNodeNames(request).map((name) => [name, { samples: channels.length, firstFrame: frame }]),
    );
    return nonFiniteReport({ samples: channels.length, firstFrame: frame }, captures);
  }

  private result(
    request: RenderRequest,
    startedMs: number,
    outcome: Pick<RenderResultInput, "status" | "error" | "buffer_handle" | "frames" | "extensions">,
  ): RenderResult {
    const elapsed = Math.max(0, this.clock.now() - startedMs);
    // Live: the frames played (preroll included) take their length in real time.
    const played = outcome.status === "error" ? 0 : (outcome.frames ?? 0) / request.sample_rate;
    const realTimeMs = request.options.offline ? 0 : (played + request.options.preroll) * 1000;
    return parseContract(RenderResultSchema, {
      version: CONTRACT_VERSION,
      request_id: request.request_id,
      processing_time_ms: Math.max(elapsed, realTimeMs),
      ...outcome,
    });
  }

  protected override async scanRoot(root: DiscoveryRoot): Promise<RootScan> {
    if (this.rootScanner === undefined) return super.scanRoot(root);
    return parseContract(RootScanSchema, await this.rootScanner(root), discoveryRootKey(root));
  }

  protected async scanNodes(): Promise<PluginDiscoveryResult> {
    const started = this.clock.now();
    this.scans++;
    return parseContract(PluginDiscoveryResultSchema, {
      version: CONTRACT_VERSION,
      discovery_id: `${this.sessionId}.discovery-${this.scans}`,
      nodes: this.catalog,
      scanned_paths: ["builtin"],
      elapsed_ms: this.clock.now() - started,
      extensions: { scanned_at_iso8601: new Date(this.clock.now()).toISOString() },
    });
  }
}

function unknownHandle(handle: string, path: string): EngineError {
  return new EngineError("E_UNKNOWN_HANDLE", `no buffer "${handle}" (never issued, or released)`, path);
}

/**
 * A host factory for EngineBootstrapper.registerHost("test-double", ...).
 * @example
 * bootstrapper.registerHost("test-double", testDoubleHostFactory);
 */
export async function testDoubleHostFactory(context: HostContext<TestDoubleOptions>): Promise<EngineClient> {
  return new TestDoubleEngineClient(context.hostOptions);
}
