/**
 * WorkletDriver: the engine Worker's half of the AudioWorklet host. It owns the producer end of the
 * command ring (created here, so each side of it has exactly one thread) and the doorbell a live
 * render's capture rings (live-render.ts drains that render's own ring), compiles graphs into what
 * the worklet loads, turns names and seconds into node indices and frames, and sends commands through
 * a CommandFeeder (flow control: nothing taken is dropped, a full queue refuses the call).
 *
 * It talks to EngineProcessor on the control port: WorkerToWorkletMessage out, WorkletToWorkerMessage
 * back (src/protocol/). Requests reach it already validated by the in-process client that shares the
 * Worker (the same contracts and graph checks as every other boundary).
 */

import { getParameterCommand } from "../../api/call-validation";
import type { MidiRecording } from "../../api/midi-recording";
import type { ParameterReading } from "../../api/realtime-client";
import { automationAfter } from "../../contracts/automation-lane";
import type { EngineCommand } from "../../contracts/engine-command";
import { EngineError } from "../../contracts/errors";
import type { Automation, GraphDescriptor, MidiEvent } from "../../contracts/graph-descriptor";
import { type LiveMidiMessage, liveMidiBytes } from "../../contracts/live-midi";
import { secondsAtBeat } from "../../contracts/tempo-map";
import type { DataPlaneCommand } from "../../dataplane/command-codec";
import { createDataPlane } from "../../dataplane/data-plane";
import type { RingBell } from "../../dataplane/doorbell";
import type { RecordedNode } from "../../engine/graph-compiler";
import {
  compileLane,
  requireParameterOf,
  resolveParameterValue,
  staticParameterValue,
} from "../../engine/graph-compiler";
import { memoryLimitError } from "../../engine/graph-memory";
import type { GraphProgram, TimelineEntry } from "../../engine/graph-program";
import { type ProcessorTypeInfo, requireMidiNode } from "../../engine/processor-types";
import type { FaustRegistry } from "../../faust/registry";
import type { TypedPort } from "../../protocol/typed-port";
import type { MidiRecordSlot, WorkerToWorkletMessage } from "../../protocol/worker-to-worklet";
import type { WorkletToWorkerMessage } from "../../protocol/worklet-to-worker";
import { STAGE_INPUT_NODE_ID, STAGE_OUTPUT_NODE_ID } from "../../wam/partition";
import { CommandFeeder, type CommandFeederOptions } from "./command-feeder";
import { graphNaming, type NodeNaming, stagesNaming } from "./midi-record-naming";
import { MIDI_RECORD_DRAIN_MS, MidiRecordReader, type RecordedParameterChange } from "./midi-record-reader";
import { MIDI_RECORD_CAPACITY, MIDI_RECORD_FIELDS } from "./midi-record-tap";
import { compileForWorklet } from "./worklet-program";

const COMMAND_RING_BYTES = 1 << 16;
/** How long a stopped recording waits for its last records (MessagePort fallback: they travel apart). */
const MIDI_RECORD_SETTLE_MS = 2000;

interface LoadedGraph {
  graph: GraphDescriptor;
  nodeIndex: Map<string, number>;
  nodeTypes: ProcessorTypeInfo[];
  /**
   * Each node's parameter values set now (setParameter without a time) since the load, over the
   * graph's `params`: a web_audio lane scheduled live holds them before its first event.
   */
  liveParams: Record<string, number | string>[];
  /** Automation lanes scheduled live, by program node and parameter id (over the graph's own). */
  lanes: Map<number, Map<string, Automation>>;
  /**
   * Where the graph's output is read: -1, the engine's output; or the output node's index when the
   * compiler put a capture sink after it (a captured node off the output's path, graph-compiler.ts).
   */
  outputSource: number;
  /** Program index of each captured node, by name, in graph order. */
  captures: Map<string, number>;
  /** Each node whose parameters the engine records (a live render's record_automation), by name. */
  recorded: Map<string, RecordedNode>;
  /** The compiled program's nodes (their timelines: the MIDI a live render's record_midi returns). */
  program: GraphProgram | null;
}

