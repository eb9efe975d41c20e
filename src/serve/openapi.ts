/**
 * The OpenAPI 3.1 document of the server, built from the route table and the same zod schemas every
 * host validates with: the v1alpha contracts are components as their committed JSON Schemas
 * (buildJsonSchemas), and the bodies of the live-control calls are the EngineCommand of that type
 * without `version` and `type` (what the server hands to the EngineClient call). Served at
 * GET /v1alpha/openapi.json; nothing is written by hand twice.
 */
import * as z from "zod";
import { ParameterReadingSchema } from "../api/call-validation";
import { CONTRACT_VERSION } from "../contracts/common";
import { EngineCommandSchema } from "../contracts/engine-command";
import { buildJsonSchemas, CONTRACTS, type ContractName } from "../contracts/json-schemas";
import type { BodyDoc, Route } from "./route";
import { API_PREFIX, EVENT_STREAM_TYPE, RAW_AUDIO_TYPE, WAV_TYPE } from "./wire";

/** Request bodies that are an EngineCommand's fields, by the command's type. */
const COMMAND_BODIES: Record<string, string> = {
  Seek: "seek",
  SetLoop: "set_loop",
  SetTempo: "set_tempo",
  SetParameter: "set_parameter",
  ScheduleEvents: "schedule_events",
  SendMidi: "send_midi",
  ScheduleAutomation: "schedule_automation",
};

const object = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: "object",
  properties,
  required,
  additionalProperties: false,
});

/** The small bodies of the server's own (not contracts, not commands). */
const SERVER_SCHEMAS: Record<string, unknown> = {
  Error: object(
    {
      error: object(
        {
          name: { const: "EngineError" },
          code: { type: "string", pattern: "^E_[A-Z_]+$" },
          path: { type: "string", description: 'The bad field ("" when the error is about no one field).' },
          message: { type: "string" },
          detail: { type: "string" },
          issues: { type: "array", items: object({ path: { type: "string" }, detail: { type: "string" } }) },
        },
        ["code", "path", "message"],
      ),
    },
    ["error"],
  ),
  OpenSession: object({ sample_rate: { type: "number", minimum: 3000, maximum: 768000 } }),
  Session: object(
    { session_id: { type: "string" }, host: { const: "in-process" }, sample_rate: { type: "number" } },
    ["session_id", "host", "sample_rate"],
  ),
  UploadedBuffer: object(
    {
      buffer_handle: { type: "string" },
      channels: { type: "integer" },
      frames: { type: "integer" },
      sample_rate: { type: "number" },
    },
    ["buffer_handle", "channels", "frames", "sample_rate"],
  ),
  Cancelled: object({ cancelled: { type: "integer", minimum: 0 } }, ["cancelled"]),
  Health: object({
    status: { const: "ok" },
    version: { type: "string" },
    sessions: { type: "integer" },
    running: { type: "integer" },
    waiting: { type: "integer" },
  }),
  InvalidateDiscovery: object({ root: { type: "string", description: "a discovery root's key" } }),
  CompileFaust: object({ source: { type: "string" }, options: { type: "object" } }, ["source"]),
  OpenApiDocument: { type: "object" },
  ParameterReading: (({ $schema, ...schema }) => schema)(
    z.toJSONSchema(ParameterReadingSchema, { target: "draft-2020-12" }) as Record<string, unknown>,
  ),
};

function commandBodySchema(type: string): Record<string, unknown> {
  const option = EngineCommandSchema.options.find((candidate) => candidate.shape.type.value === type);
  if (option === undefined) throw new Error(`no EngineCommand of type ${type}`);
  // Each option is a strict object; omit() keeps its strictness and descriptions.
  const fields = (option as unknown as z.ZodObject).omit({ version: true, type: true } as never);
  const { $schema, ...schema } = z.toJSONSchema(fields, {
    target: "draft-2020-12",
    io: "input",
  }) as Record<string, unknown>;
  return schema;
}

function contractRef(contract: string): { $ref: string } {
  const title = CONTRACTS[contract as ContractName].title;
  return { $ref: `#/components/schemas/${title}` };
}

