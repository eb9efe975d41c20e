/**
 * The in-process host's buffer handles: audio held in JS as planar Float32Arrays (uploads, rendered
 * results, captures), named "buf:<n>".
 *
 * An engine only sees a buffer when a graph uses it: the first use on an engine copies it into that
 * engine's memory and remembers the engine buffer id, so a sample shared by many renders is copied
 * once per engine, and a render result that is only read back never enters an engine at all.
 *
 * Releasing a handle makes it unknown at once. Buffers a render in progress uses are pinned: their
 * engine copies are freed when the last render using them finishes, so a release never silences a
 * render midway.
 *
 * What it holds counts against heldBufferBytes (HeldBufferBytes): an upload or a render that would
 * hold more is refused with E_LIMIT before any copy is made.
 */
import { audioBytes, HeldBufferBytes } from "../../api/held-buffer-bytes";
import type { BufferHandle } from "../../contracts/common";
import { EngineError } from "../../contracts/errors";
import { LIMITS } from "../../contracts/limits";
import { engineMemory, formatBytes } from "../../engine/graph-memory";
import type { WasmEngine } from "../../engine/wasm-engine";

/** Audio behind one handle. */
export interface StoredBuffer {
  /** Planar channels, all the same length. Owned by the store: never handed out without a copy. */
  readonly channels: Float32Array[];
  readonly sampleRate: number;
}

interface Entry extends StoredBuffer {
  readonly bytes: number;
  /** Engine buffer id of this audio in each engine that has used it. */
  readonly engineIds: Map<WasmEngine, number>;
  /** Renders in progress that use it. */
  pins: number;
  released: boolean;
}

// Numbers are process-wide so that two clients never issue the same handle: a handle from another
// client is then unknown here, as the contract requires, instead of naming some other audio.
let nextHandleNumber = 1;

/**
 * Error for a handle this store does not hold.
 * @example
 * throw unknownHandle("buf:9", "handle"); // E_UNKNOWN_HANDLE at handle: no buffer "buf:9" (never issued, or released)
 */
export function unknownHandle(handle: string, path: string): EngineError {
  return new EngineError("E_UNKNOWN_HANDLE", `no buffer "${handle}" (never issued, or released)`, path);
}

export class BufferStore {
  private readonly entries = new Map<BufferHandle, Entry>();
  /** Released while pinned: freed from engines at the last unpin. */
  private readonly releasedPinned = new Set<Entry>();
  /** Bytes held, for heldBufferBytes; a render reserves its results' bytes here before it starts. */
  readonly bytes = new HeldBufferBytes();

  /**
   * Stores audio and returns its new handle. The store takes ownership of the arrays (copy first
   * when the caller keeps using them); the caller made room for them first (bytes.ensureRoom or
   * bytes.reserve).
   * @example
   * const handle = store.issue([left.slice(), right.slice()], 48000); // "buf:1"
   */
  issue(channels: Float32Array[], sampleRate: number): BufferHandle {
    const handle = `buf:${nextHandleNumber++}`;
    const bytes = audioBytes(channels);
    this.bytes.add(bytes);
    this.entries.set(handle, {
      channels,
      sampleRate,
      bytes,
      engineIds: new Map(),
      pins: 0,
      released: false,
    });
    return handle;
  }

  /**
   * True while `handle` names a stored buffer.
   * @example
   * store.has("buf:1"); // true until released
   */
  has(handle: string): boolean {
    return this.entries.has(handle);
  }

  /**
   * The stored audio (not a copy); E_UNKNOWN_HANDLE at `path` when unknown.
   * @example
   * const { channels, sampleRate } = store.get(handle, "handle");
   */
  get(handle: string, path: string): StoredBuffer {
    const entry = this.entries.get(handle);
    if (entry === undefined) throw unknownHandle(handle, path);
    return entry;
  }

  /**
   * A copy of the audio, one Float32Array per channel.
   * @example
   * const [left, right] = store.read(handle, "handle");
   */
  read(handle: string, path: string): Float32Array[] {
    return this.get(handle, path).channels.map((channel) => channel.slice());
  }

