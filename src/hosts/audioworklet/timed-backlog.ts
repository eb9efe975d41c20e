/**
 * TimedBacklog: the engine Worker's queue of encoded timed commands the audio thread has no room for
 * yet, ordered by (frame, arrival): a binary min-heap of slots in typed arrays that grow by doubling
 * up to a fixed capacity. Records are kept encoded (command-codec.ts), so feeding one is a copy of
 * its bytes into the command ring.
 *
 * Why typed arrays and not objects: a flood holds a few hundred thousand commands here; as objects
 * they would cost the Worker garbage collections while it has to keep feeding the audio thread.
 *
 * Worker only (it allocates when it grows); the audio thread's twin is TimedCommandQueue.
 */
import { type CommandRing, MAX_COMMAND_BYTES } from "../../dataplane/command-codec";

const SLOT_BYTES = MAX_COMMAND_BYTES;
const INITIAL_SLOTS = 256;

export class TimedBacklog {
  private records = new Uint8Array(0);
  private lengths = new Uint8Array(0);
  private frames = new Float64Array(0);
  private seqs = new Float64Array(0);
  private heap = new Int32Array(0);
  private free = new Int32Array(0);
  private freeCount = 0;
  private slots = 0;
  private size = 0;
  private arrivals = 0;

  /**
   * An empty backlog of at most `capacity` records; it allocates as it fills.
   * @example
   * const backlog = new TimedBacklog(262144);
   */
  constructor(readonly capacity: number) {}

  /**
   * Records waiting.
   * @example
   * const backlog = new TimedBacklog(262144);
   * const room = backlog.capacity - backlog.length; // commands a call may still add
   */
  get length(): number {
    return this.size;
  }

  /**
   * The frame of the record due first; +Infinity when empty.
   * @example
   * const backlog = new TimedBacklog(16);
   * backlog.nextFrame(); // Infinity: nothing waits
   */
  nextFrame(): number {
    return this.size === 0 ? Number.POSITIVE_INFINITY : (this.frames[this.heap[0] as number] as number);
  }

  /**
   * Adds the encoded record `source[offset, offset + length)`, due at `frame`. The caller checks
   * `length < capacity` first; adding to a full backlog throws.
   * @example
   * const backlog = new TimedBacklog(16);
   * backlog.add(commandRecord, commandRecord.length, 0, 96000); // an encoded command for frame 96000
   */
  add(source: Uint8Array, length: number, offset: number, frame: number): void {
    if (this.freeCount === 0) this.grow();
    const slot = this.free[--this.freeCount] as number;
    this.records.set(source.subarray(offset, offset + length), slot * SLOT_BYTES);
    this.lengths[slot] = length;
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
  }

  /**
   * Pushes the record due first into `ring` and removes it; false (nothing removed) when it does not
   * fit or the backlog is empty.
   * @example
   * const backlog = new TimedBacklog(16);
   * backlog.add(commandRecord, commandRecord.length, 0, 96000);
   * backlog.writeNext(commandRing); // true: it is in the ring now
   */
  writeNext(ring: CommandRing): boolean {
    if (this.size === 0) return false;
    const slot = this.heap[0] as number;
    if (!ring.pushAll(this.records, this.lengths[slot] as number, slot * SLOT_BYTES)) return false;
    this.removeTop();
    return true;
  }

  /**
   * Removes every record; returns how many there were.
   * @example
   * const backlog = new TimedBacklog(16);
   * const discarded = backlog.clear(); // the graph they named was replaced
   */
  clear(): number {
    const cleared = this.size;
    for (let i = 0; i < this.size; i++) this.free[this.freeCount++] = this.heap[i] as number;
    this.size = 0;
    return cleared;
  }

  private removeTop(): void {
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
  }

  private grow(): void {
    const old = this.slots;
    if (old >= this.capacity) throw new Error(`TimedBacklog: full (${this.capacity} records)`);
    const slots = Math.min(this.capacity, Math.max(INITIAL_SLOTS, 2 * old));
    this.records = grown(this.records, new Uint8Array(slots * SLOT_BYTES));
    this.lengths = grown(this.lengths, new Uint8Array(slots));
    this.frames = grown(this.frames, new Float64Array(slots));
    this.seqs = grown(this.seqs, new Float64Array(slots));
    this.heap = grown(this.heap, new Int32Array(slots));
    this.free = grown(this.free, new Int32Array(slots));
    for (let slot = slots - 1; slot >= old; slot--) this.free[this.freeCount++] = slot;
    this.slots = slots;
  }

  private before(x: number, y: number): boolean {
    const fx = this.frames[x] as number;
    const fy = this.frames[y] as number;
    return fx < fy || (fx === fy && (this.seqs[x] as number) < (this.seqs[y] as number));
  }
}

function grown<T extends Uint8Array | Int32Array | Float64Array>(old: T, larger: T): T {
  larger.set(old);
  return larger;
}
