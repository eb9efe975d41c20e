/**
 * EngineProcessor: the AudioWorklet host's audio-thread half. It instantiates engine.wasm
 * synchronously from the compiled module in processorOptions and renders one quantum per process()
 * call. The transport and command timing live in RealtimeEngine (src/engine/realtime-engine.ts), the
 * rings and blocks in src/dataplane/; worklet/engine-processor.ts registers this class.
 *
 * Two ways to run (EngineProcessorOptions.followCommands):
 * - fixed: processorOptions.program (and buffers) plays from frame 0 while the context runs (the
 *   platform smoke test, comparison pages, offline contexts);
 * - real time: the main thread connects the transport and meter blocks and hands over a control port
 *   (MainToWorkletMessage); the engine Worker connects the rings, loads graphs and arms captures on it
 *   (WorkerToWorkletMessage); commands arrive through the command ring; every quantum publishes the
 *   transport block and the meters.
 *
 * Graphs change through an EngineSlot (engine-slot.ts): a graph that cannot fit is refused before
 * any memory is taken, and what plays is always a whole graph. A trap while playing is one `fault`
 * message (to the main thread and the engine Worker) and silence until a restart, which plays the
 * same graph on a fresh instance.
 *
 * Audio-path rules: process() allocates nothing, takes no lock, never waits and posts no message
 * per quantum (only on a fault or at the end of a capture).
 *
 * Non-finite audio: the engine plays NaN and ±Infinity as 0 and counts them; every quantum the
 * transport block carries the count since the engine started (nonFiniteSamples), and a capture's
 * end reports those of its quanta. A NaN is not a fault: the engine plays on, and the processors
 * clear it from their state (docs/reliability.md, "Non-finite audio").
 */

import { createTransportSnapshot } from "../../api/realtime-readings";
import { CommandDecoder } from "../../dataplane/command-codec";
import { openDoorbell, openMeterBlock, openRing, openTransportBlock } from "../../dataplane/data-plane";
import type { RingBell } from "../../dataplane/doorbell";
import type { MeterBlock } from "../../dataplane/meter-block";
import type { DataRing } from "../../dataplane/spsc-ring";
import type { TransportBlock } from "../../dataplane/transport-block";
import {
  type ExternalNodeSpec,
  type GraphProgram,
  type StagePortSpec,
  stagePortOutputs,
  type TimelineEntry,
} from "../../engine/graph-program";
import { LIVE_INPUT_WORKLET_INPUT } from "../../engine/live-input-node";
import { RealtimeEngine } from "../../engine/realtime-engine";
import { externalFaustNode } from "../../faust/cloned-node";
import type { EngineProcessorOptions, MainToWorkletMessage } from "../../protocol/main-to-worklet";
import type { TypedPort } from "../../protocol/typed-port";
import type { WorkerToWorkletMessage } from "../../protocol/worker-to-worklet";
import type { WorkletToMainMessage } from "../../protocol/worklet-to-main";
import type { WorkletToWorkerMessage } from "../../protocol/worklet-to-worker";
import { createStageIo, StageInputPort, type StageIo, StageTap } from "../../wam/stage-ports";
import { EngineSlot, type SlotLoad } from "./engine-slot";
import { InputRecordTap } from "./input-record-tap";
import { LiveRenderSession } from "./live-render-session";
import { NO_GRAPH_NAMING, NO_GROUP_NAMING } from "./midi-record-naming";
import { MidiRecordTap } from "./midi-record-tap";
import { NodeMeterTap } from "./node-meter-tap";
import { type CommandCounters, StageGroup, type StageMember, stageGroups } from "./stage-group";
import { StageParameterTap } from "./stage-parameter-tap";
import { WamEventLanes } from "./wam-event-lanes";

/** Channels the real-time client gives the primary node's output (engine-worklet.ts, outputChannels). */
const PRIMARY_OUTPUT_CHANNELS = 2;

type LoadMessage = Extract<WorkerToWorkletMessage, { type: "load" }>;

