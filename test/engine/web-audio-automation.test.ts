/**
 * `web_audio` automation rendered by the engine against the Web Audio spec's formulas, written out
 * again here independently (https://webaudio.github.io/web-audio-api/#computation-of-value): a constant
 * 1 through a gain whose gain is automated, so the output is the parameter, frame by frame at
 * t = frame / sampleRate.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileWebAudio } from "../../src/engine/web-audio-compiler";
import {
  createEngine,
  type EngineClient,
  EngineError,
  type GraphNodeInput,
  scheduleWebAudio,
  type WebAudioCall,
} from "../../src/index";
import { automatedGainRequest } from "../support/automated-gain";

const SR = 44100;

/** The final event list, as the test states it (times in seconds, sorted). */
type RefEvent =
  | { type: "set" | "linear" | "exponential"; time: number; value: number }
  | { type: "target"; time: number; target: number; timeConstant: number }
  | { type: "curve"; time: number; duration: number; values: number[]; stop?: number };

/**
 * The spec's value at a frame, walking the list from the start: the reference the engine must match.
 * The value is computed at t = frame / SR; an event at time T takes effect from frame ceil(T * SR), as
 * in Chromium.
 */
function specValue(events: readonly RefEvent[], intrinsic: number, frame: number): number {
  const t = frame / SR;
  let current: (at: number) => number = () => intrinsic;
  let rampFrom = { time: 0, value: intrinsic };
  for (const event of events) {
    if (Math.ceil(event.time * SR) > frame) {
      if (event.type === "linear") {
        const { time: t0, value: v0 } = rampFrom;
        return v0 + (event.value - v0) * ((t - t0) / (event.time - t0));
      }
      if (event.type === "exponential") {
        const { time: t0, value: v0 } = rampFrom;
        if (v0 === 0 || v0 * event.value < 0) return v0;
        return v0 * (event.value / v0) ** ((t - t0) / (event.time - t0));
      }
      return current(t);
    }
    const before = current(event.time);
    switch (event.type) {
      case "set":
      case "linear":
      case "exponential": {
        const value = event.value;
        current = () => value;
        rampFrom = { time: event.time, value };
        break;
      }
      case "target": {
        const { target, timeConstant, time } = event;
        current = (at) =>
          timeConstant === 0 ? target : target + (before - target) * Math.exp(-(at - time) / timeConstant);
        rampFrom = { time, value: before };
        break;
      }
      case "curve": {
        const { time, duration, values } = event;
        const n = values.length;
        const at = (x: number) => {
          if (x >= time + duration) return values[n - 1] as number;
          const k = Math.floor(((n - 1) / duration) * (x - time));
          const vk = values[k] as number;
          return vk + ((values[k + 1] as number) - vk) * (((n - 1) / duration) * (x - time) - k);
        };
        const stop = event.stop ?? time + duration;
        current = (x) => at(Math.min(x, stop));
        rampFrom = { time: stop, value: at(stop) };
        break;
      }
    }
  }
  return current(t);
}

let engine: EngineClient;

beforeAll(async () => {
  engine = await createEngine({ host: "in-process", sampleRate: SR });
});

afterAll(async () => {
  await engine.close();
});

async function render(
  automation: NonNullable<GraphNodeInput["automation"]>[string],
  options: { seconds?: number; gain?: number; blockSize?: number; start?: number } = {},
): Promise<Float32Array> {
  const request = automatedGainRequest(automation, { sampleRate: SR, ...options });
  const result = await engine.render(request);
  if (result.status !== "ok") throw new EngineError("E_RENDER", result.error ?? "render failed");
  const [channel] = await engine.readBuffer(result.buffer_handle ?? "");
  return channel as Float32Array;
}

/** The largest difference from the reference over every frame, relative to max(1, |reference|). */
function worstError(out: Float32Array, expected: readonly RefEvent[], intrinsic: number): number {
  let worst = 0;
  for (let frame = 0; frame < out.length; frame++) {
    const reference = specValue(expected, intrinsic, frame);
    const error = Math.abs((out[frame] as number) - reference) / Math.max(1, Math.abs(reference));
    worst = Math.max(worst, error);
  }
  return worst;
}

