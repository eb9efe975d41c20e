/**
 * Render-level oracles through the public entry (createEngine): lengths, automation and MIDI frames,
 * captures, start positions, preroll, block-size independence, and failures.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createEngine,
  type EngineClient,
  EngineError,
  type GraphDescriptorInput,
  type GraphNodeInput,
  type RenderRequestInput,
  secondsAtBeat,
} from "../../../src/index";

const SR = 48000;

function noise(frames: number, seed: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length: frames }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  });
}

function graph(nodes: GraphNodeInput[], extra: Partial<GraphDescriptorInput> = {}): GraphDescriptorInput {
  return { version: "v1alpha", nodes, output: nodes[nodes.length - 1]?.name ?? "", ...extra };
}

function request(
  node_graph: GraphDescriptorInput,
  overrides: Partial<RenderRequestInput> = {},
): RenderRequestInput {
  return {
    version: "v1alpha",
    request_id: "host-test",
    node_graph,
    duration_seconds: 1,
    sample_rate: SR,
    channels: 1,
    ...overrides,
  };
}

async function expectRejects(promise: Promise<unknown>, message: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(EngineError);
  expect((error as EngineError).message).toBe(message);
}

let engine: EngineClient;

beforeEach(async () => {
  engine = await createEngine({ host: "in-process", sampleRate: SR });
});

afterEach(async () => {
  await engine.close();
});

/** Renders and reads back the main output (and the named captures). */
async function renderChannels(input: RenderRequestInput) {
  const result = await engine.render(input);
  expect(result.status, result.error ?? "").toBe("ok");
  const output = await engine.readBuffer(result.buffer_handle ?? "");
  const captures: Record<string, Float32Array[]> = {};
  for (const [name, handle] of Object.entries(result.extensions.captures ?? {})) {
    captures[name] = await engine.readBuffer(handle);
  }
  return { result, output, captures };
}

/** A constant 1 (a one-sample buffer, looped) through a gain with the given automation: out = gain. */
async function gainCurve(
  automation: NonNullable<GraphNodeInput["automation"]>,
  seconds: number,
  extra: Partial<GraphDescriptorInput> = {},
): Promise<Float32Array> {
  const one = await engine.uploadBuffer([Float32Array.of(1)], SR);
  const { output } = await renderChannels(
    request(
      graph(
        [
          { name: "one", node_id: "builtin:playback", params: { loop: "on" }, buffers: { data: one } },
          { name: "vca", node_id: "builtin:gain", inputs: ["one"], automation },
        ],
        extra,
      ),
      { duration_seconds: seconds },
    ),
  );
  return output[0] as Float32Array;
}

describe("options.offline", () => {
  it("false is refused (this host renders offline only), naming the host that renders in real time", async () => {
    const osc = graph([{ name: "osc", node_id: "builtin:oscillator" }]);
    await expectRejects(
      engine.render(request(osc, { options: { offline: false, preroll: 0 } })),
      "E_HOST_UNAVAILABLE at options.offline: the in-process host renders offline only; a real-time render plays through the audioworklet host (createRealtimeEngine in a page)",
    );
    // The refusal loses nothing: the same request offline renders.
    expect((await engine.render(request(osc))).frames).toBe(SR);
  });
});