/** A stage port (a WAM graph's stage, src/wam/partition.ts) reading or writing this node's `io`. */
function stagePortNode(io: StageIo, port: StagePortSpec): ExternalNodeSpec {
  return {
    nodeId: `stage-${port.direction}:${port.index}`,
    numOutputs: stagePortOutputs(port),
    params: [],
    create: () =>
      port.direction === "input"
        ? new StageInputPort(io, port.index, port.channel ?? 0)
        : new StageTap(io, port.index),
  };
}

export class EngineProcessor extends AudioWorkletProcessor {
  private readonly main: TypedPort<WorkletToMainMessage, MainToWorkletMessage>;
  private slot: EngineSlot | null = null;
  private realtime: RealtimeEngine | null = null;
  private faulted = false;
  private trapNext = false;
  // Data plane (real-time mode).
  private transport: TransportBlock | null = null;
  /** The engine Worker's copy of the transport block (its command flow control reads it). */
  private progress: TransportBlock | null = null;
  private meters: MeterBlock | null = null;
  /** The chosen nodes' meters (the graph's extensions.meters) and the tap measuring them. */
  private nodeMeters: MeterBlock | null = null;
  private nodeMeterTap: NodeMeterTap | null = null;
  private commands: DataRing<Uint8Array> | null = null;
  private bell: RingBell | null = null;
  /** Live MIDI recorded into the MIDI recording ring (the RealtimeEngine's midiTap). */
  private midiRecord: DataRing<Float64Array> | null = null;
  private midiRecordTap: MidiRecordTap | null = null;
  private readonly decoder = new CommandDecoder();
  private readonly snapshot = createTransportSnapshot();
  private worker: TypedPort<WorkletToWorkerMessage, WorkerToWorkletMessage> | null = null;
  /** Non-finite samples counted before the engine's last clear (a capture's start, a restart). */
  private nonFiniteBefore = 0;
  /** A live render's transport hold and capture (live-render-session.ts). */
  private readonly live = new LiveRenderSession();
  /**
   * A stage of a WAM graph: the stage ports read and write the node's own inputs and outputs, and the
   * engine's output (the stage's sink) goes to `stageScratch`, unheard.
   */
  private readonly stageIo: StageIo | null;
  /** Not a stage: the node's inputs as the live audio input port reads them (input 1). */
  private readonly liveIo: StageIo | null;
  /** Records the live input while the transport plays (input-record-tap.ts). */
  private readonly inputRecord = new InputRecordTap();
  private readonly stageScratch: Float32Array[];
  /** Real time, a WAM graph: the group this node leads (primary) or follows (a stage), by id. */
  private group: StageGroup | null = null;
  private groupId: string | null = null;
  private readonly follows: string | null;
  /** A stage of a real-time WAM graph: how it joins its group (its index, engine and lanes). */
  private readonly member: StageMember | null;
  /** Primary of a real-time WAM graph: the group's command counters, summed every quantum. */
  private readonly counters: CommandCounters = { applied: 0, late: 0, bad: 0, dropped: 0, timedDone: 0 };
  /** Primary of a real-time WAM graph: the WAM nodes' events, handed over as the transport plays. */
  private lanes: WamEventLanes | null = null;
  /** A stage of a real-time WAM graph: its recorded parameters, per piece (stage-parameter-tap.ts). */
  private stageParameterTap: StageParameterTap | null = null;
  /**
   * The driver's MIDI naming generations of what plays (midi-record-naming.ts): the primary's loaded
   * graph, and the stage group led (NO_GROUP_NAMING: none), which names the recorded nodes while it plays.
   */
  private programMidiNaming = NO_GRAPH_NAMING;
  private groupMidiNaming = NO_GROUP_NAMING;

