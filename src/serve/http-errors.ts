/**
 * Errors as HTTP answers: the status for each code, and the JSON body every error has,
 * `{ "error": { "code", "path", "message", "detail", "issues" } }` (EngineError.toWire()).
 */
import type { ServerResponse } from "node:http";
import { EngineError, type ErrorCode } from "../contracts/errors";

/** Seconds a refused request is told to wait before it tries again (Retry-After). */
export const RETRY_AFTER_SECONDS = 1;

const STATUS: Partial<Record<ErrorCode, number>> = {
  E_UNAUTHORIZED: 401,
  E_NOT_FOUND: 404,
  E_UNKNOWN_HANDLE: 404,
  E_TIMEOUT: 408,
  E_BACKPRESSURE: 429,
  E_HOST_UNAVAILABLE: 501,
  E_INTERNAL: 500,
  E_RENDER: 500,
};

/**
 * The HTTP status of an error: 413 for a body over the limit (E_LIMIT at body), the table above,
 * else 400 (the request was understood and refused: E_SCHEMA, E_UNKNOWN_NODE, E_LIMIT, ...).
 */
export function httpStatusOf(error: EngineError): number {
  if (error.code === "E_LIMIT" && error.path === "body") return 413;
  return STATUS[error.code] ?? 400;
}

/**
 * Answers `error` (anything: it becomes an EngineError) as JSON with its status, unless the answer
 * has already begun.
 */
export function sendError(response: ServerResponse, error: unknown): void {
  if (response.headersSent || response.destroyed) return;
  const engineError = EngineError.fromWire(error);
  const status = httpStatusOf(engineError);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (status === 429) headers["retry-after"] = String(RETRY_AFTER_SECONDS);
  if (status === 401) headers["www-authenticate"] = 'Bearer realm="webdreamer"';
  // A refused body may still be arriving: close the connection after the answer instead of reading it.
  if (status === 413) headers.connection = "close";
  response.writeHead(status, headers);
  response.end(JSON.stringify({ error: engineError.toWire() }));
}

/** Answers a JSON value with status 200 (or `status`). */
export function sendJson(response: ServerResponse, value: unknown, status = 200): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(value));
}
