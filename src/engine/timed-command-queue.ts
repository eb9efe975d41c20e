/**
 * TimedCommandQueue: the audio thread's queue of commands waiting for their transport frame, a binary
 * min-heap ordered by (frame, arrival), in fixed typed arrays allocated once.
 *
 * Why a heap: commands arrive in any frame order (a note-off lands after the next note-on; a caller
 * may schedule an earlier frame after a later one). A sorted array pays a shift of the whole queue
 * per out-of-order insert and per pop; a heap pays log2(capacity) swaps of one Int32 each, so a
 * quantum that receives or applies thousands of commands stays far inside its time budget.
 *
 * Order: the smallest frame first; equal frames in arrival order (the `seq` tie-break), so
 * same-frame commands apply in the order they were sent.
 *
 * Audio-path rules: nothing allocates after construction, nothing throws. A full queue refuses the
 * push (false); the engine Worker never sends more timed commands than fit (see command-feeder.ts),
 * so a refusal means a bug and is counted by the caller.
 */
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

  private readonly frame: Float64Array;
  private readonly seq: Float64Array;
  /** heap[0..length) are slot indices, ordered as a binary min-heap on (frame, seq). */
  private readonly heap: Int32Array;
  /** free[0..freeCount) are unused slot indices. */
  private readonly free: Int32Array;
  private freeCount: number;
  private size = 0;
  private arrivals = 0;

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
    this.frame = new Float64Array(capacity);
    this.seq = new Float64Array(capacity);
    this.heap = new Int32Array(capacity);
    this.free = new Int32Array(capacity);
    for (let i = 0; i < capacity; i++) this.free[i] = capacity - 1 - i;
    this.freeCount = capacity;
  }

  /**
   * Entries waiting.
   * @example
   * const queue = new TimedCommandQueue(4);
   * queue.push(96000, 1, 3, 0, 0.5, 0);
   * queue.length; // 1
   */
  get length(): number {
    return this.size;
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
    return this.size === 0 ? Number.POSITIVE_INFINITY : (this.frame[this.heap[0] as number] as number);
  }

  /**
   * Adds an entry due at `frame`; false (nothing stored) when the queue is full.
   * @example
   * const queue = new TimedCommandQueue(4096);
   * const taken = queue.push(96000, 1, 3, 0, 0.5, 0); // kind 1 (set_parameter): node 3, param 0, 0.5
   */
  push(frame: number, kind: number, a: number, b: number, c: number, d: number): boolean {
    if (this.freeCount === 0) return false;
    const slot = this.free[--this.freeCount] as number;
    this.frame[slot] = frame;
    this.seq[slot] = this.arrivals++;
    this.kind[slot] = kind;
    this.a[slot] = a;
    this.b[slot] = b;
    this.c[slot] = c;
    this.d[slot] = d;
    const heap = this.heap;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = heap[parent] as number;
      if (!this.before(slot, above)) break;
      heap[i] = above;
      i = parent;
    }
    heap[i] = slot;
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
    if (this.size === 0) return -1;
    const heap = this.heap;
    const top = heap[0] as number;
    const last = heap[--this.size] as number;
    const n = this.size;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && this.before(heap[right] as number, heap[left] as number)) child = right;
      const below = heap[child] as number;
      if (!this.before(below, last)) break;
      heap[i] = below;
      i = child;
    }
    if (n > 0) heap[i] = last;
    this.free[this.freeCount++] = top;
    return top;
  }

  /**
   * Removes every entry; returns how many there were.
   * @example
   * const queue = new TimedCommandQueue(4);
   * queue.push(96000, 1, 3, 0, 0.5, 0);
   * const dropped = queue.clear(); // 1: a new graph, the queued node indices mean nothing now
   */
  clear(): number {
    const cleared = this.size;
    for (let i = 0; i < this.size; i++) this.free[this.freeCount++] = this.heap[i] as number;
    this.size = 0;
    return cleared;
  }

  private before(x: number, y: number): boolean {
    const fx = this.frame[x] as number;
    const fy = this.frame[y] as number;
    return fx < fy || (fx === fy && (this.seq[x] as number) < (this.seq[y] as number));
  }
}