  constructor(options: { processorOptions: EngineProcessorOptions }) {
    super();
    const { module, program, blockSize, buffers, followCommands, stage } = options.processorOptions;
    this.main = this.port;
    this.main.onmessage = (event) => this.onMainMessage(event.data);
    const io = stage ? createStageIo() : null;
    this.follows = stage?.follow ?? null;
    this.stageIo = io;
    this.stageScratch = stage ? [new Float32Array(128), new Float32Array(128)] : [];
    this.member = null;
    // The primary node's live audio input (live-input-node.ts) is an input port on its own inputs.
    this.liveIo = io ? null : createStageIo();
    const ports = io ?? this.liveIo;
    try {
      const makePort = ports ? (port: StagePortSpec) => stagePortNode(ports, port) : undefined;
      const slot = new EngineSlot(module, sampleRate, blockSize ?? 128, externalFaustNode, makePort);
      this.slot = slot;
      this.startEngine(program ?? null, buffers ?? []);
      if (this.follows !== null && this.realtime) {
        const engine = this.realtime;
        this.member = {
          stage: stage?.index ?? -1,
          engine,
          replaceLane: (node, param, base, timeline) => this.replaceLane(node, param, base, timeline),
          paramValue: (node, param) => this.slot?.engine.paramValue(node, param) ?? Number.NaN,
          recordParameters: (node, params) => this.recordStageParameters(node, params),
        };
      }
      if (this.follows === null && !followCommands && this.realtime) this.realtime.play(-1);
      this.main.postMessage({ type: "ready", outputChannels: slot.engine.outputChannels });
    } catch (error) {
      // A node that cannot start outputs silence and says why once, instead of throwing into the
      // audio thread.
      this.main.postMessage({ type: "error", message: String((error as Error).message ?? error) });
    }
  }

  /**
   * Control: a fresh engine instance running `program` (or an empty graph until one is loaded); the
   * transport keeps its position. Throws when the graph cannot be built (the instance is then empty).
   */
  private startEngine(program: GraphProgram | null, buffers: Float32Array[][]): void {
    const slot = this.slot as EngineSlot;
    this.bankNonFinite();
    try {
      slot.start(program, buffers);
    } finally {
      this.attach();
    }
  }

  /**
   * Control: moves the engine's non-finite count into the running total and clears it, before the
   * slot may replace the engine (a restart, a graph built beside the playing one) and before a
   * capture counts afresh.
   */
  private bankNonFinite(): void {
    const engine = this.slot?.engine;
    if (!engine) return;
    this.nonFiniteBefore += engine.nonFiniteSamples();
    engine.clearNonFinite();
  }

  /**
   * Control, a stage: quantum buffers of node `node`'s recorded parameters (stage-parameter-tap.ts),
   * the tap on the stage's pieces (a stage captures nothing itself, so its pieceTap is free).
   */
  private recordStageParameters(node: number, params: number): Float32Array[] | null {
    const engine = this.slot?.engine;
    const realtime = this.realtime;
    if (!engine || !realtime) return null;
    if (this.stageParameterTap?.engine !== engine) this.stageParameterTap = new StageParameterTap(engine);
    realtime.pieceTap = this.stageParameterTap;
    try {
      return this.stageParameterTap.record(node, params);
    } catch {
      // Its program does not record the node (a graph loaded without it): nothing to read.
      return null;
    }
  }

  /** Control: the transport follows the slot's engine; queued commands named the old graph's nodes. */
  private attach(): void {
    const slot = this.slot as EngineSlot;
    this.realtime ??= new RealtimeEngine(slot.engine, sampleRate);
    this.realtime.clearQueue();
    this.realtime.attach(slot.engine, slot.nodeCount, slot.program?.played ?? -1);
    this.attachNodeMeters();
  }

  /** Control: meters the nodes the playing program names (none without a node meter block). */
  private attachNodeMeters(): void {
    const nodes = this.slot?.program?.meters ?? [];
    const realtime = this.realtime;
    if (!realtime || !this.slot) return;
    this.nodeMeterTap =
      this.nodeMeters && nodes.length > 0 ? new NodeMeterTap(this.slot.engine, this.nodeMeters, nodes) : null;
    realtime.meterTap = this.nodeMeterTap;
  }

