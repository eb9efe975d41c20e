/**
 * InputRecordTap (audio thread): records the engine node's live audio input (input 1,
 * live-input-node.ts) into a ring the main thread drains (live-input.ts), while the transport plays.
 *
 * A take starts at the first quantum the transport plays whole after the recording is armed, so
 * "arm, then play" starts the take exactly where play starts; `startFrame` is that quantum's first
 * transport frame and `startContextFrame` its context frame (currentFrame). From then on every quantum
 * the transport plays is appended, two channels interleaved (a mono input is copied to both, an
 * unconnected one is silence): take sample i was received while the transport played frame
 * startFrame + i. The main thread subtracts the input latency (src/api/live-input.ts).
 *
 * Audio-path rules: quantum() copies into a preallocated scratch and pushes it whole into the ring
 * (pushAll: a full ring counts the quantum lost, nothing is allocated or posted); arming and stopping
 * are message handlers, between quanta; the only message is the answer to stop.
 */
import type { DataRing } from "../../dataplane/spsc-ring";
import { LIVE_INPUT_CHANNELS } from "../../engine/live-input-node";

/** Where a take sits on the transport and what it lost (posted once, at its stop). */
export interface InputTakeMarks {
  /** Transport frame of the take's first sample, or -1 when the transport never played. */
  startFrame: number;
  /** Context frame (AudioWorkletGlobalScope.currentFrame) of the take's first sample, or -1. */
  startContextFrame: number;
  /** Frames recorded (pushed or lost). */
  frames: number;
  /** Frames the ring could not hold (whole quanta). */
  lostFrames: number;
}

export class InputRecordTap {
  private ring: DataRing<Float32Array> | null = null;
  private started = false;
  private readonly marks: InputTakeMarks = {
    startFrame: -1,
    startContextFrame: -1,
    frames: 0,
    lostFrames: 0,
  };
  private readonly scratch: Float32Array;

  constructor(maxQuantum = 128) {
    this.scratch = new Float32Array(maxQuantum * LIVE_INPUT_CHANNELS);
  }

  /** True while armed (recording or waiting for the transport to play). */
  get armed(): boolean {
    return this.ring !== null;
  }

  /** Control: records into `ring` from the next quantum the transport plays whole. */
  arm(ring: DataRing<Float32Array>): void {
    this.ring = ring;
    this.started = false;
    this.marks.startFrame = -1;
    this.marks.startContextFrame = -1;
    this.marks.frames = 0;
    this.marks.lostFrames = 0;
  }

  /** Control: stops, sends what the ring buffers (the MessagePort fallback batches), returns the marks. */
  stop(): InputTakeMarks {
    this.ring?.flush?.();
    this.ring = null;
    return { ...this.marks };
  }

  /**
   * Audio, after the quantum rendered: `input` is the node's live input, `positionAfter` the transport
   * frame after the quantum, `advanced` the frames the transport played in it, `contextFrame` the
   * quantum's first context frame.
   */
  quantum(
    input: Float32Array[] | undefined,
    frames: number,
    playing: boolean,
    positionAfter: number,
    advanced: number,
    contextFrame: number,
  ): void {
    const ring = this.ring;
    if (ring === null || !playing) return;
    if (!this.started) {
      // A quantum in which play began part way through holds frames the transport did not play.
      if (advanced !== frames) return;
      this.started = true;
      this.marks.startFrame = positionAfter - frames;
      this.marks.startContextFrame = contextFrame;
    }
    const scratch = this.scratch;
    const left = input === undefined || input.length === 0 ? undefined : input[0];
    const right = input === undefined || input.length === 0 ? undefined : (input[1] ?? input[0]);
    for (let i = 0; i < frames; i++) {
      scratch[2 * i] = left === undefined ? 0 : (left[i] as number);
      scratch[2 * i + 1] = right === undefined ? 0 : (right[i] as number);
    }
    this.marks.frames += frames;
    if (!ring.pushAll(scratch, frames * LIVE_INPUT_CHANNELS)) this.marks.lostFrames += frames;
  }
}
