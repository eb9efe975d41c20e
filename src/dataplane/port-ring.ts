/**
 * PortRing: the MessagePort twin of SpscRing (spsc-ring.ts), for pages that are not cross-origin
 * isolated. Same DataRing API, so host code runs unchanged on either; how it differs:
 * - Elements travel in pooled ArrayBuffers (layout in port-buffer.ts) over a dedicated port: the
 *   producer fills one and transfers it when it is full (or on `flush()`); the consumer pops from the
 *   buffers it received and transfers each one back once emptied, into the producer's pool. The pool
 *   is allocated once, at construction, and never grows: when every buffer is out, a push is an
 *   overflow (counted, as with SpscRing).
 * - Pushed elements reach the consumer when their buffer is sent, not at once: SpscRing publishes on
 *   every push, a PortRing batches until a buffer fills, `flush()` or (with `autoFlush`) the end of
 *   the task.
 * - Each end has one role, fixed at construction: a producer's pop and a consumer's push do nothing.
 *   The overflow counts are exact on the producer; the consumer knows them as of the latest buffer
 *   it received (a SpscRing's are one shared word, the same on both sides).
 * - A message per buffer (see port-buffer.ts for what that allocates); no Atomics.
 */
import { EngineError } from "../contracts/errors";
import {
  COUNT_WORD,
  DATA_KIND,
  DROPPED_WORD,
  KIND_WORD,
  MAGIC_WORD,
  type MessagePortLike,
  OVERFLOWS_WORD,
  PORT_BUFFER_HEADER_BYTES,
  PORT_BUFFER_MAGIC,
  RETURNED_KIND,
} from "./port-buffer";
import { clampCount, copyElements, type RingElements, type RingElementType } from "./ring-elements";
import type { DataRing } from "./spsc-ring";

/** Options of a PortRing; both ends must agree. */
export interface PortRingOptions {
  /** Elements per pooled buffer (one message). Default 4096. */
  chunkLength?: number;
  /** Buffers in the producer's pool; capacity = chunkLength × poolSize. Default 4. */
  poolSize?: number;
  /**
   * Producer: also send a partly filled buffer at the end of the current task (microtask), so
   * commands go out without an explicit `flush()`. Default false; never on the audio thread.
   */
  autoFlush?: boolean;
}

/** Which end of a PortRing this is. */
export type PortRingRole = "producer" | "consumer";

export class PortRing<T extends RingElements = Float32Array> implements DataRing<T> {
  /**
   * Elements the ring holds when every pooled buffer is full.
   * @example
   * const ring = PortRing.producer(port, Float32Array, { chunkLength: 2048, poolSize: 8 }); // capacity 16384
   */
  readonly capacity: number;
  /**
   * Elements per pooled buffer (one message).
   * @example
   * if (frames * channels > ring.chunkLength) ring.flush();
   */
  readonly chunkLength: number;
  /**
   * "producer" or "consumer": what this end does; the other operations do nothing here.
   * @example
   * ring.role; // "producer"
   */
  readonly role: PortRingRole;
  /**
   * The element type, e.g. `Float32Array`.
   * @example
   * ring.type === Float32Array; // true
   */
  readonly type: RingElementType<T>;

  private readonly port: MessagePortLike;
  private readonly autoFlush: boolean;
  private readonly transfer: ArrayBuffer[] = [];
  private overflows = 0;
  private dropped = 0;
  /** Buffers this side created (the producer's pool size; 0 on a consumer). Never grows. */
  private allocated = 0;

  // Producer: free buffers (a stack, with their views) and the buffer being filled.
  private readonly freeBuffers: ArrayBuffer[] = [];
  private readonly freeHeaders: Uint32Array[] = [];
  private readonly freeData: T[] = [];
  private currentBuffer: ArrayBuffer | null = null;
  private currentHeader: Uint32Array | null = null;
  private currentData: T | null = null;
  private currentFilled = 0;
  private flushScheduled = false;

  // Consumer: received buffers in arrival order (a circular queue) and the elements they hold.
  private queueBuffers: (ArrayBuffer | null)[];
  private queueData: (T | null)[];
  private queueCount: Int32Array;
  private queueRead: Int32Array;
  private queueHead = 0;
  private queueSize = 0;
  private available = 0;

