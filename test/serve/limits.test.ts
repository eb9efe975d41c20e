/**
 * The server's limits, each proved by the answer it gives: 401 without the token, 413 for a body
 * over --max-body (declared or streamed), 408 past --timeout (a render cancelled, in JSON and in a
 * progress stream), 429 with Retry-After past --concurrency + --queue; and 200 requests at once on
 * the loopback, each answered with a result or one of those, the server answering after them.
 */
import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { parseContract, RenderResultSchema } from "../../src/contracts";
import { isLoopbackHost, resolveServeOptions } from "../../src/serve/serve-options";
import {
  oscillatorRequest,
  type ServeProcess,
  slowRequest,
  startServeProcess,
  startTestServer,
  type TestServer,
} from "../support/serve";

const TOKEN = "test-token-0123456789";
const auth = { authorization: `Bearer ${TOKEN}` };

let running: TestServer | undefined;
afterEach(async () => {
  await running?.server.close();
  running = undefined;
});

async function start(options: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  running = await startTestServer(options);
  return running;
}

async function openSession(url: string, headers: Record<string, string> = auth): Promise<string> {
  const response = await fetch(`${url}/v1alpha/sessions`, { method: "POST", headers });
  expect(response.status).toBe(201);
  return ((await response.json()) as { session_id: string }).session_id;
}

async function errorBody(response: Response): Promise<{ code: string; path: string; message: string }> {
  return ((await response.json()) as { error: { code: string; path: string; message: string } }).error;
}

