/**
 * Turns the command line into a RenderCommand, or a UsageError naming the bad flag (exit status 2).
 * Only the shape of the flags is checked here; whether a session exists or names a node is the
 * render's business (a failed session, exit status 1).
 */
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { WAV_SAMPLE_FORMATS, type WavSampleFormat } from "../audio-io/wav";
import { SampleRateSchema } from "../contracts/common";
import { MAX_BLOCK_SIZE } from "../contracts/render";
import { DEFAULT_NORMALIZE_DBFS } from "./normalize";

/** Bad command-line usage; the message names the flag or argument. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** A length that replaces the session's own. */
export type LengthOverride = { seconds: number } | { beats: number } | null;

export interface Shard {
  /** 0-based index of this shard. */
  index: number;
  count: number;
}

export interface RenderCommand {
  command: "render";
  /** Session files, directories or globs, as given. */
  inputs: string[];
  output: string;
  length: LengthOverride;
  format: WavSampleFormat;
  stemsDir: string | null;
  /** Node names to capture in addition to those with capture: true. */
  extraStems: string[];
  blockSize: number | null;
  /** The rate to render project files at (--sample-rate), or null for each project's own. */
  sampleRate: number | null;
  jobs: number;
  shard: Shard | null;
  quiet: boolean;
  /** Read session WAVs outside each session's folder too (--allow-outside-paths). */
  allowOutsidePaths: boolean;
  /** Seconds one session may take, reading to writing; 0 for no limit (--timeout). */
  timeoutSeconds: number;
  /** Peak level in dBFS to normalise every session to (--normalize[=DB]), or null. */
  normalize: number | null;
}

/** --timeout's default: an hour, the longest render a request may ask for (LIMITS.renderSeconds). */
export const DEFAULT_TIMEOUT_SECONDS = 3600;

export type CliCommand = RenderCommand | { command: "help" };

const OPTIONS = {
  output: { type: "string", short: "o" },
  seconds: { type: "string" },
  beats: { type: "string" },
  format: { type: "string" },
  stems: { type: "string" },
  stem: { type: "string", multiple: true },
  "block-size": { type: "string" },
  "sample-rate": { type: "string" },
  jobs: { type: "string", short: "j" },
  shard: { type: "string" },
  shards: { type: "string" },
  quiet: { type: "boolean", short: "q" },
  "allow-outside-paths": { type: "boolean" },
  timeout: { type: "string" },
  // Its level comes only after "=" (splitNormalizeLevel): `--normalize take.json` is the flag
  // without a level, then a session.
  normalize: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** The rates a render may ask for: the contracts' (RenderRequest.sample_rate, a session's sample_rate). */
const SAMPLE_RATE_RANGE = {
  min: SampleRateSchema.minValue as number,
  max: SampleRateSchema.maxValue as number,
};

/** Flags whose value is a path: an empty one would mean the current folder, silently. */
const PATH_FLAGS = { output: "-o/--output", stems: "--stems" } as const;

/**
 * Parses argv (without node and the script). Throws UsageError.
 * @example
 * const command = parseCommandLine(["render", "take.json", "-o", "take.wav", "--format", "pcm24"]);
 * if (command.command === "render") command.format; // "pcm24"
 */
