/**
 * AudioWorkletEngineHost: the engine Worker's host API when a worklet plays in real time
 * (AudioWorkletHostApi, src/protocol/main-worker.ts). Every request is validated and recorded by the
 * Worker's in-process client first (so the contract suite's rules hold), then the WorkletDriver turns
 * it into commands on the ring or a graph load in the worklet. Renders with `options.offline = false`
 * capture what the worklet plays; the others render here, faster than real time.
 *
 * Parameters and MIDI are the exception: they are checked against the same schemas and the graph the
 * worklet plays, and not recorded in the in-process client's graph. Played commands need no record,
 * and one would grow without bound in a live session (each timed change copied the automation it
 * joined, so a flood of them took quadratic time).
 */
import {
  makeCommand,
  monitoringFlag,
  scheduleAutomationCommand,
  sendMidiCommand,
  setParameterCommand,
} from "../../api/call-validation";
import type {
  RenderProgress,
  ScheduleAutomationOptions,
  SendMidiOptions,
  SetParameterOptions,
  SetTempoOptions,
} from "../../api/engine-client";
import type { MidiRecording } from "../../api/midi-recording";
import type { ParameterReading } from "../../api/realtime-client";
import { EngineError } from "../../contracts/errors";
import {
  type AutomationInput,
  type GraphDescriptor,
  type GraphDescriptorInput,
  GraphDescriptorSchema,
  type MidiEventInput,
} from "../../contracts/graph-descriptor";
import { checkGraph } from "../../contracts/graph-semantics";
import type { LiveMidiMessageInput } from "../../contracts/live-midi";
import type { RenderRequestInput, RenderResult } from "../../contracts/render";
import type { LoopRegion } from "../../contracts/transport-state";
import { parseContract } from "../../contracts/validate";
import type { CompiledGraph } from "../../engine/graph-compiler";
import { isLiveInputNode, LIVE_INPUT_NODE_ID } from "../../engine/live-input-node";
import type { ProcessorTypeInfo } from "../../engine/processor-types";
import type { WasmEngine } from "../../engine/wasm-engine";
import type { FaustRegistry } from "../../faust/registry";
import type {
  AudioWorkletHostApi,
  CompiledStage,
  StageCompileOptions,
  WireResult,
} from "../../protocol/main-worker";
import { STAGE_INPUT_NODE_ID, STAGE_OUTPUT_NODE_ID } from "../../wam/partition";
import type { InProcessEngineClient } from "../in-process/in-process-client";
import { EngineHost, settle } from "../worker/engine-host";
import { renderLive } from "./live-render";
import { NO_GROUP_NAMING } from "./midi-record-naming";
import { RETURN_GRAPH, type ReturnLayout, returnGraph } from "./return-graph";
import { stageTapChannels } from "./stage-channels";
import { WorkletDriver } from "./worklet-driver";
import { compileForWorklet, tapLatencies } from "./worklet-program";

/**
 * A stage of a WAM graph reads its own inputs (the WAMs' outputs), not the engine node's live input:
 * a live audio input node in a graph with WAM nodes is refused rather than read from the wrong input.
 */
function refuseLiveInputInStages(graph: GraphDescriptor, root: string): void {
  const index = graph.nodes.findIndex(isLiveInputNode);
  if (index < 0) return;
  throw new EngineError(
    "E_SCHEMA",
    `node "${graph.nodes[index]?.name}" is a live audio input (${LIVE_INPUT_NODE_ID}): a graph with WAM nodes cannot take live input yet; play the input in a graph without WAMs`,
    `${root}.nodes[${index}].node_id`,
  );
}

export class AudioWorkletEngineHost extends EngineHost implements AudioWorkletHostApi {
  private driver: WorkletDriver | null = null;
  private probe: WasmEngine | null = null;
  private readonly realtimeRenders = new Map<string, AbortController>();

  constructor(
    private readonly inProcess: InProcessEngineClient,
    private readonly types: readonly ProcessorTypeInfo[],
    private readonly sampleRate: number,
    private readonly faust: FaustRegistry | undefined,
    /** Makes the engine that reads stages' channel counts (stage-channels.ts; made once, kept). */
    private readonly makeProbe: () => WasmEngine,
  ) {
    super(inProcess);
  }

  /** Connects to the engine's AudioWorkletNode over `port` (called once by the real-time client). */
  attachWorklet(port: MessagePort): void {
    this.driver = new WorkletDriver(
      port,
      this.types,
      this.sampleRate,
      (handle) => this.inProcess.readBuffer(handle),
      this.faust,
      {},
      (handle) => this.inProcess.bufferSampleRate(handle),
    );
  }

  /**
   * A compiled stage's tap channel counts, read in the kept probe engine (a channel count does not
   * depend on the rate; the call is synchronous, so stages compiled at once never share it midway).
   * A probe that threw is dropped.
   */
  private tapChannels(graph: GraphDescriptor, compiled: CompiledGraph, audio: Float32Array[][]): number[] {
    this.probe ??= this.makeProbe();
    try {
      return stageTapChannels(this.probe, graph, compiled, audio);
    } catch (error) {
      this.probe.destroy();
      this.probe = null;
      throw error;
    }
  }

