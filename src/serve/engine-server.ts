/**
 * createEngineServer: the v1alpha contracts over HTTP (node:http, no framework). Each request goes
 * through the same steps, in this order, so that a refusal costs the server as little as possible:
 *
 *   1. the time limit starts (E_TIMEOUT, 408, whatever the request is doing then)
 *   2. the bearer token (E_UNAUTHORIZED, 401), when the server has one
 *   3. the route (E_NOT_FOUND, 404)
 *   4. the declared body size (E_LIMIT at body, 413), before a byte of it is read
 *   5. a turn in the admission queue (E_BACKPRESSURE, 429 with Retry-After), for the routes that work
 *   6. the body, read up to the limit (413 past it), then the route's handler
 *
 * Every answer that is not a success is JSON { error: { code, path, message, ... } } (http-errors.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { EngineError } from "../contracts/errors";
import { AdmissionQueue } from "./admission-queue";
import { checkBearer } from "./bearer-auth";
import { type EngineSession, EngineSessions, type SessionEngineFactory } from "./engine-sessions";
import { sendError } from "./http-errors";
import { checkDeclaredLength, readBody } from "./request-body";
import type { RouteContext } from "./route";
import { matchRoute } from "./routes";
import { type ResolvedServeOptions, resolveServeOptions, type ServeOptions } from "./serve-options";

export interface EngineServer {
  /** The options in force (defaults filled in). */
  readonly options: ResolvedServeOptions;
  /** Starts listening; resolves with the base URL ("http://127.0.0.1:7341"). */
  listen(): Promise<string>;
  /** Requests running and waiting now. */
  readonly load: { running: number; waiting: number };
  /** Stops listening, cancels renders, closes every session and connection. */
  close(): Promise<void>;
}

const NO_BODY = new Uint8Array(0);

/**
 * A server whose sessions get their engines from `factory`. Throws E_SCHEMA at options.<field> for a
 * bad option, and at options.token for a non-loopback host without a token.
 * @example
 * const server = createEngineServer((options) => createEngine(options), { port: 7341 });
 * console.log(await server.listen()); // http://127.0.0.1:7341
 */
export function createEngineServer(
  factory: SessionEngineFactory,
  serveOptions: ServeOptions = {},
): EngineServer {
  const options = resolveServeOptions(serveOptions);
  const queue = new AdmissionQueue(options.concurrency, options.queue);
  const sessions = new EngineSessions(factory, options.maxSessions, options.sessionIdleSeconds * 1000);
  const timeoutMs = options.timeoutSeconds * 1000;

  async function dispatch(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const limit = new AbortController();
    const timer = setTimeout(() => {
      limit.abort(
        new EngineError(
          "E_TIMEOUT",
          `the request took longer than the server's time limit of ${options.timeoutSeconds} s (--timeout)`,
        ),
      );
    }, timeoutMs);
    // The time limit answers at once; the work it interrupts stops at its next check.
    const answerTimeout = () => sendError(response, limit.signal.reason);
    limit.signal.addEventListener("abort", answerTimeout, { once: true });
    let release: (() => void) | undefined;
    let session: EngineSession | undefined;
    try {
      const url = new URL(request.url ?? "/", "http://server");
      checkBearer(request.headers.authorization, options.token);
      const { route, params } = matchRoute(request.method ?? "GET", url.pathname);
      if (route.requestBody.kind !== "none") checkDeclaredLength(request, options.maxBodyBytes);
      if (route.admitted) release = await queue.admit(limit.signal);
      if (route.path.startsWith("/sessions/{session}/")) {
        session = sessions.get(params.session as string);
        session.active++;
      }
      const body =
        route.requestBody.kind === "none"
          ? NO_BODY
          : await readBody(request, options.maxBodyBytes, limit.signal);
      const context: RouteContext = {
        request,
        response,
        params,
        query: url.searchParams,
        body,
        session,
        sessions,
        options,
        signal: limit.signal,
        load: () => queue.load,
      };
      await route.handle(context);
    } catch (error) {
      sendError(response, error);
    } finally {
      clearTimeout(timer);
      limit.signal.removeEventListener("abort", answerTimeout);
      release?.();
      if (session !== undefined) {
        session.active--;
        session.lastUsed = Date.now();
      }
      // A body nobody read (a refusal, a route without one) is drained, so the connection stays usable.
      if (!request.complete) request.resume();
    }
  }

  const server: Server = createServer((request, response) => {
    dispatch(request, response).catch((error: unknown) => sendError(response, error));
  });
  // Our own time limit answers 408 with a JSON body; Node's would cut in first without one.
  server.requestTimeout = timeoutMs + 5000;

  return {
    options,
    get load() {
      return queue.load;
    },
    listen() {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(options.port, options.host, () => {
          server.off("error", reject);
          const address = server.address() as AddressInfo;
          const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
          resolve(`http://${host}:${address.port}`);
        });
      });
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await sessions.closeAll();
      server.closeAllConnections();
      await closed;
    },
  };
}