type Call = Extract<
  NonNullable<GraphNodeInput["automation"]>[string],
  { kind: "web_audio" }
>["events"][number];

async function expectSpec(
  calls: Call[],
  expected: RefEvent[],
  options: { gain?: number; seconds?: number } = {},
) {
  const out = await render({ kind: "web_audio", events: calls }, options);
  expect(worstError(out, expected, options.gain ?? 1)).toBeLessThan(1e-6);
  return out;
}

describe("web_audio automation follows the Web Audio spec, frame by frame", () => {
  it("setValueAtTime lands on the first frame at or after its time", async () => {
    const out = await expectSpec(
      [
        { type: "setValueAtTime", value: 0.25, time: 0.1 },
        { type: "setValueAtTime", value: -0.5, time: 0.30001 },
        { type: "setValueAtTime", value: 0.125, time: 0.55 },
      ],
      [
        { type: "set", time: 0.1, value: 0.25 },
        { type: "set", time: 0.30001, value: -0.5 },
        { type: "set", time: 0.55, value: 0.125 },
      ],
    );
    // 0.55 * 44100 rounds to 24255.000000000004: frame 24256, as in Chromium (ceil(time * rate)).
    expect([out[24255], out[24256]]).toEqual([-0.5, 0.125]);
    expect(out[4409]).toBe(1); // before the first event: the parameter's own value
    expect(out[4410]).toBe(0.25); // 0.1 s = frame 4410
    expect(out[13230]).toBe(0.25); // 0.30001 s = frame 13230.44: frame 13231 is the first after it
    expect(out[13231]).toBe(-0.5);
  });

  it("a linear ramp shapes the segment that ends at its event, from the previous event", async () => {
    const out = await expectSpec(
      [
        { type: "setValueAtTime", value: 0.2, time: 0.1 },
        { type: "linearRampToValueAtTime", value: 0.8, time: 0.6 },
      ],
      [
        { type: "set", time: 0.1, value: 0.2 },
        { type: "linear", time: 0.6, value: 0.8 },
      ],
    );
    expect(out[Math.round(0.35 * SR)]).toBeCloseTo(0.5, 6);
    expect(out[Math.round(0.9 * SR)]).toBeCloseTo(0.8, 7);
  });

  it("a first ramp starts at time 0 from the parameter's own value", async () => {
    await expectSpec(
      [{ type: "linearRampToValueAtTime", value: 0, time: 0.5 }],
      [
        { type: "set", time: 0, value: 0.75 },
        { type: "linear", time: 0.5, value: 0 },
      ],
      { gain: 0.75 },
    );
    await expectSpec(
      [{ type: "exponentialRampToValueAtTime", value: 0.01, time: 0.5 }],
      [
        { type: "set", time: 0, value: 0.75 },
        { type: "exponential", time: 0.5, value: 0.01 },
      ],
      { gain: 0.75 },
    );
  });

  it("an exponential ramp, and its holds from 0 or across a sign change", async () => {
    const out = await expectSpec(
      [
        { type: "setValueAtTime", value: 0.001, time: 0.05 },
        { type: "exponentialRampToValueAtTime", value: 1, time: 0.55 },
        { type: "setValueAtTime", value: 0, time: 0.6 },
        { type: "exponentialRampToValueAtTime", value: 0.5, time: 0.7 },
        { type: "exponentialRampToValueAtTime", value: -0.5, time: 0.8 },
      ],
      [
        { type: "set", time: 0.05, value: 0.001 },
        { type: "exponential", time: 0.55, value: 1 },
        { type: "set", time: 0.6, value: 0 },
        { type: "exponential", time: 0.7, value: 0.5 },
        { type: "exponential", time: 0.8, value: -0.5 },
      ],
    );
    expect(out[Math.round(0.3 * SR)]).toBeCloseTo(Math.sqrt(0.001), 6); // geometric mean halfway
    expect(out[Math.round(0.65 * SR)]).toBe(0); // from 0: holds 0 until its event
    expect(out[Math.round(0.75 * SR)]).toBe(0.5); // across a sign change: holds 0.5
    expect(out[Math.round(0.8 * SR)]).toBe(-0.5);
  });

  it("setTargetAtTime approaches its target, with a 0 time constant jumping, and settles", async () => {
    await expectSpec(
      [
        { type: "setValueAtTime", value: 1, time: 0 },
        { type: "setTargetAtTime", target: 0.2, time: 0.1, timeConstant: 0.05 },
        { type: "setValueAtTime", value: 0.9, time: 0.4 },
        { type: "setTargetAtTime", target: -0.3, time: 0.5, timeConstant: 0 },
        { type: "setTargetAtTime", target: 0, time: 0.6, timeConstant: 0.01 },
      ],
      [
        { type: "set", time: 0, value: 1 },
        { type: "target", time: 0.1, target: 0.2, timeConstant: 0.05 },
        { type: "set", time: 0.4, value: 0.9 },
        { type: "target", time: 0.5, target: -0.3, timeConstant: 0 },
        { type: "target", time: 0.6, target: 0, timeConstant: 0.01 },
      ],
    );
  });

  it("a ramp after a setTarget replaces it, starting from the value before the setTarget", async () => {
    const out = await expectSpec(
      [
        { type: "setValueAtTime", value: 0.5, time: 0 },
        { type: "setTargetAtTime", target: 1, time: 0.2, timeConstant: 0.1 },
        { type: "linearRampToValueAtTime", value: 0, time: 0.7 },
      ],
      [
        { type: "set", time: 0, value: 0.5 },
        { type: "target", time: 0.2, target: 1, timeConstant: 0.1 },
        { type: "linear", time: 0.7, value: 0 },
      ],
    );
    expect(out[Math.round(0.45 * SR)]).toBeCloseTo(0.25, 6);
  });

  it("setValueCurveAtTime interpolates over its duration, then later ramps start from its end", async () => {
    const values = [0, 1, 0.25, 0.5, -1];
    await expectSpec(
      [
        { type: "setValueCurveAtTime", values, time: 0.10001, duration: 0.3 },
        { type: "linearRampToValueAtTime", value: 0.5, time: 0.8 },
      ],
      [
        { type: "curve", time: 0.10001, duration: 0.3, values },
        { type: "set", time: 0.40001, value: -1 },
        { type: "linear", time: 0.8, value: 0.5 },
      ],
    );
  });

  it("cancelScheduledValues removes the events at or after its time, and a curve running there", async () => {
    await expectSpec(
      [
        { type: "setValueAtTime", value: 0.5, time: 0.1 },
        { type: "linearRampToValueAtTime", value: 1, time: 0.5 },
        { type: "setValueAtTime", value: 0.1, time: 0.7 },
        { type: "cancelScheduledValues", cancelTime: 0.3 },
      ],
      [{ type: "set", time: 0.1, value: 0.5 }],
    );
    await expectSpec(
      [
        { type: "setValueAtTime", value: 0.5, time: 0.1 },
        { type: "setValueCurveAtTime", values: [1, 0], time: 0.2, duration: 0.4 },
        { type: "cancelScheduledValues", cancelTime: 0.3 },
        { type: "linearRampToValueAtTime", value: 0, time: 0.9 },
      ],
      [
        { type: "set", time: 0.1, value: 0.5 },
        { type: "linear", time: 0.9, value: 0 },
      ],
    );
  });

  it("cancelAndHoldAtTime cuts a ramp, a setTarget and a curve where they are, then holds", async () => {
    const linear = (t0: number, v0: number, t1: number, v1: number, t: number) =>
      v0 + ((v1 - v0) * (t - t0)) / (t1 - t0);
    await expectSpec(
      [
        { type: "setValueAtTime", value: 0, time: 0.1 },
        { type: "linearRampToValueAtTime", value: 1, time: 0.6 },
        { type: "setValueAtTime", value: 0.2, time: 0.7 },
        { type: "cancelAndHoldAtTime", cancelTime: 0.35 },
      ],
      [
        { type: "set", time: 0.1, value: 0 },
        { type: "linear", time: 0.35, value: linear(0.1, 0, 0.6, 1, 0.35) },
      ],
    );
    await expectSpec(
      [
        { type: "setValueAtTime", value: 0.01, time: 0.1 },
        { type: "exponentialRampToValueAtTime", value: 1, time: 0.6 },
        { type: "cancelAndHoldAtTime", cancelTime: 0.2 },
      ],
      [
        { type: "set", time: 0.1, value: 0.01 },
        { type: "exponential", time: 0.2, value: 0.01 * 100 ** 0.2 },
      ],
    );
    const held = 0.5 + (1 - 0.5) * Math.exp(-(0.3 - 0.1) / 0.1);
    await expectSpec(
      [
        { type: "setValueAtTime", value: 1, time: 0 },
        { type: "setTargetAtTime", target: 0.5, time: 0.1, timeConstant: 0.1 },
        { type: "setValueAtTime", value: 0, time: 0.8 },
        { type: "cancelAndHoldAtTime", cancelTime: 0.3 },
      ],
      [
        { type: "set", time: 0, value: 1 },
        { type: "target", time: 0.1, target: 0.5, timeConstant: 0.1 },
        { type: "set", time: 0.3, value: held },
      ],
    );
    const values = [0, 1, 0, 1];
    await expectSpec(
      [
        { type: "setValueCurveAtTime", values, time: 0.1, duration: 0.6 },
        { type: "cancelAndHoldAtTime", cancelTime: 0.35 },
      ],
      [{ type: "curve", time: 0.1, duration: 0.6, values, stop: 0.35 }],
    );
  });

  it("renders the same at every block size", async () => {
    const automation = {
      kind: "web_audio" as const,
      events: [
        { type: "setValueAtTime" as const, value: 0.3, time: 0.01 },
        { type: "exponentialRampToValueAtTime" as const, value: 0.9, time: 0.02 },
        { type: "setTargetAtTime" as const, target: 0.1, time: 0.025, timeConstant: 0.003 },
        { type: "setValueCurveAtTime" as const, values: [0, 1, 0.5], time: 0.04, duration: 0.005 },
      ],
    };
    const reference = await render(automation, { seconds: 0.06, blockSize: 1 });
    for (const blockSize of [7, 128, 4096]) {
      expect(await render(automation, { seconds: 0.06, blockSize })).toEqual(reference);
    }
  });

  it("starts mid-schedule as it plays through (a seek lands inside a ramp, a curve, a setTarget)", async () => {
    const automation = {
      kind: "web_audio" as const,
      events: [
        { type: "setValueAtTime" as const, value: 0.1, time: 0.05 },
        { type: "linearRampToValueAtTime" as const, value: 0.9, time: 0.4 },
        { type: "setValueCurveAtTime" as const, values: [0, 1, 0.5], time: 0.5, duration: 0.2 },
        { type: "setTargetAtTime" as const, target: 0.2, time: 0.75, timeConstant: 0.05 },
      ],
    };
    const full = await render(automation);
    for (const start of [0.2, 0.6, 0.8]) {
      const from = await render(automation, { seconds: 1 - start, start });
      const offset = Math.round(start * SR);
      expect(from, `from ${start} s`).toEqual(full.subarray(offset, offset + from.length));
    }
  });

  it("sends a long ramp as one engine ramp, and refuses a schedule whose moving values exceed engine memory", () => {
    const timeline: Parameters<typeof compileWebAudio>[3] = [];
    const options = { intrinsic: 1, sampleRate: SR, toSeconds: (t: number) => t, path: "p" };
    compileWebAudio(
      "gain",
      {
        kind: "web_audio",
        timeline: "seconds",
        events: [{ type: "exponentialRampToValueAtTime", value: 0.001, time: 600 }],
      },
      options,
      timeline,
    );
    // Ten minutes: one ramp and the event's own value on its frame, not 26 million values.
    expect(timeline.map((entry) => entry.type)).toEqual(["ramp", "array"]);
    const huge = {
      kind: "web_audio" as const,
      timeline: "seconds" as const,
      events: [{ type: "setTargetAtTime" as const, target: 0, time: 0, timeConstant: 1e6 }],
    };
    expect(() => compileWebAudio("gain", huge, options, [])).toThrow(
      /^E_LIMIT at p\.events: needs .* bytes \(the audio-rate values of this web_audio automation\), over the limit graphMemoryBytes/,
    );
  });

  it("takes beats on the tempo map (120 bpm: a beat is 0.5 s)", async () => {
    const out = await render({
      kind: "web_audio",
      timeline: "beats",
      events: [
        { type: "setValueAtTime", value: 0, time: 0.5 },
        { type: "linearRampToValueAtTime", value: 1, time: 1.5 },
      ],
    });
    expect(
      worstError(
        out,
        [
          { type: "set", time: 0.25, value: 0 },
          { type: "linear", time: 0.75, value: 1 },
        ],
        1,
      ),
    ).toBeLessThan(1e-6);
  });
});