  private constructor(
    port: MessagePortLike,
    type: RingElementType<T>,
    role: PortRingRole,
    options: PortRingOptions,
  ) {
    const chunkLength = options.chunkLength ?? 4096;
    const poolSize = options.poolSize ?? 4;
    if (!Number.isInteger(chunkLength) || chunkLength < 1 || !Number.isInteger(poolSize) || poolSize < 1) {
      throw new EngineError(
        "E_INTERNAL",
        `a port ring needs integer chunkLength and poolSize >= 1, got ${chunkLength} and ${poolSize}`,
      );
    }
    this.port = port;
    this.type = type;
    this.role = role;
    this.chunkLength = chunkLength;
    this.capacity = chunkLength * poolSize;
    this.autoFlush = options.autoFlush ?? false;
    this.queueBuffers = new Array<ArrayBuffer | null>(poolSize).fill(null);
    this.queueData = new Array<T | null>(poolSize).fill(null);
    this.queueCount = new Int32Array(poolSize);
    this.queueRead = new Int32Array(poolSize);
    if (role === "producer") {
      const bytes = PORT_BUFFER_HEADER_BYTES + chunkLength * type.BYTES_PER_ELEMENT;
      for (let i = 0; i < poolSize; i++) this.addFree(new ArrayBuffer(bytes));
      this.allocated = poolSize;
    }
    port.addEventListener("message", (event) => this.receive(event.data));
    port.start?.();
  }

  /**
   * The producing end over `port`: allocates its pool of `poolSize` buffers now. Setup only.
   * @example
   * const { port1, port2 } = new MessageChannel();
   * const commands = PortRing.producer(port1, Uint8Array, { chunkLength: 4096, autoFlush: true });
   * node.port.postMessage({ commands: port2 }, [port2]);
   */
  static producer<T extends RingElements>(
    port: MessagePortLike,
    type: RingElementType<T>,
    options: PortRingOptions = {},
  ): PortRing<T> {
    return new PortRing(port, type, "producer", options);
  }

  /**
   * The consuming end over `port` (same options as the producer's). Setup only.
   * @example
   * const commands = PortRing.consumer(message.commands, Uint8Array, { chunkLength: 4096 });
   */
  static consumer<T extends RingElements>(
    port: MessagePortLike,
    type: RingElementType<T>,
    options: PortRingOptions = {},
  ): PortRing<T> {
    return new PortRing(port, type, "consumer", options);
  }

  /**
   * Producer: copies up to `length` elements of `source` from `offset` into pooled buffers, sending
   * each buffer as it fills; what does not fit is counted as an overflow. Like SpscRing.push.
   * @returns the number of elements accepted.
   * @example
   * capture.push(block);
   */
  push(source: T, length?: number, offset = 0): number {
    if (this.role !== "producer") return 0;
    const requested = clampCount(source.length, length, offset);
    let written = 0;
    while (written < requested) {
      if (this.currentData === null && !this.takeFree()) break;
      const data = this.currentData as T;
      const room = this.chunkLength - this.currentFilled;
      const count = Math.min(requested - written, room);
      copyElements(source, offset + written, data, this.currentFilled, count);
      this.currentFilled += count;
      written += count;
      if (this.currentFilled === this.chunkLength) this.send();
    }
    if (written < requested) this.countOverflow(requested - written);
    if (written > 0) this.scheduleFlush();
    return written;
  }

  /**
   * Producer: accepts all `length` elements or none (false, one overflow counted). A run that fits
   * in one buffer never straddles two, so a record pushed whole arrives whole.
   * @example
   * if (!commands.pushAll(commandRecord, 24)) retryNextFrame();
   */
  pushAll(source: T, length?: number, offset = 0): boolean {
    if (this.role !== "producer") return false;
    const requested = clampCount(source.length, length, offset);
    if (requested === 0) return true;
    const room = this.currentData === null ? 0 : this.chunkLength - this.currentFilled;
    const startFresh = requested <= this.chunkLength && requested > room;
    const usable = (startFresh ? 0 : room) + this.freeBuffers.length * this.chunkLength;
    if (requested > usable) {
      this.countOverflow(requested);
      return false;
    }
    if (startFresh && this.currentData !== null) this.send();
    this.push(source, requested, offset);
    return true;
  }

