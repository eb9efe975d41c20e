/**
 * The v1alpha schemas accept the documented shapes and reject malformed ones with the path and code
 * of the bad field, contract by contract.
 *
 * Why one file of about 550 lines: a table of cases per contract, each a few lines; split by
 * contract it would repeat the same helpers six times.
 */
import { describe, expect, it } from "vitest";
import {
  CONTRACT_EXAMPLES,
  CONTRACT_NAMES,
  CONTRACTS,
  type ContractName,
  EngineError,
  EXAMPLE_RENDER_REQUEST,
  EXAMPLE_RENDER_RESULT,
  GraphDescriptorSchema,
  isEngineError,
  NodeDescriptorSchema,
  PluginDiscoveryResultSchema,
  parseContract,
  RenderRequestSchema,
  RenderResultSchema,
  renderFrameCount,
  TransportStateSchema,
} from "../../src/contracts";
import {
  copy,
  SEED_NODE_DESCRIPTOR,
  SEED_NODE_GRAPH,
  SEED_PLUGIN_DISCOVERY_RESULT,
  SEED_RENDER_REQUEST,
  SEED_RENDER_RESULT,
  SEED_TRANSPORT_STATE,
} from "./fixtures";

/** Runs parseContract and returns the EngineError it throws (fails the test if it does not throw). */
function rejection(run: () => unknown): EngineError {
  try {
    run();
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw new Error(`expected an EngineError, got ${String(error)}`);
  }
  throw new Error("expected the message to be rejected");
}

describe("seed shapes", () => {
  it.each([
    ["TransportState", TransportStateSchema, SEED_TRANSPORT_STATE],
    ["NodeDescriptor", NodeDescriptorSchema, SEED_NODE_DESCRIPTOR],
    ["GraphDescriptor", GraphDescriptorSchema, SEED_NODE_GRAPH],
    ["RenderRequest", RenderRequestSchema, SEED_RENDER_REQUEST],
    ["RenderResult", RenderResultSchema, SEED_RENDER_RESULT],
    ["PluginDiscoveryResult", PluginDiscoveryResultSchema, SEED_PLUGIN_DISCOVERY_RESULT],
  ] as const)("accepts the seed's %s and fills defaults", (_name, schema, seed) => {
    const parsed = parseContract(schema, seed) as Record<string, unknown>;
    expect(parsed).toMatchObject(seed);
    expect(parsed.extensions).toEqual({});
  });

  it("fills graph node defaults: no inputs, params, automation, midi, buffers; no capture; 120 bpm; 960 ppqn", () => {
    const graph = parseContract(GraphDescriptorSchema, SEED_NODE_GRAPH);
    expect(graph.nodes[0]).toEqual({
      name: "osc",
      node_id: "builtin:oscillator",
      inputs: [],
      params: {},
      automation: {},
      midi: [],
      buffers: {},
      capture: false,
      extensions: {},
    });
    expect(graph.tempo).toEqual({ bpm: 120 });
    expect(graph.ppqn).toBe(960);
  });

  it("fills nullable request fields with null when omitted", () => {
    const { start_position_seconds: _, options: __, ...lean } = SEED_RENDER_REQUEST;
    const request = parseContract(RenderRequestSchema, lean);
    expect(request.start_position_seconds).toBeNull();
    expect(request.duration_beats).toBeNull();
    expect(request.options).toEqual({ offline: true, preroll: 0 });
  });

  it("accepts any non-empty node_id and buffer_handle, as the seed defines them (plain strings)", () => {
    const graph = parseContract(GraphDescriptorSchema, {
      ...SEED_NODE_GRAPH,
      nodes: [
        { name: "osc", node_id: "oscillator", buffers: { data: "blob:abc" } },
        { name: "out", node_id: "Gain Plug-In (x64)", inputs: ["osc"] },
      ],
    });
    expect(graph.nodes.map((node) => node.node_id)).toEqual(["oscillator", "Gain Plug-In (x64)"]);
    expect(graph.nodes[0]?.buffers).toEqual({ data: "blob:abc" });
    const result = parseContract(RenderResultSchema, { ...SEED_RENDER_RESULT, buffer_handle: "shm/take 1" });
    expect(result.buffer_handle).toBe("shm/take 1");
    expect(parseContract(NodeDescriptorSchema, { ...SEED_NODE_DESCRIPTOR, node_id: "reverb" }).node_id).toBe(
      "reverb",
    );
  });

  it("requires version: a seed shape without it is rejected", () => {
    const { version: _, ...unversioned } = SEED_TRANSPORT_STATE;
    expect(rejection(() => parseContract(TransportStateSchema, unversioned)).message).toBe(
      "E_SCHEMA at version: is required",
    );
  });
});

