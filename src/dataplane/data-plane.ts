/**
 * The data plane: how bulk data and per-quantum state cross between the audio thread, Workers and
 * the main thread, without control messages (docs/architecture.md, "Threads and planes").
 *
 * `createDataPlane({ isolated: self.crossOriginIsolated })` picks the transport once:
 * - "shared_memory" (cross-origin isolated): SpscRing, Doorbell, TransportBlock and MeterBlock over
 *   SharedArrayBuffers; nothing is posted after setup.
 * - "message_port" (not isolated: no SharedArrayBuffer): PortRing, PortDoorbell and PortBlockStore over
 *   dedicated MessageChannels with pooled, transferred buffers.
 *
 * Each `create*` call returns `{ local, remote, transfer }`: `local` is this side's object; `remote` a
 * structured-cloneable handle to post to the other side (with `transfer` as the transfer list), which
 * turns it into its own object with the matching `open*` function. Both sides then use the same API
 * whichever transport was picked.
 *
 * ```ts
 * // main thread
 * const plane = createDataPlane({ isolated: self.crossOriginIsolated });
 * const commands = plane.createRing(Uint8Array, 65536, { localRole: "producer", autoFlush: true });
 * const transport = plane.createTransportBlock();
 * node.port.postMessage({ commands: commands.remote, transport: transport.remote },
 *   [...commands.transfer, ...transport.transfer]);
 * // audio thread (AudioWorkletProcessor constructor, on that message)
 * const commands = openRing(message.commands, Uint8Array);
 * const transport = openTransportBlock(message.transport);
 * ```
 */
import type { DataPlaneTransport } from "../api/realtime-readings";
import { EngineError } from "../contracts/errors";
import { Doorbell, type RingBell } from "./doorbell";
import { hostMessageChannel } from "./host-globals";
import { MeterBlock, meterBlockLength } from "./meter-block";
import { PortBlockStore, type PortBlockStoreOptions } from "./port-block-store";
import { PortDoorbell } from "./port-doorbell";
import { PortRing, type PortRingRole } from "./port-ring";
import type { RingElements, RingElementType } from "./ring-elements";
import { type DataRing, SpscRing } from "./spsc-ring";
import { TRANSPORT_BLOCK_LENGTH, TransportBlock } from "./transport-block";

/** Typed-array constructor names a ring handle can carry (constructors do not survive postMessage). */
export type RingTypeName =
  | "Float32Array"
  | "Float64Array"
  | "Int8Array"
  | "Uint8Array"
  | "Int16Array"
  | "Uint16Array"
  | "Int32Array"
  | "Uint32Array";

/** What `create*` returns: this side's object, the handle for the other side, and its transfer list. */
export interface DataPlaneEndpoint<Local, Handle> {
  local: Local;
  remote: Handle;
  /** Pass as postMessage's transfer list (MessagePorts over the fallback; empty with shared memory). */
  transfer: Transferable[];
}

/** A ring's handle for the other side. */
export type RingHandle =
  | {
      kind: "ring";
      transport: "shared_memory";
      type: RingTypeName;
      sab: SharedArrayBuffer;
      byteOffset: number;
      capacity: number;
    }
  | {
      kind: "ring";
      transport: "message_port";
      type: RingTypeName;
      /** A MessagePort, not just a MessagePortLike: it crosses in the transfer list (so do the others). */
      port: MessagePort;
      /** The role of the end opened from this handle. */
      role: PortRingRole;
      chunkLength: number;
      poolSize: number;
    };

/** A doorbell's handle for the other side. */
export type DoorbellHandle =
  | { kind: "doorbell"; transport: "shared_memory"; sab: SharedArrayBuffer; byteOffset: number }
  | { kind: "doorbell"; transport: "message_port"; port: MessagePort };

/** A transport or meter block's handle for the other side. */
export type BlockHandle = (
  | { transport: "shared_memory"; sab: SharedArrayBuffer; byteOffset: number }
  | { transport: "message_port"; port: MessagePort; intervalWrites: number }
) & { kind: "transport-block" | "meter-block"; channels?: number; windowQuanta?: number };

/** Options of `DataPlane.createRing`. */
export interface CreateRingOptions {
  /** What this side does with the ring (default "producer"); the other side does the opposite. */
  localRole?: PortRingRole;
  /** Message-port only: elements per transferred buffer (default capacity / 4, rounded up). */
  chunkLength?: number;
  /** Message-port only: the producer sends partly filled buffers at the end of each task. */
  autoFlush?: boolean;
}

