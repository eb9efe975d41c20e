/**
 * The data plane without shared memory: when the page is not cross-origin isolated
 * (`self.crossOriginIsolated` false) there is no SharedArrayBuffer, so the same push/pop, ring and
 * read API runs over MessagePort transfers (standards.md §5.3). Each primitive gets its own port
 * (a dedicated MessageChannel, never `AudioWorkletNode.port`, which carries other messages).
 *
 * - PortRing: a producer end fills pooled ArrayBuffers and transfers each one when it is full (or
 *   on `flush()`); the consumer end pops from the buffers it received and transfers each one back
 *   once emptied, into the producer's pool. The pool is allocated once, at construction, and never
 *   grows: when every buffer is out, a push is an overflow (counted, as with SpscRing).
 * - PortDoorbell: ring() posts the sequence number; waiting is asynchronous only.
 * - PortBlockStore: a latest-value BlockStore (transport and meter blocks); the writer sends a pooled
 *   buffer every `intervalWrites` writes (or at once when urgent), the reader copies it and sends the
 *   buffer straight back.
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
 * What is and is not allocation-free: push, pushAll, pop, skip and read never allocate themselves,
 * and no backing store is ever allocated after construction. But every message is a structured
 * clone: posting one, and the message event plus the views over each buffer that comes back, are
 * small JS objects, one set per buffer (per chunk, not per element or quantum). That is inherent to
 * MessagePort; the shared-memory plane has none of it. Rings flush when a chunk fills: size chunks so
 * that a real-time producer posts well under once per quantum.
 */
import { EngineError } from "../contracts/errors";
import type { RingBell } from "./doorbell";
import { hostClearTimeout, hostSetTimeout } from "./host-globals";
import { clampCount, copyElements, type RingElements, type RingElementType } from "./ring-elements";
import type { BlockStore } from "./shared-block-store";
import type { DataRing } from "./spsc-ring";

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

const MAGIC = 0;
const KIND = 1;
const COUNT = 2;
const OVERFLOWS = 3;
const DROPPED = 4;
const DATA = 1;
const RETURNED = 2;

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
   * if (!commands.pushAll(record, 24)) retryNextFrame();
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
    if (header[MAGIC] !== PORT_BUFFER_MAGIC) return;
    if (header[KIND] === RETURNED && this.role === "producer") {
      this.addFree(message, header);
    } else if (header[KIND] === DATA && this.role === "consumer") {
      this.overflows = header[OVERFLOWS] as number;
      this.dropped = header[DROPPED] as number;
      this.enqueue(message, header[COUNT] as number);
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
    header[MAGIC] = PORT_BUFFER_MAGIC;
    header[KIND] = DATA;
    header[COUNT] = this.currentFilled;
    header[OVERFLOWS] = this.overflows;
    header[DROPPED] = this.dropped;
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
    header[KIND] = RETURNED;
    this.transfer[0] = buffer;
    this.port.postMessage(buffer, this.transfer);
  }
}

/** A doorbell over a MessagePort: ring() posts; only asynchronous waits are possible. */
export class PortDoorbell implements RingBell {
  private readonly port: MessagePortLike;
  private readonly noTransfer: ArrayBuffer[] = [];
  private rung = 0;
  private received = 0;
  private lastSeen = 0;
  private readonly wakers: (() => void)[] = [];

  private constructor(port: MessagePortLike) {
    this.port = port;
    port.addEventListener("message", (event) => {
      if (typeof event.data !== "number") return;
      this.received = event.data;
      for (const wake of this.wakers.splice(0)) wake();
    });
    port.start?.();
  }

  /**
   * A doorbell end over `port` (either end can ring or wait). Setup only.
   * @example
   * const { port1, port2 } = new MessageChannel();
   * const bell = PortDoorbell.open(port1);
   */
  static open(port: MessagePortLike): PortDoorbell {
    return new PortDoorbell(port);
  }

  /**
   * Rings: posts the ring count to the other end. Every ring is a message here, so ring per chunk
   * sent, not per quantum.
   * @example
   * if (capture.availableRead() >= chunk) bell.ring();
   */
  ring(): void {
    this.rung = (this.rung + 1) | 0;
    this.port.postMessage(this.rung, this.noTransfer);
  }

  /**
   * Always throws E_HOST_UNAVAILABLE: a MessagePort doorbell cannot block a thread (messages are
   * delivered by the event loop the wait would block). Use `waitForRingAsync`.
   * @example
   * await bell.waitForRingAsync(100); // not bell.waitForRing(100)
   */
  waitForRing(_timeoutMs?: number): number {
    throw new EngineError(
      "E_HOST_UNAVAILABLE",
      "a message-port doorbell cannot block (its rings arrive as events on the thread that would be waiting); use waitForRingAsync",
    );
  }

  /**
   * Resolves with the number of rings since the previous wait returned, or 0 after `timeoutMs`.
   * @example
   * for (;;) { drain(); await bell.waitForRingAsync(100); }
   */
  async waitForRingAsync(timeoutMs = Number.POSITIVE_INFINITY): Promise<number> {
    if (this.received === this.lastSeen) {
      await new Promise<void>((resolve) => {
        const timer = timeoutMs === Number.POSITIVE_INFINITY ? undefined : hostSetTimeout(wake, timeoutMs);
        function wake(): void {
          if (timer !== undefined) hostClearTimeout(timer);
          resolve();
        }
        this.wakers.push(wake);
      });
    }
    const rings = (this.received - this.lastSeen) | 0;
    this.lastSeen = this.received;
    return Math.max(rings, 0);
  }

  /**
   * Closes the port.
   * @example
   * bell.close();
   */
  close(): void {
    this.port.close();
  }
}

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
    header[MAGIC] = PORT_BUFFER_MAGIC;
    header[KIND] = DATA;
    header[COUNT] = this.length;
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
    if (header[MAGIC] !== PORT_BUFFER_MAGIC) return;
    if (header[KIND] === RETURNED) {
      this.addFree(message);
      if (this.starved) this.sendLatest();
      return;
    }
    const values = new Float64Array(message, PORT_BUFFER_HEADER_BYTES, this.length);
    this.latest.set(values);
    header[KIND] = RETURNED;
    this.transfer[0] = message;
    this.port.postMessage(message, this.transfer);
  }
}