describe("render length", () => {
  it("is round(duration_seconds * sample_rate) frames, at the engine's rate and at others", async () => {
    const osc = graph([{ name: "osc", node_id: "builtin:oscillator" }]);
    const cases: [number, number, number][] = [
      [0.1, 48000, 4800],
      [1.23535, 48000, 59297],
      [16.5 / 48000, 48000, 17],
      [1.23535, 44100, 54479],
      [0.5, 22050, 11025],
    ];
    for (const [seconds, rate, frames] of cases) {
      expect(Math.round(seconds * rate)).toBe(frames);
      const { result, output } = await renderChannels(
        request(osc, { duration_seconds: seconds, sample_rate: rate, channels: 2 }),
      );
      expect(result.frames, `${seconds} s at ${rate} Hz`).toBe(frames);
      expect(output.map((channel) => channel.length)).toEqual([frames, frames]);
    }
  });

  it("follows a tempo map with a linear ramp, counting beats from the start position", async () => {
    // 100 -> 160 bpm over 8 beats, then 160: t(8) = 60 / 7.5 * ln(160 / 100) = 8 ln 1.6 seconds.
    const tempo = {
      map: [
        { beat: 0, bpm: 100, curve: "linear" as const },
        { beat: 8, bpm: 160, curve: "step" as const },
      ],
    };
    const analytic = 8 * Math.log(1.6) + (2 * 60) / 160;
    expect(Math.abs(secondsAtBeat(tempo, 10) - analytic)).toBeLessThan(1e-12);
    const osc = graph([{ name: "osc", node_id: "builtin:oscillator" }], { tempo });
    const { result } = await renderChannels(request(osc, { duration_seconds: null, duration_beats: 10 }));
    expect(result.frames).toBe(216481); // round(4.5100290 s * 48000) = round(216481.39)
    expect(Math.abs(result.frames - analytic * SR)).toBeLessThanOrEqual(0.5);

    // From 3 s (inside the ramp) for 4 beats: beat(3 s) solves 3 = 60/7.5 ln(1 + 7.5 b / 100).
    const startBeat = (100 * Math.expm1((7.5 * 3) / 60)) / 7.5;
    const from3 = await renderChannels(
      request(osc, { duration_seconds: null, duration_beats: 4, start_position_seconds: 3 }),
    );
    const expected = (secondsAtBeat(tempo, startBeat + 4) - 3) * SR;
    expect(Math.abs(from3.result.frames - expected)).toBeLessThanOrEqual(0.5);
    expect(from3.output[0]?.length).toBe(from3.result.frames);
  });
});

describe("automation lands on its frame", () => {
  it("a step at 0.5 s switches at frame 24000 exactly", async () => {
    const out = await gainCurve(
      {
        gain: {
          kind: "breakpoints",
          points: [
            { time: 0, value: 1, curve: "step" },
            { time: 0.5, value: 0.25 },
          ],
        },
      },
      1,
    );
    expect(out[23999]).toBe(1);
    expect(out[24000]).toBe(0.25);
    expect(out[47999]).toBe(0.25);
  });

  it("a ppqn array follows a tempo change: beat i at 120 bpm, then at 60 bpm from beat 2", async () => {
    const out = await gainCurve({ gain: { kind: "ppqn", ppqn: 1, values: [1, 2, 3, 4] } }, 3, {
      tempo: {
        map: [
          { beat: 0, bpm: 120 },
          { beat: 2, bpm: 60 },
        ],
      },
    });
    // Beats 1, 2, 3 at 0.5 s, 1 s, 2 s.
    const edges = [24000, 48000, 96000];
    expect(edges.map((frame) => [out[frame - 1], out[frame]])).toEqual([
      [1, 2],
      [2, 3],
      [3, 4],
    ]);
    expect(out[143999]).toBe(4);
  });

  it("a linear breakpoint ramp moves every frame between its points and holds outside them", async () => {
    const out = await gainCurve(
      {
        gain: {
          kind: "breakpoints",
          points: [
            { time: 0.25, value: 0 },
            { time: 0.75, value: 1 },
          ],
        },
      },
      1,
    );
    expect(out[0]).toBe(0); // the first point's value holds before it
    expect(out[12000]).toBe(0);
    expect(out[18000]).toBeCloseTo(0.25, 6);
    expect(out[24000]).toBeCloseTo(0.5, 6);
    expect(out[30000]).toBeCloseTo(0.75, 6);
    expect(out[36000]).toBe(1);
    expect(out[47999]).toBe(1);
    for (let frame = 12000; frame < 36000; frame += 997) {
      expect(out[frame]).toBeCloseTo((frame - 12000) / 24000, 6);
    }
  });

  it("an exponential ramp on the beats timeline passes the geometric mean halfway", async () => {
    const out = await gainCurve(
      {
        gain: {
          kind: "breakpoints",
          timeline: "beats",
          points: [
            { time: 0, value: 0.01, curve: "exponential" },
            { time: 2, value: 1 },
          ],
        },
      },
      1.5,
    );
    expect(out[0]).toBeCloseTo(0.01, 7);
    expect(out[24000]).toBeCloseTo(0.1, 6); // beat 1 of 2 at 120 bpm
    expect(out[48000]).toBe(1);
  });
});

