/**
 * Names that are also object keys: "__proto__" is refused with E_SCHEMA at its path wherever a
 * contract would use it as a key (a parse would otherwise drop it without a word); every other name,
 * Object.prototype's member names included, parses as an ordinary own key.
 */
import { describe, expect, it } from "vitest";
import {
  EngineError,
  GraphDescriptorSchema,
  NodeDescriptorSchema,
  parseContract,
  RenderResultSchema,
  TransportStateSchema,
} from "../../src/contracts";
import { SessionFileSchema } from "../../src/session/session-file";
import {
  SEED_NODE_DESCRIPTOR,
  SEED_RENDER_REQUEST,
  SEED_RENDER_RESULT,
  SEED_TRANSPORT_STATE,
} from "./fixtures";

const RESERVED = 'is not allowed: "__proto__" is reserved (an object cannot hold it as a key)';

/** `value` as JSON.parse builds it: an own "__proto__" key stays an own key there. */
function json(value: string): unknown {
  return JSON.parse(value);
}

function message(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof EngineError) return error.message;
    throw error;
  }
  throw new Error("expected an EngineError");
}

const node = (fields: string) =>
  json(
    `{"version": "v1alpha", "output": "a", "nodes": [{"name": "a", "node_id": "builtin:gain", ${fields}}]}`,
  );

describe('"__proto__" is refused wherever it would be a key', () => {
  it.each([
    ["a params key", '"params": {"__proto__": 1}', "nodes[0].params.__proto__"],
    [
      "an automation key",
      '"automation": {"__proto__": {"kind": "audio_rate", "values": [1]}}',
      "nodes[0].automation.__proto__",
    ],
    ["a buffer slot", '"buffers": {"__proto__": "buf:1"}', "nodes[0].buffers.__proto__"],
    ["a node's extensions key", '"extensions": {"__proto__": {"x": 1}}', "nodes[0].extensions.__proto__"],
  ])("%s", (_label, fields, path) => {
    expect(message(() => parseContract(GraphDescriptorSchema, node(fields)))).toBe(
      `E_SCHEMA at ${path}: ${RESERVED}`,
    );
  });

  it("a node name, an input and the output", () => {
    const graph = json(
      '{"version": "v1alpha", "output": "__proto__", "nodes": [{"name": "a", "node_id": "builtin:gain", "inputs": ["__proto__"]}]}',
    );
    expect(message(() => parseContract(GraphDescriptorSchema, graph))).toBe(
      'E_SCHEMA at nodes[0].inputs[0]: must not be "__proto__": it is reserved (results key captures by node name)',
    );
  });

  it("a buffer handle, a parameter id, and the keys of named extensions, captures and session buffers", () => {
    expect(
      message(() => parseContract(GraphDescriptorSchema, node('"buffers": {"data": "__proto__"}'))),
    ).toBe(
      'E_SCHEMA at nodes[0].buffers.data: must not be "__proto__": it is reserved (session files key audio by handle)',
    );
    const parameters = [{ name: "P", id: "__proto__", default: 0, range: [0, 1] }];
    expect(message(() => parseContract(NodeDescriptorSchema, { ...SEED_NODE_DESCRIPTOR, parameters }))).toBe(
      'E_SCHEMA at parameters[0].id: must not be "__proto__": it is reserved (graphs key params and automation by id)',
    );
    const state = { ...SEED_TRANSPORT_STATE, extensions: json('{"__proto__": 1}') };
    expect(message(() => parseContract(TransportStateSchema, state))).toBe(
      `E_SCHEMA at extensions.__proto__: ${RESERVED}`,
    );
    const result = { ...SEED_RENDER_RESULT, extensions: { captures: json('{"__proto__": "buf:2"}') } };
    expect(message(() => parseContract(RenderResultSchema, result))).toBe(
      `E_SCHEMA at extensions.captures.__proto__: ${RESERVED}`,
    );
    const session = {
      version: "v1alpha",
      sample_rate: 44100,
      block_size: 128,
      request: SEED_RENDER_REQUEST,
      buffers: json('{"__proto__": {"path": "a.wav"}}'),
    };
    expect(message(() => parseContract(SessionFileSchema, session))).toBe(
      `E_SCHEMA at buffers.__proto__: ${RESERVED}`,
    );
  });
});

describe("Object.prototype's member names are ordinary names", () => {
  it("parse as own keys and own values", () => {
    const graph = parseContract(
      GraphDescriptorSchema,
      node('"params": {"constructor": 1, "toString": 2}, "buffers": {"hasOwnProperty": "valueOf"}'),
    );
    const parsed = graph.nodes[0];
    expect(Object.keys(parsed?.params ?? {})).toEqual(["constructor", "toString"]);
    expect(parsed?.params.constructor).toBe(1);
    expect(parsed?.buffers.hasOwnProperty).toBe("valueOf");
  });
});
