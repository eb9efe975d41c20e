/**
 * FrameOrderedSlots: slot indices ordered by (frame, arrival) in a binary min-heap over typed arrays.
 * The owner keeps each slot's payload in arrays of its own, indexed by slot; this class only decides
 * which slot is due first and which slots are free.
 *
 * Why a heap: timed commands arrive in any frame order (a note-off lands after the next note-on; a
 * caller may schedule an earlier frame after a later one). A sorted array pays a shift of the whole
 * queue per out-of-order insert and per pop; a heap pays log2(size) moves of one Int32 each.
 *
 * Order: the smallest frame first; equal frames in arrival order (the `seq` tie-break), so
 * same-frame commands apply in the order they were sent.
 *
 * Two owners: the audio thread's TimedCommandQueue (fixed slots, allocated once: nothing here
 * allocates unless `resize` is called) and the engine Worker's TimedBacklog (grows by `resize`).
 */
export class FrameOrderedSlots {
  private frames: Float64Array;
  private seqs: Float64Array;
  /** heap[0..size) are slot indices, ordered as a binary min-heap on (frame, seq). */
  private heap: Int32Array;
  /** free[0..freeCount) are unused slot indices. */
  private free: Int32Array;
  private freeCount: number;
  private size = 0;
  private arrivals = 0;

  /**
   * `slots` free slots, numbered 0..slots-1 (allocates now).
   * @example
   * const order = new FrameOrderedSlots(4096);
   */
  constructor(slots: number) {
    this.frames = new Float64Array(slots);
    this.seqs = new Float64Array(slots);
    this.heap = new Int32Array(slots);
    this.free = new Int32Array(slots);
    for (let i = 0; i < slots; i++) this.free[i] = slots - 1 - i;
    this.freeCount = slots;
  }

  /**
   * Slots it holds, free or taken.
   * @example
   * new FrameOrderedSlots(16).slots; // 16
   */
  get slots(): number {
    return this.heap.length;
  }

  /**
   * Slots taken (waiting to be popped).
   * @example
   * const order = new FrameOrderedSlots(4);
   * order.take(96000);
   * order.length; // 1
   */
  get length(): number {
    return this.size;
  }

  /**
   * The frame of the slot due first; +Infinity when none is taken.
   * @example
   * const order = new FrameOrderedSlots(4);
   * order.take(96000);
   * order.take(48000);
   * order.nextFrame(); // 48000
   */
  nextFrame(): number {
    return this.size === 0 ? Number.POSITIVE_INFINITY : (this.frames[this.heap[0] as number] as number);
  }

  /**
   * The slot due first, still taken; -1 when none is.
   * @example
   * const order = new FrameOrderedSlots(4);
   * const slot = order.take(96000);
   * order.peek() === slot; // true
   */
  peek(): number {
    return this.size === 0 ? -1 : (this.heap[0] as number);
  }

  /**
   * Takes a free slot due at `frame` and returns it, for the owner to fill its payload; -1 when no
   * slot is free.
   * @example
   * const order = new FrameOrderedSlots(4);
   * const slot = order.take(96000); // write the payload at index `slot`
   */
  take(frame: number): number {
    if (this.freeCount === 0) return -1;
    const slot = this.free[--this.freeCount] as number;
    this.frames[slot] = frame;
    this.seqs[slot] = this.arrivals++;
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
    return slot;
  }

  /**
   * Frees the slot due first and returns it; its payload stays until the next `take`. -1 when none
   * is taken.
   * @example
   * const order = new FrameOrderedSlots(4);
   * order.take(96000);
   * const slot = order.pop(); // read the payload at `slot` before the next take
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
   * Frees every slot; returns how many were taken.
   * @example
   * const order = new FrameOrderedSlots(4);
   * order.take(96000);
   * order.clear(); // 1
   */
  clear(): number {
    const cleared = this.size;
    for (let i = 0; i < this.size; i++) this.free[this.freeCount++] = this.heap[i] as number;
    this.size = 0;
    return cleared;
  }

  /**
   * Grows to `slots` slots, keeping every taken slot and its order (allocates: never on the audio
   * thread). The new slots are free.
   * @example
   * const order = new FrameOrderedSlots(256);
   * order.resize(512);
   */
  resize(slots: number): void {
    const old = this.heap.length;
    if (slots <= old) return;
    this.frames = grown(this.frames, new Float64Array(slots));
    this.seqs = grown(this.seqs, new Float64Array(slots));
    this.heap = grown(this.heap, new Int32Array(slots));
    this.free = grown(this.free, new Int32Array(slots));
    for (let slot = slots - 1; slot >= old; slot--) this.free[this.freeCount++] = slot;
  }

  private before(x: number, y: number): boolean {
    const fx = this.frames[x] as number;
    const fy = this.frames[y] as number;
    return fx < fy || (fx === fy && (this.seqs[x] as number) < (this.seqs[y] as number));
  }
}

/** `larger` holding `old`'s values at the front. */
export function grown<T extends Uint8Array | Int32Array | Float64Array>(old: T, larger: T): T {
  larger.set(old);
  return larger;
}