describe("MIDI", () => {
  /** A sampler playing `sample` at its recorded pitch: velocity 127 and gain 1 leave it unscaled. */
  async function sampler(midi: GraphNodeInput["midi"], sample: Float32Array, seconds: number) {
    const handle = await engine.uploadBuffer([sample], SR);
    const { output } = await renderChannels(
      request(graph([{ name: "keys", node_id: "builtin:sampler", buffers: { sample: handle }, midi }]), {
        duration_seconds: seconds,
      }),
    );
    return output[0] as Float32Array;
  }

  const sample = Float32Array.from({ length: 1000 }, (_, i) => (i + 1) / 1000);

  it("a note on beat 1 at 120 bpm starts at frame 24000 and plays the sample from there", async () => {
    const out = await sampler(
      [{ type: "note", timeline: "beats", time: 1, duration: 1, note: 60, velocity: 127 }],
      sample,
      1,
    );
    expect(out.subarray(0, 24000).every((value) => value === 0)).toBe(true);
    expect(out.subarray(24000, 25000)).toEqual(sample);
    expect(out.subarray(25000).every((value) => value === 0)).toBe(true);
  });

  it("a note at 0.25 s starts at frame 12000; its note-off cuts it at 0.25 s + duration", async () => {
    const long = Float32Array.from({ length: 48000 }, () => 0.5);
    const out = await sampler(
      [{ type: "note", time: 0.25, duration: 0.125, note: 60, velocity: 127, channel: 3 }],
      long,
      1,
    );
    expect([out[11999], out[12000], out[17999], out[18000]]).toEqual([0, 0.5, 0.5, 0]);
  });
});

describe("captures", () => {
  it("return an intermediate node's output, and a node off the output's path", async () => {
    const left = noise(4800, 1);
    const right = noise(4800, 2);
    const stereo = await engine.uploadBuffer([left, right], SR);
    const mono = noise(4800, 3);
    const lonely = await engine.uploadBuffer([mono], SR);
    const { result, output, captures } = await renderChannels(
      request(
        graph([
          { name: "drums", node_id: "builtin:playback", buffers: { data: stereo } },
          { name: "half", node_id: "builtin:gain", inputs: ["drums"], params: { gain: 0.5 }, capture: true },
          { name: "side", node_id: "builtin:playback", buffers: { data: lonely } },
          { name: "out", node_id: "builtin:gain", inputs: ["half"], params: { gain: -2 } },
        ]),
        { duration_seconds: 0.1, channels: 2, options: { offline: true, preroll: 0, capture: ["side"] } },
      ),
    );
    expect(Object.keys(result.extensions.captures ?? {})).toEqual(["half", "side"]);
    const half = (x: Float32Array) => x.map((v) => Math.fround(v * 0.5));
    expect(captures.half).toEqual([half(left), half(right)]);
    // A mono stem fills every channel of the request.
    expect(captures.side).toEqual([mono, mono]);
    expect(output).toEqual([half(left).map((v) => -2 * v), half(right).map((v) => -2 * v)]);
  });

  it("reject an unknown capture name, naming it", async () => {
    await expectRejects(
      engine.render(
        request(graph([{ name: "osc", node_id: "builtin:oscillator" }]), {
          options: { offline: true, preroll: 0, capture: ["ghost"] },
        }),
      ),
      'E_UNKNOWN_NODE at options.capture[0]: no node named "ghost"',
    );
  });
});

describe("channels", () => {
  it("maps engine channel c to result channel c, fills all from a mono source, and leaves the rest silent", async () => {
    const a = noise(480, 4);
    const b = noise(480, 5);
    const stereo = await engine.uploadBuffer([a, b], SR);
    const mono = await engine.uploadBuffer([a], SR);
    const play = (handle: string, channels: number) =>
      renderChannels(
        request(graph([{ name: "p", node_id: "builtin:playback", buffers: { data: handle } }]), {
          duration_seconds: 0.01,
          channels,
        }),
      );
    expect((await play(stereo, 3)).output).toEqual([a, b, new Float32Array(480)]);
    expect((await play(stereo, 1)).output).toEqual([a]);
    expect((await play(mono, 2)).output).toEqual([a, a]);
  });
});

