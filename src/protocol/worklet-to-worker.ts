/**
 * Audio thread -> engine Worker, on the control port: answers to WorkerToWorkletMessage, each carrying
 * the id of the request it answers. Captured audio itself goes through the capture ring.
 */
export type WorkletToWorkerMessage =
  | { type: "loaded"; id: number }
  | { type: "load-failed"; id: number; message: string }
  /** The capture is armed: start the transport now and the first frame played is captured. */
  | { type: "capture-armed"; id: number }
  /** The capture ended: `frames` frames played, `lost` of them did not fit in the ring. */
  | { type: "captured"; id: number; frames: number; lost: number };
