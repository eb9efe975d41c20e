/**
 * SharedBlockStore: a block (a latest-value mailbox of Float64 values) in shared memory. One writer
 * (the audio thread, once per quantum) publishes the whole block; any number of readers (the main
 * thread, once per animation frame) copy it out without a message and without ever blocking the
 * writer. TransportBlock and MeterBlock put named fields on top of a BlockStore; this is the one they
 * use when the page is cross-origin isolated (PortBlockStore in port-block-store.ts otherwise).
 *
 * It is a two-slot seqlock (a "latch", as Linux's seqcount_latch): the writer fills the slots in
 * turn, so the slot holding the newest values stays untouched for a whole write after it. A plain
 * one-slot seqlock starves its readers under a writer that writes back to back; this one does not.
 *
 * Memory layout (byte offsets from `byteOffset`, a multiple of 8; Int32 words):
 *
 * ```
 *  0  version    writer only   writes completed; the newest is in slot (version & 1)
 *  4  magic      set once      BLOCK_MAGIC: tells a laid-out block from zeroed memory
 *  8  length     set once      number of Float64 values in the block
 * 12  reserved (0)
 * 16  slot 0     writer only   sequence (Int32), reserved (Int32), then `length` Float64 values, each
 *                              as two Int32 words (platform order)
 * 16 + 8 + 8 * length          slot 1, the same
 * ```
 *
 * Invariants:
 * - Writer, for write v = version + 1: slot v & 1's sequence := 2v - 1 (odd: being written), store
 *   the values, sequence := 2v (even: complete), then version := v. Readers: load version, pick its
 *   slot, load that slot's sequence (retry if odd), copy the values, load the sequence again; equal
 *   ⇒ the copy is one complete write, never a mix of two (a "torn" read); else retry.
 * - The sequence and version words are Atomics operations; the values are plain Float64 accesses
 *   bracketed by them (the audio thread writes the block every quantum: plain stores keep that to a
 *   few hundred nanoseconds). A reader may race the writer and copy a mix of two writes; the
 *   closing check, a read-modify-write that cannot be reordered before the value reads, then sees a
 *   changed sequence and the copy is discarded, so a torn block is never returned.
 * - The writer never waits for readers; a reader that keeps losing the race (or meets a writer that
 *   stopped mid-write) gives up after a bounded number of attempts and reports failure.
 */
import { EngineError } from "../contracts/errors";

/**
 * "WDRC" in ASCII: the first word of a laid-out block. The value predates the name "block" and stays
 * as it is, so memory laid out by an older build still attaches.
 */
export const BLOCK_MAGIC = 0x57445243;
/** Bytes before the values. */
export const BLOCK_HEADER_BYTES = 16;

const VERSION = 0;
const MAGIC = 1;
const LENGTH = 2;
const FIRST_SLOT_WORD = BLOCK_HEADER_BYTES / 4;
/** Int32 words before a slot's values: its sequence and a reserved word (keeps values 8-aligned). */
const SLOT_HEADER_WORDS = 2;

/** Attempts a reader makes before reporting that it could not get a consistent copy. */
const READ_ATTEMPTS = 10_000;

/** Where a block of Float64 values lives: shared memory (SharedBlockStore) or a MessagePort (PortBlockStore). */
export interface BlockStore {
  /**
   * Number of Float64 values in the block.
   * @example
   * const values = new Float64Array(store.length);
   */
  readonly length: number;
  /**
   * Writer: publishes `values` (its first `length` entries). `urgent` asks a store that batches
   * (PortBlockStore) to send now; shared memory always publishes at once. Never allocates or blocks.
   * @example
   * store.write(values, runningChanged);
   */
  write(values: Float64Array, urgent?: boolean): void;
  /**
   * Reader: copies the latest published values into `into`. False when no consistent copy could be
   * had (the writer stopped in the middle of a write); `into` is then left as it was.
   * @example
   * if (store.read(values)) draw(values);
   */
  read(into: Float64Array): boolean;
}

