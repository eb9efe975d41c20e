/**
 * How much audio a client holds by handle, against the heldBufferBytes limit: every host's buffer
 * store counts with one of these, so each refuses the same upload or render with the same E_LIMIT.
 *
 * A render reserves the bytes of its results before it starts, so audio uploaded while it runs cannot
 * leave it without room at the end, after the work is done.
 */
import { checkLimit, formatCount } from "../contracts/limits";

export class HeldBufferBytes {
  private held = 0;
  private reserved = 0;

  /**
   * Bytes held now (issued and not released).
   * @example
   * const held = new HeldBufferBytes();
   * held.add(4 * 48000);
   * held.heldBytes; // 192000
   */
  get heldBytes(): number {
    return this.held;
  }

  /**
   * Throws E_LIMIT at `path` unless `bytes` more fit beside what is held and reserved.
   * @example
   * const held = new HeldBufferBytes();
   * held.ensureRoom(audioBytes(channels), "upload.channels");
   */
  ensureRoom(bytes: number, path: string): void {
    const context =
      `${formatCount(this.held)} held` +
      (this.reserved > 0 ? `, ${formatCount(this.reserved)} reserved for renders in progress` : "") +
      `, ${formatCount(bytes)} more asked for; release handles when done`;
    checkLimit("heldBufferBytes", this.held + this.reserved + bytes, path, context);
  }

  /**
   * ensureRoom, then keeps the bytes aside until the returned function is called (once is enough).
   * @example
   * const held = new HeldBufferBytes();
   * const unreserve = held.reserve(4 * frames * channels.length, "");
   * try { await render(); } finally { unreserve(); }
   */
  reserve(bytes: number, path: string): () => void {
    this.ensureRoom(bytes, path);
    this.reserved += bytes;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.reserved -= bytes;
    };
  }

  /**
   * Counts audio as held (an issued handle); the caller made room first.
   * @example
   * new HeldBufferBytes().add(audioBytes(channels));
   */
  add(bytes: number): void {
    this.held += bytes;
  }

  /**
   * Counts audio as no longer held (a released handle).
   * @example
   * const held = new HeldBufferBytes();
   * held.add(audioBytes(channels));
   * held.remove(audioBytes(channels)); // released
   */
  remove(bytes: number): void {
    this.held -= bytes;
  }

  /**
   * Forgets everything held (the client closed); reservations end with their renders.
   * @example
   * new HeldBufferBytes().clear();
   */
  clear(): void {
    this.held = 0;
  }
}

/**
 * Bytes of planar float32 audio.
 * @example
 * audioBytes([left, right]); // 8 * frames
 */
export function audioBytes(channels: readonly Float32Array[]): number {
  let bytes = 0;
  for (const channel of channels) bytes += channel.byteLength;
  return bytes;
}
