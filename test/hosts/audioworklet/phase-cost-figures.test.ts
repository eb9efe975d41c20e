// The WAM cost meter's arithmetic (phase-cost-figures.ts) on made-up probe timings: what a machine's
// slowdowns, preemptions, lingering instances and a disturbed stretch do to the figure.
import { describe, expect, it } from "vitest";

import { type PhaseLayout, phaseCostFromProbes } from "../../../src/hosts/audioworklet/phase-cost-figures";

const LAYOUT: PhaseLayout = { warmQuanta: 20, phaseQuanta: 40, phases: 15, gainCopies: 512, copies: 8 };
const QUANTA = LAYOUT.warmQuanta + LAYOUT.phases * LAYOUT.phaseQuanta;
/** µs a probe takes, and an engine takes with no gains: both cancel. */
const PROBE = 2;
const ENGINE = 3;

/** Phase of quantum q after the warm-up (-1 in the warm-up). */
const phaseOf = (q: number) => Math.floor((q - LAYOUT.warmQuanta) / LAYOUT.phaseQuanta);
const withSubject = (q: number) => q < LAYOUT.warmQuanta || phaseOf(q) % 2 === 1;

/** Probe notes for a machine whose gain takes unit(q) µs and whose other work takes rest(q) µs. */
function probes(unit: (q: number) => number, rest: (q: number) => number) {
  const [t0, t1, t2] = [0, 1, 2].map(() => new Float64Array(QUANTA)) as [
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  let time = 1000;
  for (let q = 0; q < QUANTA; q++) {
    t0[q] = time;
    t1[q] = time + PROBE + ENGINE + LAYOUT.gainCopies * unit(q);
    t2[q] = (t1[q] as number) + PROBE + ENGINE;
    time = (t2[q] as number) + rest(q);
  }
  return [t0, t1, t2] as const;
}

/** 10 µs of other work, and 4 µs a copy (80 units at 0.05 µs a gain) while the subject is in. */
const steadyRest = (q: number) => 10 + (withSubject(q) ? LAYOUT.copies * 4 : 0);

describe("phaseCostFromProbes", () => {
  it("gives a copy's time over a gain's: 4 µs against 0.05 µs is 80 units, in every pair", () => {
    const cost = phaseCostFromProbes(
      probes(() => 0.05, steadyRest),
      LAYOUT,
    );
    expect(cost.cpuUnits).toBe(80);
    expect(cost.pairs).toHaveLength(7);
    for (const pair of cost.pairs) expect(pair).toBeCloseTo(80, 9);
    expect(cost.unitMicroseconds).toBeCloseTo(0.05, 12);
  });

  it("does not move when the machine runs at half speed for a stretch across phases (the gain slows too)", () => {
    const slow = (q: number) => (q >= 130 && q < 390 ? 2 : 1);
    const cost = phaseCostFromProbes(
      probes(
        (q) => 0.05 * slow(q),
        (q) => steadyRest(q) * slow(q),
      ),
      LAYOUT,
    );
    expect(cost.cpuUnits).toBe(80);
    for (const pair of cost.pairs) expect(pair).toBeCloseTo(80, 9);
  });

  it("leaves out preempted quanta (3 ms more, one in eight) and quanta whose gains came out empty", () => {
    const cost = phaseCostFromProbes(
      probes(
        (q) => (q % 11 === 5 ? 0 : 0.05),
        (q) => steadyRest(q) + (q % 8 === 3 ? 3000 : 0),
      ),
      LAYOUT,
    );
    expect(cost.cpuUnits).toBe(80);
  });

  it("cancels instances that linger after removal: the work without the subject creeping up 3 µs a phase", () => {
    const cost = phaseCostFromProbes(
      probes(
        () => 0.05,
        (q) => steadyRest(q) + 3 * Math.max(0, phaseOf(q)),
      ),
      LAYOUT,
    );
    for (const pair of cost.pairs) expect(pair).toBeCloseTo(80, 9);
    expect(cost.cpuUnits).toBe(80);
  });

  it("rides over a stretch where the subject alone costs 1.6 times more (two pairs of seven)", () => {
    const disturbed = (q: number) => phaseOf(q) === 3 || phaseOf(q) === 5;
    const cost = phaseCostFromProbes(
      probes(
        () => 0.05,
        (q) => 10 + (withSubject(q) ? LAYOUT.copies * 4 * (disturbed(q) ? 1.6 : 1) : 0),
      ),
      LAYOUT,
    );
    expect(cost.pairs.map((pair) => Math.round(pair))).toEqual([80, 128, 128, 80, 80, 80, 80]);
    expect(cost.cpuUnits).toBe(80);
  });

  it("measures a subject that costs nothing as 0, and one whose phases came out faster as 0, never below", () => {
    const nothing = phaseCostFromProbes(
      probes(
        () => 0.05,
        (q) => 10 + (q % 2) * 5,
      ),
      LAYOUT,
    );
    expect(nothing.cpuUnits).toBe(0);
    const faster = phaseCostFromProbes(
      probes(
        () => 0.05,
        (q) => (withSubject(q) ? 9 : 10),
      ),
      LAYOUT,
    );
    for (const pair of faster.pairs) expect(pair).toBeCloseTo(-2.5, 9);
    expect(faster.cpuUnits).toBe(0);
  });
});