describe("documented examples", () => {
  it.each(CONTRACT_NAMES)("the %s example is valid", (name: ContractName) => {
    expect(() => parseContract(CONTRACTS[name].schema, CONTRACT_EXAMPLES[name])).not.toThrow();
  });

  it("the RenderResult example's frames match the RenderRequest example (16 beats, 120->132 bpm ramp, 48 kHz)", () => {
    // 8 beats ramping 120->132 bpm: 40 * ln(1.1) s; then 8 beats at 132 bpm: 480/132 s.
    const seconds = 40 * Math.log(1.1) + 480 / 132;
    const frames = renderFrameCount(parseContract(RenderRequestSchema, EXAMPLE_RENDER_REQUEST));
    expect(frames).toBe(Math.round(seconds * 48000));
    expect(EXAMPLE_RENDER_RESULT.frames).toBe(frames);
  });
});

/** Malformed messages are made by mutating copies freely: their shape is exactly what is under test. */
// biome-ignore lint/suspicious/noExplicitAny: see above.
type Loose = Record<string, any>;

type Mutation = (message: Loose) => void;

const REQUEST_CASES: [string, Mutation, string][] = [
  [
    "a parameter value that is neither number nor string",
    (m) => {
      m.node_graph.nodes[1].params = { frequency: true };
    },
    "E_SCHEMA at node_graph.nodes[1].params.frequency: must be a number or a string",
  ],
  [
    "an automation value that is not a number",
    (m) => {
      m.node_graph.nodes[1].automation = { frequency: { kind: "audio_rate", values: [100, "200"] } };
    },
    "E_SCHEMA at node_graph.nodes[1].automation.frequency.values[1]: must be a number",
  ],
  [
    "a Faust address as parameter id (quoted in the path)",
    (m) => {
      m.node_graph.nodes[1].params = { "/synth/freq": null };
    },
    'E_SCHEMA at node_graph.nodes[1].params["/synth/freq"]: must be a number or a string',
  ],
  [
    "an unknown automation kind",
    (m) => {
      m.node_graph.nodes[0].automation = { gain: { kind: "spline", points: [] } };
    },
    "E_SCHEMA at node_graph.nodes[0].automation.gain.kind: must be one of audio_rate, ppqn, breakpoints, web_audio",
  ],
  [
    "audio-rate automation with neither values nor buffer_handle",
    (m) => {
      m.node_graph.nodes[0].automation = { gain: { kind: "audio_rate" } };
    },
    "E_SCHEMA at node_graph.nodes[0].automation.gain: must have one of values, buffer_handle",
  ],
  [
    "audio-rate automation with both values and buffer_handle",
    (m) => {
      m.node_graph.nodes[0].automation = {
        gain: { kind: "audio_rate", values: [1], buffer_handle: "buf:3" },
      };
    },
    "E_SCHEMA at node_graph.nodes[0].automation.gain.buffer_handle: is not allowed together with values",
  ],
  [
    "breakpoints out of order",
    (m) => {
      m.node_graph.nodes[0].automation = {
        gain: {
          kind: "breakpoints",
          points: [
            { time: 2, value: 0 },
            { time: 1, value: 1 },
          ],
        },
      };
    },
    "E_SCHEMA at node_graph.nodes[0].automation.gain.points[1].time: must be >= points[0].time",
  ],
  [
    "a MIDI note above 127",
    (m) => {
      m.node_graph.nodes[0].midi = [{ type: "note", time: 0, duration: 1, note: 128, velocity: 100 }];
    },
    "E_SCHEMA at node_graph.nodes[0].midi[0].note: must be <= 127",
  ],
  [
    "a MIDI channel 0",
    (m) => {
      m.node_graph.nodes[0].midi = [{ type: "cc", time: 0, controller: 7, value: 100, channel: 0 }];
    },
    "E_SCHEMA at node_graph.nodes[0].midi[0].channel: must be >= 1",
  ],
  [
    "an unknown MIDI event type",
    (m) => {
      m.node_graph.nodes[0].midi = [{ type: "sysex", time: 0 }];
    },
    "E_SCHEMA at node_graph.nodes[0].midi[0].type: must be one of note, cc, pitch_bend",
  ],
  [
    "a pitch bend out of range",
    (m) => {
      m.node_graph.nodes[0].midi = [{ type: "pitch_bend", timeline: "beats", time: 0, value: 8192 }];
    },
    "E_SCHEMA at node_graph.nodes[0].midi[0].value: must be <= 8191",
  ],
  [
    "inline sample data instead of a buffer handle",
    (m) => {
      m.node_graph.nodes[0].buffers = { data: [0, 0.5, 1] };
    },
    "E_SCHEMA at node_graph.nodes[0].buffers.data: must be a string",
  ],
  [
    "an empty buffer handle",
    (m) => {
      m.node_graph.nodes[0].buffers = { data: "" };
    },
    "E_SCHEMA at node_graph.nodes[0].buffers.data: must not be empty",
  ],
  [
    "an empty node id",
    (m) => {
      m.node_graph.nodes[0].node_id = "";
    },
    "E_SCHEMA at node_graph.nodes[0].node_id: must not be empty",
  ],
  [
    "an empty graph",
    (m) => {
      m.node_graph.nodes = [];
    },
    "E_SCHEMA at node_graph.nodes: must have at least 1 item",
  ],
  [
    "a tempo with neither bpm nor map",
    (m) => {
      m.node_graph.tempo = {};
    },
    "E_SCHEMA at node_graph.tempo: must have one of bpm, map",
  ],
  [
    "a tempo map that does not start at beat 0",
    (m) => {
      m.node_graph.tempo = { map: [{ beat: 4, bpm: 100 }] };
    },
    "E_SCHEMA at node_graph.tempo.map[0].beat: must be 0 (the map starts at beat 0)",
  ],
  [
    "both durations",
    (m) => {
      m.duration_beats = 4;
    },
    "E_SCHEMA at duration_beats: is not allowed together with duration_seconds",
  ],
  [
    "no duration",
    (m) => {
      m.duration_seconds = null;
    },
    "E_SCHEMA: must have one of duration_seconds, duration_beats",
  ],
  [
    "a zero duration",
    (m) => {
      m.duration_seconds = 0;
    },
    "E_SCHEMA at duration_seconds: must be > 0",
  ],
  [
    "a fractional sample rate",
    (m) => {
      m.sample_rate = 44100.5;
    },
    "E_SCHEMA at sample_rate: must be an integer",
  ],
  [
    "an infinite preroll",
    (m) => {
      m.options.preroll = Number.POSITIVE_INFINITY;
    },
    "E_SCHEMA at options.preroll: must be a finite number",
  ],
  [
    "a block size above 4096",
    (m) => {
      m.options.block_size = 8192;
    },
    "E_SCHEMA at options.block_size: must be <= 4096",
  ],
  [
    "an unknown top-level key",
    (m) => {
      m.priority = "high";
    },
    "E_SCHEMA at priority: is not allowed",
  ],
  [
    "an unknown key in a graph node",
    (m) => {
      m.node_graph.nodes[1].gain = 2;
    },
    "E_SCHEMA at node_graph.nodes[1].gain: is not allowed",
  ],
  [
    "a missing request_id",
    (m) => {
      delete m.request_id;
    },
    "E_SCHEMA at request_id: is required",
  ],
  [
    "another version",
    (m) => {
      m.version = "v2";
    },
    'E_SCHEMA at version: must be "v1alpha"',
  ],
];