  compileStages(
    graphs: GraphDescriptorInput[],
    sampleRate: number,
    root: string,
    options: StageCompileOptions = {},
  ): Promise<WireResult<CompiledStage[]>> {
    return settle(async () => (await this.compileStageRoutes(graphs, sampleRate, root, options)).stages);
  }

  playStages(
    graphs: GraphDescriptorInput[],
    sampleRate: number,
    root: string,
    options: StageCompileOptions = {},
  ): Promise<WireResult<number>> {
    return settle(async () => {
      const { routes } = await this.compileStageRoutes(graphs, sampleRate, root, options);
      return this.driver?.setStages(routes, options.wamNodes) ?? NO_GROUP_NAMING;
    });
  }

  /** The stages compiled for their EngineProcessors, and how the driver routes commands to them. */
  private async compileStageRoutes(
    graphs: GraphDescriptorInput[],
    sampleRate: number,
    root: string,
    options: StageCompileOptions,
  ): Promise<{ stages: CompiledStage[]; routes: Parameters<WorkletDriver["setStages"]>[0] }> {
    const stages: CompiledStage[] = [];
    const routes: Parameters<WorkletDriver["setStages"]>[0] = [];
    for (const input of graphs) {
      const graph = parseContract(GraphDescriptorSchema, input, root);
      checkGraph(graph, { rootLabel: root });
      refuseLiveInputInStages(graph, root);
      const { compiled, audio } = await compileForWorklet(graph, {
        types: this.types,
        sampleRate,
        readBuffer: (handle) => this.inProcess.readBuffer(handle),
        bufferRate: (handle) => this.inProcess.bufferSampleRate(handle),
        faust: this.faust,
        root,
        // Each stage records the asked nodes it plays (a stage's ports and sink are its own).
        recordAutomation: options.recordAutomation?.filter((name) =>
          graph.nodes.some(
            (node) =>
              node.name === name &&
              node.name !== graph.output &&
              node.node_id !== STAGE_INPUT_NODE_ID &&
              node.node_id !== STAGE_OUTPUT_NODE_ID,
          ),
        ),
      });
      stages.push({
        program: compiled.program,
        buffers: audio,
        tapLatency: tapLatencies(graph, compiled),
        tapChannels: this.tapChannels(graph, compiled, audio),
      });
      routes.push({
        graph,
        nodeIndex: compiled.nodeIndex,
        nodeCount: compiled.program.nodes.length,
        recorded: compiled.recorded,
      });
    }
    return { stages, routes };
  }

  endStages(): void {
    this.driver?.endStages();
  }

  loadWamReturn(layout: ReturnLayout): Promise<WireResult<void>> {
    return settle(async () => {
      await this.inProcess.loadGraph(RETURN_GRAPH);
      const graph = parseContract(GraphDescriptorSchema, returnGraph(layout), "load_graph.graph");
      if (this.driver) await this.driver.load(graph, "load_graph.graph");
    });
  }

  override loadGraph(graph: GraphDescriptorInput): Promise<WireResult<void>> {
    return settle(async () => {
      await this.inProcess.loadGraph(graph);
      const loaded = this.inProcess.loadedGraph();
      if (this.driver && loaded) await this.driver.load(loaded, "load_graph.graph");
    });
  }

  /**
   * Frames the graph the worklet plays is late by (its latency, CompiledGraph.latencyFrames): the
   * audio thread cannot look ahead, so it aligns parallel paths and plays late by the longest.
   */
  playingLatencyFrames(): Promise<WireResult<number>> {
    return settle(async () => this.driver?.loadedLatencyFrames ?? 0);
  }

  override setParameter(
    node: string,
    parameter: string,
    value: number | string,
    options?: SetParameterOptions,
  ): Promise<WireResult<void>> {
    const driver = this.driver;
    if (!driver) return super.setParameter(node, parameter, value, options);
    return settle(async () => {
      const command = setParameterCommand(node, parameter, value, options ?? {});
      await driver.setParameter(
        command.node,
        command.parameter_id,
        command.value,
        command.at_seconds ?? undefined,
      );
    });
  }

  override scheduleEvents(node: string, events: MidiEventInput[]): Promise<WireResult<void>> {
    const driver = this.driver;
    if (!driver) return super.scheduleEvents(node, events);
    return settle(async () => {
      const command = makeCommand("schedule_events", { node, events });
      driver.scheduleEvents(command.node, command.events);
    });
  }

  /**
   * Live MIDI: live_midi records on the command ring, now or on their frame (WorkletDriver.sendMidi);
   * before a worklet is attached, the in-process client's refusal.
   */
  override sendMidi(
    node: string,
    message: LiveMidiMessageInput,
    options?: SendMidiOptions,
  ): Promise<WireResult<void>> {
    const driver = this.driver;
    if (!driver) return super.sendMidi(node, message, options);
    return settle(async () => {
      const command = sendMidiCommand(node, message, options ?? {});
      await driver.sendMidi(command.node, command.message, command.at_seconds ?? undefined);
    });
  }

