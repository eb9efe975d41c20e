/**
 * SpscRing: a wait-free single-producer single-consumer ring of typed-array elements, in a
 * SharedArrayBuffer shared by two threads (or a plain ArrayBuffer used by one). Our own twin of
 * ringbuf.js's algorithm (padenot/ringbuf.js, the reference; see docs/dataplane.md).
 *
 * Memory layout (byte offsets from `byteOffset`, which is a multiple of 8; header words are Uint32
 * in platform byte order, little-endian wherever WebAssembly runs, accessed only with Atomics):
 *
 * ```
 *   0  write index     producer only   next slot the producer writes, in [0, slots)
 *   4  overflow count  producer only   pushes that could not write everything they were given
 *   8  dropped count   producer only   elements those pushes left out
 *  12  reserved (0)
 *  64  read index      consumer only   next slot the consumer reads, in [0, slots)
 *  68  reserved (0)
 * 128  storage         `slots` = capacity + 1 elements of the ring's TypedArray type
 * ```
 *
 * Invariants (the same as ringbuf.js):
 * - One slot always stays empty: empty ⇔ write == read; full ⇔ (write + 1) mod slots == read; so the
 *   two indices alone tell "empty" from "full" and neither side ever writes the other's word.
 * - Indices are stored already reduced modulo `slots` (not free-running): no 2³² wrap to handle.
 * - Producer: load both indices (Atomics.load), copy the payload with plain stores, then publish with
 *   Atomics.store(write). Consumer: load both, copy with plain loads, then Atomics.store(read). The
 *   sequentially consistent store is the publish point: the other side never sees an index before
 *   the elements it covers. Slots are only touched after the atomic that hands them over, so the
 *   plain copies never race (the program is data-race-free in the ECMAScript memory model).
 * - The other side's index may be stale, never ahead. So on the consumer's side `availableRead()` is
 *   a lower bound, and on the producer's side `availableWrite()` is: a push never overwrites unread
 *   elements and a pop never reads unwritten ones.
 * - A push never overwrites: what does not fit is counted (overflow and dropped words) and left out,
 *   so the ring always holds a valid prefix of what was offered.
 *
 * Where it differs from ringbuf.js, and why:
 * - The header is 128 bytes, not 8: the producer's words and the consumer's word sit on separate
 *   64-byte cache lines, so a consumer publishing its read index does not invalidate the line the
 *   producer writes (false sharing), and the producer's overflow counters have a home.
 * - It can live at a byte offset inside a larger buffer (`attach(buffer, Type, { byteOffset })`),
 *   so a C++ twin can address the same layout inside a WebAssembly.Memory.
 * - Copies never allocate: `TypedArray.set` when a whole source array is copied into one
 *   contiguous region, an unrolled index loop otherwise (`copyElements` in ring-elements.ts, which
 *   PortRing shares; measured on Node 20: as fast as `subarray()` + `set`, which allocates a view per
 *   call). At most two regions per call (the wrap).
 *
 * Threading: `push`, `pushAll` are producer operations; `pop`, `skip` consumer operations; the
 * observers (`availableRead`, `availableWrite`, `isEmpty`, `isFull`, counters) are safe anywhere.
 * Roles are fixed: two threads never push (or pop) the same ring. Nothing here allocates, locks,
 * waits or throws after construction: safe on the audio thread.
 */
import { EngineError } from "../contracts/errors";
import { clampCount, copyElements, type RingElements, type RingElementType } from "./ring-elements";

/**
 * The ring API both data planes offer: SpscRing (shared memory) and PortRing (MessagePort fallback).
 * Host code written against it runs unchanged on either.
 */
