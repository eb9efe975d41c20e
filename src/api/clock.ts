/**
 * Time sources. Anything that expires or timestamps (the discovery cache, the test double's transport)
 * takes a Clock so tests can move time by hand instead of sleeping.
 */

/** Milliseconds since the Unix epoch, like Date.now(). */
export interface Clock {
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that moves only when told to.
 * @example
 * const clock = new ManualClock();
 * const cache = new DiscoveryCache({ ttlMs: 1000, clock });
 * clock.advance(1000); // the cached result has now expired
 */
export class ManualClock implements Clock {
  private current: number;

  /** Starts at `startMs` (default 2025-09-16T00:00:00Z, the seed's date, so timestamps read well). */
  constructor(startMs = Date.UTC(2025, 8, 16)) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  /** Moves time forward by `ms` (>= 0). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance: ms must be >= 0, got ${ms}`);
    this.current += ms;
  }
}
