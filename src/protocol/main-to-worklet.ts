/**
 * Main thread -> audio thread: what the main thread gives the engine's AudioWorkletNode, at
 * construction (processorOptions) and afterwards on `node.port`. Never per quantum. The processor
 * answers with WorkletToMainMessage (worklet-to-main.ts).
 */
import type { BlockHandle, RingHandle } from "../dataplane/data-plane";
import type { GraphProgram } from "../engine/graph-program";
import type { WamLaneData } from "../wam/wam-lanes";

/** The name the engine's processor registers under; the main thread creates its node by it. */
export const ENGINE_PROCESSOR_NAME = "webdreamer-engine";

/** The processor's constructor options (structured-cloned: no ports, no transfers). */
export interface EngineProcessorOptions {
  /** engine.wasm, compiled on the main thread; instantiated synchronously in the processor. */
  module: WebAssembly.Module;
  /** A fixed graph to play from frame 0 (omit when graphs arrive from the engine Worker). */
  program?: GraphProgram;
  /** Frames per engine block (default 128). */
  blockSize?: number;
  /** Audio the program refers to as engine buffer ids 0, 1, ... (planar channels each). */
  buffers?: Float32Array[][];
  /**
   * True: the transport starts stopped and follows the command ring (the real-time host). False: the
   * program plays at once while the context runs (smoke tests, comparison pages, offline contexts).
   */
  followCommands?: boolean;
  /**
   * Set for a stage of a graph partitioned around WAM nodes (src/wam/partition.ts): the node has this
   * many inputs and outputs (each output with its tap's channels, each input with what feeds it:
   * EngineWorkletOptions.stage), read and written by the program's stage ports; the engine's own
   * output is discarded.
   */
  stage?: {
    inputs: number;
    outputs: number;
    /** Real time: follow the primary's transport in this stage group (stage-group.ts). */
    follow?: string;
    /** Real time: the stage's index in the partitioned graph (commands name its nodes through it). */
    index?: number;
  };
}

export type MainToWorkletMessage =
  /** Where to publish the transport and meter blocks every quantum. */
  | {
      type: "connect-blocks";
      transport: BlockHandle;
      meters: BlockHandle;
      /** The meters of the nodes a graph names in extensions.meters (node-meter-tap.ts), two channels a node. */
      nodeMeters?: BlockHandle;
    }
  /** A direct channel from the engine Worker (WorkerToWorkletMessage arrives on it). */
  | { type: "connect-control"; port: MessagePort }
  /** After a fault: a fresh engine instance with the last graph and buffers. */
  | { type: "restart" }
  /**
   * Record the live audio input into `ring` (stereo, interleaved) from the next quantum the transport
   * plays whole (input-record-tap.ts); start answers input-record-armed (with its `take`, which
   * counts the starts of one LiveInputPort), stop input-record-stopped.
   */
  | { type: "input-record-start"; ring: RingHandle; take: number }
  | { type: "input-record-stop" }
  /** Test hook: make the next quantum trap inside engine.wasm. */
  | { type: "trap-for-testing" }
  /**
   * A WAM graph plays: lead stage group `groupId` (its stages follow this node's transport).
   * `stageNodeCounts`: program nodes of each stage, which number the nodes commands name.
   * `midiNaming`: the generation of the group's MIDI naming (WorkletDriver.setStages), marked in the
   * MIDI recording ring when the group starts (midi-record-naming.ts).
   */
  | { type: "lead-stage-group"; groupId: string; stageNodeCounts: number[]; midiNaming: number }
  /** The WAM graph is gone: its stages stop, its WAMs get no more events. */
  | { type: "end-stage-group" }
  /** The WAM nodes' MIDI and automation, handed to their processors as the transport plays them. */
  | { type: "wam-lanes"; groupId: string; groupKey: string; lanes: WamLaneData[] }
  /**
   * Live commands for a WAM node (timed setParameter, scheduleEvents): events handed to its
   * processor once, when the transport reaches their frames (wam-event-lanes.ts).
   */
  | {
      type: "wam-events";
      instanceId: string;
      events: WamLaneData["events"];
      frames: number[];
      /** From scheduleEvents, not a live message (MIDI recordings keep them for a render only). */
      scheduled?: boolean;
    }
  /** Live automation of a WAM node (scheduleAutomation): parameter `param`'s events become these. */
  | {
      type: "wam-lane-param";
      instanceId: string;
      param: string;
      events: WamLaneData["events"];
      frames: number[];
    };

/**
 * The name the time probe registers under (time-probe-processor.ts): an AudioWorkletNode that notes
 * when the audio thread reaches it in each quantum, to time the nodes rendered before it
 * (wam-cost-meter.ts). It never runs in a playing graph.
 */
export const TIME_PROBE_PROCESSOR_NAME = "webdreamer-time-probe";

/** The time probe's constructor options. */
export interface TimeProbeOptions {
  /** Quanta to time; the probe then posts its TimeProbeReport once and stops timing. */
  quanta: number;
}

/**
 * What a time probe posts once, after its last timed quantum: the audio thread's clock (Temporal,
 * the only clock the worklet scope has) when each quantum reached the probe, in microseconds from an
 * origin all probes share, or `clock: false` when the scope has no Temporal.
 */
export type TimeProbeReport = { clock: true; times: Float64Array } | { clock: false };