export interface DataRing<T extends RingElements> {
  /**
   * Elements the ring holds when full.
   * @example
   * const frames = ring.capacity / channels;
   */
  readonly capacity: number;
  /**
   * Producer: writes as many of `length` elements as fit, counts the rest as an overflow.
   * @example
   * const written = ring.push(block);
   */
  push(source: T, length?: number, offset?: number): number;
  /**
   * Producer: writes all `length` elements or none (false, one overflow counted).
   * @example
   * if (!commands.pushAll(commandRecord)) retryLater();
   */
  pushAll(source: T, length?: number, offset?: number): boolean;
  /**
   * Producer: sends what is buffered now. Only the MessagePort fallback batches (PortRing); a shared
   * ring publishes on every push and has no flush.
   * @example
   * capture.flush?.(); // at the end of a capture
   */
  flush?(): void;
  /**
   * Consumer: moves up to `length` elements into `target`, oldest first; returns how many.
   * @example
   * const read = ring.pop(block);
   */
  pop(target: T, length?: number, offset?: number): number;
  /**
   * Consumer: discards up to `count` of the oldest elements; returns how many.
   * @example
   * ring.skip(ring.availableRead());
   */
  skip(count: number): number;
  /**
   * Elements ready to pop (a lower bound on the consumer's side).
   * @example
   * if (ring.availableRead() >= block.length) ring.pop(block);
   */
  availableRead(): number;
  /**
   * Elements a push fits (a lower bound on the producer's side).
   * @example
   * if (ring.availableWrite() >= block.length) ring.push(block);
   */
  availableWrite(): number;
  /**
   * Nothing to pop.
   * @example
   * if (ring.isEmpty()) return;
   */
  isEmpty(): boolean;
  /**
   * A push would write nothing.
   * @example
   * if (ring.isFull()) dropped++;
   */
  isFull(): boolean;
  /**
   * Pushes that could not write everything, since creation.
   * @example
   * state.ringOverflows = ring.overflowCount();
   */
  overflowCount(): number;
  /**
   * Elements those pushes left out, since creation.
   * @example
   * const lost = ring.droppedCount();
   */
  droppedCount(): number;
}

/** Options of `SpscRing.attach`. */
export interface RingAttachOptions {
  /** Where the ring's header starts in `buffer` (a multiple of 8). Default 0. */
  byteOffset?: number;
  /** Element capacity; default: everything from `byteOffset` to the end of `buffer`. */
  capacity?: number;
}

/** Bytes before the storage: two 64-byte cache lines (producer's words, consumer's word). */
export const RING_HEADER_BYTES = 128;

// Uint32 word indices in the header.
const WRITE = 0;
const OVERFLOWS = 1;
const DROPPED = 2;
const READ = 16;

export class SpscRing<T extends RingElements = Float32Array> implements DataRing<T> {
  /**
   * The buffer holding the ring (shared when created with the default options): send it to the
   * other thread, which calls `SpscRing.attach` on it. Named `sab` because that is what crosses.
   * @example
   * worker.postMessage({ ring: ring.sab, byteOffset: ring.byteOffset });
   */
  readonly sab: SharedArrayBuffer | ArrayBuffer;
  /**
   * Byte offset of the header in `sab` (0 unless attached inside a larger buffer).
   * @example
   * SpscRing.attach(ring.sab, Float32Array, { byteOffset: ring.byteOffset, capacity: ring.capacity });
   */
  readonly byteOffset: number;
  /**
   * How many elements the ring holds when full.
   * @example
   * SpscRing.create(4096, Float32Array).capacity; // 4096
   */
  readonly capacity: number;
  /**
   * The element type, e.g. `Float32Array`.
   * @example
   * ring.type === Float32Array; // true
   */
  readonly type: RingElementType<T>;

  private readonly header: Uint32Array;
  private readonly storage: T;
  /** capacity + 1: the storage length, one slot always empty. */
  private readonly slots: number;

  private constructor(
    buffer: SharedArrayBuffer | ArrayBuffer,
    type: RingElementType<T>,
    byteOffset: number,
    capacity: number,
  ) {
    this.sab = buffer;
    this.type = type;
    this.byteOffset = byteOffset;
    this.capacity = capacity;
    this.slots = capacity + 1;
    this.header = new Uint32Array(buffer, byteOffset, RING_HEADER_BYTES / 4);
    this.storage = new type(buffer, byteOffset + RING_HEADER_BYTES, this.slots);
  }

  /**
   * Bytes a ring of `capacity` elements of `type` needs (header plus capacity + 1 slots).
   * @example
   * SpscRing.bytesFor(4096, Float32Array); // 128 + 4097 * 4 = 16516
   */
  static bytesFor(capacity: number, type: RingElementType<RingElements>): number {
    checkCapacity(capacity);
    return RING_HEADER_BYTES + (capacity + 1) * type.BYTES_PER_ELEMENT;
  }

  /**
   * Allocates an empty ring in a new SharedArrayBuffer (or, with `{ shared: false }`, a plain
   * ArrayBuffer for single-thread use: the message-port fallback and tests). Setup only: allocates.
   * @example
   * const audio = SpscRing.create(8192, Float32Array); // 4096 stereo frames, interleaved
   * const commands = SpscRing.create(65536, Uint8Array);
   */
  static create<T extends RingElements>(
    capacity: number,
    type: RingElementType<T>,
    options: { shared?: boolean } = {},
  ): SpscRing<T> {
    const bytes = SpscRing.bytesFor(capacity, type);
    const shared = options.shared ?? true;
    if (shared && typeof SharedArrayBuffer === "undefined") {
      throw new EngineError(
        "E_HOST_UNAVAILABLE",
        "SharedArrayBuffer is not available (the page is not cross-origin isolated); create the ring with { shared: false } or use the message-port data plane",
      );
    }
    const buffer = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
    return new SpscRing(buffer, type, 0, capacity);
  }