export function parseCommandLine(argv: string[], env: ShardEnvironment = process.env): CliCommand {
  const { args, normalizeLevel } = splitNormalizeLevel(argv);
  const { values, positionals } = parseFlags(args);
  if (values.help) return { command: "help" };
  const [command, ...inputs] = positionals;
  if (command === undefined)
    throw new UsageError(
      "no command given (the commands are render, export-wam, serve, worker, enqueue, status)",
    );
  if (command !== "render") {
    throw new UsageError(
      `unknown command "${command}" (the commands are render, export-wam, serve, worker, enqueue, status)`,
    );
  }
  if (inputs.length === 0) throw new UsageError("no session or project files given");
  if (values.output === undefined) throw new UsageError("-o/--output is required (out.wav, or a directory)");
  for (const [key, flag] of Object.entries(PATH_FLAGS)) {
    if (values[key as keyof typeof PATH_FLAGS]?.trim() === "") {
      throw new UsageError(`${flag} is an empty path: give a file or directory`);
    }
  }
  if (inputs.some((input) => input.trim() === "")) {
    throw new UsageError("an input path is empty: give a file, directory or glob");
  }
  if (values.stem?.some((name) => name.trim() === "")) throw new UsageError("--stem needs a node name");
  if (values.seconds !== undefined && values.beats !== undefined) {
    throw new UsageError("--seconds and --beats cannot be used together");
  }
  const stems = values.stem ?? [];
  if (stems.length > 0 && values.stems === undefined) {
    throw new UsageError("--stem needs --stems DIR, the folder to write stems to");
  }
  return {
    command: "render",
    inputs,
    output: values.output,
    length:
      values.seconds !== undefined
        ? { seconds: positiveNumber("--seconds", values.seconds) }
        : values.beats !== undefined
          ? { beats: positiveNumber("--beats", values.beats) }
          : null,
    format: sampleFormat(values.format ?? "float32"),
    stemsDir: values.stems ?? null,
    extraStems: [...new Set(stems)],
    blockSize:
      values["block-size"] === undefined
        ? null
        : integer("--block-size", values["block-size"], 1, MAX_BLOCK_SIZE),
    sampleRate:
      values["sample-rate"] === undefined
        ? null
        : integer("--sample-rate", values["sample-rate"], SAMPLE_RATE_RANGE.min, SAMPLE_RATE_RANGE.max),
    jobs: values.jobs === undefined ? availableParallelism() : integer("--jobs", values.jobs, 1, 1024),
    shard: shardOf(values.shard, values.shards, env),
    quiet: values.quiet ?? false,
    allowOutsidePaths: values["allow-outside-paths"] ?? false,
    timeoutSeconds:
      values.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : nonNegativeNumber("--timeout", values.timeout),
    normalize:
      values.normalize !== true
        ? null
        : normalizeLevel === undefined
          ? DEFAULT_NORMALIZE_DBFS
          : peakLevel(normalizeLevel),
  };
}

/**
 * Takes the level out of `--normalize=DB`, leaving the bare flag for parseArgs. A level is only ever
 * given after "=": the word after a bare `--normalize` is the next argument (a session, or a flag),
 * so `--normalize abc` normalises to the default and renders a session named abc. A number there is
 * refused: it can only be a level written with a space, which would otherwise be read as a session.
 * Arguments after `--` are sessions, left alone. The last --normalize given wins.
 */
function splitNormalizeLevel(argv: string[]): { args: string[]; normalizeLevel: string | undefined } {
  const args: string[] = [];
  let normalizeLevel: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") {
      args.push(...argv.slice(i));
      break;
    }
    if (arg.startsWith("--normalize=")) {
      normalizeLevel = arg.slice("--normalize=".length);
      args.push("--normalize");
      continue;
    }
    if (arg === "--normalize") {
      normalizeLevel = undefined;
      const next = argv[i + 1];
      if (next !== undefined && next.trim() !== "" && Number.isFinite(Number(next))) {
        throw new UsageError(`--normalize takes its level after "=": write --normalize=${next}`);
      }
    }
    args.push(arg);
  }
  return { args, normalizeLevel };
}

/**
 * "i/n" with 0 <= i < n.
 * @example
 * parseShard("1/4"); // { index: 1, count: 4 }
 */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || !Number.isSafeInteger(count) || count < 1 || index >= count) {
    throw new UsageError(`--shard must be I/N with 0 <= I < N, e.g. 0/4 (got "${text}")`);
  }
  return { index, count };
}

/** The environment variables sharding reads (process.env by default; tests pass their own). */
export type ShardEnvironment = Readonly<Record<string, string | undefined>>;