/** Where a live render reads the playing graph (WorkletDriver.loadedSources). */
export interface LoadedSources {
  /** The output's source: -1, the engine's output, or a node's index. */
  output: number;
  /** Program index of each captured node, by name. */
  captures: ReadonlyMap<string, number>;
  /** Each node whose parameters the engine records, by name (the load's recordAutomation). */
  recorded: ReadonlyMap<string, RecordedNode>;
  /** Program index of each node of the graph, by name. */
  nodeIndex: ReadonlyMap<string, number>;
  /** The program's nodes: their timelines hold the MIDI the graph plays. */
  program: Pick<GraphProgram, "nodes">;
}

/**
 * Where a node's commands go: its graph as loaded, its index there (EngineSlot's program index), the
 * index its commands carry on the ring, and its stage (-1: the primary's own graph).
 */
interface NodeRoute {
  loaded: LoadedGraph;
  index: number;
  wire: number;
  stage: number;
}

/** One stage of the WAM graph playing (stage-group.ts): its graph and its first group index. */
interface LiveStage {
  loaded: LoadedGraph;
  base: number;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export class WorkletDriver {
  /** Flow control of the command ring (public for diagnostics and tests). */
  readonly feeder: CommandFeeder;
  private readonly bell: RingBell;
  private loaded: LoadedGraph | null = null;
  private loadedLatency = 0;
  /** The stages of the WAM graph playing, and which stage holds each engine node (by name). */
  private stages: LiveStage[] = [];
  private stageOf = new Map<string, number>();
  /**
   * The generation of the last naming registered with the MIDI recording reader (a load's, a WAM
   * graph's stages'): the worklet marks the ring with the one in effect (midi-record-naming.ts).
   */
  private midiNaming = 0;
  private faultMessage: string | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: WorkletToWorkerMessage) => void>();
  private readonly midiRecord: MidiRecordReader;
  /**
   * The MIDI recordings running, by slot (midi-record-tap.ts): the take (startMidiRecording) and a
   * live render's record (startRenderMidi) run side by side, each started and stopped on its own.
   */
  private readonly midiRecording: Record<MidiRecordSlot, boolean> = { take: false, render: false };
  /** Drains the MIDI recording ring while either slot records (null: neither does). */
  private midiRecordTimer: ReturnType<typeof setInterval> | null = null;

  /**
   * Connects to the worklet over `port` (a MessagePort the main thread gave both sides).
   * @example
   * const driver = new WorkletDriver(port, types, 48000, (handle) => client.readBuffer(handle));
   */
  constructor(
    private readonly port: TypedPort<WorkerToWorkletMessage, WorkletToWorkerMessage>,
    private readonly types: readonly ProcessorTypeInfo[],
    readonly sampleRate: number,
    private readonly readBuffer: (handle: string) => Promise<Float32Array[]>,
    private readonly faust?: FaustRegistry,
    feederOptions: Omit<CommandFeederOptions, "sampleRate"> = {},
    /** The sample rate of a buffer handle's audio (so audio at another rate plays at its own). */
    private readonly bufferRate?: (handle: string) => number,
  ) {
    const plane = createDataPlane({ isolated: globalThis.crossOriginIsolated === true });
    const commands = plane.createRing(Uint8Array, COMMAND_RING_BYTES, {
      localRole: "producer",
      autoFlush: true,
    });
    const bell = plane.createDoorbell();
    // Over MessagePorts the worklet sends recorded MIDI 256 messages at a time (and the rest when a
    // recording stops).
    const midiRecord = plane.createRing(Float64Array, MIDI_RECORD_FIELDS * MIDI_RECORD_CAPACITY, {
      localRole: "consumer",
      chunkLength: 256 * MIDI_RECORD_FIELDS,
    });
    this.midiRecord = new MidiRecordReader(midiRecord.local);
    // The Worker's own copy of the transport block: how far the audio thread has got with timed commands.
    const progress = plane.createTransportBlock();
    this.feeder = new CommandFeeder(commands.local, progress.local, { ...feederOptions, sampleRate });
    this.bell = bell.local;
    port.onmessage = (event) => {
      const message = event.data;
      // Events (id 0): a trap leaves the worklet silent until a restart; loads and renders fail meanwhile.
      if (message.type === "fault") this.faultMessage = message.message;
      else if (message.type === "restarted") this.faultMessage = null;
      else this.waiting.get(message.id)?.(message);
    };
    port.postMessage(
      {
        type: "connect-commands",
        commands: commands.remote,
        bell: bell.remote,
        progress: progress.remote,
        midiRecord: midiRecord.remote,
      },
      [...commands.transfer, ...bell.transfer, ...progress.transfer, ...midiRecord.transfer],
    );
  }

