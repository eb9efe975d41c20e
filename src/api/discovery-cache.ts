/**
 * The discovery TTL cache every EngineClient uses. Scanning (compiling Faust, fetching WAM descriptors)
 * is slow, so a result is reused until it is older than the TTL or until someone invalidates it.
 *
 * - A result is fresh while its age is < maxAgeMs, so `maxAgeMs: 0` always rescans.
 * - Concurrent callers share one scan in flight.
 * - `invalidate()` drops the cached result and detaches a scan in flight: that scan still answers its
 *   own callers, but its result is not cached and later callers start a new scan.
 * - A failed scan is not cached.
 *
 * It caches one value of any type: EngineClientBase keeps one for the whole PluginDiscoveryResult and
 * one per discovery root (a RootScan), so a root is rescanned, or invalidated, on its own.
 */
import type { PluginDiscoveryResult } from "../contracts/plugin-discovery";
import { parseDiscoverOptions } from "./call-validation";
import { type Clock, systemClock } from "./clock";
import type { DiscoverOptions } from "./engine-client";

export const DEFAULT_DISCOVERY_TTL_MS = 5 * 60_000;

export interface DiscoveryCacheOptions {
  /** How long a result stays fresh, in milliseconds. Default DEFAULT_DISCOVERY_TTL_MS (5 minutes). */
  ttlMs?: number;
  clock?: Clock;
}

export class DiscoveryCache<T = PluginDiscoveryResult> {
  readonly ttlMs: number;
  private readonly clock: Clock;
  private cached: { result: T; storedAt: number } | undefined;
  private inFlight: Promise<T> | undefined;
  /** Bumped by invalidate(); a scan started in an older generation must not fill the cache. */
  private generation = 0;

  /**
   * @example
   * const cache = new DiscoveryCache({ ttlMs: 60_000 });
   */
  constructor(options: DiscoveryCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_DISCOVERY_TTL_MS;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * EngineClient.discoverNodes for every host: validates the caller's options (E_SCHEMA at
   * options.maxAgeMs), then answers from the cache or runs `scan`.
   * @example
   * const result = await cache.discover({ maxAgeMs: 60_000 }, scanNodes);
   */
  discover(options: DiscoverOptions | undefined, scan: () => Promise<T>): Promise<T> {
    return this.get(scan, parseDiscoverOptions(options).maxAgeMs);
  }

  /**
   * Returns the cached result if it is younger than `maxAgeMs` (default: the TTL), else runs `scan`.
   * @example
   * const result = await cache.get(scanNodes, 10_000);
   */
  get(scan: () => Promise<T>, maxAgeMs = this.ttlMs): Promise<T> {
    if (this.cached !== undefined && this.clock.now() - this.cached.storedAt < maxAgeMs) {
      return Promise.resolve(this.cached.result);
    }
    if (this.inFlight !== undefined) return this.inFlight;
    const generation = this.generation;
    // Through a promise so a scan that throws synchronously is reported like one that rejects.
    const pending = Promise.resolve()
      .then(scan)
      .then(
        (result) => {
          if (generation === this.generation) {
            this.cached = { result, storedAt: this.clock.now() };
            this.inFlight = undefined;
          }
          return result;
        },
        (error: unknown) => {
          if (generation === this.generation) this.inFlight = undefined;
          throw error;
        },
      );
    this.inFlight = pending;
    return pending;
  }

  /**
   * Forgets the cached result; the next `get` scans again.
   * @example
   * cache.invalidate(); // after installing a new WAM
   */
  invalidate(): void {
    this.generation++;
    this.cached = undefined;
    this.inFlight = undefined;
  }
}
