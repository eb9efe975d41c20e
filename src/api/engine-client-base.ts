/**
 * EngineClientBase: the plumbing every EngineClient shares, written once. The in-process host, the
 * Worker and AudioWorklet clients and the test double extend it; each adds only what its host does.
 *
 * - Lifecycle: `ensureOpen()` at the top of every call; after `close()` every call rejects with
 *   E_CLOSED. `close()` is idempotent: the first call marks the client closed at once (so a render in
 *   progress sees it at its next yield), drops the discovery cache, then runs the host's `release()`.
 * - Discovery: `discoverNodes` validates its options and answers from the TTL cache (DiscoveryCache),
 *   scanning through the host's `scanNodes()` only when the cached result is too old.
 */

import { EngineError } from "../contracts/errors";
import type { PluginDiscoveryResult } from "../contracts/plugin-discovery";
import type { Clock } from "./clock";
import { DiscoveryCache } from "./discovery-cache";
import type { DiscoverOptions, HostKind } from "./engine-client";

export interface EngineClientBaseOptions {
  /** Time source of the discovery cache. Default: the wall clock. */
  clock?: Clock;
  /** Discovery cache TTL, in milliseconds. Default DEFAULT_DISCOVERY_TTL_MS (5 minutes). */
  discoveryTtlMs?: number;
}

export abstract class EngineClientBase {
  /** Which host runs this engine (EngineClient.host). */
  abstract readonly host: HostKind;
  private readonly discovery: DiscoveryCache;
  private closed = false;

  protected constructor(options: EngineClientBaseOptions = {}) {
    this.discovery = new DiscoveryCache({
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.discoveryTtlMs === undefined ? {} : { ttlMs: options.discoveryTtlMs }),
    });
  }

  /**
   * The node types the engine can instantiate, from the discovery cache when fresh enough.
   * @example
   * const { nodes } = await client.discoverNodes({ maxAgeMs: 60_000 });
   */
  async discoverNodes(options?: DiscoverOptions): Promise<PluginDiscoveryResult> {
    this.ensureOpen();
    return this.discovery.discover(options, () => this.scanNodes());
  }

  /**
   * Drops the cached discovery result; the next discoverNodes scans again.
   * @example
   * await client.invalidateDiscovery();
   */
  async invalidateDiscovery(): Promise<void> {
    this.ensureOpen();
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

  /** A fresh scan of the node types this host can instantiate (the cache calls it). */
  protected abstract scanNodes(): Promise<PluginDiscoveryResult>;

  /** Frees what the host holds (engines, buffers, workers); called once, by the first close(). */
  protected abstract release(): Promise<void>;
}
