/**
 * The options of `webdreamer serve` and of createEngineServer, with their defaults and the one rule
 * that is about safety rather than size: a server bound to anything but the loopback interface must
 * have a bearer token, or it does not start.
 */
import * as z from "zod";
import { EngineError } from "../contracts/errors";
import { parseContract } from "../contracts/validate";
import { DEFAULT_SERVE_PORT } from "./wire";

export interface ServeOptions {
  /** Interface to bind. Default "127.0.0.1" (loopback only). Any other needs `token`. */
  host?: string;
  /** TCP port; 0 picks a free one. Default 7341. */
  port?: number;
  /** The bearer token every request must carry (Authorization: Bearer <token>). Default none. */
  token?: string;
  /** Largest request body, in bytes (uploads, renders). Default 64 MiB. Larger: 413. */
  maxBodyBytes?: number;
  /** Requests served at once. Default 4. */
  concurrency?: number;
  /** Requests waiting for a turn beyond `concurrency`; one more is 429 with Retry-After. Default 64. */
  queue?: number;
  /** Seconds a request may take from arrival to answer, queue and body included; then 408. Default 300. */
  timeoutSeconds?: number;
  /** Sessions open at once (each is an engine); one more is 429. Default 16. */
  maxSessions?: number;
  /** Seconds a session may stay unused before the server closes it. Default 600. */
  sessionIdleSeconds?: number;
}

export type ResolvedServeOptions = Required<Omit<ServeOptions, "token">> & { token: string | null };

export const SERVE_DEFAULTS = {
  host: "127.0.0.1",
  port: DEFAULT_SERVE_PORT,
  maxBodyBytes: 64 * 2 ** 20,
  concurrency: 4,
  queue: 64,
  timeoutSeconds: 300,
  maxSessions: 16,
  sessionIdleSeconds: 600,
} as const;

const ServeOptionsSchema = z.strictObject({
  host: z.string().min(1).default(SERVE_DEFAULTS.host),
  port: z.int().min(0).max(65535).default(SERVE_DEFAULTS.port),
  token: z.string().min(16, { error: "must be at least 16 characters" }).optional(),
  maxBodyBytes: z.int().min(1).default(SERVE_DEFAULTS.maxBodyBytes),
  concurrency: z.int().min(1).max(1024).default(SERVE_DEFAULTS.concurrency),
  queue: z.int().min(0).max(100_000).default(SERVE_DEFAULTS.queue),
  timeoutSeconds: z.number().gt(0).default(SERVE_DEFAULTS.timeoutSeconds),
  maxSessions: z.int().min(1).max(4096).default(SERVE_DEFAULTS.maxSessions),
  sessionIdleSeconds: z.number().gt(0).default(SERVE_DEFAULTS.sessionIdleSeconds),
});

/**
 * True for the names and addresses of the loopback interface only (127.0.0.0/8, ::1, localhost).
 * @example
 * isLoopbackHost("127.0.0.1"); // true
 * isLoopbackHost("0.0.0.0"); // false: every interface
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  return bare === "localhost" || bare === "::1" || /^127(\.\d{1,3}){3}$/.test(bare);
}

/**
 * Validated options with defaults. E_SCHEMA at options.<field>; E_SCHEMA at options.token when the
 * host is not loopback and there is no token (a server reachable from other machines without one
 * would render for anyone).
 * @example
 * resolveServeOptions({ host: "0.0.0.0" }); // throws: needs a token
 */
export function resolveServeOptions(options: ServeOptions = {}): ResolvedServeOptions {
  const parsed = parseContract(ServeOptionsSchema, options, "options");
  if (parsed.token === undefined && !isLoopbackHost(parsed.host)) {
    throw new EngineError(
      "E_SCHEMA",
      `is required when the server binds ${parsed.host}, which is not loopback (--token or WEBDREAMER_TOKEN)`,
      "options.token",
    );
  }
  return { ...parsed, token: parsed.token ?? null };
}