  /** Why the worklet outputs silence (it faulted and was not restarted since), or null. */
  get fault(): string | null {
    return this.faultMessage;
  }

  /**
   * Compiles `graph` (validated) and loads it into the worklet; resolves when it plays it. Rejects
   * with E_LIMIT (at `root`.nodes[i], the node that needs the most) when the worklet refuses it for
   * memory, with E_RENDER when it could not load it otherwise; the previous graph plays on.
   */
  async load(
    graph: GraphDescriptor,
    root = "graph",
    options: { recordAutomation?: readonly string[] } = {},
  ): Promise<void> {
    this.throwIfFaulted();
    const { compiled, audio } = await compileForWorklet(graph, {
      types: this.types,
      sampleRate: this.sampleRate,
      readBuffer: this.readBuffer,
      bufferRate: this.bufferRate,
      faust: this.faust,
      root,
      recordAutomation: options.recordAutomation,
    });
    // The new graph's naming is registered before the worklet can mark the ring with it: records
    // written before the swap keep the old graph's names however late they are drained.
    const midiNaming = this.registerMidiNaming(graphNaming(compiled.nodeIndex));
    const reply = await this.request({ program: compiled.program, buffers: audio, midiNaming });
    // Drops the namings the worklet's marks left behind, recording or not.
    this.midiRecord.drain();
    if (reply.type === "load-failed") {
      this.midiRecord.namings.forget(midiNaming);
      if (reply.limitNode !== undefined) {
        throw memoryLimitError({ detail: reply.message, node: reply.limitNode }, root, graph.nodes.length);
      }
      throw new EngineError("E_RENDER", `the worklet could not load it: ${reply.message}`);
    }
    this.loadedLatency = compiled.latencyFrames;
    this.loaded = this.loadedRecord(graph, compiled.nodeIndex, {
      outputSource: compiled.program.output === compiled.outputNode ? -1 : compiled.outputNode,
      captures: compiled.captures,
      recorded: compiled.recorded,
      program: compiled.program,
    });
    this.endStages();
  }

  /**
   * The stages of a WAM graph now playing around the primary (its graph is then the silent return
   * graph): each stage graph (validated) with its compiled node indices, in stage order. Commands for
   * their engine nodes go to the stage holding them, numbered as the StageGroup numbers them (each
   * stage's program nodes after the previous stage's). Stage ports and a stage's sink (its output)
   * are the partition's own nodes and take no commands. Returns the generation of the stages' MIDI
   * naming (the live MIDI recorded from their nodes and WAM nodes): the worklet's lead-stage-group
   * carries it, so the ring's mark names them from the group's start on.
   */
  setStages(
    stages: {
      graph: GraphDescriptor;
      nodeIndex: Map<string, number>;
      nodeCount: number;
      /** Nodes whose parameters the stage records (a live render's record_automation). */
      recorded?: Map<string, RecordedNode>;
    }[],
    wamNodes: readonly string[] = [],
  ): number {
    this.endStages();
    let base = 0;
    stages.forEach((stage, s) => {
      this.stages.push({
        loaded: this.loadedRecord(stage.graph, stage.nodeIndex, {
          outputSource: -1,
          captures: new Map(),
          recorded: stage.recorded ?? new Map(),
          program: null,
        }),
        base,
      });
      for (const node of stage.graph.nodes) {
        const internal =
          node.name === stage.graph.output ||
          node.node_id === STAGE_INPUT_NODE_ID ||
          node.node_id === STAGE_OUTPUT_NODE_ID;
        if (!internal) this.stageOf.set(node.name, s);
      }
      base += stage.nodeCount;
    });
    // A WAM node's live MIDI (wam-event-lanes.ts) is numbered after the stages' nodes.
    const naming = stagesNaming(
      this.stages.map((stage) => ({ nodeIndex: stage.loaded.nodeIndex, base: stage.base })),
      wamNodes,
      base,
    );
    return this.registerMidiNaming(naming);
  }

