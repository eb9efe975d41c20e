/**
 * Audio thread -> engine Worker, on the control port: answers to WorkerToWorkletMessage, each carrying
 * the id of the request it answers. Captured audio itself goes through the capture ring.
 */
export type WorkletToWorkerMessage =
  | { type: "loaded"; id: number }
  | { type: "load-failed"; id: number; message: string }
  /** The capture is armed: start the transport now and the first frame played is captured. */
  | { type: "capture-armed"; id: number }
  /**
   * The capture ended: `frames` frames played, `lost` of them did not fit in the ring; the output
   * held `nonFiniteSamples` NaN or ±Infinity samples (played as 0) in the capture's quanta (the
   * last one whole, so the first may lie past `frames`), the first at capture frame
   * `nonFiniteFirstFrame` (-1: none).
   */
  | {
      type: "captured";
      id: number;
      frames: number;
      lost: number;
      nonFiniteSamples: number;
      nonFiniteFirstFrame: number;
    };