  /**
   * The id of this audio in `engine`, copying it in on first use; E_LIMIT at `path` when the engine's
   * memory cannot take it.
   * @example
   * engine.setNodeBuffer(node, 0, store.engineBufferId(engine, handle, "node_graph.nodes[0].buffers.data"));
   */
  engineBufferId(engine: WasmEngine, handle: string, path: string): number {
    const entry = this.entries.get(handle);
    if (entry === undefined) throw unknownHandle(handle, path);
    let id = entry.engineIds.get(engine);
    if (id === undefined) {
      const bytes = entry.channels.reduce((sum, channel) => sum + channel.byteLength, 0);
      const { availableBytes, inUseBytes } = engineMemory(engine.exports);
      if (bytes > availableBytes) {
        const detail =
          `buffer "${handle}" (${formatBytes(bytes)}) does not fit in the ${formatBytes(Math.max(0, availableBytes))} ` +
          `this engine has left (engineMemoryBytes = ${formatBytes(LIMITS.engineMemoryBytes.value)}, ` +
          `${formatBytes(inUseBytes)} in use)`;
        throw new EngineError("E_LIMIT", detail, path);
      }
      id = engine.createBuffer(entry.channels, entry.sampleRate);
      entry.engineIds.set(engine, id);
    }
    return id;
  }

  /**
   * Forgets a handle; its engine copies are freed now, or after the renders that pin it.
   * @example
   * store.release(handle, "handle");
   */
  release(handle: string, path: string): void {
    const entry = this.entries.get(handle);
    if (entry === undefined) throw unknownHandle(handle, path);
    this.entries.delete(handle);
    this.bytes.remove(entry.bytes);
    entry.released = true;
    if (entry.pins > 0) this.releasedPinned.add(entry);
    else freeEngineCopies(entry);
  }

  /**
   * Keeps the engine copies of `handles` alive while a render uses them; call the returned function
   * when it ends (it frees copies released meanwhile, and does nothing the second time).
   * @example
   * const unpin = store.pin(handles);
   * try { await render(); } finally { unpin(); }
   */
  pin(handles: Iterable<string>): () => void {
    const pinned: Entry[] = [];
    for (const handle of new Set(handles)) {
      const entry = this.entries.get(handle);
      if (entry === undefined) continue;
      entry.pins++;
      pinned.push(entry);
    }
    let done = false;
    return () => {
      if (done) return;
      done = true;
      for (const entry of pinned) {
        entry.pins--;
        if (entry.pins === 0 && entry.released) {
          this.releasedPinned.delete(entry);
          freeEngineCopies(entry);
        }
      }
    };
  }

  /**
   * Frees the copies in `engine` of every buffer but those in `keep` and those a render in progress
   * uses, to make room; they are copied in again when a graph next uses them. Returns the bytes freed.
   * @example
   * const freedBytes = store.freeEngineCopies(engine, new Set(["buf:3"]));
   */
  freeEngineCopies(engine: WasmEngine, keep: ReadonlySet<string>): number {
    let freed = 0;
    for (const [handle, entry] of this.entries) {
      const id = entry.engineIds.get(engine);
      if (id === undefined || keep.has(handle) || entry.pins > 0) continue;
      engine.releaseBuffer(id);
      entry.engineIds.delete(engine);
      freed += entry.channels.reduce((sum, channel) => sum + channel.byteLength, 0);
    }
    return freed;
  }

  /**
   * Drops every engine id recorded for `engine` (call before destroying it; its memory goes with it).
   * @example
   * store.forgetEngine(engine); engine.destroy();
   */
  forgetEngine(engine: WasmEngine): void {
    for (const entry of [...this.entries.values(), ...this.releasedPinned]) entry.engineIds.delete(engine);
  }

  /**
   * Handles currently held, in issue order.
   * @example
   * expect(store.handles()).toEqual([]); // nothing leaked
   */
  handles(): BufferHandle[] {
    return [...this.entries.keys()];
  }

  /**
   * Forgets every handle without touching engines (they are being destroyed).
   * @example
   * store.clear();
   */
  clear(): void {
    this.entries.clear();
    this.releasedPinned.clear();
    this.bytes.clear();
  }
}

function freeEngineCopies(entry: Entry): void {
  for (const [engine, id] of entry.engineIds) engine.releaseBuffer(id);
  entry.engineIds.clear();
}