  /**
   * The WAM graph's stages are gone: commands name the primary's graph again. (The MIDI recorded
   * meanwhile is named as the worklet's marks say: its stage group may play on until it ends.)
   */
  endStages(): void {
    this.stages = [];
    this.stageOf = new Map();
  }

  /** Registers the naming of what the worklet is about to play; returns its generation. */
  private registerMidiNaming(naming: NodeNaming): number {
    this.midiNaming++;
    this.midiRecord.namings.register(this.midiNaming, naming);
    return this.midiNaming;
  }

  /**
   * The engine nodes of the WAM graph playing whose parameters their stage records, among `names`
   * (in that order): each with its stage and its record (index in the stage, parameter ids).
   */
  stageRecordedSources(names: readonly string[]): { name: string; node: RecordedNode; stage: number }[] {
    const sources: { name: string; node: RecordedNode; stage: number }[] = [];
    for (const name of names) {
      const stage = this.stageOf.get(name);
      const node = stage === undefined ? undefined : this.stages[stage]?.loaded.recorded.get(name);
      if (stage !== undefined && node !== undefined && node.params.length > 0)
        sources.push({ name, node, stage });
    }
    return sources;
  }

  /** A stage of a WAM graph takes no captures and reads the engine's output (outputs default). */
  private loadedRecord(
    graph: GraphDescriptor,
    nodeIndex: Map<string, number>,
    outputs: Pick<LoadedGraph, "outputSource" | "captures" | "recorded" | "program"> = {
      outputSource: -1,
      captures: new Map(),
      recorded: new Map(),
      program: null,
    },
  ): LoadedGraph {
    return {
      graph,
      liveParams: graph.nodes.map(() => ({})),
      lanes: new Map(),
      nodeIndex,
      ...outputs,
      nodeTypes: graph.nodes.map(
        (node, i) =>
          (this.types.find((t) => `builtin:${t.kind}` === node.node_id) ??
            this.faust?.resolve(node, `graph.nodes[${i}]`, () => ({
              channels: [],
              sampleRate: this.sampleRate,
            }))?.type) as ProcessorTypeInfo,
      ),
    };
  }

  /** The graph the worklet plays (null before the first load). */
  /**
   * Frames the playing graph's output is late by (CompiledGraph.latencyFrames): the worklet cannot
   * look ahead, so it delays parallel paths to align them and plays late by their longest latency.
   * A live render skips these frames (live-render.ts).
   */
  get loadedLatencyFrames(): number {
    return this.loaded === null ? 0 : this.loadedLatency;
  }

  get loadedGraph(): GraphDescriptor | null {
    return this.loaded?.graph ?? null;
  }

  /**
   * Where the playing graph's output and captures are read (a live render's sources,
   * live-render.ts): the output's source (-1: the engine's output) and each captured node's index.
   */
  get loadedSources(): LoadedSources | null {
    const loaded = this.loaded;
    if (loaded === null) return null;
    const { outputSource, captures, recorded, program, nodeIndex } = loaded;
    return { output: outputSource, captures, recorded, nodeIndex, program: program ?? { nodes: [] } };
  }

  /** The doorbell the worklet rings after each quantum a live render captures. */
  get doorbell(): RingBell {
    return this.bell;
  }

  /**
   * Sends `message` to the worklet with a fresh id and hands `onReply` every answer carrying that id
   * until it returns true (a live render's hold, arm and release, live-render.ts).
   */
  converse(
    message: DistributiveOmit<WorkerToWorkletMessage, "id">,
    onReply: (reply: WorkletToWorkerMessage) => boolean,
    transfer: Transferable[] = [],
  ): void {
    const id = this.nextId++;
    this.waiting.set(id, (reply) => {
      if (onReply(reply)) this.waiting.delete(id);
    });
    this.port.postMessage({ ...message, id } as WorkerToWorkletMessage, transfer);
  }

