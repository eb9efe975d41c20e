/**
 * Every route of the server, in the order the OpenAPI document lists them, and the matcher that
 * finds one for a method and path. Paths are under API_PREFIX (/v1alpha).
 */
import * as z from "zod";
import { SampleRateSchema } from "../contracts/common";
import { EngineError } from "../contracts/errors";
import { parseContract } from "../contracts/validate";
import { BUFFER_ROUTES } from "./buffer-routes";
import { ENGINE_ROUTES } from "./engine-routes";
import { sendJson } from "./http-errors";
import { buildOpenApiDocument } from "./openapi";
import { RENDER_ROUTES } from "./render-routes";
import { parseJsonBody } from "./request-body";
import type { Route } from "./route";
import { API_PREFIX, type SessionInfo } from "./wire";

const OpenSessionSchema = z.strictObject({ sample_rate: SampleRateSchema.optional() });

const SERVER_ROUTES: readonly Route[] = [
  {
    method: "GET",
    path: "/health",
    admitted: false,
    summary: "Answers while the server runs: its sessions and the requests running and waiting.",
    requestBody: { kind: "none" },
    response: { status: 200, body: { kind: "schema", name: "Health" } },
    async handle(context) {
      sendJson(context.response, {
        status: "ok",
        version: "v1alpha",
        sessions: context.sessions.size,
        ...context.load(),
      });
    },
  },
  {
    method: "GET",
    path: "/openapi.json",
    admitted: false,
    summary: "This document: the routes, with the v1alpha contracts' JSON Schemas as components.",
    requestBody: { kind: "none" },
    response: { status: 200, body: { kind: "schema", name: "OpenApiDocument" } },
    async handle(context) {
      sendJson(context.response, buildOpenApiDocument(ROUTES));
    },
  },
  {
    method: "POST",
    path: "/sessions",
    admitted: true,
    summary:
      "Opens a session: an engine of its own (transport, graph, buffers), at { sample_rate? } (default the server's). Closed by DELETE, or after being idle.",
    requestBody: { kind: "schema", name: "OpenSession" },
    response: { status: 201, body: { kind: "schema", name: "Session" } },
    async handle(context) {
      const body = parseContract(OpenSessionSchema, parseJsonBody(context.body) ?? {}, "body");
      const session = await context.sessions.open(body.sample_rate);
      const info: SessionInfo = {
        session_id: session.id,
        host: "in-process",
        sample_rate: session.sampleRate,
      };
      sendJson(context.response, info, 201);
    },
  },
  {
    method: "DELETE",
    path: "/sessions/{session}",
    admitted: false,
    summary: "Closes a session: cancels its renders and frees its engine and buffers.",
    requestBody: { kind: "none" },
    response: { status: 204, body: { kind: "none" } },
    async handle(context) {
      await context.sessions.close(context.params.session as string);
      context.response.writeHead(204).end();
    },
  },
];

export const ROUTES: readonly Route[] = [
  ...SERVER_ROUTES,
  ...ENGINE_ROUTES,
  ...RENDER_ROUTES,
  ...BUFFER_ROUTES,
];

interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  names: string[];
}

const COMPILED: CompiledRoute[] = ROUTES.map((route) => {
  const names: string[] = [];
  const source = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    // Empty too: the handler's own check names an empty value (E_SCHEMA at handle: must not be empty).
    return "([^/]*)";
  });
  return { route, pattern: new RegExp(`^${API_PREFIX}${source}$`), names };
});

/**
 * The route for a method and path, with its decoded path parameters; E_NOT_FOUND naming the path
 * (or the methods it takes).
 * @example
 * matchRoute("GET", "/v1alpha/health"); // { route, params: {} }
 */
export function matchRoute(method: string, path: string): { route: Route; params: Record<string, string> } {
  const methods: string[] = [];
  for (const { route, pattern, names } of COMPILED) {
    const match = pattern.exec(path);
    if (match === null) continue;
    if (route.method !== method) {
      methods.push(route.method);
      continue;
    }
    const params: Record<string, string> = {};
    names.forEach((name, i) => {
      try {
        params[name] = decodeURIComponent(match[i + 1] as string);
      } catch {
        throw new EngineError("E_SCHEMA", "is not a well-formed URL component", `path.${name}`);
      }
    });
    return { route, params };
  }
  if (methods.length > 0) {
    throw new EngineError("E_NOT_FOUND", `${path} takes ${methods.join(", ")}, not ${method}`, "method");
  }
  throw new EngineError(
    "E_NOT_FOUND",
    `no route ${method} ${path} (GET ${API_PREFIX}/openapi.json lists them)`,
    "path",
  );
}
