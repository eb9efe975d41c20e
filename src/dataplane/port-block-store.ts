/**
 * PortBlockStore: the MessagePort twin of SharedBlockStore (shared-block-store.ts), for pages that are
 * not cross-origin isolated: where TransportBlock and MeterBlock keep their values when there is no
 * SharedArrayBuffer. Same BlockStore API; how it differs:
 * - The writer keeps the newest values and sends them in a pooled buffer (layout in port-buffer.ts)
 *   every `intervalWrites` writes, or at once when `urgent`; the reader copies the buffer and sends
 *   it straight back. So a reader sees the values of the latest send to have arrived (by the event
 *   loop), where a SharedBlockStore reader sees the latest write at once.
 * - No seqlock: each buffer belongs to one side at a time, so a read never races a write and always
 *   succeeds.
 * - When every pooled buffer is out the send waits (counted by `skippedSends`); the newest values go
 *   out as soon as a buffer comes back, so the last write is never lost.
 */
import { EngineError } from "../contracts/errors";
import {
  COUNT_WORD,
  DATA_KIND,
  KIND_WORD,
  MAGIC_WORD,
  type MessagePortLike,
  PORT_BUFFER_HEADER_BYTES,
  PORT_BUFFER_MAGIC,
  RETURNED_KIND,
} from "./port-buffer";
import type { BlockStore } from "./shared-block-store";

/** Options of a PortBlockStore. */
export interface PortBlockStoreOptions {
  /** Send the values every this many writes (urgent writes go at once). Default 6: ~62 Hz at 48 kHz. */
  intervalWrites?: number;
  /** Buffers in the writer's pool. Default 4. */
  poolSize?: number;
}

/** A latest-value BlockStore over a MessagePort (TransportBlock and MeterBlock without SAB). */
export class PortBlockStore implements BlockStore {
  /**
   * Float64 values in the block.
   * @example
   * new TransportBlock(PortBlockStore.open(port, TRANSPORT_BLOCK_LENGTH));
   */
  readonly length: number;

  private readonly port: MessagePortLike;
  private readonly intervalWrites: number;
  private readonly transfer: ArrayBuffer[] = [];
  private readonly freeBuffers: ArrayBuffer[] = [];
  private readonly freeValues: Float64Array[] = [];
  private readonly freeHeaders: Uint32Array[] = [];
  private readonly latest: Float64Array;
  private readonly allocated: number;
  private writesSinceSend = 0;
  private skipped = 0;
  /** A send was skipped for want of a buffer: the newest values go out when one comes back. */
  private starved = false;

  private constructor(port: MessagePortLike, length: number, options: PortBlockStoreOptions) {
    const poolSize = options.poolSize ?? 4;
    this.port = port;
    this.length = length;
    this.intervalWrites = options.intervalWrites ?? 6;
    this.latest = new Float64Array(length);
    for (let i = 0; i < poolSize; i++) this.addFree(new ArrayBuffer(PORT_BUFFER_HEADER_BYTES + 8 * length));
    this.allocated = poolSize;
    port.addEventListener("message", (event) => this.receive(event.data));
    port.start?.();
  }

  /**
   * A block end over `port`; either end can write (send) and read (the latest received, or its own
   * latest write). Allocates its small pool now. Setup only.
   * @example
   * const { port1, port2 } = new MessageChannel();
   * const transport = new TransportBlock(PortBlockStore.open(port1, TRANSPORT_BLOCK_LENGTH));
   */
  static open(port: MessagePortLike, length: number, options: PortBlockStoreOptions = {}): PortBlockStore {
    if (!Number.isInteger(length) || length < 1)
      throw new EngineError("E_INTERNAL", `a block needs >= 1 value, got ${length}`);
    return new PortBlockStore(port, length, options);
  }

  /**
   * Writer: keeps `values` as the latest and sends it every `intervalWrites` writes, or now when
   * `urgent`. When the pool is empty (the reader has not returned a buffer yet) the send waits: the
   * newest values go out as soon as a buffer comes back, so the last write is never lost.
   * @example
   * store.write(values, runningChanged);
   */
  write(values: Float64Array, urgent = false): void {
    const count = Math.min(values.length, this.length);
    const latest = this.latest;
    for (let i = 0; i < count; i++) latest[i] = values[i] as number;
    this.writesSinceSend++;
    if (!urgent && this.writesSinceSend < this.intervalWrites) return;
    this.sendLatest();
  }

  private sendLatest(): void {
    const latest = this.latest;
    const buffer = this.freeBuffers.pop();
    if (buffer === undefined) {
      this.skipped++;
      this.starved = true;
      return;
    }
    this.starved = false;
    const slots = this.freeValues.pop() as Float64Array;
    const header = this.freeHeaders.pop() as Uint32Array;
    for (let i = 0; i < this.length; i++) slots[i] = latest[i] as number;
    header[MAGIC_WORD] = PORT_BUFFER_MAGIC;
    header[KIND_WORD] = DATA_KIND;
    header[COUNT_WORD] = this.length;
    this.writesSinceSend = 0;
    this.transfer[0] = buffer;
    this.port.postMessage(buffer, this.transfer);
  }

  /**
   * Reader: copies the latest values received (zeros before the first). Always true.
   * @example
   * store.read(values);
   */
  read(into: Float64Array): boolean {
    const count = Math.min(into.length, this.length);
    for (let i = 0; i < count; i++) into[i] = this.latest[i] as number;
    return true;
  }

  /**
   * Buffers this end allocated (its pool size); constant.
   * @example
   * store.allocatedBuffers(); // 4
   */
  allocatedBuffers(): number {
    return this.allocated;
  }

  /**
   * Sends deferred because every pooled buffer was out (each caught up when a buffer came back).
   * @example
   * if (store.skippedSends() > 0) console.warn("reader is slow");
   */
  skippedSends(): number {
    return this.skipped;
  }

  /**
   * Closes the port.
   * @example
   * store.close();
   */
  close(): void {
    this.port.close();
  }

  private addFree(buffer: ArrayBuffer): void {
    this.freeBuffers.push(buffer);
    this.freeHeaders.push(new Uint32Array(buffer, 0, PORT_BUFFER_HEADER_BYTES / 4));
    this.freeValues.push(new Float64Array(buffer, PORT_BUFFER_HEADER_BYTES, this.length));
  }

  private receive(message: unknown): void {
    if (
      !(message instanceof ArrayBuffer) ||
      message.byteLength !== PORT_BUFFER_HEADER_BYTES + 8 * this.length
    )
      return;
    const header = new Uint32Array(message, 0, 3);
    if (header[MAGIC_WORD] !== PORT_BUFFER_MAGIC) return;
    if (header[KIND_WORD] === RETURNED_KIND) {
      this.addFree(message);
      if (this.starved) this.sendLatest();
      return;
    }
    const values = new Float64Array(message, PORT_BUFFER_HEADER_BYTES, this.length);
    this.latest.set(values);
    header[KIND_WORD] = RETURNED_KIND;
    this.transfer[0] = message;
    this.port.postMessage(message, this.transfer);
  }
}