/** The factory `createDataPlane` returns. */
export interface DataPlane {
  /**
   * Which transport was picked; report it (TransportState.extensions.data_plane).
   * @example
   * transportState.extensions.data_plane = plane.transport;
   */
  readonly transport: DataPlaneTransport;
  /**
   * A single-producer single-consumer ring of `capacity` elements of `type`.
   * @example
   * const capture = plane.createRing(Float32Array, 8192, { localRole: "consumer" });
   */
  createRing<T extends RingElements>(
    type: RingElementType<T>,
    capacity: number,
    options?: CreateRingOptions,
  ): DataPlaneEndpoint<DataRing<T>, RingHandle>;
  /**
   * A doorbell: one side rings, the other waits.
   * @example
   * const bell = plane.createDoorbell();
   */
  createDoorbell(): DataPlaneEndpoint<RingBell, DoorbellHandle>;
  /**
   * A transport block: the remote (audio) side writes, this side reads.
   * @example
   * const transport = plane.createTransportBlock();
   */
  createTransportBlock(options?: PortBlockStoreOptions): DataPlaneEndpoint<TransportBlock, BlockHandle>;
  /**
   * A meter block of `channels` channels: the remote (audio) side measures, this side reads.
   * @example
   * const meters = plane.createMeterBlock(2, { windowQuanta: 8 });
   */
  createMeterBlock(
    channels: number,
    options?: PortBlockStoreOptions & { windowQuanta?: number },
  ): DataPlaneEndpoint<MeterBlock, BlockHandle>;
}

/**
 * Picks the transport: shared memory when `isolated` (pass `self.crossOriginIsolated`, nothing
 * else: a page can construct shared WebAssembly memory and still fail to post it), MessagePorts
 * otherwise. Throws E_HOST_UNAVAILABLE when told it is isolated but SharedArrayBuffer is missing.
 * Main thread or Worker (it needs MessageChannel for the fallback; the AudioWorklet scope has none).
 * @example
 * const plane = createDataPlane({ isolated: self.crossOriginIsolated });
 * console.info(`data plane: ${plane.transport}`);
 */
export function createDataPlane(options: { isolated: boolean }): DataPlane {
  if (options.isolated && typeof SharedArrayBuffer === "undefined") {
    throw new EngineError(
      "E_HOST_UNAVAILABLE",
      "isolated was true but SharedArrayBuffer is missing: pass self.crossOriginIsolated, not a guess",
    );
  }
  return options.isolated ? sharedMemoryPlane : messagePortPlane;
}

const sharedMemoryPlane: DataPlane = {
  transport: "shared_memory",
  createRing(type, capacity) {
    const ring = SpscRing.create(capacity, type);
    const remote: RingHandle = {
      kind: "ring",
      transport: "shared_memory",
      type: typeName(type),
      sab: ring.sab as SharedArrayBuffer,
      byteOffset: ring.byteOffset,
      capacity,
    };
    return { local: ring, remote, transfer: [] };
  },
  createDoorbell() {
    const bell = Doorbell.create();
    return {
      local: bell,
      remote: {
        kind: "doorbell",
        transport: "shared_memory",
        sab: bell.sab as SharedArrayBuffer,
        byteOffset: 0,
      },
      transfer: [],
    };
  },
  createTransportBlock() {
    const block = TransportBlock.create();
    const sab = block.sab as SharedArrayBuffer;
    return {
      local: block,
      remote: { kind: "transport-block", transport: "shared_memory", sab, byteOffset: 0 },
      transfer: [],
    };
  },
  createMeterBlock(channels, options = {}) {
    const meters = MeterBlock.create(channels, options);
    const sab = meters.sab as SharedArrayBuffer;
    return {
      local: meters,
      remote: {
        kind: "meter-block",
        transport: "shared_memory",
        sab,
        byteOffset: 0,
        channels,
        windowQuanta: meters.windowQuanta,
      },
      transfer: [],
    };
  },
};

