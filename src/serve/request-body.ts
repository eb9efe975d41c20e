/**
 * Request bodies, bounded: a body over the server's limit is refused (E_LIMIT, answered 413) as soon
 * as its Content-Length says so, or as soon as a body without one passes the limit, so a request
 * never makes the server hold more than `maxBodyBytes`.
 */
import type { IncomingMessage } from "node:http";
import { EngineError } from "../contracts/errors";

/** The E_LIMIT of a body over the limit (413). */
export function bodyTooLarge(maxBodyBytes: number, bytes: number | null): EngineError {
  const size = bytes === null ? "more than that" : `${bytes} bytes`;
  return new EngineError(
    "E_LIMIT",
    `the request body is ${size}, over the server's limit of ${maxBodyBytes} bytes (--max-body)`,
    "body",
  );
}

/** Throws bodyTooLarge when the request's Content-Length is over the limit (before reading a byte). */
export function checkDeclaredLength(request: IncomingMessage, maxBodyBytes: number): void {
  const declared = Number(request.headers["content-length"] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBodyBytes) throw bodyTooLarge(maxBodyBytes, declared);
}

/**
 * The whole body, at most `maxBodyBytes`; rejects with bodyTooLarge past it, or with `signal`'s
 * reason (the time limit).
 */
export function readBody(
  request: IncomingMessage,
  maxBodyBytes: number,
  signal: AbortSignal,
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const pieces: Buffer[] = [];
    let length = 0;
    const finish = (error: unknown, value?: Uint8Array) => {
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("error", onError);
      signal.removeEventListener("abort", onAbort);
      if (error === undefined) resolve(value as Uint8Array);
      else reject(error);
    };
    const onData = (piece: Buffer) => {
      length += piece.length;
      if (length > maxBodyBytes) {
        // Keep reading (and dropping) so the answer reaches a client still sending.
        request.resume();
        finish(bodyTooLarge(maxBodyBytes, null));
        return;
      }
      pieces.push(piece);
    };
    const onEnd = () => finish(undefined, new Uint8Array(Buffer.concat(pieces, length)));
    const onError = (error: Error) =>
      finish(new EngineError("E_SCHEMA", `the body could not be read: ${error.message}`, "body"));
    const onAbort = () => finish(signal.reason);
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("error", onError);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * A JSON body, parsed; E_SCHEMA at body for text that is not JSON. An empty body is `undefined`.
 * @example
 * const graph = parseJsonBody(bytes);
 */
export function parseJsonBody(bytes: Uint8Array): unknown {
  if (bytes.byteLength === 0) return undefined;
  const text = new TextDecoder().decode(bytes);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new EngineError("E_SCHEMA", `is not JSON: ${(error as Error).message}`, "body");
  }
}
