/**
 * NaN and ±Infinity in planar audio about to be written to a file: found, counted, and replaced by 0
 * when the caller asks (docs/reliability.md, "Non-finite audio"). A WAV writer never writes one
 * silently: it refuses, or writes 0 and reports how many.
 */

/** How many samples of some audio are NaN or ±Infinity, and where the first one is. */
export interface NonFiniteSamples {
  samples: number;
  /** Channel and frame of the first one (lowest frame, then lowest channel). */
  channel: number;
  frame: number;
}

/**
 * Counts the NaN and ±Infinity samples of `channels`; null when there are none. One pass, no
 * allocation.
 * @example
 * findNonFinite([Float32Array.of(0, Number.NaN)]); // { samples: 1, channel: 0, frame: 1 }
 */
export function findNonFinite(channels: readonly Float32Array[]): NonFiniteSamples | null {
  let samples = 0;
  let channel = -1;
  let frame = Number.POSITIVE_INFINITY;
  for (let c = 0; c < channels.length; c++) {
    const data = channels[c] as Float32Array;
    for (let i = 0; i < data.length; i++) {
      const value = data[i] as number;
      // x - x is 0 for every finite x, NaN for NaN and ±Infinity.
      if (value - value === 0) continue;
      samples++;
      if (i < frame) {
        frame = i;
        channel = c;
      }
    }
  }
  return samples === 0 ? null : { samples, channel, frame };
}

/**
 * The channels with 0 in place of every NaN and ±Infinity: channels that hold none are returned as
 * they are, the others copied.
 * @example
 * const [clean] = zeroNonFinite([Float32Array.of(1, Number.POSITIVE_INFINITY)]); // [1, 0]
 */
export function zeroNonFinite(channels: readonly Float32Array[]): Float32Array[] {
  return channels.map((data) => {
    if (findNonFinite([data]) === null) return data;
    return data.map((value) => (value - value === 0 ? value : 0));
  });
}

/**
 * What a writer says when it refuses audio holding NaN or ±Infinity.
 * @example
 * describeNonFinite({ samples: 3, channel: 1, frame: 480 });
 * // "3 samples are NaN or ±Infinity (the first at channel 1, frame 480)"
 */
export function describeNonFinite(found: NonFiniteSamples): string {
  const are = found.samples === 1 ? "sample is" : "samples are";
  return `${found.samples} ${are} NaN or ±Infinity (the first at channel ${found.channel}, frame ${found.frame})`;
}
