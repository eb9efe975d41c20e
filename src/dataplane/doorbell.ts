/**
 * Doorbell: an Int32 word a producer rings (Atomics.add + Atomics.notify) to wake a consumer parked
 * in Atomics.wait. The audio thread rings; a Worker waits, then drains the rings it guards.
 * ringbuf.js itself never waits (docs/dataplane.md): this is the separate wait/notify word its
 * maintainer recommends, and Atomics.wait only accepts Int32Array/BigInt64Array views anyway.
 *
 * Memory layout (byte offsets from `byteOffset`, a multiple of 4; Int32 words, Atomics only):
 *
 * ```
 * 0  sequence   ringers only   +1 per ring(); wraps at 2³²; the word waiters park on
 * 4  waiters    waiters only   how many threads are in (or entering) Atomics.wait right now
 * ```
 *
 * Invariants:
 * - No lost wake-up: a waiter remembers the sequence it last returned with (`lastSeen`, per
 *   Doorbell object) and parks with `Atomics.wait(sequence, lastSeen)`, which compares and sleeps
 *   atomically: a ring between the waiter's check and its sleep changes the word, so the wait
 *   returns at once. Capture happens when waitForRing returns, before the caller drains, so a push
 *   made while draining is never missed: the next waitForRing returns immediately.
 * - ring() never waits and never allocates: it is safe on the audio thread. It skips
 *   Atomics.notify (which takes the engine's futex lock) when nobody waits: the waiter registers in
 *   `waiters` before comparing the sequence, so with sequentially consistent atomics a ringer that
 *   reads `waiters == 0` has already changed the sequence the late waiter is about to compare.
 * - Several threads may ring one doorbell (Atomics.add); one thread waits on it per Doorbell object.
 */
import { EngineError } from "../contracts/errors";
import { hostSetTimeout, nowMs } from "./host-globals";

/** Bytes a doorbell occupies. */
export const DOORBELL_BYTES = 8;

const SEQUENCE = 0;
const WAITERS = 1;

/** What a consumer can wait on; implemented by Doorbell (shared memory) and PortDoorbell (fallback). */
export interface RingBell {
  /**
   * Rings: wakes whoever waits. Never waits; in shared memory it never allocates either (a
   * PortDoorbell posts one small message per ring).
   * @example
   * if (capture.push(block) > 0) bell.ring();
   */
  ring(): void;
  /**
   * Resolves with the number of rings since the previous wait returned, or 0 on timeout.
   * @example
   * const rings = await bell.waitForRingAsync(100);
   */
  waitForRingAsync(timeoutMs?: number): Promise<number>;
}

export class Doorbell implements RingBell {
  /**
   * The buffer holding the doorbell: send it to the other thread, which calls `Doorbell.attach`.
   * @example
   * worker.postMessage({ bell: bell.sab });
   */
  readonly sab: SharedArrayBuffer | ArrayBuffer;
  /**
   * Byte offset of the doorbell's words in `sab`.
   * @example
   * Doorbell.attach(bell.sab, bell.byteOffset);
   */
  readonly byteOffset: number;

  private readonly words: Int32Array;
  /** Whether another thread can ring it (a SharedArrayBuffer), i.e. whether waiting can end. */
  private readonly shared: boolean;
  /** The sequence value this object last returned with from a wait (its own, never shared). */
  private lastSeen: number;

  private constructor(buffer: SharedArrayBuffer | ArrayBuffer, byteOffset: number) {
    this.sab = buffer;
    this.byteOffset = byteOffset;
    this.words = new Int32Array(buffer, byteOffset, 2);
    this.shared = isShared(buffer);
    this.lastSeen = Atomics.load(this.words, SEQUENCE);
  }

  /**
   * Allocates a doorbell in a new SharedArrayBuffer (or a plain ArrayBuffer with
   * `{ shared: false }`: ring() still counts, but nothing can wait on it). Setup only.
   * @example
   * const bell = Doorbell.create();
   */
  static create(options: { shared?: boolean } = {}): Doorbell {
    const shared = options.shared ?? true;
    if (shared && typeof SharedArrayBuffer === "undefined") {
      throw new EngineError(
        "E_HOST_UNAVAILABLE",
        "SharedArrayBuffer is not available (the page is not cross-origin isolated); use the message-port data plane",
      );
    }
    return new Doorbell(shared ? new SharedArrayBuffer(DOORBELL_BYTES) : new ArrayBuffer(DOORBELL_BYTES), 0);
  }

  /**
   * Wraps a doorbell that already lives in `buffer` at `byteOffset` (a multiple of 4). Setup only.
   * @example
   * // in the worker
   * const bell = Doorbell.attach(message.bell);
   */
  static attach(buffer: SharedArrayBuffer | ArrayBuffer, byteOffset = 0): Doorbell {
    if (!Number.isInteger(byteOffset) || byteOffset < 0 || byteOffset % 4 !== 0) {
      throw new EngineError(
        "E_INTERNAL",
        `doorbell byteOffset ${byteOffset} must be a non-negative multiple of 4`,
      );
    }
    if (buffer.byteLength < byteOffset + DOORBELL_BYTES) {
      throw new EngineError(
        "E_INTERNAL",
        `a doorbell needs ${DOORBELL_BYTES} bytes from offset ${byteOffset}; the buffer has ${buffer.byteLength}`,
      );
    }
    return new Doorbell(buffer, byteOffset);
  }