  /** Control: a graph from the engine Worker, answered by loaded or load-failed. */
  private load(
    worker: TypedPort<WorkletToWorkerMessage, WorkerToWorkletMessage>,
    message: LoadMessage,
  ): void {
    // Records sent before the load name the old graph's nodes: apply or queue them first, so the
    // load clears (and counts) those still queued instead of playing them on the new graph.
    if (this.commands && this.realtime) this.decoder.decode(this.commands, this.group ?? this.realtime);
    if (this.realtime) this.realtime.droppedCommands += message.discarded;
    if (this.faulted) {
      const detail = "the engine faulted and outputs silence: restart it before loading a graph";
      worker.postMessage({ type: "load-failed", id: message.id, message: detail });
      return;
    }
    const slot = this.slot as EngineSlot;
    this.bankNonFinite();
    const engine = slot.engine;
    const outcome = slot.load(message.program, message.buffers);
    if (slot.engine !== engine) this.attach();
    if (outcome.loaded) {
      // The MIDI recorded from now on names the new graph's nodes (while a WAM graph's stage group
      // plays on, its naming stays in effect until the group ends).
      this.programMidiNaming = message.midiNaming;
      this.markMidiNaming();
      worker.postMessage({ type: "loaded", id: message.id });
      return;
    }
    const { limitNode } = outcome;
    worker.postMessage({
      type: "load-failed",
      id: message.id,
      message: outcome.message,
      ...(limitNode === undefined ? {} : { limitNode }),
    });
    // Not even the previous graph could be built again: nothing plays, as after a trap.
    if (outcome.previousKept === false) this.fault(outcome.message);
  }

  /** Control: a live automation lane from the engine Worker, answered by lane-applied or lane-failed. */
  private lane(
    worker: TypedPort<WorkletToWorkerMessage, WorkerToWorkletMessage>,
    message: Extract<WorkerToWorkletMessage, { type: "lane" }>,
  ): void {
    if (this.faulted) {
      const detail = "the engine faulted and outputs silence: restart it before scheduling automation";
      worker.postMessage({ type: "lane-failed", id: message.id, message: detail, limit: false });
      return;
    }
    // A node of a WAM graph's stage: that stage's processor swaps the lane (same thread, same handler).
    const member = message.stage === undefined ? null : (this.group?.member(message.stage) ?? null);
    if (message.stage !== undefined && member === null) {
      const detail = `stage ${message.stage} of the WAM graph is not playing`;
      worker.postMessage({ type: "lane-failed", id: message.id, message: detail, limit: false });
      return;
    }
    const { node, param, base, timeline } = message;
    const outcome = member
      ? member.replaceLane(node, param, base, timeline)
      : this.replaceLane(node, param, base, timeline);
    if (outcome.loaded) {
      worker.postMessage({ type: "lane-applied", id: message.id });
      return;
    }
    const limit = outcome.limitNode !== undefined;
    worker.postMessage({ type: "lane-failed", id: message.id, message: outcome.message, limit });
  }

  /** Control: swaps a lane of this node's own graph; a slot left without a graph faults. */
  private replaceLane(node: number, param: string, base: number, timeline: TimelineEntry[]): SlotLoad {
    const slot = this.slot as EngineSlot;
    const engine = slot.engine;
    const outcome = slot.replaceLane(node, param, base, timeline);
    if (slot.engine !== engine) this.attach();
    if (!outcome.loaded && outcome.previousKept === false) this.fault(outcome.message);
    return outcome;
  }

  /** One fault event to each side; silence until a restart. */
  private fault(message: string): void {
    this.faulted = true;
    this.main.postMessage({ type: "fault", message });
    this.worker?.postMessage({ type: "fault", id: 0, message });
  }