  /**
   * Wraps a ring that already lives in `buffer` (made by `create` on another thread, or laid out by
   * the C++ twin). Neither index is touched: attaching never disturbs a ring in use. Setup only.
   * @example
   * // in the worker that received { ring: sab }
   * const ring = SpscRing.attach(message.ring, Float32Array);
   */
  static attach<T extends RingElements>(
    buffer: SharedArrayBuffer | ArrayBuffer,
    type: RingElementType<T>,
    options: RingAttachOptions = {},
  ): SpscRing<T> {
    const byteOffset = options.byteOffset ?? 0;
    const size = type.BYTES_PER_ELEMENT;
    if (!Number.isInteger(byteOffset) || byteOffset < 0 || byteOffset % 8 !== 0) {
      throw new EngineError(
        "E_INTERNAL",
        `ring byteOffset ${byteOffset} must be a non-negative multiple of 8`,
      );
    }
    const room = buffer.byteLength - byteOffset - RING_HEADER_BYTES;
    const capacity = options.capacity ?? room / size - 1;
    checkCapacity(capacity);
    if ((capacity + 1) * size > room) {
      throw new EngineError(
        "E_INTERNAL",
        `a ${type.name} ring of capacity ${capacity} needs ${SpscRing.bytesFor(capacity, type)} bytes from offset ${byteOffset}; the buffer has ${buffer.byteLength}`,
      );
    }
    return new SpscRing(buffer, type, byteOffset, capacity);
  }

  /**
   * Producer: copies up to `length` elements of `source` from index `offset` into the ring, as many
   * as fit, and publishes them. What does not fit is left out and counted (`overflowCount()`,
   * `droppedCount()`). `length` is clamped to what `source` holds after `offset`.
   * Audio thread safe: no allocation, never throws.
   * @returns the number of elements written (0 when full).
   * @example
   * const written = ring.push(block); // block: Float32Array of 256 interleaved stereo samples
   * if (written < block.length) console.warn("capture ring full");
   */
  push(source: T, length?: number, offset = 0): number {
    const requested = clampCount(source.length, length, offset);
    if (requested === 0) return 0;
    const header = this.header;
    const read = Atomics.load(header, READ);
    const write = Atomics.load(header, WRITE);
    const free = this.capacity - used(read, write, this.slots);
    const count = Math.min(requested, free);
    if (count < requested) this.countOverflow(requested - count);
    if (count === 0) return 0;
    this.copyIn(source, offset, write, count);
    let next = write + count;
    if (next >= this.slots) next -= this.slots;
    Atomics.store(header, WRITE, next);
    return count;
  }

  /**
   * Producer: writes all `length` elements or none. When they do not fit it writes nothing, counts
   * one overflow (and `length` dropped elements) and returns false. Use it for records that must not
   * be split (commands, whole interleaved frames). Audio thread safe.
   * @example
   * if (!ring.pushAll(block)) dropouts++; // the ring holds whole blocks only
   */
  pushAll(source: T, length?: number, offset = 0): boolean {
    const requested = clampCount(source.length, length, offset);
    if (requested === 0) return true;
    const header = this.header;
    const read = Atomics.load(header, READ);
    const write = Atomics.load(header, WRITE);
    if (this.capacity - used(read, write, this.slots) < requested) {
      this.countOverflow(requested);
      return false;
    }
    this.copyIn(source, offset, write, requested);
    let next = write + requested;
    if (next >= this.slots) next -= this.slots;
    Atomics.store(header, WRITE, next);
    return true;
  }

  /**
   * Consumer: moves up to `length` elements (default: as many as `target` holds after `offset`) out
   * of the ring into `target` from index `offset`, oldest first. Never takes more than `target` can
   * hold. Audio thread safe: no allocation, never throws.
   * @returns the number of elements read (0 when empty).
   * @example
   * const block = new Float32Array(256); // allocated once, outside the loop
   * while (ring.availableRead() >= block.length) { ring.pop(block); sink(block); }
   */
  pop(target: T, length?: number, offset = 0): number {
    const requested = clampCount(target.length, length, offset);
    if (requested === 0) return 0;
    const header = this.header;
    const read = Atomics.load(header, READ);
    const write = Atomics.load(header, WRITE);
    const available = used(read, write, this.slots);
    const count = Math.min(requested, available);
    if (count === 0) return 0;
    this.copyOut(read, target, offset, count);
    let next = read + count;
    if (next >= this.slots) next -= this.slots;
    Atomics.store(header, READ, next);
    return count;
  }

