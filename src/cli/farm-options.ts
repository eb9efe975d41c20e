/**
 * The flags of the render farm's commands (`worker`, `enqueue`, `status`; docs/scale-out.md): where
 * the queue is (--redis, --queue) and how jobs retry and workers hold them. `enqueue` takes every
 * flag of `render` besides (parsed by parseCommandLine, so the two cannot drift apart).
 */
import { type ParseArgsConfig, parseArgs } from "node:util";
import { integer, parseCommandLine, type RenderCommand, UsageError } from "./cli-options";

/** The Redis a farm uses when neither --redis nor $WEBDREAMER_REDIS names one. */
export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
/** The BullMQ queue the farm's commands use by default. */
export const DEFAULT_QUEUE = "webdreamer-render";

export interface QueueAddress {
  redisUrl: string;
  queue: string;
}

export interface WorkerCommand extends QueueAddress {
  /** Jobs this process renders at once (BullMQ's concurrency; they share its one thread). */
  concurrency: number;
  /** How long a job's lock lasts before another worker may take the job, in ms (renewed at half). */
  lockDurationMs: number;
  /** How often this worker looks for jobs whose lock lapsed (a killed worker's), in ms. */
  stalledIntervalMs: number;
  quiet: boolean;
}

export interface EnqueueCommand extends QueueAddress {
  render: RenderCommand;
  /** Runs of a job before it fails for good (BullMQ attempts). */
  attempts: number;
  /** The first retry's delay in ms; each next one doubles (BullMQ exponential backoff). */
  backoffMs: number;
  /** Wait for the jobs, printing progress, and exit 1 if any failed. */
  wait: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

const ADDRESS_OPTIONS = {
  redis: { type: "string" },
  queue: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

const WORKER_OPTIONS = {
  ...ADDRESS_OPTIONS,
  concurrency: { type: "string" },
  "lock-duration": { type: "string" },
  "stalled-interval": { type: "string" },
  quiet: { type: "boolean", short: "q" },
} as const;

/** The farm's own flags of `enqueue`; the rest are render's. */
const ENQUEUE_FLAGS = new Set(["--redis", "--queue", "--attempts", "--backoff"]);

/** `render` flags that mean nothing to a queue: each worker renders one job at a time per slot. */
const NOT_FOR_ENQUEUE: Record<string, string> = {
  jobs: "--jobs: set each worker's --concurrency instead",
  shard: "--shard: the queue hands every job to one worker; shard a `render` instead",
  shards: "--shards: the queue hands every job to one worker; shard a `render` instead",
};

/**
 * @example
 * (parseWorkerCommand(["--redis", "redis://queue:6379", "--concurrency", "2"], {}) as WorkerCommand).concurrency; // 2
 */
export function parseWorkerCommand(argv: string[], env: Env): WorkerCommand | "help" {
  const values = parseStrict(argv, WORKER_OPTIONS);
  if (values.help === true) return "help";
  const text = (name: keyof typeof WORKER_OPTIONS) => values[name] as string | undefined;
  const ms = (name: "lock-duration" | "stalled-interval", fallback: number) => {
    const given = text(name);
    return given === undefined ? fallback : integer(`--${name}`, given, 100, 86_400_000);
  };
  return {
    ...queueAddress(values, env),
    concurrency: integer("--concurrency", text("concurrency") ?? "1", 1, 256),
    lockDurationMs: ms("lock-duration", 30_000),
    stalledIntervalMs: ms("stalled-interval", 30_000),
    quiet: values.quiet === true,
  };
}

/**
 * @example
 * (parseEnqueueCommand(["sessions/", "-o", "renders/", "--wait"], {}) as EnqueueCommand).render.output; // "renders/"
 */
export function parseEnqueueCommand(argv: string[], env: Env): EnqueueCommand | "help" {
  const farm: Record<string, string> = {};
  const rest: string[] = [];
  let wait = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") {
      rest.push(...argv.slice(i));
      break;
    }
    const [flag, inline] = arg.startsWith("--") ? (arg.split(/=(.*)/s) as [string, string?]) : [arg];
    if (flag === "--wait" && inline === undefined) {
      wait = true;
      continue;
    }
    if (!ENQUEUE_FLAGS.has(flag)) {
      rest.push(arg);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith("-")) throw new UsageError(`option ${flag} needs a value`);
    farm[flag.slice(2)] = value;
  }
  const render = parseCommandLine(["render", ...rest], {});
  if (render.command === "help") return "help";
  for (const [flag, why] of Object.entries(NOT_FOR_ENQUEUE)) {
    if (
      rest.some(
        (arg) => arg === `--${flag}` || arg.startsWith(`--${flag}=`) || (flag === "jobs" && arg === "-j"),
      )
    ) {
      throw new UsageError(`enqueue takes no ${why}`);
    }
  }
  return {
    ...queueAddress({ redis: farm.redis, queue: farm.queue }, env),
    render,
    attempts: integer("--attempts", farm.attempts ?? "3", 1, 100),
    backoffMs: integer("--backoff", farm.backoff ?? "5000", 0, 86_400_000),
    wait,
  };
}

/**
 * @example
 * (parseStatusCommand(["--queue", "nightly"], {}) as QueueAddress).queue; // "nightly"
 */
export function parseStatusCommand(argv: string[], env: Env): QueueAddress | "help" {
  const values = parseStrict(argv, ADDRESS_OPTIONS);
  if (values.help === true) return "help";
  return queueAddress(values, env);
}

function queueAddress(values: { redis?: unknown; queue?: unknown }, env: Env): QueueAddress {
  const redisUrl = (values.redis as string | undefined) ?? env.WEBDREAMER_REDIS ?? DEFAULT_REDIS_URL;
  if (!/^rediss?:\/\//.test(redisUrl)) {
    throw new UsageError(
      `--redis must be a redis:// or rediss:// URL, e.g. ${DEFAULT_REDIS_URL} (got "${redisUrl}")`,
    );
  }
  const queue = (values.queue as string | undefined) ?? DEFAULT_QUEUE;
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(queue)) {
    throw new UsageError(`--queue must be 1 to 100 of A-Z a-z 0-9 _ . - (got "${queue}")`);
  }
  return { redisUrl, queue };
}

function parseStrict(argv: string[], options: NonNullable<ParseArgsConfig["options"]>) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as Record<
      string,
      string | boolean | undefined
    >;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
