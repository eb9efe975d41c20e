/**
 * What the MessagePort twins share: the port they talk over (MessagePortLike) and the pooled buffer
 * that PortRing and PortBlockStore transfer. Without cross-origin isolation (`self.crossOriginIsolated`
 * false) there is no SharedArrayBuffer, so the data plane's rings, doorbell and blocks run over
 * MessagePorts instead, with the same API as their shared-memory twins (docs/dataplane.md). Each
 * primitive gets its own port (a dedicated MessageChannel, never `AudioWorkletNode.port`, which
 * carries other messages).
 *
 * Pooled buffer layout (bytes, platform order; the same for rings and blocks):
 *
 * ```
 *  0  u32 magic       PORT_BUFFER_MAGIC
 *  4  u32 kind        1 = data (to the consumer/reader), 2 = returned (to the producer/writer)
 *  8  u32 count       elements of data in use
 * 12  u32 overflows   the producer's overflow count when it sent this buffer
 * 16  u32 dropped     the producer's dropped-element count when it sent this buffer
 * 20  reserved (0)
 * 32  data            chunkLength elements of the ring's type (Float64 values for a block)
 * ```
 *
 * What is and is not allocation-free: push, pushAll, pop, skip, write and read never allocate
 * themselves, and no backing store is ever allocated after construction. But every message is a
 * structured clone: posting one, and the message event plus the views over each buffer that comes
 * back, are small JS objects, one set per buffer (per chunk, not per element or quantum). That is
 * inherent to MessagePort; the shared-memory plane has none of it. Rings flush when a chunk fills:
 * size chunks so that a real-time producer posts well under once per quantum.
 */

/** The MessagePort members used here; a browser MessagePort and Node's worker_threads one both fit. */
export interface MessagePortLike {
  /**
   * Posts `message`, moving the buffers in `transfer` (they become detached here).
   * @example
   * port.postMessage(buffer, [buffer]);
   */
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  /**
   * Listens for messages.
   * @example
   * port.addEventListener("message", (event) => receive(event.data));
   */
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  /**
   * Starts delivery (needed after addEventListener; browsers and Node both have it).
   * @example
   * port.start?.();
   */
  start?(): void;
  /**
   * Closes the port.
   * @example
   * port.close();
   */
  close(): void;
}

/** "WDPB" in ASCII: the first word of every pooled buffer. */
export const PORT_BUFFER_MAGIC = 0x57445042;
/** Bytes before the data in a pooled buffer. */
export const PORT_BUFFER_HEADER_BYTES = 32;

// Uint32 word indices in a pooled buffer's header.
export const MAGIC_WORD = 0;
export const KIND_WORD = 1;
export const COUNT_WORD = 2;
export const OVERFLOWS_WORD = 3;
export const DROPPED_WORD = 4;

// Values of the kind word.
/** A buffer carrying data to the consumer (or reader). */
export const DATA_KIND = 1;
/** An emptied buffer going back to the producer's (or writer's) pool. */
export const RETURNED_KIND = 2;
