/**
 * The EngineClient contract suite, written once and run against every implementation: the test double
 * and the in-process host in Node (test/testing, test/hosts/in-process), the Worker and AudioWorklet
 * hosts in Chromium (e2e/contract-suite.spec.ts).
 *
 * @example
 * describeEngineClientContract("in-process", ({ clock }) => createInProcessClient({ clock }));
 *
 * The factory receives a ManualClock and must use it for the discovery cache, so expiry can be tested
 * without sleeping. Everything else is observed through the EngineClient interface only.
 *
 * Why one file of about 560 lines: it is the contract, read top to bottom as one list of rules, and
 * it runs unchanged in Node and in Chromium (e2e/pages/contract.ts), where one module is one import.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_DISCOVERY_TTL_MS, type EngineClient, HOST_KINDS, ManualClock } from "../../src/api/index";
import {
  BUFFER_HANDLE_PATTERN,
  EngineError,
  type ErrorCode,
  type GraphDescriptorInput,
  PluginDiscoveryResultSchema,
  parseContract,
  type RenderRequestInput,
  RenderResultSchema,
  TransportStateSchema,
} from "../../src/contracts";

export interface EngineClientContext {
  clock: ManualClock;
}

export interface EngineClientContractOptions {
  /** The discovery TTL the factory's client uses. Default DEFAULT_DISCOVERY_TTL_MS. */
  discoveryTtlMs?: number;
  /**
   * A request the implementation accepts and then fails to render (status "error"). Omit to skip that
   * check for hosts with no way to provoke a render fault.
   */
  faultyRenderRequest?: (base: RenderRequestInput) => RenderRequestInput;
  /**
   * A request like `base` whose audio holds a NaN at frame NON_FINITE_FRAME, made through `client`
   * (playingNonFinite, for a host that plays uploaded buffers) or by the host's own switch. Omit to
   * skip the non-finite checks.
   */
  nonFiniteRenderRequest?: (base: RenderRequestInput, client: EngineClient) => Promise<RenderRequestInput>;
}

/** Where the audio of a nonFiniteRenderRequest holds its NaN. */
export const NON_FINITE_FRAME = 1000;

/** A nonFiniteRenderRequest for hosts with an engine: a playback of an uploaded buffer holding a NaN. */
export async function playingNonFinite(
  base: RenderRequestInput,
  client: EngineClient,
): Promise<RenderRequestInput> {
  const samples = new Float32Array(base.sample_rate).fill(0.25);
  samples[NON_FINITE_FRAME] = Number.NaN;
  const handle = await client.uploadBuffer([samples], base.sample_rate);
  return {
    ...base,
    node_graph: {
      version: "v1alpha",
      nodes: [{ name: "poisoned", node_id: "builtin:playback", buffers: { data: handle } }],
      output: "poisoned",
    },
  };
}

const GRAPH: GraphDescriptorInput = {
  version: "v1alpha",
  nodes: [
    { name: "osc", node_id: "builtin:oscillator", params: { frequency: 440 } },
    { name: "filter", node_id: "builtin:filter", inputs: ["osc"], params: { mode: "low", frequency: 1000 } },
    { name: "synth", node_id: "builtin:sampler" },
  ],
  output: "filter",
};

function request(overrides: Partial<RenderRequestInput> = {}): RenderRequestInput {
  return {
    version: "v1alpha",
    request_id: "suite-render",
    node_graph: GRAPH,
    duration_seconds: 0.25,
    sample_rate: 48000,
    channels: 2,
    ...overrides,
  };
}

