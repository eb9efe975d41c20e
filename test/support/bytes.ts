/**
 * Byte-for-byte comparison of files' contents with a short answer: Vitest's toEqual walks a Buffer
 * element by element and formats a diff of millions of entries (11 s for a 2.5 MB WAV here), where
 * Buffer.equals takes microseconds.
 */

/**
 * "same", or where `actual` first differs from `expected` (or that the lengths differ).
 * @example
 * expect(sameBytes(await readFile(out), await readFile(reference))).toBe("same");
 */
export function sameBytes(actual: Uint8Array, expected: Uint8Array): string {
  if (Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength).equals(expected)) return "same";
  const shorter = Math.min(actual.length, expected.length);
  for (let i = 0; i < shorter; i++) {
    if (actual[i] !== expected[i]) {
      return `differ first at byte ${i} (${actual[i]} where ${expected[i]} was expected) of ${actual.length} and ${expected.length}`;
    }
  }
  return `lengths differ: ${actual.length} bytes where ${expected.length} were expected (the first ${shorter} agree)`;
}
