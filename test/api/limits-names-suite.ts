/**
 * Limits and names, the same in every host: the test double and the in-process host in Node
 * (test/testing, test/hosts/in-process), the Worker and AudioWorklet hosts in Chromium
 * (e2e/limits-names.spec.ts). A limit is E_LIMIT naming the limit, its value and what the input
 * needs (docs/reliability.md, "Limits"); a reserved name is E_SCHEMA at its field, never dropped
 * ("Names"). Written with describe / it / beforeEach / afterEach / expect only, so the browser shim
 * runs it unchanged.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type EngineClient, ManualClock } from "../../src/api/index";
import {
  EngineError,
  type ErrorCode,
  type GraphDescriptorInput,
  type GraphNodeInput,
  type RenderRequestInput,
} from "../../src/contracts";

export interface LimitsNamesOptions {
  /** The client's held handles, where it can list them (leak checks). */
  heldBuffers?: (client: EngineClient) => string[];
  /**
   * "played" for the real-time host: scheduled events go to the audio thread and are forgotten once
   * played, so they are bounded by the timed-command backlog, not counted into the graph's events.
   * Default "recorded": the host adds them to the graph it renders.
   */
  scheduledEvents?: "recorded" | "played";
}

/** A chain src -> n1 -> ... -> n<length-1> of gains after an oscillator. */
export function chainGraph(length: number): GraphDescriptorInput {
  const nodes: GraphNodeInput[] = [{ name: "n0", node_id: "builtin:oscillator" }];
  for (let i = 1; i < length; i++)
    nodes.push({ name: `n${i}`, node_id: "builtin:gain", inputs: [`n${i - 1}`] });
  return { version: "v1alpha", nodes, output: `n${length - 1}` };
}

const OSC: GraphDescriptorInput = {
  version: "v1alpha",
  nodes: [{ name: "osc", node_id: "builtin:oscillator" }],
  output: "osc",
};

function request(
  graph: GraphDescriptorInput,
  overrides: Partial<RenderRequestInput> = {},
): RenderRequestInput {
  return {
    version: "v1alpha",
    request_id: "limits",
    node_graph: graph,
    duration_seconds: 0.01,
    sample_rate: 48000,
    channels: 1,
    ...overrides,
  };
}

/** An object with an own "__proto__" key, as JSON.parse makes it (a literal would set the prototype). */
function withProtoKey<T>(value: T): Record<string, T> {
  return JSON.parse(`{"__proto__": ${JSON.stringify(value)}}`) as Record<string, T>;
}

async function rejection(promise: Promise<unknown>): Promise<EngineError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    return error as EngineError;
  }
  throw new Error("expected the call to reject");
}

async function expectError(promise: Promise<unknown>, code: ErrorCode, path: string, message?: string) {
  const error = await rejection(promise);
  expect({ code: error.code, path: error.path }).toEqual({ code, path });
  if (message !== undefined) expect(error.message).toBe(message);
}

