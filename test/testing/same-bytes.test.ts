import { describe, expect, it } from "vitest";
import { sameBytes } from "../support/bytes";

describe("sameBytes", () => {
  it('answers "same" for equal contents, views included', () => {
    const backing = new Uint8Array([9, 1, 2, 3, 9]);
    expect(sameBytes(backing.subarray(1, 4), Buffer.from([1, 2, 3]))).toBe("same");
    expect(sameBytes(new Uint8Array(0), new Uint8Array(0))).toBe("same");
  });

  it("names the first differing byte, or the lengths", () => {
    expect(sameBytes(new Uint8Array([1, 2, 3]), new Uint8Array([1, 7, 3]))).toBe(
      "differ first at byte 1 (2 where 7 was expected) of 3 and 3",
    );
    expect(sameBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).toBe(
      "lengths differ: 2 bytes where 3 were expected (the first 2 agree)",
    );
  });
});
