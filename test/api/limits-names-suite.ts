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
  type RenderRequestInput,
} from "../../src/contracts";

export interface LimitsNamesOptions {
  /** The client's held handles, where it can list them (leak checks). */
  heldBuffers?: (client: EngineClient) => string[];
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