  /**
   * Consumer: discards up to `count` of the oldest elements without copying them (a record that
   * failed to decode, audio that arrived too late). Audio thread safe.
   * @returns the number of elements discarded.
   * @example
   * ring.skip(ring.availableRead()); // drop everything queued
   */
  skip(count: number): number {
    const header = this.header;
    const read = Atomics.load(header, READ);
    const write = Atomics.load(header, WRITE);
    const available = used(read, write, this.slots);
    const skipped = count > 0 ? (count < available ? Math.floor(count) : available) : 0;
    if (skipped === 0) return 0;
    let next = read + skipped;
    if (next >= this.slots) next -= this.slots;
    Atomics.store(header, READ, next);
    return skipped;
  }

  /**
   * Elements ready to pop. On the consumer's side a lower bound (more may arrive at any moment): a
   * pop gets at least this many. On the producer's side an upper bound (the consumer may have taken some).
   * @example
   * if (ring.availableRead() >= 256) ring.pop(block);
   */
  availableRead(): number {
    return used(Atomics.load(this.header, READ), Atomics.load(this.header, WRITE), this.slots);
  }

  /**
   * Free elements. On the producer's side a lower bound (the consumer may free more at any moment): a
   * push fits at least this many. On the consumer's side an upper bound.
   * @example
   * if (ring.availableWrite() >= block.length) ring.push(block);
   */
  availableWrite(): number {
    return this.capacity - this.availableRead();
  }

  /**
   * True when nothing is ready to pop (the consumer may act on it; elsewhere an estimate).
   * @example
   * while (!ring.isEmpty()) ring.pop(block);
   */
  isEmpty(): boolean {
    return Atomics.load(this.header, READ) === Atomics.load(this.header, WRITE);
  }

  /**
   * True when a push would write nothing (the producer may act on it; elsewhere an estimate).
   * @example
   * if (ring.isFull()) skipThisBlock();
   */
  isFull(): boolean {
    return this.availableRead() === this.capacity;
  }

  /**
   * Pushes that could not write everything they were given, since the ring was created. Written by
   * the producer only; readable by anyone, any time.
   * @example
   * transport.ringOverflows = captureRing.overflowCount();
   */
  overflowCount(): number {
    return Atomics.load(this.header, OVERFLOWS);
  }

  /**
   * Elements those pushes left out, since the ring was created (wraps at 2³²).
   * @example
   * const lostFrames = ring.droppedCount() / channelCount;
   */
  droppedCount(): number {
    return Atomics.load(this.header, DROPPED);
  }

  private countOverflow(dropped: number): void {
    // Producer-only words: load + store is enough (nobody else writes them), and it is cheaper
    // than a read-modify-write. `>>> 0` keeps them Uint32 as they wrap.
    const header = this.header;
    Atomics.store(header, OVERFLOWS, (Atomics.load(header, OVERFLOWS) + 1) >>> 0);
    Atomics.store(header, DROPPED, (Atomics.load(header, DROPPED) + dropped) >>> 0);
  }

  /** Copies `count` elements of `source` from `offset` into storage at `write`, wrapping once. */
  private copyIn(source: T, offset: number, write: number, count: number): void {
    const storage = this.storage;
    const first = Math.min(this.slots - write, count);
    if (first === count && offset === 0 && count === source.length) {
      // The whole source array fits before the wrap: one memmove, no view needed.
      storage.set(source as ArrayLike<number> as T, write);
      return;
    }
    copyElements(source, offset, storage, write, first);
    if (count > first) copyElements(source, offset + first, storage, 0, count - first);
  }

  /** Copies `count` elements from storage at `read` into `target` at `offset`, wrapping once. */
  private copyOut(read: number, target: T, offset: number, count: number): void {
    const storage = this.storage;
    const first = Math.min(this.slots - read, count);
    copyElements(storage, read, target, offset, first);
    if (count > first) copyElements(storage, 0, target, offset + first, count - first);
  }
}

/** Occupied slots given both indices (each already in [0, slots)). */
function used(read: number, write: number, slots: number): number {
  const difference = write - read;
  return difference >= 0 ? difference : difference + slots;
}

function checkCapacity(capacity: number): void {
  if (!Number.isInteger(capacity) || capacity < 1 || capacity >= 2 ** 31) {
    throw new EngineError("E_INTERNAL", `ring capacity must be an integer in [1, 2^31), got ${capacity}`);
  }
}
