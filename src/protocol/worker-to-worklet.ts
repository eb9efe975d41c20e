/**
 * Engine Worker -> audio thread, on the control port the main thread handed both sides
 * ("connect-control"): the data plane's rings, graphs to load, captures to arm. Commands themselves
 * (parameters, MIDI, transport) never travel here: they go through the command ring
 * (dataplane/command-codec.ts). The processor answers with WorkletToWorkerMessage.
 */
import type { BlockHandle, DoorbellHandle, RingHandle } from "../dataplane/data-plane";
import type { GraphProgram, TimelineEntry } from "../engine/graph-program";

/**
 * The recordings the MIDI recording ring carries side by side (midi-record-tap.ts): "take", the user's
 * (startMidiRecording: the live MIDI applied), and "render", a live render's record (record_midi and
 * the WAM parameter changes of record_automation: live and scheduled MIDI, and those changes).
 */
export type MidiRecordSlot = "take" | "render";

export type WorkerToWorkletMessage =
  /**
   * The command ring (bytes in), the doorbell a live render's capture rings, and the Worker's own
   * transport block: the processor writes it every quantum, as it writes the main thread's, so the
   * Worker reads how many timed commands the audio thread has done (flow control).
   */
  | {
      type: "connect-commands";
      commands: RingHandle;
      bell: DoorbellHandle;
      progress: BlockHandle;
      /** The MIDI recording ring (midi-record-tap.ts): the processor writes, the Worker drains. */
      midiRecord: RingHandle;
    }
  /**
   * A new graph; the transport keeps its position and state. Answered by loaded or load-failed.
   * `discarded`: timed commands for the old graph the Worker dropped from its backlog, counted in
   * the transport block's dropped commands.
   */
  | {
      type: "load";
      id: number;
      program: GraphProgram;
      buffers: Float32Array[][];
      discarded: number;
      /**
       * The generation of the graph's MIDI naming (midi-record-naming.ts): once it plays, the MIDI
       * recording ring is marked with it, so what was recorded before keeps the old graph's names.
       */
      midiNaming: number;
    }
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
  /**
   * Starts (`on`) or stops one recording of the MIDI recording ring, `slot`: the user's take or a
   * live render's record (MidiRecordSlot); the other slot records on untouched. Answered by
   * midi-record-started, or midi-record-stopped with what the slot recorded.
   */
  | { type: "midi-record"; id: number; on: boolean; slot: MidiRecordSlot }
  /**
   * The value program node `node`'s parameter `param` (its index) has now: read once between two
   * quanta, after the commands already in the ring. Answered by parameter-value.
   */
  | { type: "get-parameter"; id: number; node: number; param: number }
  /**
   * A live render begins (src/hosts/audioworklet/live-render.ts): the processor applies the commands
   * already in the ring, keeps the transport as it is (HeldTransport), pauses and turns the loop off.
   * Answered by live-held.
   */
  | { type: "live-hold"; id: number }
  /**
   * Arms the live render's capture (live-capture-tap.ts) and plays: seek to `startFrame`, skip
   * `skipFrames` (the preroll), then copy `frames` frames of each source into `ring`, frame-interleaved,
   * each source's own channels up to `maxChannels`. A source is a program node index, -1 for the
   * engine's output, or -2 for what the node plays (a WAM graph's return). After the sources' channels
   * each frame carries the recorded parameters of each of `parameterSources` (record_automation: the
   * program node index and its parameter count; with `stage`, the node's index in that stage of the
   * real-time WAM graph, read from the stage's engine). Answered by live-armed, then live-captured once
   * every frame is in.
   */
  | {
      type: "live-arm";
      id: number;
      startFrame: number;
      skipFrames: number;
      frames: number;
      sources: number[];
      parameterSources?: { node: number; params: number; stage?: number }[];
      maxChannels: number;
      ring: RingHandle;
    }
  /** The live render ends: disarm a capture still running and put the held transport back. Answered by live-released. */
  | { type: "live-release"; id: number };
