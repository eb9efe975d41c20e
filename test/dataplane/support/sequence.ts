/**
 * ringbuf.js's test utilities, rewritten: a seeded PRNG (mulberry32, their default seed 11) and a
 * running sequence whose continuation the consumer checks, so data integrity is checked by
 * sequence, not by snapshot.
 */

/** A deterministic PRNG returning floats in [0, 1). */
export function mulberry32(seed = 11): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [min, max]. */
export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** Fills arrays with a running sequence 0, 1, 2, … (modulo `modulo`, so it fits the element type). */
export class SequenceGenerator {
  private next = 0;
  constructor(private readonly modulo = 2 ** 24) {}
  fill(array: { [index: number]: number }, length: number, offset = 0): void {
    for (let i = 0; i < length; i++) {
      array[offset + i] = this.next;
      this.next = (this.next + 1) % this.modulo;
    }
  }
}

/** Checks that arrays continue the running sequence; counts the first mismatch's position. */
export class SequenceVerifier {
  private expected = 0;
  checked = 0;
  constructor(private readonly modulo = 2 ** 24) {}
  /** True when `array[offset .. offset + length)` continues the sequence. */
  check(array: ArrayLike<number>, length: number, offset = 0): boolean {
    for (let i = 0; i < length; i++) {
      if (array[offset + i] !== this.expected) return false;
      this.expected = (this.expected + 1) % this.modulo;
      this.checked++;
    }
    return true;
  }
}