function content(body: BodyDoc, events = false): Record<string, unknown> | undefined {
  switch (body.kind) {
    case "none":
      return undefined;
    case "audio":
      return {
        [WAV_TYPE]: { schema: { type: "string", contentMediaType: WAV_TYPE } },
        [RAW_AUDIO_TYPE]: {
          schema: {
            type: "string",
            contentMediaType: RAW_AUDIO_TYPE,
            description: "planar little-endian float32",
          },
        },
      };
    case "contract":
    case "schema": {
      const schema =
        body.kind === "contract" ? contractRef(body.contract) : { $ref: `#/components/schemas/${body.name}` };
      return {
        "application/json": { schema },
        ...(events
          ? {
              [EVENT_STREAM_TYPE]: {
                schema: {
                  type: "string",
                  description: "events progress (RenderProgress), then result (this schema) or error (Error)",
                },
              },
            }
          : {}),
      };
    }
  }
}

const ERROR_RESPONSES: Record<string, string> = {
  "400":
    "the request was refused: E_SCHEMA, E_UNKNOWN_NODE, E_GRAPH_CYCLE, E_LIMIT, ... with the path of the bad field",
  "401": "E_UNAUTHORIZED: no bearer token, or not the server's",
  "404": "E_NOT_FOUND (route, session) or E_UNKNOWN_HANDLE",
  "408":
    "E_TIMEOUT: the request took longer than the server's time limit (--timeout); a render was cancelled",
  "413": "E_LIMIT at body: the body is over the server's limit (--max-body)",
  "429":
    "E_BACKPRESSURE: the queue (--queue) or the sessions (--sessions) are full; retry after Retry-After seconds",
};

/**
 * The document for a route table.
 * @example
 * buildOpenApiDocument([]).openapi; // "3.1.0"
 */
export function buildOpenApiDocument(routes: readonly Route[]): {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown>; [key: string]: unknown };
  [key: string]: unknown;
} {
  const schemas: Record<string, unknown> = {};
  const contracts = buildJsonSchemas();
  for (const [name, schema] of Object.entries(contracts))
    schemas[CONTRACTS[name as ContractName].title] = schema;
  for (const [name, type] of Object.entries(COMMAND_BODIES)) schemas[name] = commandBodySchema(type);
  Object.assign(schemas, SERVER_SCHEMAS);
  const errorContent = { "application/json": { schema: { $ref: "#/components/schemas/Error" } } };

  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => ({
      name: match[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    const queryParameters = (route.query ?? []).map((parameter) => ({
      name: parameter.name,
      in: "query",
      required: false,
      description: parameter.description,
      schema: { type: parameter.type },
    }));
    const requestContent = content(route.requestBody);
    const responseContent = content(route.response.body, route.response.events ?? false);
    const operation = {
      operationId: `${route.method.toLowerCase()}${route.path
        .replace(/[{}]/g, "")
        .replace(/\/(\w)/g, (_, c: string) => c.toUpperCase())
        .replace(/[^A-Za-z0-9]/g, "")}`,
      summary: route.summary,
      parameters: [...pathParameters, ...queryParameters],
      ...(requestContent
        ? { requestBody: { required: route.requestBody.kind !== "schema", content: requestContent } }
        : {}),
      responses: {
        [String(route.response.status)]: {
          description: "success",
          ...(responseContent ? { content: responseContent } : {}),
        },
        ...Object.fromEntries(
          Object.entries(ERROR_RESPONSES).map(([status, description]) => [
            status,
            { description, content: errorContent },
          ]),
        ),
      },
    };
    const key = `${API_PREFIX}${route.path}`;
    paths[key] = { ...(paths[key] ?? {}), [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "webdreamer serve",
      version: CONTRACT_VERSION,
      description:
        "The v1alpha contracts over HTTP (docs/serve.md). Every error is JSON { error: { code, path, message } }. With a token, every request needs Authorization: Bearer <token>.",
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    components: {
      schemas,
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