describe("start position and preroll", () => {
  const buffer = noise(96000, 6);

  it("renders from start_position_seconds: a playback node gives the buffer from that frame", async () => {
    const handle = await engine.uploadBuffer([buffer], SR);
    const { output } = await renderChannels(
      request(graph([{ name: "p", node_id: "builtin:playback", buffers: { data: handle } }]), {
        duration_seconds: 0.5,
        start_position_seconds: 0.25,
      }),
    );
    expect(output[0]).toEqual(buffer.subarray(12000, 36000));
    expect((await engine.getTransportState()).position_seconds).toBe(0.75);
  });

  it("fills a delay's line during the preroll, and never reaches before frame 0", async () => {
    const handle = await engine.uploadBuffer([buffer], SR);
    const echo = graph([
      { name: "p", node_id: "builtin:playback", buffers: { data: handle } },
      { name: "echo", node_id: "builtin:delay", inputs: ["p"], params: { time: 500 } },
    ]);
    const from = (preroll: number, start: number) =>
      renderChannels(
        request(echo, {
          duration_seconds: 0.5,
          start_position_seconds: start,
          options: { offline: true, preroll },
        }),
      );
    // From 1 s, the 500 ms echo plays the buffer from 0.5 s, once the preroll has filled the line.
    expect((await from(0.5, 1)).output[0]).toEqual(buffer.subarray(24000, 48000));
    expect((await from(0, 1)).output[0]).toEqual(new Float32Array(24000));
    // At 0 there is nothing before the timeline to preroll: same as without.
    expect((await from(2, 0)).output[0]).toEqual((await from(0, 0)).output[0]);
  });
});

describe("block size", () => {
  it("renders the same samples at block sizes 1, 128 and 4096", async () => {
    const outputs: Float32Array[][] = [];
    for (const blockSize of [1, 128, 4096]) {
      const client = await createEngine({ host: "in-process", sampleRate: SR, blockSize });
      const sample = await client.uploadBuffer([noise(4000, 7)], SR);
      const result = await client.render(
        request(
          graph([
            { name: "osc", node_id: "builtin:oscillator", params: { frequency: 220, waveform: "saw" } },
            {
              name: "keys",
              node_id: "builtin:sampler",
              buffers: { sample },
              params: { attack: 5, release: 20 },
              midi: [
                { type: "note", time: 0.01, duration: 0.05, note: 67, velocity: 90 },
                { type: "pitch_bend", time: 0.03, value: 4096 },
                { type: "note", timeline: "beats", time: 0.25, duration: 0.1, note: 55, velocity: 60 },
              ],
            },
            {
              name: "filter",
              node_id: "builtin:filter",
              inputs: ["osc", "keys"],
              params: { mode: "low", q: 2 },
              automation: {
                frequency: {
                  kind: "breakpoints",
                  points: [
                    { time: 0, value: 200, curve: "exponential" },
                    { time: 0.2, value: 8000 },
                  ],
                },
              },
            },
          ]),
          { duration_seconds: 0.25, channels: 2 },
        ),
      );
      expect(result.status, result.error ?? "").toBe("ok");
      outputs.push(await client.readBuffer(result.buffer_handle ?? ""));
      expect((await client.getTransportState()).buffer_size_frames).toBe(blockSize);
      await client.close();
    }
    // Equal sample for sample; -0 and +0 (which the filter may produce at different block sizes) are
    // the same sample, so signed zeros are normalised first (toEqual tells them apart).
    const samples = (channels: Float32Array[] | undefined) =>
      channels?.map((channel) => channel.map((v) => v + 0));
    expect(outputs[0]?.[0]?.some((value) => value !== 0)).toBe(true);
    expect(samples(outputs[1])).toEqual(samples(outputs[0]));
    expect(samples(outputs[2])).toEqual(samples(outputs[0]));
  });
});