describe("RenderRequest rejects malformed messages with code and path", () => {
  it.each(REQUEST_CASES)("%s", (_label, mutate, message) => {
    const request = copy(SEED_RENDER_REQUEST) as Loose;
    mutate(request);
    const error = rejection(() => parseContract(RenderRequestSchema, request));
    expect(error.message).toBe(message);
    expect(error.code).toBe("E_SCHEMA");
    expect(error.message).toBe(
      error.path === "" ? `E_SCHEMA: ${error.detail}` : `E_SCHEMA at ${error.path}: ${error.detail}`,
    );
  });

  it("has at least 25 distinct cases", () => {
    expect(new Set(REQUEST_CASES.map(([, , message]) => message)).size).toBeGreaterThanOrEqual(25);
  });

  it("reports every bad field in issues, the first in the message", () => {
    const request = copy(SEED_RENDER_REQUEST) as Loose;
    request.channels = 0;
    request.sample_rate = "fast";
    request.extra = 1;
    const error = rejection(() => parseContract(RenderRequestSchema, request));
    expect(error.issues).toEqual([
      { path: "sample_rate", detail: "must be a number" },
      { path: "channels", detail: "must be >= 1" },
      { path: "extra", detail: "is not allowed" },
    ]);
    expect(error.message).toBe("E_SCHEMA at sample_rate: must be a number");
  });

  it("prefixes paths with the root label", () => {
    const graph = copy(SEED_NODE_GRAPH) as Loose;
    graph.nodes[1].params = { frequency: {} };
    expect(rejection(() => parseContract(GraphDescriptorSchema, graph, "node_graph")).message).toBe(
      "E_SCHEMA at node_graph.nodes[1].params.frequency: must be a number or a string",
    );
  });

  it.each([
    ["null", null, "E_SCHEMA: must be an object"],
    ["a string", "render please", "E_SCHEMA: must be an object"],
    ["an array", [SEED_RENDER_REQUEST], "E_SCHEMA: must be an object"],
  ])("rejects %s without crashing", (_label, value, message) => {
    expect(rejection(() => parseContract(RenderRequestSchema, value)).message).toBe(message);
  });

  it("turns a throwing getter into E_SCHEMA instead of crashing", () => {
    const hostile = {
      ...copy(SEED_RENDER_REQUEST),
      get channels(): number {
        throw new Error("boom");
      },
    };
    const error = rejection(() => parseContract(RenderRequestSchema, hostile));
    expect(error.code).toBe("E_SCHEMA");
    expect(error.detail).toContain("boom");
  });
});

