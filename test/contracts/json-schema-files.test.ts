/**
 * The committed JSON Schema files, read by a real draft 2020-12 validator (Ajv), accept the seed's
 * shapes and the documented examples and reject malformed messages at the right path. This is what
 * a consumer in another language gets from the files alone.
 */
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";

import { CONTRACT_EXAMPLES, CONTRACT_NAMES, type ContractName } from "../../src/contracts";
import {
  copy,
  SEED_NODE_DESCRIPTOR,
  SEED_PLUGIN_DISCOVERY_RESULT,
  SEED_RENDER_REQUEST,
  SEED_RENDER_RESULT,
  SEED_TRANSPORT_STATE,
} from "./fixtures";

const ajv = new Ajv2020({ allErrors: true, strict: false });
const schemas = Object.fromEntries(
  CONTRACT_NAMES.map((name) => {
    const schema = JSON.parse(
      readFileSync(new URL(`../../src/contracts/schemas/${name}.schema.json`, import.meta.url), "utf8"),
    );
    ajv.addSchema(schema);
    return [name, schema.$id as string];
  }),
) as Record<ContractName, string>;

function validate(name: ContractName, value: unknown): string[] {
  const check = ajv.getSchema(schemas[name]);
  if (!check) throw new Error(`schema ${name} did not compile`);
  return check(value) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe("committed JSON Schema files (Ajv, draft 2020-12)", () => {
  it.each([
    ["transport-state", SEED_TRANSPORT_STATE],
    ["node-descriptor", SEED_NODE_DESCRIPTOR],
    ["render-request", SEED_RENDER_REQUEST],
    ["render-result", SEED_RENDER_RESULT],
    ["plugin-discovery-result", SEED_PLUGIN_DISCOVERY_RESULT],
  ] as const)("accepts the seed's %s shape", (name, value) => {
    expect(validate(name, value)).toEqual([]);
  });

  it.each(CONTRACT_NAMES)("accepts the documented %s example", (name) => {
    expect(validate(name, CONTRACT_EXAMPLES[name])).toEqual([]);
  });

  it("rejects a wrong type, a missing field, an unknown key and a bad status, with paths", () => {
    const request = copy(SEED_RENDER_REQUEST) as Record<string, unknown>;
    request.duration_seconds = "1.5";
    expect(validate("render-request", request).join("\n")).toMatch(/\/duration_seconds must be number/);

    const state = copy(SEED_TRANSPORT_STATE) as Record<string, unknown>;
    delete state.sample_rate;
    expect(validate("transport-state", state).join("\n")).toMatch(
      /must have required property 'sample_rate'/,
    );

    const descriptor = copy(SEED_NODE_DESCRIPTOR) as Record<string, unknown>;
    descriptor.priority = 1;
    expect(validate("node-descriptor", descriptor).join("\n")).toMatch(/must NOT have additional properties/);

    const result = copy(SEED_RENDER_RESULT) as Record<string, unknown>;
    result.status = "done";
    expect(validate("render-result", result).join("\n")).toMatch(
      /\/status must be equal to one of the allowed values/,
    );

    const graph = copy(SEED_RENDER_REQUEST) as { node_graph: { nodes: { params?: unknown }[] } };
    (graph.node_graph.nodes[0] as { params?: unknown }).params = { frequency: [440] };
    expect(validate("render-request", graph).join("\n")).toMatch(/\/node_graph\/nodes\/0\/params\/frequency/);
  });
});
