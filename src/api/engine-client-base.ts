/**
 * EngineClientBase: the plumbing every EngineClient shares, written once. The in-process host, the
 * Worker and AudioWorklet clients and the test double extend it; each adds only what its host does.
 *
 * - Lifecycle: `ensureOpen()` at the top of every call; after `close()` every call rejects with
 *   E_CLOSED. `close()` is idempotent: the first call marks the client closed at once (so a render in
 *   progress sees it at its next yield), drops the discovery cache, then runs the host's `release()`.
 * - Discovery: `discoverNodes` validates its options and answers from the TTL cache (DiscoveryCache).
 *   A new result is the host's own scan (`scanNodes()`: builtin, compiled Faust) merged with the scan
 *   of each discovery root (`scanRoot()`), each root's scan cached on its own with the same TTL, so
 *   invalidating one root rescans that root only (discovery-merge.ts says how duplicates merge).
 *   A root whose scan throws is one failure of the result, never a failed discovery.
 */

import { EngineError } from "../contracts/errors";
import type { PluginDiscoveryResult } from "../contracts/plugin-discovery";
import {
  discoveryRootReference,
  parseDiscoverOptions,
  parseDiscoveryRoot,
  parseDiscoveryRoots,
} from "./call-validation";
import type { Clock } from "./clock";
import { DiscoveryCache } from "./discovery-cache";
import { mergeDiscovery } from "./discovery-merge";
import { type DiscoveryRoot, discoveryRootKey, failedRootScan, type RootScan } from "./discovery-roots";
import type { DiscoverOptions, HostKind } from "./engine-client";

export interface EngineClientBaseOptions {
  /** Time source of the discovery cache. Default: the wall clock. */
  clock?: Clock;
  /** Discovery cache TTL, in milliseconds. Default DEFAULT_DISCOVERY_TTL_MS (5 minutes). */
  discoveryTtlMs?: number;
  /** Roots discoverNodes scans besides the host's own nodes (discovery-roots.ts). Default none. */
  discoveryRoots?: readonly DiscoveryRoot[];
}

export abstract class EngineClientBase {
  /** Which host runs this engine (EngineClient.host). */
  abstract readonly host: HostKind;
  private readonly discovery: DiscoveryCache;
  private readonly cacheOptions: { clock?: Clock; ttlMs?: number };
  private readonly roots = new Map<string, DiscoveryRoot>();
  private readonly rootScans = new Map<string, DiscoveryCache<RootScan>>();
  private closed = false;