describe("web_audio automation rejects what Web Audio would, naming the call", () => {
  async function rejection(events: Call[]): Promise<string> {
    const caught = await render({ kind: "web_audio", events }).then(
      () => "rendered",
      (error: unknown) => (error instanceof EngineError ? error.message : String(error)),
    );
    return caught;
  }

  it.each<[string, Call[], string]>([
    [
      "an event inside a curve",
      [
        { type: "setValueCurveAtTime", values: [0, 1], time: 0.1, duration: 0.2 },
        { type: "setValueAtTime", value: 1, time: 0.2 },
      ],
      "node_graph.nodes[1].automation.gain.events[1].time",
    ],
    [
      "a curve over an event",
      [
        { type: "linearRampToValueAtTime", value: 1, time: 0.2 },
        { type: "setValueCurveAtTime", values: [0, 1], time: 0.1, duration: 0.2 },
      ],
      "node_graph.nodes[1].automation.gain.events[1].duration",
    ],
    [
      "an exponential ramp to 0",
      [{ type: "exponentialRampToValueAtTime", value: 0, time: 0.2 }],
      "node_graph.nodes[1].automation.gain.events[0].value",
    ],
    [
      "a negative time constant",
      [{ type: "setTargetAtTime", target: 0, time: 0.2, timeConstant: -1 }],
      "node_graph.nodes[1].automation.gain.events[0].timeConstant",
    ],
    [
      "a curve of one value",
      [{ type: "setValueCurveAtTime", values: [1], time: 0.1, duration: 0.2 }],
      "node_graph.nodes[1].automation.gain.events[0].values",
    ],
    [
      "a curve of no duration",
      [{ type: "setValueCurveAtTime", values: [1, 2], time: 0.1, duration: 0 }],
      "node_graph.nodes[1].automation.gain.events[0].duration",
    ],
    [
      "a negative time",
      [{ type: "setValueAtTime", value: 1, time: -0.1 }],
      "node_graph.nodes[1].automation.gain.events[0].time",
    ],
  ])("%s", async (_name, events, path) => {
    const message = await rejection(events);
    expect(message).toContain(`E_SCHEMA at ${path}`);
  });

  it("schedules the longest schedule in any call order", () => {
    // 32,768 curves called latest first: each is inserted at the front and checked against its
    // neighbours only (a binary search; the array splice is a memmove). Its time is printed, not
    // asserted: speed belongs in the benchmarks, and this machine's load moved it from 0.4 to 3.5 s.
    const curves: Call[] = Array.from({ length: 32_768 }, (_, i) => ({
      type: "setValueCurveAtTime",
      values: [0, 1],
      time: 2 * (32_767 - i),
      duration: 1,
    }));
    const started = performance.now();
    const result = scheduleWebAudio(curves as WebAudioCall[]);
    console.log(`32,768 curves latest first: ${(performance.now() - started).toFixed(0)} ms`);
    if (!("events" in result)) throw new Error("rejected");
    expect(result.events).toHaveLength(65_536); // each curve and its implicit set
    // In time order: curve j at 2j, then the value it holds from its end, 2j + 1.
    expect(result.events.map((event) => event.time)).toEqual(Array.from({ length: 65_536 }, (_, i) => i));
  });

  it("says why in Web Audio's terms", async () => {
    expect(
      await rejection([
        { type: "setValueCurveAtTime", values: [0, 1], time: 0.1, duration: 0.2 },
        { type: "setValueAtTime", value: 1, time: 0.2 },
      ]),
    ).toBe(
      "E_SCHEMA at node_graph.nodes[1].automation.gain.events[1].time: 0.2 falls inside the setValueCurveAtTime of events[0]; Web Audio rejects it (NotSupportedError)",
    );
  });
});