describe("RenderResult status rules", () => {
  it.each([
    [
      "error without error text",
      { status: "error", buffer_handle: null },
      "E_SCHEMA at error: is required when status is error",
    ],
    [
      "error with a buffer",
      { status: "error", error: "E_RENDER: x" },
      "E_SCHEMA at buffer_handle: must be null when status is error",
    ],
    [
      "ok without a buffer",
      { buffer_handle: null },
      "E_SCHEMA at buffer_handle: is required when status is ok",
    ],
    ["ok with error text", { error: "E_RENDER: x" }, "E_SCHEMA at error: must be null when status is ok"],
    [
      "partial without a buffer",
      { status: "partial", buffer_handle: null },
      "E_SCHEMA at buffer_handle: is required when status is partial",
    ],
    ["an unknown status", { status: "done" }, "E_SCHEMA at status: must be one of ok, error, partial"],
    ["negative frames", { frames: -1 }, "E_SCHEMA at frames: must be >= 0"],
    [
      "a capture that is not a handle",
      { extensions: { captures: { bass: 3 } } },
      "E_SCHEMA at extensions.captures.bass: must be a string",
    ],
  ])("rejects %s", (_label, change, message) => {
    expect(
      rejection(() => parseContract(RenderResultSchema, { ...SEED_RENDER_RESULT, ...change })).message,
    ).toBe(message);
  });

  it.each([
    ["ok", { status: "ok" }],
    ["partial with an explanation", { status: "partial", error: "E_CANCELLED: render cancelled" }],
    ["error", { status: "error", error: "E_RENDER: node trapped", buffer_handle: null, frames: 0 }],
  ])("accepts %s", (_label, change) => {
    expect(parseContract(RenderResultSchema, { ...SEED_RENDER_RESULT, ...change }).status).toBe(
      change.status,
    );
  });
});