/**
 * Where an array job's runner puts the index of this task, in the order they are looked at:
 * Kubernetes Indexed Jobs, then AWS Batch array jobs.
 */
export const SHARD_INDEX_VARIABLES = ["JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"] as const;
/** The shard count when --shards is not given (set it in an array job's template instead of a flag). */
export const SHARD_COUNT_VARIABLE = "WEBDREAMER_SHARDS";

/**
 * The shard of this run: --shard I/N as given; or --shards N (else $WEBDREAMER_SHARDS) with the index
 * from the array job's environment (SHARD_INDEX_VARIABLES); or null (no sharding).
 * @example
 * shardOf(undefined, "16", { JOB_COMPLETION_INDEX: "3" }); // { index: 3, count: 16 }
 */
export function shardOf(
  shard: string | undefined,
  shards: string | undefined,
  env: ShardEnvironment,
): Shard | null {
  if (shard !== undefined && shards !== undefined) {
    throw new UsageError(
      "--shard I/N and --shards N cannot be used together: --shards takes I from the environment",
    );
  }
  if (shard !== undefined) return parseShard(shard);
  const countText = shards ?? env[SHARD_COUNT_VARIABLE];
  if (countText === undefined || countText.trim() === "") return null;
  const countSource = shards !== undefined ? "--shards" : `$${SHARD_COUNT_VARIABLE}`;
  const count = integer(countSource, countText, 1, 1_000_000);
  return { index: shardIndexFromEnvironment(count, env), count };
}

/**
 * This task's index in an array job (SHARD_INDEX_VARIABLES), checked against the shard count.
 * Throws UsageError naming the variable when none is set, or when it is not an integer below `count`.
 */
function shardIndexFromEnvironment(count: number, env: ShardEnvironment): number {
  const found = SHARD_INDEX_VARIABLES.filter((name) => (env[name] ?? "").trim() !== "");
  const name = found[0];
  if (name === undefined) {
    throw new UsageError(
      `--shards ${count} takes this task's index from $${SHARD_INDEX_VARIABLES.join(" or $")}, and neither is set: ` +
        "run it as an array job (a Kubernetes Indexed Job, an AWS Batch array job) or give --shard I/N",
    );
  }
  const text = (env[name] as string).trim();
  const index = Number(text);
  if (!/^\d+$/.test(text) || index >= count) {
    throw new UsageError(
      `$${name} is "${text}": a shard index must be an integer from 0 to ${count - 1} (the shard count is ${count})`,
    );
  }
  return index;
}

function parseFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = error instanceof Error ? error.message : String(error);
    // Node's messages are long and mention "--" escapes; keep the part that names the flag.
    const flag = /'([^']+)'/.exec(message)?.[1]?.replace(" <value>", "");
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && flag) throw new UsageError(`unknown option ${flag}`);
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && flag) {
      throw new UsageError(
        message.includes("does not take an argument")
          ? `option ${flag} does not take a value`
          : `option ${flag} needs a value`,
      );
    }
    throw new UsageError(message);
  }
}

function positiveNumber(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value <= 0) {
    throw new UsageError(`${flag} must be a number > 0 (got "${text}")`);
  }
  return value;
}

function nonNegativeNumber(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0) {
    throw new UsageError(`${flag} must be a number of seconds >= 0, 0 for none (got "${text}")`);
  }
  return value;
}

/** An integer flag within [min, max]; UsageError naming the flag otherwise. */
export function integer(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max} (got "${text}")`);
  }
  return value;
}

function peakLevel(text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value > 0) {
    throw new UsageError(
      `--normalize=DB needs a peak level in dBFS, a number <= 0 such as --normalize=-1 (got "${text}")`,
    );
  }
  return value;
}

function sampleFormat(text: string): WavSampleFormat {
  if (!(WAV_SAMPLE_FORMATS as readonly string[]).includes(text)) {
    throw new UsageError(`--format must be one of ${WAV_SAMPLE_FORMATS.join(", ")} (got "${text}")`);
  }
  return text as WavSampleFormat;
}