  /**
   * Producer: sends the partly filled buffer now (a full one goes by itself). Call it at the end of a
   * batch of commands, or per UI frame.
   * @example
   * encoder.encode(command, commands);
   * commands.flush();
   */
  flush(): void {
    if (this.currentData !== null && this.currentFilled > 0) this.send();
  }

  /**
   * Consumer: moves up to `length` elements into `target` from `offset`, oldest first, returning each
   * emptied buffer to the producer. Like SpscRing.pop.
   * @returns the number of elements read.
   * @example
   * while (capture.pop(block) === block.length) sink(block);
   */
  pop(target: T, length?: number, offset = 0): number {
    const requested = clampCount(target.length, length, offset);
    const count = Math.min(requested, this.available);
    return this.consume(count, target, offset);
  }

  /**
   * Consumer: discards up to `count` of the oldest elements. Like SpscRing.skip.
   * @example
   * capture.skip(capture.availableRead());
   */
  skip(count: number): number {
    const wanted = count > 0 ? Math.floor(count) : 0;
    return this.consume(Math.min(wanted, this.available), null, 0);
  }

  /**
   * Consumer: elements received and not yet popped. Producer: elements sent or pending that have not
   * come back (an upper bound of what the consumer holds).
   * @example
   * if (capture.availableRead() >= block.length) capture.pop(block);
   */
  availableRead(): number {
    return this.role === "consumer" ? this.available : this.capacity - this.availableWrite();
  }

  /**
   * Producer: elements a push accepts right now (the free pool plus the room in the current buffer).
   * Consumer: an estimate, capacity minus what it holds.
   * @example
   * if (capture.availableWrite() >= block.length) capture.push(block);
   */
  availableWrite(): number {
    if (this.role === "consumer") return this.capacity - this.available;
    const room = this.currentData === null ? 0 : this.chunkLength - this.currentFilled;
    return room + this.freeBuffers.length * this.chunkLength;
  }

  /**
   * True when nothing is ready to pop (see availableRead).
   * @example
   * if (!commands.isEmpty()) decoder.decode(commands, visitor);
   */
  isEmpty(): boolean {
    return this.availableRead() === 0;
  }

  /**
   * True when a push would accept nothing (see availableWrite).
   * @example
   * if (capture.isFull()) dropped++;
   */
  isFull(): boolean {
    return this.availableWrite() === 0;
  }

  /**
   * Pushes that could not write everything. Exact on the producer; on the consumer, as of the
   * latest buffer received.
   * @example
   * state.ringOverflows = capture.overflowCount();
   */
  overflowCount(): number {
    return this.overflows;
  }

  /**
   * Elements those pushes left out (same visibility as overflowCount).
   * @example
   * const lostFrames = capture.droppedCount() / 2;
   */
  droppedCount(): number {
    return this.dropped;
  }

  /**
   * Buffers this end ever allocated: the pool size on a producer, 0 on a consumer. It does not grow
   * in steady state; tests check that.
   * @example
   * ring.allocatedBuffers(); // 4
   */
  allocatedBuffers(): number {
    return this.allocated;
  }

  /**
   * Closes the port: no more messages either way.
   * @example
   * ring.close();
   */
  close(): void {
    this.port.close();
  }

  private receive(message: unknown): void {
    if (!(message instanceof ArrayBuffer) || message.byteLength < PORT_BUFFER_HEADER_BYTES) return;
    const header = new Uint32Array(message, 0, PORT_BUFFER_HEADER_BYTES / 4);
    if (header[MAGIC_WORD] !== PORT_BUFFER_MAGIC) return;
    if (header[KIND_WORD] === RETURNED_KIND && this.role === "producer") {
      this.addFree(message, header);
    } else if (header[KIND_WORD] === DATA_KIND && this.role === "consumer") {
      this.overflows = header[OVERFLOWS_WORD] as number;
      this.dropped = header[DROPPED_WORD] as number;
      this.enqueue(message, header[COUNT_WORD] as number);
    }
  }

  private addFree(
    buffer: ArrayBuffer,
    header = new Uint32Array(buffer, 0, PORT_BUFFER_HEADER_BYTES / 4),
  ): void {
    const length = (buffer.byteLength - PORT_BUFFER_HEADER_BYTES) / this.type.BYTES_PER_ELEMENT;
    this.freeBuffers.push(buffer);
    this.freeHeaders.push(header);
    this.freeData.push(new this.type(buffer, PORT_BUFFER_HEADER_BYTES, length));
  }

