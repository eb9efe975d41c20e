/**
 * TimedCommandQueue: the audio thread's queue of commands waiting for their transport frame, a binary
 * min-heap ordered by (frame, arrival), in fixed typed arrays allocated once.
 *
 * The order (a heap, why, and the tie-break keeping same-frame commands in arrival order) is
 * FrameOrderedSlots', shared with the engine Worker's TimedBacklog; this class holds the payloads.
 * A heap lets a quantum that receives or applies thousands of commands stay far inside its budget.
 *
 * Audio-path rules: nothing allocates after construction, nothing throws. A full queue refuses the
 * push (false); the engine Worker never sends more timed commands than fit (see command-feeder.ts),
 * so a refusal means a bug and is counted by the caller.
 */
import { FrameOrderedSlots } from "../dataplane/frame-ordered-slots";

export class TimedCommandQueue {
  /** Entries it holds at most. */
  readonly capacity: number;
  /**
   * The payload of each slot: `kind` and four numbers. A popped slot keeps its values until the
   * next push, so the caller reads them after `pop()` without a copy.
   */
  readonly kind: Uint8Array;
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly c: Float64Array;
  readonly d: Float64Array;

  private readonly order: FrameOrderedSlots;

  /**
   * Allocates every array now (setup only).
   * @example
   * const queue = new TimedCommandQueue(4096);
   */
  constructor(capacity: number) {
    this.capacity = capacity;
    this.kind = new Uint8Array(capacity);
    this.a = new Float64Array(capacity);
    this.b = new Float64Array(capacity);
    this.c = new Float64Array(capacity);
    this.d = new Float64Array(capacity);
    this.order = new FrameOrderedSlots(capacity);
  }

  /**
   * Entries waiting.
   * @example
   * const queue = new TimedCommandQueue(4);
   * queue.push(96000, 1, 3, 0, 0.5, 0);
   * queue.length; // 1
   */
  get length(): number {
    return this.order.length;
  }

  /**
   * The frame of the next entry due; +Infinity when empty.
   * @example
   * const queue = new TimedCommandQueue(4);
   * queue.push(96000, 1, 3, 0, 0.5, 0);
   * queue.push(48000, 1, 3, 0, 0.25, 0);
   * queue.nextFrame(); // 48000
   */
  nextFrame(): number {
    return this.order.nextFrame();
  }

  /**
   * Adds an entry due at `frame`; false (nothing stored) when the queue is full.
   * @example
   * const queue = new TimedCommandQueue(4096);
   * const taken = queue.push(96000, 1, 3, 0, 0.5, 0); // kind 1 (set_parameter): node 3, param 0, 0.5
   */
  push(frame: number, kind: number, a: number, b: number, c: number, d: number): boolean {
    const slot = this.order.take(frame);
    if (slot < 0) return false;
    this.kind[slot] = kind;
    this.a[slot] = a;
    this.b[slot] = b;
    this.c[slot] = c;
    this.d[slot] = d;
    return true;
  }

  /**
   * Removes the entry due first and returns its slot (read `kind[slot]`, `a[slot]`, ... before the
   * next push); -1 when empty.
   * @example
   * const queue = new TimedCommandQueue(4);
   * queue.push(96000, 1, 3, 0, 0.5, 0);
   * const slot = queue.pop();
   * const [node, value] = [queue.a[slot], queue.c[slot]]; // 3, 0.5
   */
  pop(): number {
    return this.order.pop();
  }

  /**
   * Removes every entry; returns how many there were.
   * @example
   * const queue = new TimedCommandQueue(4);
   * queue.push(96000, 1, 3, 0, 0.5, 0);
   * const dropped = queue.clear(); // 1: a new graph, the queued node indices mean nothing now
   */
  clear(): number {
    return this.order.clear();
  }
}
