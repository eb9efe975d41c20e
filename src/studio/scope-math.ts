/**
 * The master scope's trigger and measures (pure, unit-tested; master-scope.ts draws with them). The
 * trace starts at a rising edge through the trigger level, so a steady tone stands still: each frame's
 * trace begins at the same phase. A little hysteresis (the signal must first fall below
 * level - SCOPE_HYSTERESIS) keeps noise riding on the level from triggering twice per cycle.
 */

/** How far below the trigger level the signal must fall before a rising edge counts (full scale is 1). */
export const SCOPE_HYSTERESIS = 0.01;

/**
 * The fractional position of the first rising edge through `level` in `samples[from, to)`: the
 * crossing linearly interpolated between the sample below and the one at or above, after the signal
 * was below `level - SCOPE_HYSTERESIS`. -1 when there is none.
 * @example
 * risingEdge(Float32Array.of(0.5, -0.5, -0.2, 0.2, 0.6), 0, 0, 5); // 2.5
 */
export function risingEdge(samples: ArrayLike<number>, level: number, from: number, to: number): number {
  let armed = false;
  const end = Math.min(to, samples.length);
  for (let i = Math.max(from, 0); i < end; i++) {
    const value = samples[i] as number;
    if (value < level - SCOPE_HYSTERESIS) armed = true;
    else if (armed && value >= level && i > 0) {
      const before = samples[i - 1] as number;
      return i - 1 + (level - before) / (value - before);
    }
  }
  return -1;
}

/**
 * The mean period of `samples[from, to)` in frames: the span from the first rising edge through `level`
 * to the last, divided by the cycles between them. NaN with fewer than two edges (silence, or a tone
 * too low for the window).
 * @example
 * const sine = Float32Array.from({ length: 480 }, (_, i) => Math.sin((2 * Math.PI * i) / 48));
 * measurePeriod(sine, 0); // 48
 */
export function measurePeriod(
  samples: ArrayLike<number>,
  level: number,
  from = 0,
  to = samples.length,
): number {
  const first = risingEdge(samples, level, from, to);
  if (first < 0) return Number.NaN;
  let last = first;
  let cycles = 0;
  for (;;) {
    const next = risingEdge(samples, level, Math.floor(last) + 1, to);
    if (next < 0) break;
    last = next;
    cycles++;
  }
  return cycles === 0 ? Number.NaN : (last - first) / cycles;
}

/**
 * Where a sample sits down `height` pixels: +1 at the top, 0 in the middle, -1 at the bottom, clamped.
 * @example
 * sampleToY(0.5, 100); // 25
 */
export function sampleToY(value: number, height: number): number {
  const clamped = Math.max(-1, Math.min(1, value));
  return ((1 - clamped) * height) / 2;
}