/** Awaits `promise`, expecting an EngineError with this code, path and (optionally) exact message. */
async function expectEngineError(
  promise: Promise<unknown>,
  code: ErrorCode,
  path: string,
  message?: string,
): Promise<EngineError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected ${code} at ${path}`).toBeInstanceOf(EngineError);
  const error = caught as EngineError;
  expect({ code: error.code, path: error.path }).toEqual({ code, path });
  if (message !== undefined) expect(error.message).toBe(message);
  return error;
}

function expectFinite(channels: Float32Array[]): void {
  for (const channel of channels) {
    for (const sample of channel) {
      if (!Number.isFinite(sample)) throw new Error(`non-finite sample ${sample}`);
    }
  }
}

export function describeEngineClientContract(
  name: string,
  makeClient: (context: EngineClientContext) => Promise<EngineClient>,
  options: EngineClientContractOptions = {},
): void {
  const ttlMs = options.discoveryTtlMs ?? DEFAULT_DISCOVERY_TTL_MS;

  describe(`EngineClient contract: ${name}`, () => {
    let clock: ManualClock;
    let client: EngineClient;

    beforeEach(async () => {
      clock = new ManualClock();
      client = await makeClient({ clock });
    });

    afterEach(async () => {
      await client.close();
    });

    it("names its host", () => {
      expect(HOST_KINDS).toContain(client.host);
    });

    describe("transport", () => {
      it("starts stopped at 0 with a valid TransportState", async () => {
        const state = await client.getTransportState();
        expect(() => parseContract(TransportStateSchema, state)).not.toThrow();
        expect(state).toMatchObject({ version: "v1alpha", running: false, position_seconds: 0 });
      });

      it("plays, pauses keeping the position, seeks, and stops back to 0", async () => {
        await client.seek(2.5);
        expect(await client.getTransportState()).toMatchObject({ running: false, position_seconds: 2.5 });
        await client.play();
        expect((await client.getTransportState()).running).toBe(true);
        await client.pause();
        const paused = await client.getTransportState();
        expect(paused.running).toBe(false);
        expect(paused.position_seconds).toBeGreaterThanOrEqual(2.5);
        await client.stop();
        expect(await client.getTransportState()).toMatchObject({ running: false, position_seconds: 0 });
      });

      it("sets and clears the loop, and sets the tempo", async () => {
        await client.setLoop({ start_seconds: 1, end_seconds: 3 });
        expect((await client.getTransportState()).extensions.loop).toEqual({
          start_seconds: 1,
          end_seconds: 3,
        });
        await client.setLoop(null);
        expect((await client.getTransportState()).extensions.loop ?? null).toBeNull();
        await client.setTempo(140);
        expect((await client.getTransportState()).tempo_bpm).toBe(140);
      });

      it("rejects bad transport arguments with code and path, changing nothing", async () => {
        await client.seek(1);
        await client.setTempo(100);
        await expectEngineError(
          client.seek(-1),
          "E_SCHEMA",
          "seek.position_seconds",
          "E_SCHEMA at seek.position_seconds: must be >= 0",
        );
        await expectEngineError(client.seek(Number.NaN), "E_SCHEMA", "seek.position_seconds");
        await expectEngineError(
          client.setLoop({ start_seconds: 4, end_seconds: 4 }),
          "E_SCHEMA",
          "set_loop.loop.end_seconds",
          "E_SCHEMA at set_loop.loop.end_seconds: must be > start_seconds",
        );
        await expectEngineError(
          client.setTempo(0),
          "E_SCHEMA",
          "set_tempo.bpm",
          "E_SCHEMA at set_tempo.bpm: must be > 0",
        );
        await expectEngineError(
          client.setTempo(120, { rampSeconds: -1 }),
          "E_SCHEMA",
          "set_tempo.ramp_seconds",
        );
        expect(await client.getTransportState()).toMatchObject({ position_seconds: 1, tempo_bpm: 100 });
      });
    });

    describe("graph, parameters and events", () => {
      it("accepts a graph, then parameters and MIDI for its nodes", async () => {
        await client.loadGraph(GRAPH);
        await client.setParameter("filter", "frequency", 1200);
        await client.setParameter("filter", "mode", "high", { atSeconds: 1 });
        await client.scheduleEvents("synth", [
          { type: "note", time: 0, duration: 0.5, note: 60, velocity: 100 },
          { type: "cc", timeline: "beats", time: 1, controller: 1, value: 64 },
          { type: "pitch_bend", time: 0.25, value: -8192, channel: 2 },
        ]);
      });

      it("rejects parameters and events for a node that is not loaded", async () => {
        await expectEngineError(
          client.setParameter("filter", "frequency", 1),
          "E_UNKNOWN_NODE",
          "set_parameter.node",
        );
        await client.loadGraph(GRAPH);
        await expectEngineError(
          client.setParameter("ghost", "frequency", 1),
          "E_UNKNOWN_NODE",
          "set_parameter.node",
          'E_UNKNOWN_NODE at set_parameter.node: no node named "ghost" in the loaded graph',
        );
        await expectEngineError(
          client.scheduleEvents("ghost", [{ type: "note", time: 0, duration: 1, note: 60, velocity: 1 }]),
          "E_UNKNOWN_NODE",
          "schedule_events.node",
        );
      });

      it("rejects malformed parameters and events with the path of the bad field", async () => {
        await client.loadGraph(GRAPH);
        await expectEngineError(
          client.setParameter("filter", "frequency", Number.POSITIVE_INFINITY),
          "E_SCHEMA",
          "set_parameter.value",
        );
        await expectEngineError(
          client.setParameter("filter", "frequency", 1, { atSeconds: -2 }),
          "E_SCHEMA",
          "set_parameter.at_seconds",
          "E_SCHEMA at set_parameter.at_seconds: must be >= 0",
        );
        await expectEngineError(
          client.scheduleEvents("synth", [
            { type: "note", time: 0, duration: 1, note: 60, velocity: 100 },
            { type: "note", time: 1, duration: 1, note: 200, velocity: 100 },
          ]),
          "E_SCHEMA",
          "schedule_events.events[1].note",
          "E_SCHEMA at schedule_events.events[1].note: must be <= 127",
        );
        await expectEngineError(client.scheduleEvents("synth", []), "E_SCHEMA", "schedule_events.events");
      });

      it("plays live MIDI into an instrument now or at a time; hosts without a clock refuse it", async () => {
        await client.loadGraph(GRAPH);
        // in-process and worker have no real-time clock: they check the call, then name the host that plays it.
        const clockless = client.host === "in-process" || client.host === "worker";
        const calls = [
          () => client.sendMidi("synth", { type: "note_on", note: 60, velocity: 100 }),
          () => client.sendMidi("synth", { type: "note_off", note: 60, channel: 2 }, { atSeconds: 1 }),
          () => client.sendMidi("synth", { type: "note_off", note: 61 }), // not on: harmless
          () => client.sendMidi("synth", { type: "cc", controller: 64, value: 127 }),
          () => client.sendMidi("synth", { type: "pitch_bend", value: -8192 }),
          () => client.sendMidi("synth", { type: "all_notes_off" }),
        ];
        for (const call of calls) {
          if (!clockless) await call();
          else {
            const error = await expectEngineError(call(), "E_HOST_UNAVAILABLE", "");
            expect(error.message).toContain("audioworklet");
          }
        }
      });

      it("rejects live MIDI for a node that is not loaded or takes no MIDI, and malformed messages", async () => {
        await expectEngineError(
          client.sendMidi("synth", { type: "note_on", note: 60, velocity: 100 }),
          "E_UNKNOWN_NODE",
          "send_midi.node",
          "E_UNKNOWN_NODE at send_midi.node: no graph is loaded",
        );
        await client.loadGraph(GRAPH);
        await expectEngineError(
          client.sendMidi("ghost", { type: "note_on", note: 60, velocity: 100 }),
          "E_UNKNOWN_NODE",
          "send_midi.node",
          'E_UNKNOWN_NODE at send_midi.node: no node named "ghost" in the loaded graph',
        );
        const filter = await expectEngineError(
          client.sendMidi("filter", { type: "note_on", note: 60, velocity: 100 }),
          "E_SCHEMA",
          "send_midi.node",
        );
        expect(filter.detail).toMatch(/^node "filter" \(builtin:filter\) takes no MIDI/);
        await expectEngineError(
          client.sendMidi("synth", { type: "note_on", note: 128, velocity: 100 }),
          "E_SCHEMA",
          "send_midi.message.note",
          "E_SCHEMA at send_midi.message.note: must be <= 127",
        );
        await expectEngineError(
          client.sendMidi("synth", { type: "note_on", note: 60, velocity: 0 }),
          "E_SCHEMA",
          "send_midi.message.velocity",
          "E_SCHEMA at send_midi.message.velocity: must be >= 1",
        );
        await expectEngineError(
          client.sendMidi("synth", { type: "note_off", note: 60, channel: 17 }),
          "E_SCHEMA",
          "send_midi.message.channel",
        );
        await expectEngineError(
          client.sendMidi("synth", { type: "pitch_bend", value: 8192 }),
          "E_SCHEMA",
          "send_midi.message.value",
        );
        await expectEngineError(
          client.sendMidi("synth", { type: "note" } as unknown as { type: "note_off"; note: number }),
          "E_SCHEMA",
          "send_midi.message.type",
        );
        await expectEngineError(
          client.sendMidi("synth", { type: "note_off", note: 60 }, { atSeconds: -1 }),
          "E_SCHEMA",
          "send_midi.at_seconds",
          "E_SCHEMA at send_midi.at_seconds: must be >= 0",
        );
      });

      it("schedules automation live: web_audio calls append, other kinds replace the lane", async () => {
        await expectEngineError(
          client.scheduleAutomation("filter", "frequency", {
            kind: "web_audio",
            events: [{ type: "setValueAtTime", value: 500, time: 0 }],
          }),
          "E_UNKNOWN_NODE",
          "schedule_automation.node",
        );
        await client.loadGraph(GRAPH);
        await client.scheduleAutomation("filter", "frequency", {
          kind: "web_audio",
          events: [{ type: "setValueCurveAtTime", values: [500, 2000], time: 1, duration: 1 }],
        });
        await client.scheduleAutomation("filter", "frequency", {
          kind: "web_audio",
          events: [
            { type: "linearRampToValueAtTime", value: 800, time: 3 },
            { type: "cancelAndHoldAtTime", cancelTime: 2.5 },
          ],
        });
        // Appended after the lane's curve (1 s to 2 s): inside it is Web Audio's NotSupportedError.
        await expectEngineError(
          client.scheduleAutomation("filter", "frequency", {
            kind: "web_audio",
            events: [
              { type: "setValueAtTime", value: 700, time: 4 },
              { type: "setValueAtTime", value: 700, time: 1.5 },
            ],
          }),
          "E_SCHEMA",
          "schedule_automation.automation.events[1].time",
        );
        await client.scheduleAutomation("filter", "frequency", {
          kind: "breakpoints",
          timeline: "beats",
          points: [
            { time: 0, value: 300 },
            { time: 4, value: 3000, curve: "exponential" },
          ],
        });
        // A breakpoints lane takes no Web Audio calls until a replace.
        await expectEngineError(
          client.scheduleAutomation("filter", "frequency", {
            kind: "web_audio",
            events: [{ type: "setValueAtTime", value: 500, time: 0 }],
          }),
          "E_SCHEMA",
          "schedule_automation.mode",
        );
        await client.scheduleAutomation(
          "filter",
          "frequency",
          { kind: "web_audio", events: [{ type: "cancelScheduledValues", cancelTime: 0 }] },
          { mode: "replace" },
        );
      });

      it("rejects malformed automation calls with the path of the bad field, changing nothing", async () => {
        await client.loadGraph(GRAPH);
        await expectEngineError(
          client.scheduleAutomation("ghost", "frequency", {
            kind: "web_audio",
            events: [{ type: "setValueAtTime", value: 1, time: 0 }],
          }),
          "E_UNKNOWN_NODE",
          "schedule_automation.node",
        );
        await expectEngineError(
          client.scheduleAutomation("filter", "cutoff", {
            kind: "web_audio",
            events: [{ type: "setValueAtTime", value: 1, time: 0 }],
          }),
          "E_SCHEMA",
          "schedule_automation.parameter_id",
        );
        await expectEngineError(
          client.scheduleAutomation("filter", "frequency", {
            kind: "web_audio",
            events: [
              { type: "setValueAtTime", value: 500, time: 0 },
              { type: "linearRampToValueAtTime", value: 900, time: 1 },
              { type: "exponentialRampToValueAtTime", value: 0, time: 2 },
            ],
          }),
          "E_SCHEMA",
          "schedule_automation.automation.events[2].value",
          "E_SCHEMA at schedule_automation.automation.events[2].value: must not be 0: exponentialRampToValueAtTime throws RangeError for 0",
        );
        await expectEngineError(
          client.scheduleAutomation("filter", "frequency", { kind: "breakpoints", points: [] }),
          "E_SCHEMA",
          "schedule_automation.automation.points",
        );
        await expectEngineError(
          client.scheduleAutomation(
            "filter",
            "frequency",
            { kind: "breakpoints", points: [{ time: 0, value: 1 }] },
            { mode: "append" },
          ),
          "E_SCHEMA",
          "schedule_automation.mode",
        );
        await expectEngineError(
          client.scheduleAutomation("filter", "frequency", {
            kind: "audio_rate",
            values: new Array(65_537).fill(1000),
          }),
          "E_LIMIT",
          "schedule_automation.automation.values",
        );
        // Nothing was taken: the lane is empty, so Web Audio calls still append to it.
        await client.scheduleAutomation("filter", "frequency", {
          kind: "web_audio",
          events: [{ type: "setValueCurveAtTime", values: [500, 2000], time: 1, duration: 1 }],
        });
      });

      it("keeps the loaded graph when a new one is rejected", async () => {
        await client.loadGraph(GRAPH);
        const cyclic: GraphDescriptorInput = {
          version: "v1alpha",
          nodes: [
            { name: "a", node_id: "builtin:gain", inputs: ["b"] },
            { name: "b", node_id: "builtin:gain", inputs: ["a"] },
          ],
          output: "b",
        };
        await expectEngineError(
          client.loadGraph(cyclic),
          "E_GRAPH_CYCLE",
          "load_graph.graph.nodes[0]",
          "E_GRAPH_CYCLE at load_graph.graph.nodes[0]: cycle a -> b -> a",
        );
        await expectEngineError(
          client.loadGraph({
            ...GRAPH,
            nodes: [{ name: "x", node_id: "builtin:playback", buffers: { data: "buf:none" } }],
            output: "x",
          }),
          "E_UNKNOWN_HANDLE",
          "load_graph.graph.nodes[0].buffers.data",
        );
        await expectEngineError(
          client.loadGraph({ ...GRAPH, output: "" }),
          "E_SCHEMA",
          "load_graph.graph.output",
        );
        await client.setParameter("filter", "frequency", 900);
      });
    });

    describe("render", () => {
      it("renders round(duration_seconds * sample_rate) frames of the requested channels", async () => {
        const result = await client.render(
          request({ duration_seconds: 0.1, sample_rate: 44100, channels: 3 }),
        );
        expect(() => parseContract(RenderResultSchema, result)).not.toThrow();
        expect(result).toMatchObject({
          version: "v1alpha",
          request_id: "suite-render",
          status: "ok",
          error: null,
          frames: 4410,
        });
        expect(result.processing_time_ms).toBeGreaterThanOrEqual(0);
        expect(result.buffer_handle).toMatch(BUFFER_HANDLE_PATTERN);
        const channels = await client.readBuffer(result.buffer_handle ?? "");
        expect(channels.map((channel) => channel.length)).toEqual([4410, 4410, 4410]);
        expectFinite(channels);
      });

      it("renders a length in beats on the graph's tempo map", async () => {
        const result = await client.render(
          request({
            node_graph: {
              ...GRAPH,
              tempo: {
                map: [
                  { beat: 0, bpm: 120, curve: "step" },
                  { beat: 2, bpm: 60, curve: "step" },
                ],
              },
            },
            duration_seconds: null,
            duration_beats: 4,
            sample_rate: 8000,
            channels: 1,
          }),
        );
        // 2 beats at 120 bpm (1 s) + 2 beats at 60 bpm (2 s) = 3 s.
        expect(result.frames).toBe(24000);
        expect((await client.readBuffer(result.buffer_handle ?? ""))[0]?.length).toBe(24000);
      });

      it("returns a capture per captured node, each with the render's frames", async () => {
        const result = await client.render(
          request({
            node_graph: {
              ...GRAPH,
              nodes: GRAPH.nodes.map((node) => (node.name === "osc" ? { ...node, capture: true } : node)),
            },
            options: { offline: true, preroll: 0, capture: ["synth"] },
          }),
        );
        const captures = result.extensions.captures ?? {};
        expect(Object.keys(captures).sort()).toEqual(["osc", "synth"]);
        for (const handle of Object.values(captures)) {
          const channels = await client.readBuffer(handle);
          expect(channels.map((channel) => channel.length)).toEqual([result.frames, result.frames]);
        }
      });

      it("reports progress and stops early on abort with status partial, keeping the frames rendered", async () => {
        // Long enough that an abort sent from the first progress report reaches a host in another
        // thread before the render ends: there it travels a round trip (a few ms) while the render
        // goes on, and this graph renders a couple of thousand times faster than real time (120 s in
        // about 60 ms). On a starved machine the page's thread can be descheduled that long, and the
        // render ends whole first (a CI run saw it once): up to three tries, one of which must stop.
        const renderAborted = async () => {
          const controller = new AbortController();
          const progress: number[] = [];
          const result = await client.render(
            request({ duration_seconds: 120, sample_rate: 48000, channels: 1 }),
            {
              signal: controller.signal,
              onProgress: ({ request_id, frames_rendered, frames_total }) => {
                expect(request_id).toBe("suite-render");
                expect(frames_total).toBe(5_760_000);
                progress.push(frames_rendered);
                controller.abort();
              },
            },
          );
          expect(progress.length).toBeGreaterThanOrEqual(1);
          return result;
        };
        let result = await renderAborted();
        for (let tries = 1; tries < 3 && result.status === "ok"; tries++) {
          // Ended before the abort arrived: whole, as an unaborted render is.
          expect(result.frames).toBe(5_760_000);
          if (result.buffer_handle) await client.releaseBuffer(result.buffer_handle);
          result = await renderAborted();
        }
        expect(result.status).toBe("partial");
        expect(result.frames).toBeGreaterThan(0);
        expect(result.frames).toBeLessThan(5_760_000);
        expect((await client.readBuffer(result.buffer_handle ?? ""))[0]?.length).toBe(result.frames);
      });

      it("returns partial with 0 frames for an already-aborted signal", async () => {
        const controller = new AbortController();
        controller.abort();
        const result = await client.render(request(), { signal: controller.signal });
        expect(result).toMatchObject({ status: "partial", frames: 0 });
      });

      if (options.faultyRenderRequest !== undefined) {
        const faulty = options.faultyRenderRequest;
        it("reports a failure during rendering as status error, and keeps working", async () => {
          const result = await client.render(faulty(request()));
          expect(() => parseContract(RenderResultSchema, result)).not.toThrow();
          expect(result).toMatchObject({ status: "error", buffer_handle: null, frames: 0 });
          expect(result.error).toMatch(/^E_RENDER/);
          expect((await client.render(request())).status).toBe("ok");
        });
      }

      if (options.nonFiniteRenderRequest !== undefined) {
        const poisoned = options.nonFiniteRenderRequest;
        it('fails a render whose audio held NaN, unless options.non_finite is "replace"; never returns one', async () => {
          const input = await poisoned(request(), client);
          const failed = await client.render(input);
          expect(() => parseContract(RenderResultSchema, failed)).not.toThrow();
          expect(failed).toMatchObject({ status: "error", buffer_handle: null, frames: 0 });
          expect(failed.error).toMatch(
            new RegExp(
              `^E_RENDER: \\d+ non-finite samples \\(NaN or ±Infinity\\) from frame ${NON_FINITE_FRAME}, in the output`,
            ),
          );
          expect(failed.extensions.non_finite).toMatchObject({ first_frame: NON_FINITE_FRAME });

          const kept = await client.render({
            ...input,
            options: { offline: true, preroll: 0, non_finite: "replace" },
          });
          expect(kept).toMatchObject({ status: "ok", frames: 12000 });
          expect(kept.extensions.non_finite).toMatchObject({ first_frame: NON_FINITE_FRAME });
          const channels = await client.readBuffer(kept.buffer_handle ?? "");
          expectFinite(channels);
          expect(channels.map((channel) => channel[NON_FINITE_FRAME])).toEqual(channels.map(() => 0));
          // A clean render reports nothing.
          expect((await client.render(request())).extensions).not.toHaveProperty("non_finite");
        });
      }

      it("rejects a request it does not accept, with code and path", async () => {
        await expectEngineError(
          client.render(request({ channels: 0 })),
          "E_SCHEMA",
          "channels",
          "E_SCHEMA at channels: must be >= 1",
        );
        await expectEngineError(
          client.render(request({ node_graph: { ...GRAPH, output: "ghost" } })),
          "E_UNKNOWN_NODE",
          "node_graph.output",
        );
        await expectEngineError(
          client.render(request({ options: { offline: true, preroll: 0, capture: ["ghost"] } })),
          "E_UNKNOWN_NODE",
          "options.capture[0]",
        );
        await expectEngineError(
          client.render(
            request({
              node_graph: {
                ...GRAPH,
                nodes: [{ name: "p", node_id: "builtin:playback", buffers: { data: "buf:missing" } }],
                output: "p",
              },
            }),
          ),
          "E_UNKNOWN_HANDLE",
          "node_graph.nodes[0].buffers.data",
          'E_UNKNOWN_HANDLE at node_graph.nodes[0].buffers.data: no buffer "buf:missing" (never issued, or released)',
        );
        await expectEngineError(client.render(request({ duration_beats: 4 })), "E_SCHEMA", "duration_beats");
      });
    });

    describe("buffers", () => {
      it("uploads a copy, reads a copy back, and renders from the handle", async () => {
        const left = Float32Array.from([0, 0.25, 0.5, 0.75]);
        const right = Float32Array.from([0, -0.25, -0.5, -0.75]);
        const handle = await client.uploadBuffer([left, right], 48000);
        expect(handle).toMatch(BUFFER_HANDLE_PATTERN);
        left[0] = 9;
        const read = await client.readBuffer(handle);
        expect(read.map((channel) => Array.from(channel))).toEqual([
          [0, 0.25, 0.5, 0.75],
          [0, -0.25, -0.5, -0.75],
        ]);
        (read[0] as Float32Array)[1] = 9;
        expect(Array.from((await client.readBuffer(handle))[0] ?? [])).toEqual([0, 0.25, 0.5, 0.75]);
        const result = await client.render(
          request({
            node_graph: {
              version: "v1alpha",
              nodes: [{ name: "p", node_id: "builtin:playback", buffers: { data: handle } }],
              output: "p",
            },
          }),
        );
        expect(result.status).toBe("ok");
      });

      it("makes a handle unknown after release: read and release again are E_UNKNOWN_HANDLE naming it", async () => {
        const result = await client.render(request());
        const handle = result.buffer_handle ?? "";
        await client.releaseBuffer(handle);
        const error = await expectEngineError(client.readBuffer(handle), "E_UNKNOWN_HANDLE", "handle");
        expect(error.message).toContain(handle);
        await expectEngineError(client.releaseBuffer(handle), "E_UNKNOWN_HANDLE", "handle");
      });

      it("keeps other handles readable when one is released or a call fails", async () => {
        const keep = await client.uploadBuffer([new Float32Array([1, 2, 3])], 8000);
        const drop = await client.uploadBuffer([new Float32Array([4])], 8000);
        await client.releaseBuffer(drop);
        await expectEngineError(client.render(request({ channels: -1 })), "E_SCHEMA", "channels");
        expect(Array.from((await client.readBuffer(keep))[0] ?? [])).toEqual([1, 2, 3]);
      });

      it("rejects malformed handles and uploads with code and path", async () => {
        await expectEngineError(
          client.readBuffer(""),
          "E_SCHEMA",
          "handle",
          "E_SCHEMA at handle: must not be empty",
        );
        // Any non-empty string is a handle on the wire (as in the v1alpha seed); unknown ones are named.
        await expectEngineError(
          client.readBuffer("not-a-handle"),
          "E_UNKNOWN_HANDLE",
          "handle",
          'E_UNKNOWN_HANDLE at handle: no buffer "not-a-handle" (never issued, or released)',
        );
        await expectEngineError(client.readBuffer("buf:never-issued"), "E_UNKNOWN_HANDLE", "handle");
        await expectEngineError(
          client.uploadBuffer([], 48000),
          "E_SCHEMA",
          "upload.channels",
          "E_SCHEMA at upload.channels: must have at least 1 item",
        );
        await expectEngineError(
          client.uploadBuffer([new Float32Array(480), new Float32Array(479)], 48000),
          "E_SCHEMA",
          "upload.channels[1]",
          "E_SCHEMA at upload.channels[1]: must have 480 frames, as channels[0] (has 479)",
        );
        await expectEngineError(
          client.uploadBuffer([[0, 1] as unknown as Float32Array], 48000),
          "E_SCHEMA",
          "upload.channels[0]",
          "E_SCHEMA at upload.channels[0]: must be a Float32Array",
        );
        await expectEngineError(
          client.uploadBuffer([new Float32Array(1)], 100),
          "E_SCHEMA",
          "upload.sample_rate",
        );
        await expectEngineError(
          client.uploadBuffer(
            Array.from({ length: 33 }, () => new Float32Array(1)),
            48000,
          ),
          "E_LIMIT",
          "upload.channels",
          "E_LIMIT at upload.channels: needs 33 channels, over the limit channels = 32 channels: " +
            "channels of a render's result or of an uploaded buffer",
        );
      });
    });

    describe("discovery", () => {
      it("returns a valid PluginDiscoveryResult with unique node ids", async () => {
        const result = await client.discoverNodes();
        expect(() => parseContract(PluginDiscoveryResultSchema, result)).not.toThrow();
        expect(result.nodes.length).toBeGreaterThan(0);
        expect(new Set(result.nodes.map((node) => node.node_id)).size).toBe(result.nodes.length);
      });

      it("answers from the cache until the TTL passes", async () => {
        const first = await client.discoverNodes();
        clock.advance(ttlMs - 1);
        expect((await client.discoverNodes()).discovery_id).toBe(first.discovery_id);
        clock.advance(1);
        const second = await client.discoverNodes();
        expect(second.discovery_id).not.toBe(first.discovery_id);
        expect((await client.discoverNodes()).discovery_id).toBe(second.discovery_id);
      });

      it("rescans after invalidateDiscovery and for maxAgeMs 0", async () => {
        const first = await client.discoverNodes();
        await client.invalidateDiscovery();
        const second = await client.discoverNodes();
        expect(second.discovery_id).not.toBe(first.discovery_id);
        const third = await client.discoverNodes({ maxAgeMs: 0 });
        expect(third.discovery_id).not.toBe(second.discovery_id);
      });

      it("honours maxAgeMs below the TTL", async () => {
        const first = await client.discoverNodes();
        clock.advance(1000);
        expect((await client.discoverNodes({ maxAgeMs: 1001 })).discovery_id).toBe(first.discovery_id);
        expect((await client.discoverNodes({ maxAgeMs: 1000 })).discovery_id).not.toBe(first.discovery_id);
      });

      it("rejects a negative maxAgeMs", async () => {
        await expectEngineError(client.discoverNodes({ maxAgeMs: -1 }), "E_SCHEMA", "options.maxAgeMs");
      });

      // A root none of the hosts can describe: a missing module (browser hosts: 404), a WAM root in
      // Node.js (in-process), any root without a scanner (test double). It is a failure, not an error.
      const MISSING_ROOT = { kind: "wam-module", url: "/e2e/fixtures/does-not-exist.js" } as const;

      it("reports a failing discovery root in extensions.failures and still lists the other nodes", async () => {
        const before = await client.discoverNodes();
        await client.addDiscoveryRoot(MISSING_ROOT);
        const result = await client.discoverNodes();
        expect(() => parseContract(PluginDiscoveryResultSchema, result)).not.toThrow();
        expect(result.discovery_id).not.toBe(before.discovery_id);
        expect(result.nodes.map((node) => node.node_id)).toEqual(before.nodes.map((node) => node.node_id));
        const failures = result.extensions.failures ?? [];
        expect(failures.filter((failure) => failure.path.includes("does-not-exist.js"))).toHaveLength(1);
        expect(failures[0]?.error).toMatch(/^E_[A-Z_]+( at [^:]+)?: /);
        expect(result.scanned_paths.some((path) => path.includes("does-not-exist.js"))).toBe(true);
        expect(await client.listDiscoveryRoots()).toEqual([MISSING_ROOT]);
      });

      it("invalidates one root or all, and removes roots", async () => {
        await client.addDiscoveryRoot(MISSING_ROOT);
        const first = await client.discoverNodes();
        expect((await client.discoverNodes()).discovery_id).toBe(first.discovery_id);
        await client.invalidateDiscovery(MISSING_ROOT);
        const second = await client.discoverNodes();
        expect(second.discovery_id).not.toBe(first.discovery_id);
        await client.invalidateDiscovery("wam-module:/e2e/fixtures/does-not-exist.js");
        expect((await client.discoverNodes()).discovery_id).not.toBe(second.discovery_id);
        await expectEngineError(client.invalidateDiscovery("faust-url:/nowhere/"), "E_SCHEMA", "root");
        expect(await client.removeDiscoveryRoot(MISSING_ROOT)).toBe(true);
        expect(await client.removeDiscoveryRoot(MISSING_ROOT)).toBe(false);
        expect(await client.listDiscoveryRoots()).toEqual([]);
        const after = await client.discoverNodes();
        expect(
          (after.extensions.failures ?? []).some((failure) => failure.path.includes("does-not-exist")),
        ).toBe(false);
      });

      it("rejects a bad discovery root with E_SCHEMA at its field", async () => {
        await expectEngineError(
          client.addDiscoveryRoot({ kind: "wam-everything", url: "/x" } as never),
          "E_SCHEMA",
          "root.kind",
        );
        await expectEngineError(
          client.addDiscoveryRoot({ kind: "wam-index", url: "" } as never),
          "E_SCHEMA",
          "root.url",
        );
        expect(await client.listDiscoveryRoots()).toEqual([]);
      });
    });

    describe("close", () => {
      it("rejects every call with E_CLOSED afterwards, and closing twice is fine", async () => {
        const handle = await client.uploadBuffer([new Float32Array(4)], 48000);
        await client.close();
        await client.close();
        const calls: [string, () => Promise<unknown>][] = [
          ["getTransportState", () => client.getTransportState()],
          ["play", () => client.play()],
          ["pause", () => client.pause()],
          ["stop", () => client.stop()],
          ["seek", () => client.seek(1)],
          ["setLoop", () => client.setLoop(null)],
          ["setTempo", () => client.setTempo(120)],
          ["loadGraph", () => client.loadGraph(GRAPH)],
          ["setParameter", () => client.setParameter("filter", "q", 1)],
          [
            "scheduleAutomation",
            () =>
              client.scheduleAutomation("filter", "q", {
                kind: "web_audio",
                events: [{ type: "setValueAtTime", value: 1, time: 0 }],
              }),
          ],
          [
            "scheduleEvents",
            () => client.scheduleEvents("synth", [{ type: "cc", time: 0, controller: 1, value: 1 }]),
          ],
          ["sendMidi", () => client.sendMidi("synth", { type: "note_off", note: 60 })],
          ["render", () => client.render(request())],
          ["readBuffer", () => client.readBuffer(handle)],
          ["releaseBuffer", () => client.releaseBuffer(handle)],
          ["uploadBuffer", () => client.uploadBuffer([new Float32Array(1)], 48000)],
          ["discoverNodes", () => client.discoverNodes()],
          ["invalidateDiscovery", () => client.invalidateDiscovery()],
          ["addDiscoveryRoot", () => client.addDiscoveryRoot({ kind: "wam-module", url: "/x.js" })],
          ["removeDiscoveryRoot", () => client.removeDiscoveryRoot("wam-module:/x.js")],
          ["listDiscoveryRoots", () => client.listDiscoveryRoots()],
        ];
        for (const [method, call] of calls) {
          const error = await call().then(
            () => undefined,
            (caught: unknown) => caught,
          );
          expect(error, method).toBeInstanceOf(EngineError);
          expect((error as EngineError).code, method).toBe("E_CLOSED");
        }
      });
    });

    it("keeps answering after a run of rejected calls", async () => {
      const bad: Promise<unknown>[] = [
        client.seek(-5),
        client.render({} as RenderRequestInput),
        client.render(null as unknown as RenderRequestInput),
        client.loadGraph({ nodes: "osc" } as unknown as GraphDescriptorInput),
        client.readBuffer(42 as unknown as string),
        client.scheduleEvents("x", "note" as unknown as []),
      ];
      for (const call of bad) await expect(call).rejects.toBeInstanceOf(EngineError);
      expect((await client.getTransportState()).running).toBe(false);
      expect((await client.render(request())).status).toBe("ok");
    });
  });
}