export class SharedBlockStore implements BlockStore {
  /**
   * The buffer holding the block: send it to the other thread, which calls `SharedBlockStore.attach`.
   * @example
   * port.postMessage({ block: store.sab });
   */
  readonly sab: SharedArrayBuffer | ArrayBuffer;
  /**
   * Byte offset of the block's header in `sab`.
   * @example
   * SharedBlockStore.attach(store.sab, store.byteOffset);
   */
  readonly byteOffset: number;
  /**
   * Number of Float64 values.
   * @example
   * SharedBlockStore.create(16).length; // 16
   */
  readonly length: number;

  private readonly words: Int32Array;
  /** Each slot's values as Float64s (8-aligned: a slot's header is two Int32 words). */
  private readonly slotValues: Float64Array[];
  /** The reader's private copy of the values, moved into the caller's array once known untorn. */
  private readonly staging: Float64Array;
  /** Int32 words per slot (sequence, reserved, values). */
  private readonly slotWords: number;
  /** The writer's count of completed writes; only meaningful on the writing side. */
  private version: number;

  private constructor(buffer: SharedArrayBuffer | ArrayBuffer, byteOffset: number, length: number) {
    this.sab = buffer;
    this.byteOffset = byteOffset;
    this.length = length;
    this.slotWords = SLOT_HEADER_WORDS + 2 * length;
    this.words = new Int32Array(buffer, byteOffset, FIRST_SLOT_WORD + 2 * this.slotWords);
    this.staging = new Float64Array(length);
    this.slotValues = [0, 1].map(
      (slot) =>
        new Float64Array(
          buffer,
          byteOffset + 4 * (FIRST_SLOT_WORD + slot * this.slotWords + SLOT_HEADER_WORDS),
          length,
        ),
    );
    // A new writer (say, a restarted worklet) resumes the count; a slot a dead writer left odd is
    // rewritten, odd then even, within two writes.
    this.version = Atomics.load(this.words, VERSION);
  }

  /**
   * Bytes a block of `length` values needs.
   * @example
   * SharedBlockStore.bytesFor(16); // 16 + 2 * (8 + 16 * 8) = 288
   */
  static bytesFor(length: number): number {
    if (!Number.isInteger(length) || length < 1 || length > 65536) {
      throw new EngineError("E_INTERNAL", `a block holds 1 to 65536 values, got ${length}`);
    }
    return BLOCK_HEADER_BYTES + 2 * (4 * SLOT_HEADER_WORDS + 8 * length);
  }

  /**
   * Allocates a zeroed block in a new SharedArrayBuffer (or a plain ArrayBuffer with
   * `{ shared: false }`). Setup only.
   * @example
   * const store = SharedBlockStore.create(16);
   */
  static create(length: number, options: { shared?: boolean } = {}): SharedBlockStore {
    const bytes = SharedBlockStore.bytesFor(length);
    const shared = options.shared ?? true;
    if (shared && typeof SharedArrayBuffer === "undefined") {
      throw new EngineError(
        "E_HOST_UNAVAILABLE",
        "SharedArrayBuffer is not available (the page is not cross-origin isolated); use the message-port data plane",
      );
    }
    const buffer = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
    const header = new Int32Array(buffer, 0, FIRST_SLOT_WORD);
    Atomics.store(header, MAGIC, BLOCK_MAGIC);
    Atomics.store(header, LENGTH, length);
    return new SharedBlockStore(buffer, 0, length);
  }

