/**
 * GET /v1alpha/openapi.json: built from the route table and the contracts' own schemas. Every route
 * is in it, every $ref resolves, and a real RenderResult and TransportState from the server pass the
 * response schemas it gives, under a draft 2020-12 validator (Ajv), while a broken one fails.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROUTES } from "../../src/serve/routes";
import { oscillatorRequest, startTestServer, type TestServer } from "../support/serve";

let running: TestServer;
let document: {
  openapi: string;
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>
  >;
  components: { schemas: Record<string, Record<string, unknown>> };
};

beforeAll(async () => {
  running = await startTestServer();
  document = await (await fetch(`${running.url}/v1alpha/openapi.json`)).json();
});
afterAll(async () => {
  await running.server.close();
});

function refs(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refs(item, found);
  else if (typeof value === "object" && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      if (key === "$ref" && typeof inner === "string") found.push(inner);
      else refs(inner, found);
    }
  }
  return found;
}

describe("the OpenAPI document", () => {
  it("lists every route with its method, and each answer's error statuses", () => {
    expect(document.openapi).toBe("3.1.0");
    for (const route of ROUTES) {
      const operation = document.paths[`/v1alpha${route.path}`]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(Object.keys(operation?.responses ?? {})).toEqual(
        expect.arrayContaining([String(route.response.status), "400", "401", "404", "408", "413", "429"]),
      );
    }
    expect(Object.values(document.paths).flatMap((methods) => Object.keys(methods))).toHaveLength(
      ROUTES.length,
    );
  });

  it("resolves every $ref: components, or the contracts' own $id", () => {
    const ids = new Set(Object.values(document.components.schemas).map((schema) => schema.$id));
    for (const ref of refs(document)) {
      if (ref.startsWith("#/components/schemas/")) {
        expect(document.components.schemas, ref).toHaveProperty(ref.slice("#/components/schemas/".length));
      } else {
        expect(ids.has(ref.split("#")[0]), ref).toBe(true);
      }
    }
  });

  it("validates the server's real answers with the schemas it gives them", async () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    for (const schema of Object.values(document.components.schemas)) if (schema.$id) ajv.addSchema(schema);
    const schemaOf = (path: string, method: string, status: string) => {
      const response = document.paths[path]?.[method]?.responses[status];
      const ref =
        (response?.content?.["application/json"]?.schema as { $ref?: string } | undefined)?.$ref ?? "";
      const component = document.components.schemas[ref.slice("#/components/schemas/".length)] ?? {};
      const check = typeof component.$id === "string" ? ajv.getSchema(component.$id) : ajv.compile(component);
      if (check === undefined) throw new Error(`no schema for ${ref}`);
      return check;
    };
    const { session_id } = await (await fetch(`${running.url}/v1alpha/sessions`, { method: "POST" })).json();
    const base = `${running.url}/v1alpha/sessions/${session_id}`;
    const result = await (
      await fetch(`${base}/render`, { method: "POST", body: JSON.stringify(oscillatorRequest(0.1)) })
    ).json();
    const checkResult = schemaOf("/v1alpha/sessions/{session}/render", "post", "200");
    expect(checkResult(result), JSON.stringify(checkResult.errors)).toBe(true);
    expect(checkResult({ ...result, frames: -1 })).toBe(false);
    const state = await (await fetch(`${base}/transport`)).json();
    const checkState = schemaOf("/v1alpha/sessions/{session}/transport", "get", "200");
    expect(checkState(state), JSON.stringify(checkState.errors)).toBe(true);
    const refusal = await (
      await fetch(`${base}/transport/seek`, { method: "POST", body: '{"position_seconds":-1}' })
    ).json();
    const checkError = schemaOf("/v1alpha/sessions/{session}/transport/seek", "post", "400");
    expect(checkError(refusal), JSON.stringify(checkError.errors)).toBe(true);
    expect(refusal.error).toMatchObject({ code: "E_SCHEMA", path: "seek.position_seconds" });
    await fetch(`${base}/graph`, {
      method: "PUT",
      body: JSON.stringify({
        version: "v1alpha",
        nodes: [{ name: "amp", node_id: "builtin:gain", params: { gain: 0.5 } }],
        output: "amp",
      }),
    });
    const reading = await (await fetch(`${base}/graph/parameters?node=amp&parameter_id=gain`)).json();
    // The render before left the transport at its end (0.1 s).
    expect(reading).toEqual({ value: 0.5, frame: 4800 });
    const checkReading = schemaOf("/v1alpha/sessions/{session}/graph/parameters", "get", "200");
    expect(checkReading(reading), JSON.stringify(checkReading.errors)).toBe(true);
    expect(checkReading({ value: 0.5 })).toBe(false);
  });
});