export function describeLimitsAndNames(
  name: string,
  makeClient: (context: { clock: ManualClock }) => Promise<EngineClient>,
  options: LimitsNamesOptions = {},
): void {
  describe(`limits and names: ${name}`, () => {
    let client: EngineClient;

    beforeEach(async () => {
      client = await makeClient({ clock: new ManualClock() });
    });

    afterEach(async () => {
      await client.close();
    });

    it("refuses a chain longer than graphNodes with E_LIMIT, not a stack overflow, and keeps working", async () => {
      const message =
        "E_LIMIT at node_graph.nodes: needs 8,000 nodes, over the limit graphNodes = 4,096 nodes: nodes in one graph";
      await expectError(client.render(request(chainGraph(8000))), "E_LIMIT", "node_graph.nodes", message);
      await expectError(client.loadGraph(chainGraph(4097)), "E_LIMIT", "load_graph.graph.nodes");
      expect((await client.render(request(OSC))).status).toBe("ok");
    });

    it("refuses a chain deeper than graphDepth, and accepts one at the limit", async () => {
      await expectError(
        client.render(request(chainGraph(1025))),
        "E_LIMIT",
        "node_graph.nodes[1024].inputs",
        'E_LIMIT at node_graph.nodes[1024].inputs: needs 1,025 nodes (the chain of inputs that ends at "n1024"), ' +
          "over the limit graphDepth = 1,024 nodes: longest chain of inputs in one graph (a builtin:delay starts a new chain)",
      );
      expect((await client.render(request(chainGraph(1024)))).status).toBe("ok");
    });

    it("refuses render lengths, positions and channels over their limits, at their fields", async () => {
      await expectError(
        client.render(request(OSC, { channels: 33 })),
        "E_LIMIT",
        "channels",
        "E_LIMIT at channels: needs 33 channels, over the limit channels = 32 channels: " +
          "channels of a render's result or of an uploaded buffer",
      );
      await expectError(
        client.render(request(OSC, { duration_seconds: 3600.5 })),
        "E_LIMIT",
        "duration_seconds",
      );
      await expectError(
        client.render(request(OSC, { duration_seconds: null, duration_beats: 7202 })),
        "E_LIMIT",
        "duration_beats",
        "E_LIMIT at duration_beats: needs 3,601 s (7,202 beats on the graph's tempo), over the limit " +
          "renderSeconds = 3,600 s: duration of one render (duration_seconds, or the seconds of duration_beats)",
      );
      await expectError(
        client.render(request(OSC, { start_position_seconds: 86_401 })),
        "E_LIMIT",
        "start_position_seconds",
      );
      await expectError(
        client.render(request(OSC, { options: { preroll: 601 } })),
        "E_LIMIT",
        "options.preroll",
      );
      // An hour at 96 kHz in stereo is 691,200,000 samples, over renderSamples.
      await expectError(
        client.render(request(OSC, { duration_seconds: 3600, sample_rate: 96000, channels: 2 })),
        "E_LIMIT",
        "duration_seconds",
        "E_LIMIT at duration_seconds: needs 691,200,000 samples (345,600,000 frames × 2 channels, for the " +
          "output alone), over the limit renderSamples = 268,435,456 samples: frames × channels a render " +
          "returns, output and captures together",
      );
    });

    it(
      options.scheduledEvents === "played"
        ? "plays scheduled events beside a full graph, refusing a call larger than the timed backlog"
        : "counts scheduled events against graphEvents, together with the graph's own",
      async () => {
        const events = Array.from({ length: 262_100 }, (_, i) => ({
          type: "cc" as const,
          time: i / 1000,
          controller: 1,
          value: i % 128,
        }));
        await client.loadGraph({
          version: "v1alpha",
          nodes: [{ name: "keys", node_id: "builtin:sampler", midi: events }],
          output: "keys",
        });
        const cc = { type: "cc" as const, time: 0, controller: 7, value: 100 };
        await client.scheduleEvents(
          "keys",
          Array.from({ length: 44 }, () => cc),
        );
        if (options.scheduledEvents === "played") {
          // Played events are not held in the graph: the 45th is taken like the first.
          await client.scheduleEvents("keys", [cc]);
          // A note is two commands (on and off): 131,073 notes need 262,146 of the backlog's 262,144.
          const notes = Array.from({ length: 131_073 }, (_, i) => ({
            type: "note" as const,
            time: 1000 + i / 100,
            note: 60,
            velocity: 100,
            duration: 0.005,
          }));
          await expectError(
            client.scheduleEvents("keys", notes),
            "E_LIMIT",
            "schedule_events.events",
            "E_LIMIT at schedule_events.events: 262,146 timed commands in one call exceed the timed-command " +
              "backlog (262,144 commands); send them in smaller calls",
          );
          return;
        }
        await expectError(
          client.scheduleEvents("keys", [cc]),
          "E_LIMIT",
          "schedule_events.events",
          "E_LIMIT at schedule_events.events: needs 262,145 events (262,144 in the loaded graph and 1 scheduled " +
            "now), over the limit graphEvents = 262,144 events: MIDI events in one graph, all nodes together " +
            "(inline, from MIDI files, scheduled)",
        );
      },
    );

    it("renders nodes named constructor, toString and hasOwnProperty with their captures, leaking nothing", async () => {
      const held = options.heldBuffers?.(client) ?? [];
      const result = await client.render(
        request(
          {
            version: "v1alpha",
            nodes: [
              { name: "constructor", node_id: "builtin:oscillator", capture: true },
              { name: "toString", node_id: "builtin:gain", inputs: ["constructor"] },
              { name: "hasOwnProperty", node_id: "builtin:gain", inputs: ["toString"] },
            ],
            output: "hasOwnProperty",
            extensions: { constructor: 1 },
          },
          { options: { capture: ["toString", "hasOwnProperty"] } },
        ),
      );
      expect(result.status).toBe("ok");
      const captures = result.extensions.captures ?? {};
      expect(Object.keys(captures).sort()).toEqual(["constructor", "hasOwnProperty", "toString"]);
      for (const key of Object.keys(captures)) expect(Object.hasOwn(captures, key)).toBe(true);
      const handles = [result.buffer_handle ?? "", ...Object.values(captures)];
      for (const handle of handles) expect((await client.readBuffer(handle))[0]?.length).toBe(480);
      for (const handle of handles) await client.releaseBuffer(handle);
      if (options.heldBuffers) expect(options.heldBuffers(client)).toEqual(held);
    });

    it('rejects "__proto__" as a node name, capture, parameter, automation or buffer slot key, at its path', async () => {
      const held = options.heldBuffers?.(client) ?? [];
      const osc = { name: "osc", node_id: "builtin:oscillator" };
      const reserved = 'is not allowed: "__proto__" is reserved (an object cannot hold it as a key)';
      await expectError(
        client.render(
          request({
            version: "v1alpha",
            nodes: [{ ...osc, name: "__proto__", capture: true }],
            output: "__proto__",
          }),
        ),
        "E_SCHEMA",
        "node_graph.nodes[0].name",
        'E_SCHEMA at node_graph.nodes[0].name: must not be "__proto__": it is reserved (results key captures by node name)',
      );
      await expectError(
        client.render(request(OSC, { options: { capture: ["__proto__"] } })),
        "E_SCHEMA",
        "options.capture[0]",
      );
      await expectError(
        client.render(request({ ...OSC, nodes: [{ ...osc, params: withProtoKey(440) }] })),
        "E_SCHEMA",
        "node_graph.nodes[0].params.__proto__",
        `E_SCHEMA at node_graph.nodes[0].params.__proto__: ${reserved}`,
      );
      await expectError(
        client.loadGraph({
          ...OSC,
          nodes: [{ ...osc, automation: withProtoKey({ kind: "audio_rate" as const, values: [1] }) }],
        }),
        "E_SCHEMA",
        "load_graph.graph.nodes[0].automation.__proto__",
      );
      await expectError(
        client.render(request({ ...OSC, nodes: [{ ...osc, buffers: withProtoKey("buf:1") }] })),
        "E_SCHEMA",
        "node_graph.nodes[0].buffers.__proto__",
      );
      await expectError(
        client.render({ ...request(OSC), extensions: withProtoKey(1) }),
        "E_SCHEMA",
        "extensions.__proto__",
      );
      if (options.heldBuffers) expect(options.heldBuffers(client)).toEqual(held);
      expect((await client.render(request(OSC))).status).toBe("ok");
    });
  });
}
