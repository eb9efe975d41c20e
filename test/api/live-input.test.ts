// The input latency and a take's place on the timeline (src/api/live-input.ts).
import { describe, expect, it } from "vitest";
import { measureInputLatency, takePlacement } from "../../src/api/live-input";

describe("measureInputLatency", () => {
  it("a capture track: its latency plus the context's base latency, rounded to a frame", () => {
    const latency = measureInputLatency({
      sampleRate: 48000,
      baseLatency: 0.010020833333333333, // 481 frames, as Chromium's headless context reports
      outputLatency: 0.03,
      trackLatency: 0.01,
    });
    expect(latency).toEqual({
      seconds: 0.01 + 0.010020833333333333,
      frames: 961,
      trackSeconds: 0.01,
      trackReported: true,
      baseSeconds: 0.010020833333333333,
      outputSeconds: 0.03,
    });
  });

  it("a track that reports no latency counts the base latency only, and says so", () => {
    const latency = measureInputLatency({
      sampleRate: 44100,
      baseLatency: 0.005,
      outputLatency: undefined,
      trackLatency: null,
    });
    expect(latency.frames).toBe(221); // round(0.005 * 44100) = round(220.5)
    expect(latency.trackReported).toBe(false);
    expect(latency.outputSeconds).toBe(0);
  });

  it("an AudioNode source has nothing to compensate", () => {
    const latency = measureInputLatency({
      sampleRate: 48000,
      baseLatency: 0.01,
      outputLatency: 0.03,
      trackLatency: undefined,
    });
    expect(latency.seconds).toBe(0);
    expect(latency.frames).toBe(0);
    expect(latency.baseSeconds).toBe(0.01);
  });

  it("non-finite or negative readings count as 0", () => {
    const latency = measureInputLatency({
      sampleRate: 48000,
      baseLatency: Number.NaN,
      outputLatency: -1,
      trackLatency: Number.POSITIVE_INFINITY,
    });
    expect(latency).toMatchObject({ seconds: 0, frames: 0, trackReported: false, outputSeconds: 0 });
  });
});

describe("takePlacement", () => {
  it("shifts the take earlier by the latency", () => {
    expect(takePlacement({ startFrame: 48000, latencyFrames: 961 })).toEqual({
      startFrame: 47039,
      trimFrames: 0,
    });
  });

  it("a take started at frame 0 loses its first latency frames (they belong before the timeline)", () => {
    expect(takePlacement({ startFrame: 0, latencyFrames: 961 })).toEqual({ startFrame: 0, trimFrames: 961 });
    expect(takePlacement({ startFrame: 500, latencyFrames: 961 })).toEqual({
      startFrame: 0,
      trimFrames: 461,
    });
  });

  it("no latency: where it was recorded", () => {
    expect(takePlacement({ startFrame: 1280, latencyFrames: 0 })).toEqual({
      startFrame: 1280,
      trimFrames: 0,
    });
  });
});
