import { describe, expect, it } from "vitest";
import {
  beatAtSeconds,
  bpmAtBeat,
  parseContract,
  RenderRequestSchema,
  renderDurationSeconds,
  renderFrameCount,
  secondsAtBeat,
  type Tempo,
} from "../../src/contracts";
import { SEED_RENDER_REQUEST } from "./fixtures";

const STEP_MAP: Tempo = {
  map: [
    { beat: 0, bpm: 120, curve: "step" },
    { beat: 2, bpm: 60, curve: "step" },
  ],
};

/** 60 -> 120 bpm linearly over 4 beats, then 120. */
const RAMP_MAP: Tempo = {
  map: [
    { beat: 0, bpm: 60, curve: "linear" },
    { beat: 4, bpm: 120, curve: "step" },
  ],
};

describe("tempo map", () => {
  it("converts at a constant tempo", () => {
    expect(secondsAtBeat({ bpm: 120 }, 4)).toBe(2);
    expect(beatAtSeconds({ bpm: 90 }, 2)).toBe(3);
    expect(bpmAtBeat({ bpm: 90 }, 100)).toBe(90);
  });

  it("holds each bpm until the next point on a step map", () => {
    expect(secondsAtBeat(STEP_MAP, 2)).toBe(1);
    expect(secondsAtBeat(STEP_MAP, 4)).toBe(3);
    expect(beatAtSeconds(STEP_MAP, 3)).toBe(4);
    expect(bpmAtBeat(STEP_MAP, 1.999)).toBe(120);
    expect(bpmAtBeat(STEP_MAP, 2)).toBe(60);
  });

  it("integrates a linear ramp: t = 60/k ln(bpm1/bpm0)", () => {
    // k = 15 bpm per beat; 4 beats from 60 to 120 bpm take 4 ln 2 seconds.
    expect(secondsAtBeat(RAMP_MAP, 4)).toBeCloseTo(4 * Math.LN2, 12);
    expect(bpmAtBeat(RAMP_MAP, 2)).toBe(90);
    expect(secondsAtBeat(RAMP_MAP, 6)).toBeCloseTo(4 * Math.LN2 + 1, 12);
  });

  it("inverts exactly: beatAtSeconds(secondsAtBeat(b)) = b", () => {
    for (const tempo of [STEP_MAP, RAMP_MAP, { bpm: 133 } as Tempo]) {
      for (const beat of [0, 0.5, 1.75, 2, 3.9, 4, 7.25, 100]) {
        expect(beatAtSeconds(tempo, secondsAtBeat(tempo, beat))).toBeCloseTo(beat, 9);
      }
    }
  });
});

describe("render length", () => {
  it("renders round(seconds * sample_rate) frames", () => {
    const request = parseContract(RenderRequestSchema, { ...SEED_RENDER_REQUEST, duration_seconds: 0.1 });
    expect(renderFrameCount(request)).toBe(4410);
  });

  it("measures beats on the graph's tempo (default 120 bpm)", () => {
    const request = parseContract(RenderRequestSchema, {
      ...SEED_RENDER_REQUEST,
      duration_seconds: null,
      duration_beats: 4,
      sample_rate: 48000,
    });
    expect(renderDurationSeconds(request)).toBe(2);
    expect(renderFrameCount(request)).toBe(96000);
  });

  it("measures beats from the start position on a tempo map", () => {
    const request = parseContract(RenderRequestSchema, {
      ...SEED_RENDER_REQUEST,
      node_graph: { ...SEED_RENDER_REQUEST.node_graph, tempo: STEP_MAP },
      duration_seconds: null,
      duration_beats: 2,
      start_position_seconds: 0.5,
      sample_rate: 48000,
    });
    // Start at beat 1 (0.5 s at 120 bpm); beats 1..2 take 0.5 s, beats 2..3 at 60 bpm take 1 s.
    expect(renderDurationSeconds(request)).toBe(1.5);
    expect(renderFrameCount(request)).toBe(72000);
  });
});
