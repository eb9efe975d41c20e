import { describe, expect, it } from "vitest";
import { ManualClock, recordedMidiEvents } from "../../src/api/index";
import {
  TEST_DOUBLE_FAULT_EXTENSION,
  TEST_DOUBLE_NON_FINITE_EXTENSION,
  TEST_DOUBLE_RAMP_PERIOD,
  TestDoubleEngineClient,
  testDoubleSample,
} from "../../src/testing/index";
import { describeEngineClientContract, NON_FINITE_FRAME } from "../api/engine-client-suite";
import { SEED_RENDER_REQUEST } from "../contracts/fixtures";

describeEngineClientContract("test double", async ({ clock }) => new TestDoubleEngineClient({ clock }), {
  faultyRenderRequest: (request) => ({
    ...request,
    extensions: { [TEST_DOUBLE_FAULT_EXTENSION]: "node filter trapped" },
  }),
  nonFiniteRenderRequest: async (request) => ({
    ...request,
    extensions: { [TEST_DOUBLE_NON_FINITE_EXTENSION]: NON_FINITE_FRAME },
  }),
});

describeEngineClientContract(
  "test double with a 1 s discovery TTL",
  async ({ clock }) => new TestDoubleEngineClient({ clock, discoveryTtlMs: 1000 }),
  { discoveryTtlMs: 1000 },
);

describe("TestDoubleEngineClient specifics", () => {
  it("renders its documented ramp, negated on odd channels", async () => {
    const client = new TestDoubleEngineClient();
    const result = await client.render({
      ...SEED_RENDER_REQUEST,
      duration_seconds: 0.01,
      sample_rate: 44100,
    });
    const [left, right] = await client.readBuffer(result.buffer_handle ?? "");
    expect(result.frames).toBe(441);
    expect(left?.[150]).toBeCloseTo(0.5, 7);
    expect(right?.[150]).toBeCloseTo(-0.5, 7);
    expect(left?.[TEST_DOUBLE_RAMP_PERIOD]).toBe(0);
    expect(testDoubleSample(1, 25)).toBe(-0.25);
  });

  it("discovers the engine's builtins with the engine's parameter ids", async () => {
    const { nodes } = await new TestDoubleEngineClient().discoverNodes();
    const parameterIds = (nodeId: string) =>
      nodes.find((node) => node.node_id === nodeId)?.parameters?.map((parameter) => parameter.id);
    expect(parameterIds("builtin:gain")).toEqual(["gain"]);
    expect(parameterIds("builtin:delay")).toEqual(["time", "feedback", "wet", "dry"]);
    expect(parameterIds("builtin:filter")).toEqual(["mode", "frequency", "q", "gain"]);
    const filter = nodes.find((node) => node.node_id === "builtin:filter");
    expect(filter?.parameters?.[0]?.extensions.choices).toEqual([
      "lowpass",
      "highpass",
      "bandpass",
      "notch",
      "peaking",
      "lowshelf",
      "highshelf",
      "allpass",
    ]);
    const sampler = nodes.find((node) => node.node_id === "builtin:sampler");
    expect(sampler?.parameters?.[0]).toMatchObject({ id: "root_note", default: 60, range: [0, 127] });
    expect(sampler?.extensions).toEqual({ input_channels: 0, is_instrument: true, buffer_slots: ["data"] });
  });

  it("puts the fault message in RenderResult.error as E_RENDER", async () => {
    const client = new TestDoubleEngineClient();
    const result = await client.render({
      ...SEED_RENDER_REQUEST,
      extensions: { [TEST_DOUBLE_FAULT_EXTENSION]: "boom" },
    });
    expect(result.error).toBe("E_RENDER: boom");
  });

  it("plays options.offline false as the real-time host: its own rate only, in real time", async () => {
    const client = new TestDoubleEngineClient({ sampleRate: 44100, clock: new ManualClock(0) });
    const live = { ...SEED_RENDER_REQUEST, options: { offline: false, preroll: 0.5 } };
    const result = await client.render(live);
    expect([result.status, result.frames]).toEqual(["ok", 66150]);
    // 1.5 s and the 0.5 s preroll played, though the manual clock did not move.
    expect(result.processing_time_ms).toBe(2000);
    const offline = await client.render(SEED_RENDER_REQUEST);
    expect(offline.processing_time_ms).toBe(0);
    await expect(client.render({ ...live, sample_rate: 48000 })).rejects.toThrow(
      "E_SCHEMA at sample_rate: must be 44100: a real-time render runs at the audio context's rate",
    );
    await client.close();
  });

  it("getParameter reads params, the catalog default, sets and timed sets once reached; refusals name what is wrong", async () => {
    const clock = new ManualClock();
    const client = new TestDoubleEngineClient({ clock, sampleRate: 48000 });
    await client.loadGraph({
      version: "v1alpha",
      nodes: [
        { name: "osc", node_id: "builtin:oscillator", params: { frequency: 220, waveform: "saw" } },
        { name: "amp", node_id: "builtin:gain", inputs: ["osc"] },
      ],
      output: "amp",
    });
    expect(await client.getParameter("osc", "frequency")).toEqual({ value: 220, frame: 0 });
    expect(await client.getParameter("amp", "gain")).toEqual({ value: 1, frame: 0 });
    // A choice reads as its index (sine, saw, ...).
    expect((await client.getParameter("osc", "waveform")).value).toBe(1);
    await client.setParameter("amp", "gain", 0.25);
    await client.setParameter("amp", "gain", 0.75, { atSeconds: 1 });
    await client.play();
    clock.advance(500);
    expect(await client.getParameter("amp", "gain")).toEqual({ value: 0.25, frame: 24000 });
    clock.advance(600);
    expect(await client.getParameter("amp", "gain")).toEqual({ value: 0.75, frame: 52800 });
    await expect(client.getParameter("nope", "gain")).rejects.toThrow(
      'E_UNKNOWN_NODE at get_parameter.node: no node named "nope" in the loaded graph',
    );
    await expect(client.getParameter("amp", "volume")).rejects.toThrow(
      'E_SCHEMA at get_parameter.parameter_id: unknown parameter "volume" of builtin:gain (known: gain)',
    );
    // A new load forgets the sets made on the graph before.
    await client.loadGraph({
      version: "v1alpha",
      nodes: [{ name: "amp", node_id: "builtin:gain" }],
      output: "amp",
    });
    expect((await client.getParameter("amp", "gain")).value).toBe(1);
  });

  it("advances the playhead with its clock while running, and wraps inside the loop", async () => {
    const clock = new ManualClock();
    const client = new TestDoubleEngineClient({ clock });
    await client.setTempo(120);
    await client.play();
    clock.advance(1500);
    expect(await client.getTransportState()).toMatchObject({
      position_seconds: 1.5,
      extensions: { position_beats: 3 },
    });
    await client.setLoop({ start_seconds: 1, end_seconds: 2 });
    clock.advance(750);
    expect((await client.getTransportState()).position_seconds).toBe(1.25);
    await client.pause();
    clock.advance(5000);
    expect((await client.getTransportState()).position_seconds).toBe(1.25);
  });

  it("records applied commands in order, validated and with defaults", async () => {
    const client = new TestDoubleEngineClient();
    await client.loadGraph(SEED_RENDER_REQUEST.node_graph);
    await client.setParameter("osc", "frequency", 220, { atSeconds: 2 });
    await client.seek(-1).catch(() => undefined);
    await client.scheduleEvents("osc", [{ type: "note", time: 0, duration: 1, note: 60, velocity: 90 }]);
    expect(client.appliedCommands().map((command) => command.type)).toEqual([
      "load_graph",
      "set_parameter",
      "schedule_events",
    ]);
    expect(client.appliedCommands()[1]).toEqual({
      version: "v1alpha",
      type: "set_parameter",
      node: "osc",
      parameter_id: "frequency",
      value: 220,
      at_seconds: 2,
      extensions: {},
    });
    expect(client.appliedCommands()[2]).toMatchObject({ events: [{ timeline: "seconds", channel: 1 }] });
  });

  it("holds no buffers after results are released, and none after close", async () => {
    const client = new TestDoubleEngineClient();
    const result = await client.render({
      ...SEED_RENDER_REQUEST,
      options: { offline: true, preroll: 0, capture: ["osc"] },
    });
    expect(client.heldBuffers()).toHaveLength(2);
    await client.releaseBuffer(result.buffer_handle ?? "");
    await client.releaseBuffer(result.extensions.captures?.osc ?? "");
    expect(client.heldBuffers()).toEqual([]);
    await client.uploadBuffer([new Float32Array(8)], 48000);
    await client.close();
    expect(client.heldBuffers()).toEqual([]);
  });
});