  /**
   * Sends a now command (transport calls, untimed parameters): resolves once it is in the command
   * ring; E_BACKPRESSURE when the ring stays full (a suspended context), see CommandFeeder.sendNow.
   */
  send(command: DataPlaneCommand): Promise<void> {
    return this.feeder.sendNow(command);
  }

  /** A transport time in seconds as a frame. */
  frameAt(seconds: number): number {
    return Math.round(seconds * this.sampleRate);
  }

  /**
   * Resolves a parameter change (its arguments already schema-checked) to indices and sends it, now or
   * at a transport time. E_UNKNOWN_NODE at set_parameter.node, E_SCHEMA at set_parameter.parameter_id
   * or .value, E_BACKPRESSURE when the command queues are full. Resolves once the command is taken.
   */
  setParameter(node: string, parameter: string, value: number | string, atSeconds?: number): Promise<void> {
    const { loaded, index, wire } = this.loadedNode(node, "set_parameter.node");
    const type = loaded.nodeTypes[index] as ProcessorTypeInfo;
    const resolved = resolveParameterValue(type, parameter, value, {
      id: "set_parameter.parameter_id",
      value: "set_parameter.value",
    });
    const command: DataPlaneCommand = {
      type: "set_parameter",
      node: wire,
      param: type.params.findIndex((p) => p.id === parameter),
      value: resolved,
      atFrame: atSeconds === undefined ? -1 : this.frameAt(atSeconds),
    };
    if (atSeconds === undefined) {
      return this.feeder.sendNow(command).then(() => {
        (loaded.liveParams[index] as Record<string, number | string>)[parameter] = value;
      });
    }
    this.feeder.sendTimed([command]);
    return Promise.resolve();
  }

  /**
   * The value `parameter` of `node` has in the playing engine: one get-parameter request, answered by
   * the audio thread between two quanta after the commands sent before it (no per-quantum message).
   * An engine node of a WAM graph's stages is read in its stage's engine. E_UNKNOWN_NODE at
   * get_parameter.node, E_SCHEMA at get_parameter.parameter_id naming the node's parameters.
   */
  async getParameter(node: string, parameter: string): Promise<ParameterReading> {
    ({ node, parameter_id: parameter } = getParameterCommand(node, parameter));
    // In a WAM graph, `wire` is the node's group index: the stage playing it answers (stage-group.ts).
    const { loaded, index, wire, stage } = this.loadedNode(node, "get_parameter.node");
    const type = loaded.nodeTypes[index] as ProcessorTypeInfo;
    requireParameterOf(type, parameter, "get_parameter.parameter_id");
    const param = type.params.findIndex((p) => p.id === parameter);
    const reply = await this.ask({ type: "get-parameter", node: wire, param });
    if (reply.type !== "parameter-value" || Number.isNaN(reply.value)) {
      const why =
        stage >= 0 && reply.type === "parameter-value"
          ? `node "${node}" plays in stage ${stage} of the WAM graph, which has not started playing yet`
          : `the worklet answered ${reply.type} to a get-parameter request`;
      throw new EngineError("E_INTERNAL", why);
    }
    return { value: reply.value, frame: reply.frame };
  }