describe("progress, cancellation and failures", () => {
  const osc = graph([{ name: "osc", node_id: "builtin:oscillator" }]);

  it("reports progress once per second of audio, and at the end", async () => {
    const reports: number[] = [];
    await engine.render(request(osc, { duration_seconds: 2.5 }), {
      onProgress: (progress) => reports.push(progress.frames_rendered),
    });
    // The chunk before a report ends on it: every second exactly, then the end.
    expect(reports).toEqual([48000, 96000, 120000]);
  });

  it("stops at an abort from another task, keeping the frames rendered so far", async () => {
    const controller = new AbortController();
    // A reverb after the oscillator: 60 s of a lone oscillator can render inside one slice of work
    // (about 10 ms), before the abort's task gets a turn, and end "ok".
    const slow = graph([
      { name: "osc", node_id: "builtin:oscillator" },
      { name: "room", node_id: "builtin:reverb", inputs: ["osc"] },
    ]);
    const result = await engine.render(request(slow, { duration_seconds: 60 }), {
      signal: controller.signal,
      onProgress: () => setTimeout(() => controller.abort(), 0),
    });
    expect(result.status).toBe("partial");
    expect(result.error).toMatch(/^E_CANCELLED: render cancelled after \d+ of 2880000 frames$/);
    expect(result.frames).toBeGreaterThanOrEqual(48000);
    expect(result.frames).toBeLessThan(2880000);
    expect((await engine.readBuffer(result.buffer_handle ?? ""))[0]?.length).toBe(result.frames);
  });

  it("reports an engine failure as status error with the graph's node names, and keeps working", async () => {
    const result = await engine.render(
      request(
        graph([
          ...[0, 1, 2, 3, 4].map((i) => ({
            name: `osc${i}`,
            node_id: "builtin:oscillator",
            params: { channels: 64 },
          })),
          { name: "sum", node_id: "builtin:gain", inputs: ["osc0", "osc1", "osc2", "osc3", "osc4"] },
        ]),
      ),
    );
    expect(result).toMatchObject({ status: "error", buffer_handle: null, frames: 0 });
    expect(result.error).toBe(
      'E_RENDER: engine error E_TOO_MANY_CHANNELS: node "sum" has 320 input channels (max 256)',
    );
    expect((await engine.render(request(osc))).status).toBe("ok");
  });

  it("keeps a buffer released during a render playing to the end", async () => {
    const audio = noise(3 * SR, 8);
    const handle = await engine.uploadBuffer([audio], SR);
    const result = await engine.render(
      request(graph([{ name: "p", node_id: "builtin:playback", buffers: { data: handle } }]), {
        duration_seconds: 3,
      }),
      { onProgress: () => void engine.releaseBuffer(handle).catch(() => undefined) },
    );
    expect((await engine.readBuffer(result.buffer_handle ?? ""))[0]).toEqual(audio);
    await expectRejects(
      engine.readBuffer(handle),
      `E_UNKNOWN_HANDLE at handle: no buffer "${handle}" (never issued, or released)`,
    );
  });

  it("rejects a render in progress with E_CLOSED when the client closes", async () => {
    const rendering = engine.render(request(osc, { duration_seconds: 60 }), {
      onProgress: () => void engine.close(),
    });
    await expectRejects(rendering, "E_CLOSED: the engine client is closed");
  });
});

describe("createEngine", () => {
  it("defaults to the in-process host at 48 kHz with 128-frame blocks", async () => {
    const client = await createEngine();
    expect(client.host).toBe("in-process");
    expect(await client.getTransportState()).toMatchObject({ sample_rate: 48000, buffer_size_frames: 128 });
    await client.close();
  });

  it("rejects bad options and hosts Node does not have", async () => {
    await expectRejects(createEngine({ sampleRate: 100 }), "E_SCHEMA at options.sampleRate: must be >= 3000");
    await expectRejects(createEngine({ blockSize: 0 }), "E_SCHEMA at options.blockSize: must be >= 1");
    const error = await createEngine({ host: "audioworklet" }).catch((caught: unknown) => caught);
    expect((error as EngineError).code).toBe("E_HOST_UNAVAILABLE");
  });
});
