// InputRecordTap (audio thread): a take starts with the first quantum the transport plays whole,
// holds the input interleaved (mono copied, unconnected silent), and counts what the ring refused.
import { describe, expect, it } from "vitest";
import { SpscRing } from "../../../src/dataplane/spsc-ring";
import { InputRecordTap } from "../../../src/hosts/audioworklet/input-record-tap";

const Q = 128;

/** A quantum whose left channel counts from `from`, right the negatives. */
function stereo(from: number): Float32Array[] {
  const left = Float32Array.from({ length: Q }, (_, i) => from + i);
  return [left, left.map((v) => -v)];
}

function popAll(ring: SpscRing<Float32Array>): number[] {
  const out = new Float32Array(ring.availableRead());
  ring.pop(out);
  return Array.from(out);
}

describe("InputRecordTap", () => {
  it("waits for a whole played quantum, then records every played quantum from that frame", () => {
    const ring = SpscRing.create(Q * 2 * 8, Float32Array);
    const tap = new InputRecordTap();
    tap.arm(ring);
    tap.quantum(stereo(0), Q, false, 1000, 0, 5000); // stopped: nothing
    tap.quantum(stereo(0), Q, true, 1064, 64, 5128); // play began mid-quantum: nothing
    tap.quantum(stereo(10), Q, true, 1192, Q, 5256); // the take starts here: frame 1064
    tap.quantum(stereo(500), Q, true, 1320, Q, 5384);
    tap.quantum(stereo(900), Q, false, 1320, 0, 5512); // paused: not recorded
    const marks = tap.stop();
    expect(marks).toEqual({ startFrame: 1064, startContextFrame: 5256, frames: 2 * Q, lostFrames: 0 });
    const samples = popAll(ring);
    expect(samples.length).toBe(2 * Q * 2);
    expect(samples.slice(0, 4)).toEqual([10, -10, 11, -11]);
    expect(samples.slice(2 * Q, 2 * Q + 2)).toEqual([500, -500]);
    expect(tap.armed).toBe(false);
    tap.quantum(stereo(0), Q, true, 1448, Q, 5640); // disarmed: nothing
    expect(ring.availableRead()).toBe(0);
  });

  it("copies a mono input to both channels and reads an unconnected one as silence", () => {
    const ring = SpscRing.create(Q * 2 * 4, Float32Array);
    const tap = new InputRecordTap();
    tap.arm(ring);
    tap.quantum([Float32Array.from({ length: Q }, () => 0.5)], Q, true, Q, Q, 0);
    tap.quantum([], Q, true, 2 * Q, Q, Q);
    tap.stop();
    const samples = popAll(ring);
    expect(samples.slice(0, 2 * Q).every((v) => v === 0.5)).toBe(true);
    expect(samples.slice(2 * Q).every((v) => v === 0)).toBe(true);
  });

  it("a full ring drops whole quanta and counts them", () => {
    const ring = SpscRing.create(Q * 2 * 2, Float32Array);
    const tap = new InputRecordTap();
    tap.arm(ring);
    for (let k = 0; k < 3; k++) tap.quantum(stereo(k * Q), Q, true, (k + 1) * Q, Q, k * Q);
    const marks = tap.stop();
    expect(marks.frames).toBe(3 * Q);
    expect(marks.lostFrames).toBe(Q);
    // What was kept has no gap inside a quantum: the first two, whole.
    expect(popAll(ring).filter((_, i) => i % 2 === 0)).toEqual(Array.from({ length: 2 * Q }, (_, i) => i));
  });
});