  /** Control: a message from the main thread. */
  private onMainMessage(message: MainToWorkletMessage): void {
    switch (message.type) {
      case "connect-blocks":
        this.transport = openTransportBlock(message.transport);
        this.meters = openMeterBlock(message.meters);
        if (message.nodeMeters) this.nodeMeters = openMeterBlock(message.nodeMeters);
        this.attachNodeMeters();
        this.snapshot.sampleRate = sampleRate;
        return;
      case "connect-control": {
        const worker: TypedPort<WorkletToWorkerMessage, WorkerToWorkletMessage> = message.port;
        worker.onmessage = (event) => this.onWorkerMessage(event.data);
        this.worker = worker;
        return;
      }
      case "restart": {
        const slot = this.slot as EngineSlot;
        let failure: string | null = null;
        try {
          this.startEngine(slot.program, slot.buffers);
          this.faulted = false;
        } catch (error) {
          failure = `the restart could not build the graph again: ${String((error as Error)?.message ?? error)}`;
        }
        this.main.postMessage({ type: "restarted" });
        this.worker?.postMessage({ type: "restarted", id: 0 });
        if (failure !== null) this.fault(failure);
        return;
      }
      case "trap-for-testing":
        this.trapNext = true;
        return;
      case "input-record-start":
        this.inputRecord.arm(openRing(message.ring, Float32Array));
        this.main.postMessage({ type: "input-record-armed", take: message.take });
        return;
      case "input-record-stop":
        this.main.postMessage({ type: "input-record-stopped", ...this.inputRecord.stop() });
        return;
      case "lead-stage-group":
        this.endStageGroup(message.midiNaming);
        if (this.realtime) {
          this.group = new StageGroup(this.realtime, this.commands, this.decoder, message.stageNodeCounts);
          this.groupId = message.groupId;
          stageGroups().set(message.groupId, this.group);
        }
        return;
      case "end-stage-group":
        this.endStageGroup();
        return;
      case "wam-events":
        this.lanes?.addOnce(message.instanceId, message.frames, message.events, message.scheduled === true);
        return;
      case "wam-lane-param":
        this.lanes?.replaceParam(message.instanceId, message.param, message.frames, message.events);
        return;
      case "wam-lanes":
        this.lanes = new WamEventLanes(message.groupId, message.groupKey, message.lanes);
        // Live MIDI handed to a WAM is recorded as the engine's, numbered after the stages' nodes; its
        // parameter changes in the same ring (a live render's record_automation).
        this.lanes.midiTap = this.midiRecordTap;
        this.lanes.parameterTap = this.midiRecordTap;
        this.lanes.tapBase = this.group?.nodeTotal ?? 0;
        if (this.lanes.unreachable.length > 0) {
          this.main.postMessage({
            type: "error",
            message: `no audio-thread processor to take the events of WAM instance(s) ${this.lanes.unreachable.join(", ")}`,
          });
        }
        return;
    }
  }

  /**
   * Control: the WAM graph this node led is gone; its stages stop at their next quantum. The MIDI
   * recorded from now on is named by `nextMidiNaming`: the group led next, or none (the primary's graph).
   */
  private endStageGroup(nextMidiNaming = NO_GROUP_NAMING): void {
    if (this.groupId !== null) stageGroups().delete(this.groupId);
    this.group?.end();
    this.group = null;
    this.groupId = null;
    this.lanes = null;
    this.groupMidiNaming = nextMidiNaming;
    this.markMidiNaming();
  }

  /** Control: what plays changed: the MIDI recording ring is marked with its naming (midi-record-tap.ts). */
  private markMidiNaming(): void {
    this.midiRecordTap?.named(this.programMidiNaming, this.groupMidiNaming);
  }

  /** Control: a message from the engine Worker, on the control port. */
  private onWorkerMessage(message: WorkerToWorkletMessage): void {
    const worker = this.worker as TypedPort<WorkletToWorkerMessage, WorkerToWorkletMessage>;
    switch (message.type) {
      case "connect-commands":
        this.commands = openRing(message.commands, Uint8Array);
        this.bell = openDoorbell(message.bell);
        this.progress = openTransportBlock(message.progress);
        this.midiRecord = openRing(message.midiRecord, Float64Array);
        this.midiRecordTap = new MidiRecordTap(this.midiRecord);
        this.markMidiNaming();
        if (this.realtime) this.realtime.midiTap = this.midiRecordTap;
        if (this.lanes) {
          this.lanes.midiTap = this.midiRecordTap;
          this.lanes.parameterTap = this.midiRecordTap;
        }
        this.snapshot.sampleRate = sampleRate;
        return;
      case "midi-record":
        this.recordMidi(worker, message);
        return;
      case "get-parameter":
        this.readParameter(worker, message);
        return;
      case "load":
        this.load(worker, message);
        return;
      case "lane":
        this.lane(worker, message);
        return;
      default:
        this.onLiveRender(worker, message);
    }
  }