  /** Throws E_SCHEMA at options.discoveryRoots[i] for a bad root. */
  protected constructor(options: EngineClientBaseOptions = {}) {
    this.cacheOptions = {
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.discoveryTtlMs === undefined ? {} : { ttlMs: options.discoveryTtlMs }),
    };
    this.discovery = new DiscoveryCache(this.cacheOptions);
    for (const root of parseDiscoveryRoots(options.discoveryRoots, "options.discoveryRoots")) {
      this.roots.set(discoveryRootKey(root), root);
    }
  }

  /**
   * The node types the engine can instantiate, from the discovery cache when fresh enough.
   * @example
   * const { nodes } = await client.discoverNodes({ maxAgeMs: 60_000 });
   */
  async discoverNodes(options?: DiscoverOptions): Promise<PluginDiscoveryResult> {
    this.ensureOpen();
    const { maxAgeMs } = parseDiscoverOptions(options);
    return this.discovery.get(() => this.scanEverything(maxAgeMs), maxAgeMs);
  }

  /**
   * Adds a discovery root (replacing one with the same key); the next discoverNodes scans it.
   * E_SCHEMA at root.* for a bad root.
   * @example
   * await client.addDiscoveryRoot({ kind: "wam-index", url: "/plugins/plugins.json" });
   */
  async addDiscoveryRoot(root: DiscoveryRoot): Promise<void> {
    this.ensureOpen();
    const parsed = parseDiscoveryRoot(root);
    const key = discoveryRootKey(parsed);
    this.roots.set(key, parsed);
    this.rootScans.delete(key);
    this.discovery.invalidate();
  }

  /**
   * Removes a discovery root (the root or its key); resolves false when there was none.
   * @example
   * await client.removeDiscoveryRoot("wam-index:/plugins/plugins.json");
   */
  async removeDiscoveryRoot(root: DiscoveryRoot | string): Promise<boolean> {
    this.ensureOpen();
    const key = discoveryRootReference(root);
    this.rootScans.delete(key);
    const removed = this.roots.delete(key);
    if (removed) this.discovery.invalidate();
    return removed;
  }

  /**
   * The discovery roots, in the order they are scanned.
   * @example
   * const roots = await client.listDiscoveryRoots();
   */
  async listDiscoveryRoots(): Promise<DiscoveryRoot[]> {
    this.ensureOpen();
    return [...this.roots.values()];
  }

  /**
   * Drops cached discovery: of one root (the root or its key; E_SCHEMA at root when there is no such
   * root), or of everything. The next discoverNodes scans again what was dropped.
   * @example
   * await client.invalidateDiscovery();
   * await client.invalidateDiscovery({ kind: "wam-index", url: "/plugins/plugins.json" });
   */
  async invalidateDiscovery(root?: DiscoveryRoot | string): Promise<void> {
    this.ensureOpen();
    if (root === undefined) {
      this.rootScans.clear();
    } else {
      const key = discoveryRootReference(root);
      if (!this.roots.has(key)) {
        throw new EngineError(
          "E_SCHEMA",
          `no discovery root "${key}" (listDiscoveryRoots names them)`,
          "root",
        );
      }
      this.rootScans.delete(key);
    }
    this.discovery.invalidate();
  }

  /**
   * Releases the host. Idempotent; every other call then rejects with E_CLOSED.
   * @example
   * await client.close();
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.discovery.invalidate();
    this.rootScans.clear();
    await this.release();
  }

  /** True once close() has been called. */
  protected get isClosed(): boolean {
    return this.closed;
  }

  /** Throws E_CLOSED after close(). Every public call starts with it. */
  protected ensureOpen(): void {
    if (this.closed) throw new EngineError("E_CLOSED", "the engine client is closed");
  }

  /** Drops the cached discovery result without the E_CLOSED check (after a compile, say). */
  protected forgetDiscovery(): void {
    this.discovery.invalidate();
  }

  /** A fresh scan of the node types this host has of its own: builtin, compiled Faust. */
  protected abstract scanNodes(): Promise<PluginDiscoveryResult>;

  /**
   * A fresh scan of one root. Default: this host scans no roots of that kind (a failure saying so).
   * Failures of the root's candidates are in the RootScan; a throw fails the root whole.
   */
  protected async scanRoot(root: DiscoveryRoot): Promise<RootScan> {
    return failedRootScan(
      root,
      new EngineError("E_HOST_UNAVAILABLE", `the ${this.host} host scans no ${root.kind} roots`).message,
    );
  }

  /** Frees what the host holds (engines, buffers, workers); called once, by the first close(). */
  protected abstract release(): Promise<void>;

  private async scanEverything(maxAgeMs: number | undefined): Promise<PluginDiscoveryResult> {
    const started = performance.now();
    const roots = [...this.roots.entries()];
    const [own, ...scans] = await Promise.all([
      this.scanNodes(),
      ...roots.map(([key, root]) => this.rootCache(key).get(() => this.scanRootSafely(root), maxAgeMs)),
    ]);
    return mergeDiscovery(
      own as PluginDiscoveryResult,
      roots.map(([key], index) => ({ key, scan: scans[index] as RootScan })),
      performance.now() - started,
    );
  }

  private rootCache(key: string): DiscoveryCache<RootScan> {
    let cache = this.rootScans.get(key);
    if (cache === undefined) {
      cache = new DiscoveryCache<RootScan>(this.cacheOptions);
      this.rootScans.set(key, cache);
    }
    return cache;
  }

  private async scanRootSafely(root: DiscoveryRoot): Promise<RootScan> {
    const started = performance.now();
    try {
      return await this.scanRoot(root);
    } catch (error) {
      return failedRootScan(root, EngineError.fromWire(error).message, performance.now() - started);
    }
  }
}
