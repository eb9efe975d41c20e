/** The transport a live render found, and puts back at its end (live-hold, live-release). */
export interface HeldTransport {
  running: boolean;
  positionFrames: number;
  positionBeats: number;
  loopEnabled: boolean;
  loopStartFrames: number;
  loopEndFrames: number;
}

/**
 * Audio thread -> engine Worker, on the control port: answers to WorkerToWorkletMessage, each carrying
 * the id of the request it answers, and two events with id 0 (a fault, a restart). A live render's
 * captured audio itself goes through the ring it armed (live-arm).
 */
export type WorkletToWorkerMessage =
  | { type: "loaded"; id: number }
  /** The slot asked for records from now on. */
  | { type: "midi-record-started"; id: number }
  /**
   * A parameter's value (get-parameter) and the transport frame it belongs to: the value the node had
   * on the last frame rendered, `frame` the next frame to play (NaN value: no such node here).
   */
  | { type: "parameter-value"; id: number; value: number; frame: number }
  /**
   * The slot stopped recording: `recorded` of its records went into the ring since its start (drain
   * until that many of its records have arrived: over MessagePorts the last ones travel on the ring's
   * own port), `lost` did not fit, and the transport played `elapsedFrames` frames meanwhile.
   */
  | { type: "midi-record-stopped"; id: number; recorded: number; lost: number; elapsedFrames: number }
  /** A lane message was applied: from the next quantum on the parameter follows it. */
  | { type: "lane-applied"; id: number }
  /** A lane message was refused (the lane as it was); `limit`: for memory. */
  | { type: "lane-failed"; id: number; message: string; limit: boolean }
  /**
   * The graph was not loaded; the previous one plays on. `limitNode`: refused for memory before any
   * was taken (E_LIMIT at that program node).
   */
  | { type: "load-failed"; id: number; message: string; limitNode?: number }
  /** engine.wasm trapped: the worklet outputs silence until a restart (also sent to the main thread). */
  | { type: "fault"; id: 0; message: string }
  /** A restart finished: the worklet plays its graph again. */
  | { type: "restarted"; id: 0 }
  /** live-hold done: the transport as it was (now paused, loop off). */
  | { type: "live-held"; id: number; transport: HeldTransport }
  /** live-arm done and playing: each source's channels in the ring's frames, in source order. */
  | { type: "live-armed"; id: number; ownChannels: number[] }
  /**
   * The live capture is complete (the transport paused on its last frame): `frames` kept, `lost` of
   * them did not fit in the ring; per source, the NaN or ±Infinity samples played as 0 since the
   * capture was armed (preroll included; whole quanta) and the first one's capture frame (-1: none).
   */
  | {
      type: "live-captured";
      id: number;
      frames: number;
      lost: number;
      nonFiniteSamples: number[];
      nonFiniteFirstFrames: number[];
    }
  /** live-release done: the transport is back as it was held. */
  | { type: "live-released"; id: number; transport: HeldTransport };