  /**
   * Schedules automation live (a schedule_automation command, already schema-checked): works out the
   * parameter's lane (automation-lane.ts), compiles it as a load compiles it (compileLane: the same
   * frames) and has the worklet swap it in between two quanta (EngineSlot.replaceLane): no reload,
   * no per-quantum message, nothing allocated in process(). Resolves once the worklet plays it.
   * E_UNKNOWN_NODE at schedule_automation.node, E_SCHEMA and E_LIMIT under schedule_automation, and
   * E_LIMIT when the engine's memory cannot hold the lane; a refused call leaves the lane as it was.
   */
  async scheduleAutomation(command: Extract<EngineCommand, { type: "schedule_automation" }>): Promise<void> {
    this.throwIfFaulted();
    const { loaded, index, stage } = this.loadedNode(command.node, "schedule_automation.node");
    const type = loaded.nodeTypes[index] as ProcessorTypeInfo;
    const id = command.parameter_id;
    requireParameterOf(type, id, "schedule_automation.parameter_id");
    const path = "schedule_automation.automation";
    const handle = "buffer_handle" in command.automation ? command.automation.buffer_handle : undefined;
    const audio =
      handle === undefined
        ? undefined
        : await this.readBuffer(handle).catch(() => {
            throw new EngineError(
              "E_UNKNOWN_HANDLE",
              `unknown buffer handle ${handle}`,
              `${path}.buffer_handle`,
            );
          });
    // From here on synchronous up to the post: calls made together append in call order.
    if (this.loaded !== loaded && this.stages[stage]?.loaded !== loaded) {
      throw new EngineError(
        "E_UNKNOWN_NODE",
        "the graph was replaced before the automation was scheduled",
        "schedule_automation.node",
      );
    }
    const node = loaded.graph.nodes[index] as GraphDescriptor["nodes"][number];
    const lanes = loaded.lanes.get(index) ?? new Map<string, Automation>();
    const existing = lanes.has(id)
      ? lanes.get(id)
      : Object.hasOwn(node.automation, id)
        ? node.automation[id]
        : undefined;
    const lane = automationAfter(existing, command.automation, command.mode);
    const params = { ...node.params, ...(loaded.liveParams[index] ?? {}) };
    const compiled = compileLane(
      loaded.graph,
      id,
      lane,
      staticParameterValue(type, params, id),
      {
        types: this.types,
        sampleRate: this.sampleRate,
        resolveBuffer: () => 0,
        readBufferChannel0: () => audio?.[0] ?? new Float32Array(0),
      },
      path,
    );
    const previous = existing;
    lanes.set(id, lane);
    loaded.lanes.set(index, lanes);
    const reply = await this.requestLane(index, id, compiled.base, compiled.timeline, stage);
    if (reply.type === "lane-applied") return;
    // Refused: the lane is what it was, unless a later call has replaced it since.
    if (lanes.get(id) === lane) {
      if (previous === undefined) lanes.delete(id);
      else lanes.set(id, previous);
    }
    const message = reply.type === "lane-failed" ? reply.message : reply.type;
    if (reply.type === "lane-failed" && reply.limit) {
      throw new EngineError("E_LIMIT", `the engine cannot hold this automation: ${message}`, path);
    }
    throw new EngineError("E_RENDER", `the worklet could not apply the automation: ${message}`);
  }

  /**
   * Sends MIDI events (already schema-checked) for `node`, notes as note-on and note-off, on their
   * frames: all of them or, with E_BACKPRESSURE or E_LIMIT, none. E_UNKNOWN_NODE at
   * schedule_events.node.
   */
  scheduleEvents(node: string, events: readonly MidiEvent[]): void {
    const { loaded, wire: index } = this.loadedNode(node, "schedule_events.node");
    const frameOf = (event: { timeline: "seconds" | "beats" }, time: number) =>
      this.frameAt(event.timeline === "beats" ? secondsAtBeat(loaded.graph.tempo, time) : time);
    const commands: DataPlaneCommand[] = [];
    for (const event of events) {
      const channel = event.channel - 1;
      if (event.type === "note") {
        const on = frameOf(event, event.time);
        const off = frameOf(event, event.time + event.duration);
        commands.push(
          {
            type: "midi",
            node: index,
            status: 0x90 | channel,
            data1: event.note,
            data2: event.velocity,
            atFrame: on,
          },
          { type: "midi", node: index, status: 0x80 | channel, data1: event.note, data2: 0, atFrame: off },
        );
      } else if (event.type === "cc") {
        const at = frameOf(event, event.time);
        commands.push({
          type: "midi",
          node: index,
          status: 0xb0 | channel,
          data1: event.controller,
          data2: event.value,
          atFrame: at,
        });
      } else {
        const bend = event.value + 8192;
        const at = frameOf(event, event.time);
        commands.push({
          type: "midi",
          node: index,
          status: 0xe0 | channel,
          data1: bend & 0x7f,
          data2: bend >> 7,
          atFrame: at,
        });
      }
    }
    this.feeder.sendTimed(commands, "schedule_events.events");
  }