  /**
   * Control (between quanta): one parameter's value, answered in one message. Commands already in the
   * ring were sent before the request: they apply first, as the call order says.
   */
  private readParameter(
    worker: TypedPort<WorkletToWorkerMessage, WorkerToWorkletMessage>,
    message: Extract<WorkerToWorkletMessage, { type: "get-parameter" }>,
  ): void {
    const realtime = this.realtime;
    const engine = this.slot?.engine;
    if (realtime && this.commands) this.decoder.decode(this.commands, this.group ?? realtime);
    worker.postMessage({
      type: "parameter-value",
      id: message.id,
      // A WAM graph: the node is a group index, read in the stage that plays it (stage-group.ts).
      value: this.group
        ? this.group.paramValue(message.node, message.param)
        : engine
          ? engine.paramValue(message.node, message.param)
          : Number.NaN,
      frame: realtime?.positionFrames ?? 0,
    });
  }

  /**
   * Control: starts or stops one slot of the MIDI recording (midi-record-tap.ts: the take or a live
   * render's record); the other slot records on.
   */
  private recordMidi(
    worker: TypedPort<WorkletToWorkerMessage, WorkerToWorkletMessage>,
    message: Extract<WorkerToWorkletMessage, { type: "midi-record" }>,
  ): void {
    const tap = this.midiRecordTap;
    const realtime = this.realtime;
    if (!tap || !realtime) return;
    // Messages already in the command ring were sent before this request: they apply (and are
    // recorded, or not) first, as the call order says.
    if (this.commands) this.decoder.decode(this.commands, this.group ?? realtime);
    if (message.on) {
      tap.start(message.slot, realtime.playedFrames);
      worker.postMessage({ type: "midi-record-started", id: message.id });
      return;
    }
    worker.postMessage({
      type: "midi-record-stopped",
      id: message.id,
      ...tap.stop(message.slot, realtime.playedFrames),
    });
  }

  /** Control: the messages of a live render (live-render-session.ts). */
  private onLiveRender(
    worker: TypedPort<WorkletToWorkerMessage, WorkerToWorkletMessage>,
    message: Extract<WorkerToWorkletMessage, { type: "live-hold" | "live-arm" | "live-release" }>,
  ): void {
    const realtime = this.realtime;
    if (!realtime) return;
    const target = this.group ?? realtime;
    switch (message.type) {
      case "live-hold":
        // Commands already sent (a play just before the render) apply first, so the hold sees them.
        if (this.commands) this.decoder.decode(this.commands, target);
        worker.postMessage({
          type: "live-held",
          id: message.id,
          transport: this.live.hold(realtime, target),
        });
        return;
      case "live-arm": {
        // Count non-finite samples afresh from the capture's first frame (the total keeps the rest).
        this.bankNonFinite();
        const engine = (this.slot as EngineSlot).engine;
        const played = { channels: PRIMARY_OUTPUT_CHANNELS, isGraphOutput: this.group !== null };
        const ownChannels = this.live.arm(message, engine, realtime, target, this.bell, played, this.group);
        // The WAMs' automated parameters set for the start before they render its first quantum.
        this.lanes?.jumpTo(message.startFrame, realtime.playedFrames);
        worker.postMessage({ type: "live-armed", id: message.id, ownChannels });
        return;
      }
      case "live-release":
        worker.postMessage({
          type: "live-released",
          id: message.id,
          transport: this.live.release(realtime, target),
        });
        return;
    }
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const io = this.stageIo;
    let output = outputs[0];
    if (io) {
      // The taps write the outputs during the render; what no tap reaches this quantum stays silent.
      io.inputs = inputs;
      io.outputs = outputs;
      io.quantum++;
      for (let k = 0; k < outputs.length; k++) {
        const channels = outputs[k] as Float32Array[];
        for (let c = 0; c < channels.length; c++) (channels[c] as Float32Array).fill(0);
      }
      output = this.stageScratch;
    }
    const liveIo = this.liveIo;
    if (liveIo) {
      liveIo.inputs = inputs;
      liveIo.quantum++;
    }
    const realtime = this.realtime;
    if (!output || !realtime || output.length === 0) return true;
    const frames = (output[0] as Float32Array).length;
    if (this.follows !== null) {
      if (this.group === null) {
        // A stage of a real-time WAM graph joins its group when it finds it (the primary's message
        // creating it may come after this node), then plays in step with the primary.
        const group = stageGroups().get(this.follows);
        if (!group) return true;
        this.group = group;
        group.join(this.member as StageMember);
        // Once per stage: the main thread's load resolves when every stage plays (wam-live-graph.ts).
        this.main.postMessage({ type: "joined", groupId: this.follows });
      } else if (stageGroups().get(this.follows) !== this.group) {
        // Its group has ended: this stage has played its last quantum.
        return false;
      }
      this.group.pump(currentFrame);
    } else if (this.group) this.group.pump(currentFrame);
    else if (this.commands) this.decoder.decode(this.commands, realtime);
    const positionBefore = realtime.positionFrames;
    if (this.faulted) {
      for (let c = 0; c < output.length; c++) (output[c] as Float32Array).fill(0);
    } else {
      try {
        if (this.trapNext) {
          this.trapNext = false;
          this.slot?.engine.exports.wd_trap_for_testing();
        }
        realtime.renderQuantum(output, frames);
      } catch (error) {
        // An engine trap must not kill the node: one fault event, silence until a restart.
        for (let c = 0; c < output.length; c++) (output[c] as Float32Array).fill(0);
        this.fault(String((error as Error)?.message ?? error));
      }
    }
    if (!io) this.addReturnInput(inputs[0], output, frames);
    if (this.inputRecord.armed) {
      const position = realtime.positionFrames;
      const input = inputs[LIVE_INPUT_WORKLET_INPUT];
      this.inputRecord.quantum(
        input,
        frames,
        realtime.running,
        position,
        position - positionBefore,
        currentFrame,
      );
    }
    this.publish(output, frames);
    // The next quantum starts at currentTime + frames / sampleRate (see wam-event-lanes.ts).
    this.lanes?.dispatch(realtime, currentTime + frames / sampleRate, frames, sampleRate);
    return true;
  }