  /**
   * Wraps a block laid out by `create` (here or on another thread). Setup only; checks the magic
   * word and, when given, the expected length.
   * @example
   * const store = SharedBlockStore.attach(message.block, 0, 16);
   */
  static attach(
    buffer: SharedArrayBuffer | ArrayBuffer,
    byteOffset = 0,
    expectedLength?: number,
  ): SharedBlockStore {
    if (!Number.isInteger(byteOffset) || byteOffset < 0 || byteOffset % 8 !== 0) {
      throw new EngineError(
        "E_INTERNAL",
        `block byteOffset ${byteOffset} must be a non-negative multiple of 8`,
      );
    }
    if (buffer.byteLength < byteOffset + BLOCK_HEADER_BYTES) {
      throw new EngineError(
        "E_INTERNAL",
        `no block header at byte ${byteOffset} of a ${buffer.byteLength}-byte buffer`,
      );
    }
    const header = new Int32Array(buffer, byteOffset, FIRST_SLOT_WORD);
    const magic = Atomics.load(header, MAGIC);
    const length = Atomics.load(header, LENGTH);
    if (magic !== BLOCK_MAGIC) {
      throw new EngineError(
        "E_INTERNAL",
        `no block at byte ${byteOffset}: magic word is 0x${(magic >>> 0).toString(16)}`,
      );
    }
    if (expectedLength !== undefined && length !== expectedLength) {
      throw new EngineError(
        "E_INTERNAL",
        `the block holds ${length} values; this reader expects ${expectedLength}`,
      );
    }
    if (buffer.byteLength < byteOffset + SharedBlockStore.bytesFor(length)) {
      throw new EngineError(
        "E_INTERNAL",
        `a block of ${length} values does not fit in a ${buffer.byteLength}-byte buffer`,
      );
    }
    return new SharedBlockStore(buffer, byteOffset, length);
  }

  /**
   * Writer: publishes the first `length` entries of `values` as one write. One writer per block.
   * Audio thread safe: no allocation, never waits, never throws.
   * @example
   * values[0] = positionFrames;
   * store.write(values);
   */
  write(values: Float64Array, _urgent?: boolean): void {
    const words = this.words;
    const version = (this.version + 1) | 0;
    const slotIndex = version & 1;
    const slot = FIRST_SLOT_WORD + slotIndex * this.slotWords;
    Atomics.store(words, slot, ((version << 1) - 1) | 0);
    const target = this.slotValues[slotIndex] as Float64Array;
    const count = Math.min(values.length, this.length);
    for (let i = 0; i < count; i++) target[i] = values[i] as number;
    Atomics.store(words, slot, (version << 1) | 0);
    Atomics.store(words, VERSION, version);
    this.version = version;
  }

  /**
   * Reader: copies the latest values into `into` (its first `length` entries). Retries while the
   * writer is mid-write; false (and `into` untouched) if it never got a consistent copy. No allocation.
   * @example
   * const values = new Float64Array(store.length); // once
   * if (store.read(values)) draw(values);
   */
  read(into: Float64Array): boolean {
    const words = this.words;
    const staging = this.staging;
    const count = Math.min(into.length, this.length);
    for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
      const slotIndex = Atomics.load(words, VERSION) & 1;
      const slot = FIRST_SLOT_WORD + slotIndex * this.slotWords;
      const before = Atomics.load(words, slot);
      // Odd: the writer lapped round to this slot already (two writes since the version load).
      if (before & 1) continue;
      const source = this.slotValues[slotIndex] as Float64Array;
      for (let i = 0; i < count; i++) staging[i] = source[i] as number;
      // The check is a read-modify-write that leaves the word as it is: unlike a plain atomic load,
      // it keeps the value reads above from moving after it (Boehm, "Can seqlocks get along with
      // programming language memory models?", 2012).
      if (Atomics.compareExchange(words, slot, before, before) === before) {
        // Copied through `staging` so that a reader that gives up leaves `into` as it was.
        for (let i = 0; i < count; i++) into[i] = staging[i] as number;
        return true;
      }
    }
    return false;
  }

  /**
   * How many writes the writer has completed (wraps at 2³²): readers can tell new values from
   * the ones they already drew.
   * @example
   * if (store.writes() !== lastWrites) redraw();
   */
  writes(): number {
    return Atomics.load(this.words, VERSION) >>> 0;
  }
}