  /**
   * Plays a live MIDI message (validated) into `node`, now or at transport time `atSeconds`, as
   * live_midi records (recorded while a MIDI recording runs). E_UNKNOWN_NODE at send_midi.node,
   * E_SCHEMA at send_midi.node for a node that takes no MIDI, E_BACKPRESSURE when the queues are
   * full. Resolves once taken, as setParameter.
   */
  async sendMidi(node: string, message: LiveMidiMessage, atSeconds?: number): Promise<void> {
    const { loaded, index, wire } = this.loadedNode(node, "send_midi.node");
    const graphNode = loaded.graph.nodes[index] as GraphDescriptor["nodes"][number];
    requireMidiNode(loaded.nodeTypes[index] as ProcessorTypeInfo, node, graphNode.node_id, "send_midi.node");
    const atFrame = atSeconds === undefined ? -1 : this.frameAt(atSeconds);
    const commands: DataPlaneCommand[] = liveMidiBytes(message).map(([status, data1, data2]) => ({
      type: "live_midi",
      node: wire,
      status,
      data1,
      data2,
      atFrame,
    }));
    if (atSeconds !== undefined) {
      this.feeder.sendTimed(commands, "send_midi");
      return;
    }
    await Promise.all(commands.map((command) => this.feeder.sendNow(command)));
  }

  /**
   * Starts recording the live MIDI the worklet applies (a take running starts over); resolves once
   * the worklet records. The ring is drained every MIDI_RECORD_DRAIN_MS meanwhile. A live render's
   * record (startRenderMidi) runs beside it, neither touching the other.
   */
  async startMidiRecording(): Promise<void> {
    // Ended first, its records awaited, so none of the old take's can land in the new one.
    if (this.midiRecording.take) await this.endMidiRecording("take");
    await this.beginMidiRecording("take");
  }

  /**
   * Stops the recording and returns it, every message the worklet recorded included (over
   * MessagePorts the last ones may trail the answer: waited for up to MIDI_RECORD_SETTLE_MS).
   * E_SCHEMA when no recording runs.
   */
  async stopMidiRecording(): Promise<MidiRecording> {
    if (!this.midiRecording.take) {
      throw new EngineError("E_SCHEMA", "no MIDI recording runs: call startMidiRecording first");
    }
    const { sampleRate, events, elapsedFrames, lost } = await this.endMidiRecording("take");
    return { sampleRate, events, elapsedFrames, lost };
  }

  /**
   * A live render's record_midi, or its record_automation of WAM nodes (live-render.ts): records the
   * live and scheduled MIDI applied and the parameter changes handed to WAM plugins until
   * stopRenderMidi(), beside a take (startMidiRecording) if one runs. E_HOST_UNAVAILABLE at `path`
   * (the option asking) while another live render records: its record would start over.
   */
  async startRenderMidi(path = "options.record_midi"): Promise<void> {
    if (this.midiRecording.render) {
      throw new EngineError(
        "E_HOST_UNAVAILABLE",
        "another live render is recording what its nodes play: start this one after it ends",
        path,
      );
    }
    await this.beginMidiRecording("render");
  }

  /**
   * Ends a live render's recording: every message applied and every parameter change handed to a
   * WAM plugin since startRenderMidi().
   */
  async stopRenderMidi(): Promise<MidiRecording & { parameters: RecordedParameterChange[] }> {
    return this.endMidiRecording("render");
  }

  private async beginMidiRecording(slot: MidiRecordSlot): Promise<void> {
    this.throwIfFaulted();
    // Before the worklet starts the slot: what it records from then on is all this recording's.
    this.midiRecord.open(slot);
    const reply = await this.ask({ type: "midi-record", on: true, slot });
    if (reply.type !== "midi-record-started") throw unexpectedReply(reply.type);
    this.midiRecording[slot] = true;
    this.drainWhileRecording();
  }