  /**
   * The primary of a real-time WAM graph: the graph's output (rendered by stages and WAMs before this
   * node in the quantum) arrives on input 0 and is played, metered and captured as this node's own.
   */
  private addReturnInput(input: Float32Array[] | undefined, output: Float32Array[], frames: number): void {
    if (!input || input.length === 0) return;
    for (let c = 0; c < output.length; c++) {
      const from = (input[c] ?? input[0]) as Float32Array;
      const to = output[c] as Float32Array;
      for (let i = 0; i < frames; i++) to[i] = (to[i] as number) + (from[i] as number);
    }
  }

  /** Per quantum: transport block, meters, and the capture in progress. */
  private publish(output: Float32Array[], frames: number): void {
    const realtime = this.realtime as RealtimeEngine;
    if (this.transport || this.progress) {
      const s = this.snapshot;
      s.quantum++;
      s.positionFrames = realtime.positionFrames;
      s.positionSeconds = realtime.positionFrames / sampleRate;
      s.positionBeats = realtime.positionBeats;
      s.tempoBpm = realtime.bpm;
      s.running = realtime.running && !this.faulted;
      s.loopEnabled = realtime.loopEnabled;
      s.monitoring = realtime.monitoring;
      s.loopStartFrames = realtime.loopStart;
      s.loopEndFrames = realtime.loopEnd;
      s.quantumFrames = frames;
      s.ringOverflows = this.commands?.overflowCount() ?? 0;
      s.nonFiniteSamples = this.nonFiniteBefore + (this.slot?.engine.nonFiniteSamples() ?? 0);
      if (this.group) {
        // A WAM graph: commands were queued in the stages too (stage-group.ts).
        const c = this.counters;
        this.group.sumCounters(c);
        s.lateCommands = c.late;
        s.badCommands = c.bad + this.decoder.badCommands;
        s.droppedCommands = c.dropped;
        s.appliedCommands = c.applied;
        s.timedCommandsDone = c.timedDone;
      } else {
        s.lateCommands = realtime.lateCommands;
        s.badCommands = realtime.badCommands + this.decoder.badCommands;
        s.droppedCommands = realtime.droppedCommands;
        s.appliedCommands = realtime.appliedCommands;
        s.timedCommandsDone = realtime.timedCommandsDone;
      }
      this.transport?.write(s);
      this.progress?.write(s);
    }
    this.meters?.measure(output, frames);
    this.nodeMeterTap?.endQuantum(frames);
    if (this.live.capturing && this.slot) {
      this.live.endQuantum(output, realtime, this.group ?? realtime, this.slot.engine, this.worker);
    }
  }
}