describe("bind and token rules", () => {
  it("knows the loopback names and addresses", () => {
    expect(["127.0.0.1", "127.4.5.6", "localhost", "::1", "[::1]"].map(isLoopbackHost)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(["0.0.0.0", "::", "192.168.1.2", "example.com", "128.0.0.1"].map(isLoopbackHost)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it("refuses to start on a non-loopback host without a token, and takes one with a token", () => {
    expect(() => resolveServeOptions({ host: "0.0.0.0" })).toThrow(
      "E_SCHEMA at options.token: is required when the server binds 0.0.0.0, which is not loopback (--token or WEBDREAMER_TOKEN)",
    );
    expect(resolveServeOptions({ host: "0.0.0.0", token: TOKEN }).token).toBe(TOKEN);
    expect(() => resolveServeOptions({ token: "short" })).toThrow(
      "E_SCHEMA at options.token: must be at least 16 characters",
    );
  });

  it("answers 401 without the token or with another, on every route, and serves with it", async () => {
    const { url } = await start({ token: TOKEN });
    const refused: Record<string, string>[] = [
      {},
      { authorization: "Bearer wrong-token-0123456789" },
      { authorization: TOKEN },
    ];
    for (const headers of refused) {
      for (const [method, path] of [
        ["GET", "/v1alpha/health"],
        ["GET", "/v1alpha/openapi.json"],
        ["POST", "/v1alpha/sessions"],
        ["GET", "/v1alpha/nowhere"],
      ] as const) {
        const response = await fetch(`${url}${path}`, { method, headers });
        expect(response.status, `${method} ${path}`).toBe(401);
        expect(response.headers.get("www-authenticate")).toBe('Bearer realm="webdreamer"');
        expect((await errorBody(response)).code).toBe("E_UNAUTHORIZED");
      }
    }
    const ok = await fetch(`${url}/v1alpha/health`, { headers: auth });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({
      status: "ok",
      version: "v1alpha",
      sessions: 0,
      running: 0,
      waiting: 0,
    });
  });
});

describe("body size", () => {
  it("answers 413 for a declared body over --max-body, and for a streamed one past it", async () => {
    const { url } = await start({ maxBodyBytes: 1024 });
    const session = await openSession(url, {});
    const render = `${url}/v1alpha/sessions/${session}/render`;
    const big = JSON.stringify({ ...oscillatorRequest(0.1), padding: "x".repeat(2000) });
    const declared = await fetch(render, {
      method: "POST",
      body: big,
      headers: { "content-type": "application/json" },
    });
    expect(declared.status).toBe(413);
    const error = await errorBody(declared);
    expect(error).toMatchObject({ code: "E_LIMIT", path: "body" });
    expect(error.message).toBe(
      `E_LIMIT at body: the request body is ${big.length} bytes, over the server's limit of 1024 bytes (--max-body)`,
    );
    const streamed = await fetch(render, {
      method: "POST",
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode("x".repeat(500)));
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect((await errorBody(streamed)).message).toBe(
      "E_LIMIT at body: the request body is more than that, over the server's limit of 1024 bytes (--max-body)",
    );
    // A body within the limit still renders.
    const small = await fetch(render, { method: "POST", body: JSON.stringify(oscillatorRequest(0.01)) });
    expect(small.status).toBe(200);
    expect(((await small.json()) as { frames: number }).frames).toBe(480);
  });
});

describe("time limit", () => {
  it("answers 408 E_TIMEOUT past --timeout, cancels the render, and keeps serving the session", async () => {
    const { url } = await start({ timeoutSeconds: 0.5 });
    const session = await openSession(url, {});
    const render = `${url}/v1alpha/sessions/${session}/render`;
    // Ten minutes of preroll through a reverb: far longer than half a second on any machine.
    const long = JSON.stringify(slowRequest());
    const json = await fetch(render, { method: "POST", body: long });
    expect(json.status).toBe(408);
    expect(await errorBody(json)).toEqual(
      expect.objectContaining({
        code: "E_TIMEOUT",
        message: "E_TIMEOUT: the request took longer than the server's time limit of 0.5 s (--timeout)",
      }),
    );
    // With progress events the stream opens at the first report (a preroll reports none, so 5 minutes
    // of reverb, mono, here); then the limit ends it with an error event.
    const reported = JSON.stringify({ ...oscillatorRequest(300), channels: 1 });
    const events = await fetch(render, {
      method: "POST",
      body: reported,
      headers: { accept: "text/event-stream" },
    });
    expect(events.status).toBe(200);
    const text = await events.text();
    expect(text).toMatch(/^event: progress\n/);
    expect(text).toMatch(/event: error\ndata: \{"error":\{"name":"EngineError","message":"E_TIMEOUT: /);
    expect(text).not.toContain("event: result");
    const after = await fetch(render, { method: "POST", body: JSON.stringify(oscillatorRequest(0.01)) });
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ status: "ok", frames: 480 });
  });
});

/**
 * A POST on a connection of its own (node:http, no pooling: fetch's pool may hold requests back,
 * and these must reach the server at once), answered as a fetch Response.
 */
function post(url: string, body: string, headers: Record<string, string>): Promise<Response> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: "POST", headers, agent: false }, (answer) => {
      const pieces: Buffer[] = [];
      answer.on("data", (piece: Buffer) => pieces.push(piece));
      answer.on("end", () => {
        const flat: Record<string, string> = {};
        for (const [name, value] of Object.entries(answer.headers))
          if (typeof value === "string") flat[name] = value;
        resolve(new Response(Buffer.concat(pieces), { status: answer.statusCode ?? 0, headers: flat }));
      });
    });
    request.on("error", reject);
    request.end(body);
  });
}

describe("200 requests at once", () => {
  let served: ServeProcess | undefined;
  afterEach(async () => {
    await served?.stop();
  });

  it("answers every one with a result or a clear 401/408/413/429, and serves afterwards", async () => {
    // The server in a process of its own (the CLI), so the 200 requests arrive as fast as this
    // process sends them, and a crash would show as its exit.
    served = await startServeProcess([
      "--token",
      TOKEN,
      "--concurrency",
      "1",
      "--queue",
      "2",
      "--max-body",
      "16K",
      "--timeout",
      "2",
    ]);
    const { url } = served;
    const longSession = await openSession(url);
    const shortSession = await openSession(url);
    type Kind = "long" | "short" | "bad-token" | "oversized";
    // One long render first: it holds the only turn until the time limit (2 s), so of the requests
    // arriving meanwhile two wait and the others are refused, whatever the machine's speed.
    const kinds: Kind[] = ["long"];
    for (let i = 1; i < 200; i++)
      kinds.push(i % 10 === 3 ? "bad-token" : i % 10 === 7 ? "oversized" : "short");
    const send = (kind: Kind, i: number) => {
      const session = kind === "long" ? longSession : shortSession;
      const body =
        kind === "long"
          ? slowRequest("long")
          : kind === "oversized"
            ? { ...oscillatorRequest(1, `big-${i}`), padding: "x".repeat(40_000) }
            : oscillatorRequest(1, `short-${i}`);
      const headers = kind === "bad-token" ? { authorization: "Bearer not-the-token-at-all" } : auth;
      return post(`${url}/v1alpha/sessions/${session}/render`, JSON.stringify(body), {
        ...headers,
        "content-type": "application/json",
      });
    };
    const responses = await Promise.all(kinds.map(send));
    const allowed: Record<Kind, number[]> = {
      long: [408],
      short: [200, 408, 429],
      "bad-token": [401],
      oversized: [413],
    };
    const counts: Record<string, number> = {};
    for (const [i, response] of responses.entries()) {
      const kind = kinds[i] as Kind;
      expect(allowed[kind], `request ${i} (${kind})`).toContain(response.status);
      counts[response.status] = (counts[response.status] ?? 0) + 1;
      if (response.status === 200) {
        const result = parseContract(RenderResultSchema, await response.json());
        expect(result).toMatchObject({ status: "ok", frames: 48000 });
        continue;
      }
      const error = await errorBody(response);
      const code = { 401: "E_UNAUTHORIZED", 408: "E_TIMEOUT", 413: "E_LIMIT", 429: "E_BACKPRESSURE" }[
        response.status
      ];
      expect(error.code, `request ${i}`).toBe(code);
      if (response.status === 429) expect(response.headers.get("retry-after")).toBe("1");
    }
    expect(counts[401]).toBe(20);
    expect(counts[413]).toBe(20);
    expect(counts[429]).toBeGreaterThan(100);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(200);
    console.log(`[serve] 200 requests at once: ${JSON.stringify(counts)}`);
    // Still serving: a render after the storm.
    const after = await send("short", 999);
    expect(after.status).toBe(200);
    expect(served.child.exitCode).toBeNull();
    expect(await served.stop()).toBe(0);
    expect(served.stderr()).toMatch(
      /listening on http:\/\/127\.0\.0\.1:\d+ \(bearer token required\)[\s\S]*stopped\n$/,
    );
    served = undefined;
  });
});
