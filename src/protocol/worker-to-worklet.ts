/**
 * Engine Worker -> audio thread, on the control port the main thread handed both sides
 * ("connect-control"): the data plane's rings, graphs to load, captures to arm. Commands themselves
 * (parameters, MIDI, transport) never travel here: they go through the command ring
 * (dataplane/command-codec.ts). The processor answers with WorkletToWorkerMessage.
 */
import type { BlockHandle, DoorbellHandle, RingHandle } from "../dataplane/data-plane";
import type { GraphProgram, TimelineEntry } from "../engine/graph-program";

export type WorkerToWorkletMessage =
  /**
   * The command ring (bytes in), the capture ring (interleaved stereo out) and its doorbell, and the
   * Worker's own transport block: the processor writes it every quantum, as it writes the main
   * thread's, so the Worker reads how many timed commands the audio thread has done (flow control).
   */
  | {
      type: "connect-commands";
      commands: RingHandle;
      capture: RingHandle;
      bell: DoorbellHandle;
      progress: BlockHandle;
    }
  /**
   * A new graph; the transport keeps its position and state. Answered by loaded or load-failed.
   * `discarded`: timed commands for the old graph the Worker dropped from its backlog, counted in
   * the transport block's dropped commands.
   */
  | { type: "load"; id: number; program: GraphProgram; buffers: Float32Array[][]; discarded: number }
  /**
   * A live automation lane (scheduleAutomation): parameter `param` of program node `node` takes
   * `timeline` (its entries only) and the value `base` before them, in place, between quanta
   * (EngineSlot.replaceLane). Answered by lane-applied or lane-failed. With `stage`, `node` is a node
   * of that stage of the WAM graph playing (stage-group.ts), not of the primary's graph.
   */
  | {
      type: "lane";
      id: number;
      node: number;
      param: string;
      base: number;
      timeline: TimelineEntry[];
      stage?: number;
    }
  /** Copy the next `frames` frames played into the capture ring; id 0 disarms a capture. */
  | { type: "capture"; id: number; frames: number };