  /**
   * Rings: adds one to the sequence and wakes every waiter. Never waits, never allocates, never
   * throws: safe on the audio thread (Atomics.notify is allowed there; Atomics.wait is not).
   * Ring once per quantum at most, or when a threshold is crossed.
   * @example
   * // in AudioWorkletProcessor.process()
   * if (capture.pushAll(block)) bell.ring();
   */
  ring(): void {
    const words = this.words;
    Atomics.add(words, SEQUENCE, 1);
    if (Atomics.load(words, WAITERS) !== 0) Atomics.notify(words, SEQUENCE);
  }

  /**
   * How many times the doorbell has rung (wraps at 2³², as an Int32).
   * @example
   * const before = bell.sequence();
   */
  sequence(): number {
    return Atomics.load(this.words, SEQUENCE);
  }

  /**
   * Blocks until the doorbell rings or `timeoutMs` passes. Returns at once when it rang since this
   * object's previous wait returned, so the drain-then-wait loop below never loses a ring.
   * Workers (and Node) only: a browser main thread and an AudioWorklet may not block, and this
   * throws E_HOST_UNAVAILABLE there (use `waitForRingAsync` on a main thread).
   * @returns rings since the previous wait returned (>= 1), or 0 on timeout.
   * @example
   * for (;;) {
   *   while (ring.pop(block) === block.length) sink(block);
   *   bell.waitForRing(100);
   * }
   */
  waitForRing(timeoutMs = Number.POSITIVE_INFINITY): number {
    const words = this.words;
    const current = Atomics.load(words, SEQUENCE);
    if (current !== this.lastSeen) return this.consume(current);
    if (!(timeoutMs > 0)) return 0;
    if (!this.shared) {
      throw new EngineError(
        "E_HOST_UNAVAILABLE",
        "this doorbell lives in a plain ArrayBuffer: no other thread can ring it, so waiting would never end",
      );
    }
    const deadline = timeoutMs === Number.POSITIVE_INFINITY ? timeoutMs : nowMs() + timeoutMs;
    Atomics.add(words, WAITERS, 1);
    try {
      for (;;) {
        const remaining = deadline === Number.POSITIVE_INFINITY ? deadline : deadline - nowMs();
        if (remaining <= 0) return 0;
        try {
          Atomics.wait(words, SEQUENCE, this.lastSeen, remaining);
        } catch (error) {
          throw waitNotAllowed(error);
        }
        const rung = Atomics.load(words, SEQUENCE);
        if (rung !== this.lastSeen) return this.consume(rung);
      }
    } finally {
      Atomics.sub(words, WAITERS, 1);
    }
  }

  /**
   * Like `waitForRing`, without blocking the thread: for a main thread (Atomics.waitAsync, or a
   * 4 ms poll where the browser lacks it). Allocates: never call it on the audio thread.
   * @returns rings since the previous wait returned, or 0 on timeout.
   * @example
   * const rings = await bell.waitForRingAsync(250);
   * if (rings > 0) drainMeters();
   */
  async waitForRingAsync(timeoutMs = Number.POSITIVE_INFINITY): Promise<number> {
    const words = this.words;
    const deadline = timeoutMs === Number.POSITIVE_INFINITY ? timeoutMs : nowMs() + timeoutMs;
    // Atomics.waitAsync is ES2024, newer than the ES2022 library this compiles against, and some
    // browsers still lack it: Atomics, typed as possibly having it.
    const atomics: typeof Atomics & { readonly waitAsync?: WaitAsync } = Atomics;
    const waitAsync = atomics.waitAsync;
    for (;;) {
      const current = Atomics.load(words, SEQUENCE);
      if (current !== this.lastSeen) return this.consume(current);
      const remaining = deadline === Number.POSITIVE_INFINITY ? deadline : deadline - nowMs();
      if (remaining <= 0) return 0;
      if (waitAsync !== undefined && this.shared) {
        Atomics.add(words, WAITERS, 1);
        try {
          const result = waitAsync(words, SEQUENCE, this.lastSeen, remaining);
          if (result.async) await result.value;
        } finally {
          Atomics.sub(words, WAITERS, 1);
        }
      } else {
        await new Promise<void>((resolve) => hostSetTimeout(resolve, Math.min(remaining, 4)));
      }
    }
  }

  private consume(current: number): number {
    const rings = (current - this.lastSeen) | 0;
    this.lastSeen = current;
    return rings > 0 ? rings : 1;
  }
}

type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
  timeout: number,
) => { async: false; value: string } | { async: true; value: Promise<string> };

/** True for a SharedArrayBuffer (checked without touching the global where it does not exist). */
export function isShared(buffer: ArrayBufferLike): buffer is SharedArrayBuffer {
  return typeof SharedArrayBuffer !== "undefined" && buffer instanceof SharedArrayBuffer;
}

function waitNotAllowed(error: unknown): EngineError | unknown {
  if (!(error instanceof TypeError)) return error;
  return new EngineError(
    "E_HOST_UNAVAILABLE",
    `Atomics.wait is not allowed on this thread (a browser main thread or an AudioWorklet refuse it: ${error.message}); wait in a Worker, or use waitForRingAsync`,
  );
}
