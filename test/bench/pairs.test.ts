/**
 * The bench's one method (bench/pairs.ts): the order sides take turns in, the row's figures from the
 * pairs, and the middle-half mean the microsecond rows use on a coarse clock.
 */
import { describe, expect, it } from "vitest";
import {
  alternate,
  alternateRounds,
  interleave,
  interquartileMean,
  median,
  pairStats,
} from "../../bench/pairs";

describe("interleave", () => {
  it("rotates which side goes first, each first half the time", async () => {
    const order: string[] = [];
    const rounds = await interleave(4, {
      a: () => order.push("a") && 1,
      b: () => order.push("b") && 2,
    });
    expect(order.join("")).toBe("abbabaab");
    expect(rounds).toEqual({ a: [1, 1, 1, 1], b: [2, 2, 2, 2] });
  });
});

describe("pairStats", () => {
  it("is the median of the pairs' ratios, with their range and interquartile spread", () => {
    const stats = pairStats([2, 4, 6, 8, 10], [1, 1, 2, 2, 2], (ours, reference) => ours / reference);
    // Ratios 2, 4, 3, 4, 5: median 4, quartiles 3 and 4.
    expect(stats).toEqual({ ratio: 4, ratioMin: 2, ratioMax: 5, spread: 0.25, pairs: 5, wide: true });
  });

  it("refuses sides of different lengths, naming both", () => {
    expect(() => pairStats([1, 2], [1], (a, b) => a / b)).toThrow("got 2 and 1");
  });
});

describe("interquartileMean", () => {
  it("averages the middle half, leaving out the lowest and highest quarter", () => {
    expect(interquartileMean([100, 1, 2, 3, 4, 5, 6, -50])).toBe(3.5);
    expect(interquartileMean([7])).toBe(7);
  });

  it("resolves a value between a coarse clock's ticks, where the median is one of the ticks", () => {
    // 12.3 us read on a 5 us clock with jitter: each reading rounds up or down at random, in proportion.
    let seed = 1;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const readings = Array.from({ length: 2000 }, () => {
      const value = 12.3 + (random() - 0.5) * 4; // scatter of +-2 us around the true value
      const below = Math.floor(value / 5) * 5;
      return random() < (value - below) / 5 ? below + 5 : below;
    });
    expect(median(readings) % 5).toBe(0);
    expect(interquartileMean(readings)).toBeGreaterThan(11.3);
    expect(interquartileMean(readings)).toBeLessThan(13.3);
  });
});

describe("alternate", () => {
  it("runs the sides in slices, the first side rotating, and reports each side's time per call", async () => {
    const order: string[] = [];
    const figures = await alternate(3, {
      a: { calls: 2, run: () => order.push("a") },
      b: { calls: 1, run: () => order.push("b") },
    });
    expect(order.join("")).toBe("aabbaaaab");
    expect(figures.a).toBeGreaterThanOrEqual(0);
    expect(Object.keys(figures)).toEqual(["a", "b"]);
  });
});

describe("alternateRounds", () => {
  it("runs warm-up rounds first and keeps only the others' figures, one per round", async () => {
    let calls = 0;
    const rounds = await alternateRounds(3, 2, { a: { calls: 1, run: () => calls++ } }, { warmUp: 2 });
    expect(calls).toBe(10);
    expect(rounds.a).toHaveLength(3);
  });
});
