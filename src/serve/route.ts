/**
 * What a route of the server is: its method and path, whether it waits for a turn in the admission
 * queue, what the OpenAPI document says of it, and its handler. routes.ts lists them all.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { EngineError } from "../contracts/errors";
import type { EngineSession, EngineSessions } from "./engine-sessions";
import type { ResolvedServeOptions } from "./serve-options";

export interface RouteContext {
  request: IncomingMessage;
  response: ServerResponse;
  /** Path parameters by name ({session}, {handle}, ...), decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The request body, read within the limits (empty for routes without one). */
  body: Uint8Array;
  /** The {session} of the path, open; undefined for routes without one. */
  session: EngineSession | undefined;
  sessions: EngineSessions;
  options: ResolvedServeOptions;
  /** Requests running and waiting now (the admission queue). */
  load(): { running: number; waiting: number };
  /** Fires with E_TIMEOUT when the request's time is up: stop the work. */
  signal: AbortSignal;
}

/** How a request or response body is described in the OpenAPI document. */
export type BodyDoc =
  | { kind: "contract"; contract: string }
  | { kind: "schema"; name: string }
  | { kind: "audio" }
  | { kind: "none" };

export interface Route {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** The path after API_PREFIX, OpenAPI style: "/sessions/{session}/render". */
  path: string;
  /** False for the calls that must get through a full queue (cancel, close, health, the document). */
  admitted: boolean;
  summary: string;
  requestBody: BodyDoc;
  /** The success status and its body. */
  response: { status: number; body: BodyDoc; events?: boolean };
  /** Query parameters, for the document. */
  query?: readonly { name: string; description: string; type: "string" | "number" }[];
  handle(context: RouteContext): Promise<void>;
}

/** The context's session (routes under /sessions/{session}). */
export function sessionOf(context: RouteContext): EngineSession {
  if (context.session === undefined) throw new EngineError("E_INTERNAL", "route without a session");
  return context.session;
}

/**
 * A JSON body that must be an object with only these fields (E_SCHEMA at body.<field> for another,
 * at body when it is not an object). An empty body is {}.
 */
export function objectBody(value: unknown, fields: readonly string[]): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new EngineError("E_SCHEMA", "must be a JSON object", "body");
  }
  for (const key of Object.keys(value)) {
    if (!fields.includes(key)) {
      throw new EngineError(
        "E_SCHEMA",
        `is not a field of this call (its fields: ${fields.join(", ")})`,
        `body.${key}`,
      );
    }
  }
  return value as Record<string, unknown>;
}
