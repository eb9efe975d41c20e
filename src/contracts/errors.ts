/**
 * Errors are values with a stable code and the path of the bad field. They cross thread boundaries
 * (Comlink, postMessage) as plain objects: structured clone keeps an Error's message but drops custom
 * fields such as `code`, so hosts send `toWire()` and clients rebuild with `EngineError.fromWire()`.
 */

/** Stable error codes. Add codes; never rename or reuse one (callers switch on them). */
export const ERROR_CODES = {
  /** A message does not match its contract schema. */
  E_SCHEMA: "a message does not match its contract schema",
  /** A graph's signal path loops back on itself without passing through a feedback-capable node. */
  E_GRAPH_CYCLE: "a graph has a cycle that does not pass through a feedback-capable node (builtin:delay)",
  /** Two nodes of one graph share a name. */
  E_DUPLICATE_NODE: "two nodes of one graph share a name",
  /**
   * A name refers to a node that is not in the graph (inputs, output, captures, parameter targets), or
   * a node_id to a node type the host does not know.
   */
  E_UNKNOWN_NODE: "a name refers to a node that is not in the graph, or a node_id to an unknown node type",
  /** A buffer handle is unknown: never issued, already released, or issued by another engine. */
  E_UNKNOWN_HANDLE: "a buffer handle is unknown or was released",
  /** The client was closed; it accepts no more calls. */
  E_CLOSED: "the engine client is closed",
  /** The requested host cannot run here, or no factory is registered for it. */
  E_HOST_UNAVAILABLE: "the requested engine host is not available",
  /** The caller cancelled (AbortSignal); a render reports it as status "partial". */
  E_CANCELLED: "the caller cancelled the operation",
  /** The engine accepted a render and failed while rendering (reported in RenderResult.error). */
  E_RENDER: "rendering failed after the request was accepted",
  /** An unexpected failure (a bug); the message carries the original error. */
  E_INTERNAL: "an unexpected internal failure",
  /**
   * A request exceeds one of the engine's documented limits (docs/reliability.md): the message names
   * the limit, its value and what the request would need.
   */
  E_LIMIT: "a request exceeds a documented limit of the engine",
  /** A queue is full: the call was not taken (nothing was dropped); retry after the engine drains it. */
  E_BACKPRESSURE: "a queue is full; the call was not taken",
  /**
   * A plugin module (a WAM) is refused by the app's origin policy (WamLoadPolicy.allowedOrigins): the
   * message names the URL, its origin and the origins allowed. Nothing was fetched.
   */
  E_ORIGIN_NOT_ALLOWED: "a plugin module's origin is not in the allowed origins",
  /**
   * A plugin module (a WAM) could not be loaded or described: missing (HTTP status), unreachable, it
   * (or one of its imports) threw on import, or its default export is not a WAM. The message names the
   * URL and the reason.
   */
  E_PLUGIN_LOAD: "a plugin module could not be loaded or is not a Web Audio Module",
  /** An HTTP request to `webdreamer serve` without the server's bearer token, or with another (401). */
  E_UNAUTHORIZED: "the request does not carry the server's bearer token",
  /** An HTTP request to `webdreamer serve` took longer than the server's time limit (408). */
  E_TIMEOUT: "the request took longer than the server's time limit",
  /** An HTTP request to `webdreamer serve` names no route, or a session that is not open (404). */
  E_NOT_FOUND: "no such route or session on the server",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** One bad field, when a message has several. */
export interface FieldIssue {
  /** Path of the bad field, e.g. `node_graph.nodes[2].params.frequency`; "" for the message itself. */
  path: string;
  /** Human text without the code or path, e.g. "must be a number". */
  detail: string;
}

/** The plain-object form of an EngineError that survives structured clone and JSON. */
export interface EngineErrorWire {
  name: "EngineError";
  message: string;
  code: ErrorCode;
  path: string;
  detail: string;
  issues: FieldIssue[];
}

export class EngineError extends Error {
  override readonly name = "EngineError";
  readonly code: ErrorCode;
  /** Path of the (first) bad field; "" when the error is not about one field. */
  readonly path: string;
  /** The human part of the message, without code and path. */
  readonly detail: string;
  /** Every bad field found, the first of which is the message's. Empty for non-schema errors. */
  readonly issues: readonly FieldIssue[];

  /**
   * @example
   * const error = new EngineError("E_UNKNOWN_NODE", 'no node named "osc2"', "node_graph.output");
   * error.message; // 'E_UNKNOWN_NODE at node_graph.output: no node named "osc2"'
   */
  constructor(code: ErrorCode, detail: string, path = "", issues: readonly FieldIssue[] = []) {
    super(path === "" ? `${code}: ${detail}` : `${code} at ${path}: ${detail}`);
    this.code = code;
    this.path = path;
    this.detail = detail;
    this.issues = issues;
  }

  /**
   * The structured-clone-safe form, to send across Comlink or postMessage.
   * @example
   * port.postMessage({ error: new EngineError("E_CLOSED", "the engine client is closed").toWire() });
   */
  toWire(): EngineErrorWire {
    return {
      name: "EngineError",
      message: this.message,
      code: this.code,
      path: this.path,
      detail: this.detail,
      issues: this.issues.map((issue) => ({ ...issue })),
    };
  }

  /**
   * Rebuilds an EngineError from `toWire()` output. Anything else (a plain Error, a string, a
   * malformed object) becomes E_INTERNAL carrying its text, so a receiver never throws while reporting.
   * @example
   * const error = EngineError.fromWire(received.error);
   * if (error.code === "E_UNKNOWN_HANDLE") retryWithNewUpload();
   */
  static fromWire(wire: unknown): EngineError {
    if (isWireShaped(wire)) {
      const issues = Array.isArray(wire.issues) ? wire.issues.filter(isFieldIssue) : [];
      return new EngineError(wire.code, wire.detail, wire.path, issues);
    }
    if (wire instanceof EngineError) return wire;
    if (wire instanceof Error) return new EngineError("E_INTERNAL", `${wire.name}: ${wire.message}`);
    return new EngineError("E_INTERNAL", `unrecognised error value: ${safeText(wire)}`);
  }
}

/**
 * True when `error` is an EngineError, optionally with the given code.
 * @example
 * try { await client.readBuffer(handle); } catch (error) { if (isEngineError(error, "E_UNKNOWN_HANDLE")) reload(); }
 */
export function isEngineError(error: unknown, code?: ErrorCode): error is EngineError {
  return error instanceof EngineError && (code === undefined || error.code === code);
}

function isWireShaped(value: unknown): value is EngineErrorWire {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    record.name === "EngineError" &&
    typeof record.code === "string" &&
    Object.hasOwn(ERROR_CODES, record.code) &&
    typeof record.path === "string" &&
    typeof record.detail === "string"
  );
}

function isFieldIssue(value: unknown): value is FieldIssue {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.path === "string" && typeof record.detail === "string";
}

function safeText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
