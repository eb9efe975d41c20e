/**
 * `webdreamer serve`: the v1alpha contracts over HTTP (src/serve/, docs/serve.md), each session an
 * in-process engine made by createEngine. Prints the server's URL on stdout once it listens, and
 * stops on SIGINT or SIGTERM (renders cancelled, sessions closed). Exit status 0 after a stop, 2 for
 * bad usage (the message names the flag), 1 when the port cannot be bound.
 */
import { parseArgs } from "node:util";
import { EngineError } from "../contracts/errors";
import { createEngine } from "../create-engine";
import { createEngineServer } from "../serve/engine-server";
import { SERVE_DEFAULTS, type ServeOptions } from "../serve/serve-options";
import { UsageError } from "./cli-options";
import type { CliIo } from "./run-cli";

export const SERVE_USAGE = `Usage: webdreamer serve [options]

Serves the v1alpha contracts over HTTP: sessions, transport, render (progress as server-sent
events), buffers by handle as WAV or raw float32, cancel, discovery. GET /v1alpha/openapi.json
describes every route. See docs/serve.md.

Options:
      --host HOST        interface to bind (default ${SERVE_DEFAULTS.host}); any other than loopback
                         needs a token
      --port N           TCP port (default ${SERVE_DEFAULTS.port}; 0: a free one)
      --token TOKEN      bearer token every request must carry (16+ characters); also read
                         from WEBDREAMER_TOKEN, which keeps it out of the process list
      --max-body BYTES   largest request body, e.g. 1048576, 512K, 64M (default 64M); larger: 413
      --concurrency N    requests served at once (default ${SERVE_DEFAULTS.concurrency})
      --queue N          requests waiting beyond those; one more: 429 (default ${SERVE_DEFAULTS.queue})
      --timeout S        seconds a request may take, queue and body included; then 408 and a
                         render is cancelled (default ${SERVE_DEFAULTS.timeoutSeconds})
      --sessions N       sessions open at once, each an engine (default ${SERVE_DEFAULTS.maxSessions})
      --sample-rate HZ   the sessions' default sample rate (default 48000)
  -h, --help             print this help
`;

const OPTIONS = {
  host: { type: "string" },
  port: { type: "string" },
  token: { type: "string" },
  "max-body": { type: "string" },
  concurrency: { type: "string" },
  queue: { type: "string" },
  timeout: { type: "string" },
  sessions: { type: "string" },
  "sample-rate": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function number(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value))
    throw new UsageError(`--${flag} must be a number, got "${text}"`);
  return value;
}

/**
 * Bytes from "1048576", "512K", "64M" or "1G" (binary multiples).
 * @example
 * parseByteSize("64M"); // 67108864
 */
export function parseByteSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmg]?)i?b?$/i.exec(text.trim());
  if (match === null)
    throw new UsageError(`--max-body must be bytes, or a size such as 512K or 64M, got "${text}"`);
  const scale = { "": 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30 }[(match[2] as string).toLowerCase()] as number;
  return Math.floor(Number(match[1]) * scale);
}

export interface ServeCommand {
  options: ServeOptions;
  sampleRate: number | undefined;
  help: boolean;
}

/**
 * The flags of `webdreamer serve` as ServeOptions; a UsageError names a bad flag.
 * @example
 * parseServeCommand(["--port", "0", "--max-body", "1M"], {}).options.maxBodyBytes; // 1048576
 */
export function parseServeCommand(argv: string[], env: Record<string, string | undefined>): ServeCommand {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const text = (name: keyof typeof OPTIONS) => values[name] as string | undefined;
  const token = text("token") ?? env.WEBDREAMER_TOKEN;
  const maxBody = text("max-body");
  const options: ServeOptions = {
    host: text("host"),
    port: number("port", text("port")),
    token: token === "" ? undefined : token,
    maxBodyBytes: maxBody === undefined ? undefined : parseByteSize(maxBody),
    concurrency: number("concurrency", text("concurrency")),
    queue: number("queue", text("queue")),
    timeoutSeconds: number("timeout", text("timeout")),
    maxSessions: number("sessions", text("sessions")),
  };
  for (const key of Object.keys(options) as (keyof ServeOptions)[])
    if (options[key] === undefined) delete options[key];
  return { options, sampleRate: number("sample-rate", text("sample-rate")), help: values.help === true };
}

const FLAG_OF: Record<string, string> = {
  host: "--host",
  port: "--port",
  token: "--token",
  maxBodyBytes: "--max-body",
  concurrency: "--concurrency",
  queue: "--queue",
  timeoutSeconds: "--timeout",
  maxSessions: "--sessions",
};

/**
 * Runs the server until SIGINT or SIGTERM (or `stop`, for tests); resolves with the exit status.
 * @example
 * process.exitCode = await runServe(["--port", "7341"], { stdout: process.stdout, stderr: process.stderr });
 */
export async function runServe(argv: string[], io: CliIo, stop?: AbortSignal): Promise<number> {
  const command = parseServeCommand(argv, process.env);
  if (command.help) {
    io.stdout.write(SERVE_USAGE);
    return 0;
  }
  let server: ReturnType<typeof createEngineServer>;
  try {
    server = createEngineServer(
      ({ sampleRate }) => createEngine({ sampleRate: sampleRate ?? command.sampleRate }),
      command.options,
    );
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    // options.maxBodyBytes -> --max-body: the user typed flags, not option names.
    const field = error.path.replace(/^options\./, "");
    throw new UsageError(`${FLAG_OF[field] ?? field} ${error.detail}`);
  }
  let url: string;
  try {
    url = await server.listen();
  } catch (error) {
    io.stderr.write(
      `webdreamer serve: cannot listen on ${server.options.host}:${server.options.port}: ${(error as Error).message}\n`,
    );
    await server.close().catch(() => undefined);
    return 1;
  }
  const guard = server.options.token === null ? "no token: loopback only" : "bearer token required";
  io.stderr.write(`webdreamer serve: listening on ${url} (${guard}); Ctrl-C stops\n`);
  io.stdout.write(`${url}\n`);
  await new Promise<void>((resolve) => {
    const done = () => resolve();
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
    stop?.addEventListener("abort", done, { once: true });
  });
  await server.close();
  io.stderr.write("webdreamer serve: stopped\n");
  return 0;
}