  private takeFree(): boolean {
    const buffer = this.freeBuffers.pop();
    if (buffer === undefined) return false;
    this.currentBuffer = buffer;
    this.currentHeader = this.freeHeaders.pop() as Uint32Array;
    this.currentData = this.freeData.pop() as T;
    this.currentFilled = 0;
    return true;
  }

  private send(): void {
    const buffer = this.currentBuffer as ArrayBuffer;
    const header = this.currentHeader as Uint32Array;
    header[MAGIC_WORD] = PORT_BUFFER_MAGIC;
    header[KIND_WORD] = DATA_KIND;
    header[COUNT_WORD] = this.currentFilled;
    header[OVERFLOWS_WORD] = this.overflows;
    header[DROPPED_WORD] = this.dropped;
    this.currentBuffer = null;
    this.currentHeader = null;
    this.currentData = null;
    this.currentFilled = 0;
    this.transfer[0] = buffer;
    this.port.postMessage(buffer, this.transfer);
  }

  private scheduleFlush(): void {
    if (!this.autoFlush || this.flushScheduled) return;
    this.flushScheduled = true;
    Promise.resolve().then(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private countOverflow(dropped: number): void {
    this.overflows = (this.overflows + 1) >>> 0;
    this.dropped = (this.dropped + dropped) >>> 0;
  }

  private enqueue(buffer: ArrayBuffer, count: number): void {
    if (this.queueSize === this.queueBuffers.length) this.growQueue();
    const slot = (this.queueHead + this.queueSize) % this.queueBuffers.length;
    const length = (buffer.byteLength - PORT_BUFFER_HEADER_BYTES) / this.type.BYTES_PER_ELEMENT;
    this.queueBuffers[slot] = buffer;
    this.queueData[slot] = new this.type(buffer, PORT_BUFFER_HEADER_BYTES, length);
    this.queueCount[slot] = count;
    this.queueRead[slot] = 0;
    this.queueSize++;
    this.available += count;
  }

  /** Only when the producer's pool is larger than this end was told: setup-time sizes disagree. */
  private growQueue(): void {
    const size = this.queueBuffers.length;
    const order = (i: number) => (this.queueHead + i) % size;
    const buffers = Array.from({ length: size * 2 }, (_, i) =>
      i < size ? (this.queueBuffers[order(i)] ?? null) : null,
    );
    const data = Array.from({ length: size * 2 }, (_, i) =>
      i < size ? (this.queueData[order(i)] ?? null) : null,
    );
    const counts = new Int32Array(size * 2);
    const reads = new Int32Array(size * 2);
    for (let i = 0; i < size; i++) {
      counts[i] = this.queueCount[order(i)] as number;
      reads[i] = this.queueRead[order(i)] as number;
    }
    this.queueBuffers = buffers;
    this.queueData = data;
    this.queueCount = counts;
    this.queueRead = reads;
    this.queueHead = 0;
  }

  /** Takes `count` (<= available) elements off the queue, copying them to `target` unless null. */
  private consume(count: number, target: T | null, offset: number): number {
    let done = 0;
    while (done < count) {
      const slot = this.queueHead;
      const data = this.queueData[slot] as T;
      const read = this.queueRead[slot] as number;
      const left = (this.queueCount[slot] as number) - read;
      const take = Math.min(count - done, left);
      if (target !== null) copyElements(data, read, target, offset + done, take);
      this.queueRead[slot] = read + take;
      done += take;
      if (take === left) this.releaseHead();
    }
    this.available -= done;
    return done;
  }

  /** Sends the emptied head buffer back to the producer's pool. */
  private releaseHead(): void {
    const slot = this.queueHead;
    const buffer = this.queueBuffers[slot] as ArrayBuffer;
    this.queueBuffers[slot] = null;
    this.queueData[slot] = null;
    this.queueHead = (slot + 1) % this.queueBuffers.length;
    this.queueSize--;
    const header = new Uint32Array(buffer, 0, 2);
    header[KIND_WORD] = RETURNED_KIND;
    this.transfer[0] = buffer;
    this.port.postMessage(buffer, this.transfer);
  }
}