describe("TestDoubleEngineClient: live MIDI and its recording", () => {
  it("records sendMidi on the frames of its clock, and the notes come out with their durations", async () => {
    const clock = new ManualClock();
    const client = new TestDoubleEngineClient({ clock, sampleRate: 48000 });
    await client.loadGraph({
      version: "v1alpha",
      nodes: [{ name: "keys", node_id: "builtin:synth" }],
      output: "keys",
    });
    await expect(client.stopMidiRecording()).rejects.toThrow(
      "E_SCHEMA: no MIDI recording runs: call startMidiRecording first",
    );
    await client.play();
    clock.advance(500);
    await client.startMidiRecording();
    clock.advance(250);
    await client.sendMidi("keys", { type: "note_on", note: 60, velocity: 100 });
    clock.advance(500);
    await client.sendMidi("keys", { type: "note_off", note: 60 });
    await client.sendMidi("keys", { type: "cc", controller: 64, value: 127 }, { atSeconds: 2 });
    clock.advance(250);
    const take = await client.stopMidiRecording();
    expect(take.elapsedFrames).toBe(48000);
    expect(take.events.map((e) => [e.frame, e.elapsedFrames, e.message.type])).toEqual([
      [36000, 12000, "note_on"],
      [60000, 36000, "note_off"],
      [96000, 72000, "cc"],
    ]);
    expect(recordedMidiEvents(take, "keys")).toEqual([
      { type: "note", timeline: "seconds", time: 0.75, duration: 0.5, note: 60, velocity: 100, channel: 1 },
      { type: "cc", timeline: "seconds", time: 2, controller: 64, value: 127, channel: 1 },
    ]);
    expect(client.appliedCommands().filter((c) => c.type === "send_midi")).toHaveLength(3);
  });
});

describe("TestDoubleEngineClient: monitoring while stopped", () => {
  it("keeps the flag setMonitoring sets, refuses anything but a boolean as the real-time host does", async () => {
    const client = new TestDoubleEngineClient();
    expect(client.monitoring).toBe(false);
    await client.setMonitoring(true);
    expect(client.monitoring).toBe(true);
    await expect(client.setMonitoring("yes" as unknown as boolean)).rejects.toThrow(
      'E_SCHEMA at set_monitoring.on: must be a boolean, got "yes"',
    );
    expect(client.monitoring).toBe(true);
    await client.setMonitoring(false);
    expect(client.monitoring).toBe(false);
  });
});