  startMidiRecording(): Promise<WireResult<void>> {
    return settle(() => this.requireDriver().startMidiRecording());
  }

  override getParameter(node: string, parameterId: string): Promise<WireResult<ParameterReading>> {
    const driver = this.driver;
    if (!driver) return super.getParameter(node, parameterId);
    return settle(() => driver.getParameter(node, parameterId));
  }

  stopMidiRecording(): Promise<WireResult<MidiRecording>> {
    return settle(() => this.requireDriver().stopMidiRecording());
  }

  override close(): Promise<WireResult<void>> {
    this.driver?.dispose();
    return super.close();
  }

  private requireDriver(): WorkletDriver {
    if (this.driver) return this.driver;
    throw new EngineError("E_HOST_UNAVAILABLE", "no AudioWorklet is attached to this engine Worker");
  }

  /**
   * Live automation: the driver swaps the parameter's lane in the worklet between two quanta
   * (WorkletDriver.scheduleAutomation); before a worklet is attached, the in-process record.
   */
  override scheduleAutomation(
    node: string,
    parameterId: string,
    automation: AutomationInput,
    options?: ScheduleAutomationOptions,
  ): Promise<WireResult<void>> {
    const driver = this.driver;
    if (!driver) return super.scheduleAutomation(node, parameterId, automation, options);
    return settle(async () => {
      await driver.scheduleAutomation(
        scheduleAutomationCommand(node, parameterId, automation, options ?? {}),
      );
    });
  }

  override play(): Promise<WireResult<void>> {
    return this.transport(() => this.inProcess.play(), { type: "play" });
  }
  override pause(): Promise<WireResult<void>> {
    return this.transport(() => this.inProcess.pause(), { type: "pause" });
  }
  override stop(): Promise<WireResult<void>> {
    return this.transport(() => this.inProcess.stop(), { type: "stop" });
  }
  /** Monitoring (docs/realtime.md, "Monitoring while stopped"): a set_monitoring command, now. */
  setMonitoring(on: boolean): Promise<WireResult<void>> {
    return settle(async () => {
      await this.driver?.send({ type: "set_monitoring", enabled: monitoringFlag(on) });
    });
  }
  override seek(seconds: number): Promise<WireResult<void>> {
    return settle(async () => {
      await this.inProcess.seek(seconds);
      await this.driver?.send({ type: "seek", positionFrame: this.driver.frameAt(seconds) });
    });
  }
  override setLoop(loop: LoopRegion | null): Promise<WireResult<void>> {
    return settle(async () => {
      await this.inProcess.setLoop(loop);
      const driver = this.driver;
      if (!driver) return;
      if (loop === null) await driver.send({ type: "set_loop", startFrame: 0, endFrame: 1, enabled: false });
      else {
        const startFrame = driver.frameAt(loop.start_seconds);
        const endFrame = Math.max(startFrame + 1, driver.frameAt(loop.end_seconds));
        await driver.send({ type: "set_loop", startFrame, endFrame, enabled: true });
      }
    });
  }
  override setTempo(bpm: number, options?: SetTempoOptions): Promise<WireResult<void>> {
    return settle(async () => {
      await this.inProcess.setTempo(bpm, options);
      await this.driver?.send({
        type: "set_tempo",
        bpm,
        rampFrames: this.driver.frameAt(options?.rampSeconds ?? 0),
      });
    });
  }

  override async render(
    request: RenderRequestInput,
    renderId: string,
    aborted: boolean,
    onProgress?: (progress: RenderProgress) => void,
  ): Promise<WireResult<RenderResult>> {
    const driver = this.driver;
    if (!driver || (request as { options?: { offline?: boolean } } | null)?.options?.offline !== false) {
      return super.render(request, renderId, aborted, onProgress);
    }
    const controller = new AbortController();
    if (aborted) controller.abort();
    this.realtimeRenders.set(renderId, controller);
    try {
      return await settle(() => this.renderRealtime(driver, request, controller.signal, onProgress));
    } finally {
      this.realtimeRenders.delete(renderId);
    }
  }

  override cancelRender(renderId: string): void {
    this.realtimeRenders.get(renderId)?.abort();
    super.cancelRender(renderId);
  }

  /** A live render (live-render.ts): the same results as offline, the transport left as it was. */
  private renderRealtime(
    driver: WorkletDriver,
    input: RenderRequestInput,
    signal: AbortSignal,
    onProgress?: (progress: RenderProgress) => void,
  ): Promise<RenderResult> {
    return renderLive(
      {
        driver,
        sampleRate: this.sampleRate,
        ensureBufferRoom: (bytes) => this.inProcess.ensureBufferRoom(bytes, ""),
        uploadBuffer: (channels, sampleRate) => this.inProcess.uploadBuffer(channels, sampleRate),
      },
      input,
      signal,
      onProgress,
    );
  }

  private transport(apply: () => Promise<void>, command: { type: "play" | "pause" | "stop" }) {
    return settle(async () => {
      await apply();
      await this.driver?.send(command);
    });
  }
}
