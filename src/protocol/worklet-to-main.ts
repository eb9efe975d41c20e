/**
 * Audio thread -> main thread, on `node.port`: the processor's answers to MainToWorkletMessage and
 * its one unsolicited event, a fault. Posted at setup, on a fault and on a restart; never per quantum.
 */
export type WorkletToMainMessage =
  /** The engine instantiated; the node is ready to play. */
  | { type: "ready"; outputChannels: number }
  /** The engine could not start (the node outputs silence). */
  | { type: "error"; message: string }
  /** engine.wasm trapped: the node outputs silence until a restart. Sent once per fault. */
  | { type: "fault"; message: string }
  /** A restart finished: the engine plays the last graph again. */
  | { type: "restarted" }
  /** A stage of a real-time WAM graph joined group `groupId`: it plays in step from this quantum. */
  | { type: "joined"; groupId: string }
  /**
   * The live input recording is armed on the audio thread: a play sent after this is recorded from
   * its first whole quantum (the arm travels on the port, play on the command ring, which the audio
   * thread may read first). `take`: the input-record-start's, so that a late answer to a start that
   * timed out is not taken for a newer start's.
   */
  | { type: "input-record-armed"; take: number }
  /** The live input recording stopped: where its take sits (input-record-tap.ts). */
  | {
      type: "input-record-stopped";
      startFrame: number;
      startContextFrame: number;
      frames: number;
      lostFrames: number;
    };