describe("TransportState, NodeDescriptor and PluginDiscoveryResult rules", () => {
  it.each([
    [
      "a timestamp without a time zone",
      TransportStateSchema,
      { ...SEED_TRANSPORT_STATE, last_update_iso8601: "2025-09-16T00:00:00" },
      "E_SCHEMA at last_update_iso8601: must be an ISO 8601 date-time with a time zone, e.g. 2025-09-16T00:00:00Z",
    ],
    [
      "a loop that ends before it starts",
      TransportStateSchema,
      { ...SEED_TRANSPORT_STATE, extensions: { loop: { start_seconds: 4, end_seconds: 2 } } },
      "E_SCHEMA at extensions.loop.end_seconds: must be > start_seconds",
    ],
    [
      "a negative dropout counter",
      TransportStateSchema,
      { ...SEED_TRANSPORT_STATE, extensions: { dropouts: { underruns: -1, ring_overflows: 0 } } },
      "E_SCHEMA at extensions.dropouts.underruns: must be >= 0",
    ],
    [
      "a parameter range with min >= max",
      NodeDescriptorSchema,
      { ...SEED_NODE_DESCRIPTOR, parameters: [{ name: "Mix", id: "mix", default: 0, range: [1, 1] }] },
      "E_SCHEMA at parameters[0].range: min must be < max",
    ],
    [
      "a default outside the range",
      NodeDescriptorSchema,
      { ...SEED_NODE_DESCRIPTOR, parameters: [{ name: "Mix", id: "mix", default: 2, range: [0, 1] }] },
      "E_SCHEMA at parameters[0].default: must be within range [0, 1]",
    ],
    [
      "a choice parameter whose range does not match its choices",
      NodeDescriptorSchema,
      {
        ...SEED_NODE_DESCRIPTOR,
        parameters: [
          {
            name: "Mode",
            id: "mode",
            default: 0,
            range: [0, 5],
            extensions: { type: "choice", choices: ["a", "b"] },
          },
        ],
      },
      "E_SCHEMA at parameters[0].range: must be [0, 1] for 2 choices",
    ],
    [
      "an unknown format",
      NodeDescriptorSchema,
      { ...SEED_NODE_DESCRIPTOR, format: "ladspa" },
      "E_SCHEMA at format: must be one of builtin, faust, wam, vst3, au, lv2",
    ],
    [
      "a duplicated node id in a discovery result",
      PluginDiscoveryResultSchema,
      { ...SEED_PLUGIN_DISCOVERY_RESULT, nodes: [SEED_NODE_DESCRIPTOR, SEED_NODE_DESCRIPTOR] },
      "E_SCHEMA at nodes[1].node_id: duplicates nodes[0]",
    ],
    [
      "a bad nested descriptor",
      PluginDiscoveryResultSchema,
      { ...SEED_PLUGIN_DISCOVERY_RESULT, nodes: [{ ...SEED_NODE_DESCRIPTOR, latency_samples: 1.5 }] },
      "E_SCHEMA at nodes[0].latency_samples: must be an integer",
    ],
  ])("rejects %s", (_label, schema, message, expected) => {
    expect(rejection(() => parseContract(schema, message)).message).toBe(expected);
  });

  it("keeps unknown extension keys next to named ones", () => {
    const state = parseContract(TransportStateSchema, {
      ...SEED_TRANSPORT_STATE,
      extensions: { position_beats: 8, custom_meter: [0.1, 0.2] },
    });
    expect(state.extensions).toEqual({ position_beats: 8, custom_meter: [0.1, 0.2] });
  });
});

describe("EngineError", () => {
  it("round-trips through the wire form, including through structured clone and JSON", () => {
    const original = new EngineError("E_UNKNOWN_NODE", 'no node named "osc2"', "node_graph.output", [
      { path: "node_graph.output", detail: 'no node named "osc2"' },
    ]);
    for (const wire of [structuredClone(original.toWire()), JSON.parse(JSON.stringify(original.toWire()))]) {
      const rebuilt = EngineError.fromWire(wire);
      expect(rebuilt).toBeInstanceOf(EngineError);
      expect(rebuilt.toWire()).toEqual(original.toWire());
      expect(rebuilt.message).toBe('E_UNKNOWN_NODE at node_graph.output: no node named "osc2"');
    }
  });

  it("formats a message without a path as code: detail", () => {
    expect(new EngineError("E_CLOSED", "the engine client is closed").message).toBe(
      "E_CLOSED: the engine client is closed",
    );
  });

  it.each([
    ["a plain Error", new TypeError("bad"), "E_INTERNAL: TypeError: bad"],
    ["a string", "oops", 'E_INTERNAL: unrecognised error value: "oops"'],
    [
      "an unknown code",
      { name: "EngineError", code: "E_NOPE", path: "", detail: "x" },
      'E_INTERNAL: unrecognised error value: {"name":"EngineError","code":"E_NOPE","path":"","detail":"x"}',
    ],
  ])("turns %s into E_INTERNAL", (_label, value, message) => {
    expect(EngineError.fromWire(value).message).toBe(message);
  });

  it("isEngineError checks the code", () => {
    const error = new EngineError("E_CLOSED", "closed");
    expect(isEngineError(error)).toBe(true);
    expect(isEngineError(error, "E_CLOSED")).toBe(true);
    expect(isEngineError(error, "E_SCHEMA")).toBe(false);
    expect(isEngineError(new Error("E_CLOSED"))).toBe(false);
  });
});