const messagePortPlane: DataPlane = {
  transport: "message_port",
  createRing(type, capacity, options = {}) {
    const chunkLength = options.chunkLength ?? Math.max(1, Math.ceil(capacity / 4));
    const poolSize = Math.max(1, Math.ceil(capacity / chunkLength));
    const localRole = options.localRole ?? "producer";
    const { port1, port2 } = newChannel();
    const ringOptions = { chunkLength, poolSize, autoFlush: options.autoFlush ?? false };
    const local =
      localRole === "producer"
        ? PortRing.producer(port1, type, ringOptions)
        : PortRing.consumer(port1, type, ringOptions);
    const remote: RingHandle = {
      kind: "ring",
      transport: "message_port",
      type: typeName(type),
      port: port2,
      role: localRole === "producer" ? "consumer" : "producer",
      chunkLength,
      poolSize,
    };
    return { local, remote, transfer: [port2] };
  },
  createDoorbell() {
    const { port1, port2 } = newChannel();
    return {
      local: PortDoorbell.open(port1),
      remote: { kind: "doorbell", transport: "message_port", port: port2 },
      transfer: [port2],
    };
  },
  createTransportBlock(options = {}) {
    const { port1, port2 } = newChannel();
    const intervalWrites = options.intervalWrites ?? 6;
    return {
      local: new TransportBlock(PortBlockStore.open(port1, TRANSPORT_BLOCK_LENGTH, options)),
      remote: { kind: "transport-block", transport: "message_port", port: port2, intervalWrites },
      transfer: [port2],
    };
  },
  createMeterBlock(channels, options = {}) {
    const { port1, port2 } = newChannel();
    const intervalWrites = options.intervalWrites ?? 6;
    const local = new MeterBlock(
      PortBlockStore.open(port1, meterBlockLength(channels), options),
      channels,
      options.windowQuanta,
    );
    return {
      local,
      remote: {
        kind: "meter-block",
        transport: "message_port",
        port: port2,
        intervalWrites,
        channels,
        windowQuanta: local.windowQuanta,
      },
      transfer: [port2],
    };
  },
};

/**
 * The other side's end of a ring made by `createRing`. Setup only.
 * @example
 * const commands = openRing(message.commands, Uint8Array);
 */
export function openRing<T extends RingElements>(handle: RingHandle, type: RingElementType<T>): DataRing<T> {
  if (handle.type !== typeName(type)) {
    throw new EngineError("E_INTERNAL", `the ring holds ${handle.type}; it was opened as ${type.name}`);
  }
  if (handle.transport === "shared_memory") {
    return SpscRing.attach(handle.sab, type, { byteOffset: handle.byteOffset, capacity: handle.capacity });
  }
  const options = { chunkLength: handle.chunkLength, poolSize: handle.poolSize };
  return handle.role === "producer"
    ? PortRing.producer(handle.port, type, options)
    : PortRing.consumer(handle.port, type, options);
}

/**
 * The other side's end of a doorbell made by `createDoorbell`. Setup only.
 * @example
 * const bell = openDoorbell(message.bell);
 * bell.ring();
 */
export function openDoorbell(handle: DoorbellHandle): Doorbell | PortDoorbell {
  return handle.transport === "shared_memory"
    ? Doorbell.attach(handle.sab, handle.byteOffset)
    : PortDoorbell.open(handle.port);
}

/**
 * The other side's end of a transport block made by `createTransportBlock` (it writes). Setup only.
 * @example
 * const transport = openTransportBlock(message.transport);
 * transport.write(state);
 */
export function openTransportBlock(handle: BlockHandle): TransportBlock {
  if (handle.transport === "shared_memory") return TransportBlock.attach(handle.sab, handle.byteOffset);
  return new TransportBlock(
    PortBlockStore.open(handle.port, TRANSPORT_BLOCK_LENGTH, { intervalWrites: handle.intervalWrites }),
  );
}

/**
 * The other side's end of a meter block made by `createMeterBlock` (it measures). Setup only.
 * @example
 * const meters = openMeterBlock(message.meters);
 * meters.measure(outputs[0] ?? []); // in process(inputs, outputs)
 */
export function openMeterBlock(handle: BlockHandle): MeterBlock {
  const windowQuanta = handle.windowQuanta ?? 8;
  if (handle.transport === "shared_memory")
    return MeterBlock.attach(handle.sab, handle.byteOffset, { windowQuanta });
  const channels = handle.channels ?? 2;
  const store = PortBlockStore.open(handle.port, meterBlockLength(channels), {
    intervalWrites: handle.intervalWrites,
  });
  return new MeterBlock(store, channels, windowQuanta);
}

function typeName(type: RingElementType<RingElements>): RingTypeName {
  return type.name as RingTypeName;
}

function newChannel(): { port1: MessagePort; port2: MessagePort } {
  const Channel = hostMessageChannel();
  if (Channel === undefined) {
    throw new EngineError(
      "E_HOST_UNAVAILABLE",
      "MessageChannel is not available here (an AudioWorklet scope): create the data plane on the main thread or in a Worker",
    );
  }
  return new Channel();
}