  private async endMidiRecording(
    slot: MidiRecordSlot,
  ): Promise<MidiRecording & { parameters: RecordedParameterChange[] }> {
    this.midiRecording[slot] = false;
    this.drainWhileRecording();
    const reply = await this.ask({ type: "midi-record", on: false, slot });
    if (reply.type !== "midi-record-stopped") throw unexpectedReply(reply.type);
    const deadline = Date.now() + MIDI_RECORD_SETTLE_MS;
    this.midiRecord.drain();
    while (this.midiRecord.received(slot) < reply.recorded && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      this.midiRecord.drain();
    }
    const lost = reply.lost + Math.max(0, reply.recorded - this.midiRecord.received(slot));
    return {
      sampleRate: this.sampleRate,
      ...this.midiRecord.take(slot),
      elapsedFrames: reply.elapsedFrames,
      lost,
    };
  }

  /** Keeps one drain timer running while either slot records, none once neither does. */
  private drainWhileRecording(): void {
    const recording = this.midiRecording.take || this.midiRecording.render;
    if (recording && this.midiRecordTimer === null) {
      this.midiRecordTimer = setInterval(() => this.midiRecord.drain(), MIDI_RECORD_DRAIN_MS);
    } else if (!recording) this.stopDraining();
  }

  private stopDraining(): void {
    if (this.midiRecordTimer !== null) clearInterval(this.midiRecordTimer);
    this.midiRecordTimer = null;
  }

  /** Sends `message` with a fresh id; resolves with the answer carrying it. */
  private ask(message: DistributiveOmit<WorkerToWorkletMessage, "id">): Promise<WorkletToWorkerMessage> {
    return new Promise((resolve) =>
      this.converse(message, (reply) => {
        resolve(reply);
        return true;
      }),
    );
  }

  /** Stops what runs on a timer (a MIDI recording's drain): the driver is going away. */
  dispose(): void {
    this.stopDraining();
  }

  /** E_RENDER while the worklet is faulted: what it plays now is silence, not the graph. */
  throwIfFaulted(): void {
    if (this.faultMessage !== null) {
      throw new EngineError(
        "E_RENDER",
        `the engine faulted (${this.faultMessage}) and outputs silence until restart()`,
      );
    }
  }

  private loadedNode(name: string, path: string): NodeRoute {
    const stage = this.stageOf.get(name);
    if (stage !== undefined) {
      const { loaded, base } = this.stages[stage] as LiveStage;
      const index = loaded.nodeIndex.get(name) as number;
      return { loaded, index, wire: base + index, stage };
    }
    const loaded = this.loaded;
    if (!loaded) throw new EngineError("E_UNKNOWN_NODE", "no graph is loaded", path);
    const index = this.stages.length > 0 ? undefined : loaded.nodeIndex.get(name);
    if (index === undefined) {
      throw new EngineError("E_UNKNOWN_NODE", `no node named "${name}" in the loaded graph`, path);
    }
    return { loaded, index, wire: index, stage: -1 };
  }

  private requestLane(
    node: number,
    param: string,
    base: number,
    timeline: TimelineEntry[],
    stage: number,
  ): Promise<WorkletToWorkerMessage> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, (reply) => {
        this.waiting.delete(id);
        resolve(reply);
      });
      this.port.postMessage({
        type: "lane",
        id,
        node,
        param,
        base,
        timeline,
        ...(stage >= 0 ? { stage } : {}),
      });
    });
  }

  private request(message: {
    program: GraphProgram;
    buffers: Float32Array[][];
    midiNaming: number;
  }): Promise<WorkletToWorkerMessage> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, (reply) => {
        this.waiting.delete(id);
        resolve(reply);
      });
      // Timed commands still waiting here name the old graph's nodes: they go, counted as dropped.
      const discarded = this.feeder.discardTimed();
      this.port.postMessage({ type: "load", ...message, id, discarded });
    });
  }
}

function unexpectedReply(type: string): EngineError {
  return new EngineError("E_INTERNAL", `the worklet answered ${type} to a MIDI recording request`);
}
