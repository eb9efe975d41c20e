/**
 * `webdreamer render`: sessions in, WAV files out, on worker threads.
 *
 * Exit status: 0 when every session rendered, 1 when any failed (each failure is printed with its
 * session path), 2 for bad usage (the message names the flag).
 */
import { type CliCommand, parseCommandLine, type RenderCommand, UsageError } from "./cli-options";
import { inputKind } from "./input-nouns";
import { ProgressReporter, type ProgressStream } from "./progress";
import { normalizationNote, RunSummary, sessionWarnings } from "./render-messages";
import { renderJobOf, sessionTargets } from "./session-inputs";
import { removePartialFiles, type SessionRenderJob, sessionTimedOut } from "./session-render";
import { USAGE } from "./usage";
import { runWorkerPool } from "./worker-pool";

export const EXIT_OK = 0;
export const EXIT_RENDER_FAILED = 1;
export const EXIT_USAGE = 2;

/** How long past its timeout a session's worker may take to stop it before it is terminated. */
const STOP_GRACE_MS = 5000;

export interface CliIo {
  stdout: ProgressStream;
  stderr: ProgressStream;
}

/**
 * Runs the command line and returns the exit status.
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let command: CliCommand;
  try {
    // Commands other than render load their modules when asked: the render farm's Redis client
    // (bullmq, ioredis) and the server alone took most of every start (scripts/build-cli.mjs).
    if (argv[0] === "export-wam")
      return await (await import("./export-wam-command")).runExportWam(argv.slice(1), io);
    if (argv[0] === "serve") return await (await import("./serve-command")).runServe(argv.slice(1), io);
    const farmCommand = FARM_COMMANDS[argv[0] ?? ""];
    if (farmCommand !== undefined) return await runFarmCommand(farmCommand, argv.slice(1), io);
    command = parseCommandLine(argv);
    if (command.command === "help") {
      io.stdout.write(USAGE);
      return EXIT_OK;
    }
    return await render(command, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`webdreamer: ${error.message}\nRun "webdreamer --help" for usage.\n`);
    return EXIT_USAGE;
  }
}

/** The render farm's commands (docs/scale-out.md). */
const FARM_COMMANDS: Record<string, (argv: string[], io: CliIo) => Promise<number>> = {
  worker: async (argv, io) => (await import("./worker-command")).runWorker(argv, io),
  enqueue: async (argv, io) => (await import("./enqueue-command")).runEnqueue(argv, io),
  status: async (argv, io) => (await import("./status-command")).runStatus(argv, io),
};

/** A farm command; Redis not answering is exit status 1 with one line naming its URL. */
async function runFarmCommand(
  run: (argv: string[], io: CliIo) => Promise<number>,
  argv: string[],
  io: CliIo,
): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    const { RedisUnreachableError } = await import("./farm-queue");
    if (!(error instanceof RedisUnreachableError)) throw error;
    io.stderr.write(`webdreamer: ${error.message}\n`);
    return EXIT_RENDER_FAILED;
  }
}

async function render(command: RenderCommand, io: CliIo): Promise<number> {
  const { targets, total, noun } = await sessionTargets(command.inputs, command);
  const say = (text: string) => {
    if (!command.quiet) io.stderr.write(`${text}\n`);
  };
  if (targets.length === 0) {
    say(
      `webdreamer: shard ${command.shard?.index}/${command.shard?.count} has none of the ${total} ${noun.many}`,
    );
    return EXIT_OK;
  }
  const jobs = targets.map((target) => renderJobOf(target, command));
  const timeout = command.timeoutSeconds;
  const progress = new ProgressReporter({
    stream: command.quiet ? { write: () => true } : io.stderr,
    sessions: jobs.length,
    noun: noun.many,
  });
  const summary = new RunSummary(noun);
  // Warnings and failures are printed even with --quiet: a file that is not what the graph played
  // (clipped, or non-finite samples written as 0) must never pass silently.
  const alwaysSay = (line: string) => {
    if (command.quiet) io.stderr.write(`${line}\n`);
    else progress.message(line);
  };
  await runWorkerPool(jobs, {
    // The bundled worker sits beside the bundled CLI (scripts/build-cli.mjs).
    workerUrl: new URL("./cli-worker.mjs", import.meta.url),
    concurrency: command.jobs,
    // The job's own timeout stops it between pieces of audio; a worker that does not answer a little
    // later (stuck inside one engine call) is terminated.
    ...(timeout > 0
      ? {
          stopAfterMs: timeout * 1000 + STOP_GRACE_MS,
          stoppedMessage: (job: number) =>
            `${sessionTimedOut(timeout, inputKind(jobs[job]?.sessionPath ?? "")).message}; its worker did not stop and was terminated`,
          afterStopped: (job: number) => removePartialFiles(jobs[job] as SessionRenderJob),
        }
      : {}),
    onProgress: (report) => progress.update(report.job, report),
    onResult: (job, result) => {
      const sessionPath = jobs[job]?.sessionPath ?? "";
      if (result.ok) {
        const note = normalizationNote(sessionPath, result.outcome.normalization);
        if (note !== null && !command.quiet) progress.message(note);
        for (const line of sessionWarnings(sessionPath, result.outcome)) alwaysSay(line);
        summary.addRendered(result.outcome);
        progress.finish(job, result.outcome.frames / result.outcome.sampleRate);
        return;
      }
      summary.addFailed();
      alwaysSay(`webdreamer: failed: ${sessionPath}: ${result.message}`);
      progress.finish(job);
    },
  });
  progress.close();
  const shard =
    command.shard === null ? "" : ` (shard ${command.shard.index}/${command.shard.count} of ${total})`;
  const line = summary.line({
    audioSeconds: progress.audioSeconds,
    elapsedSeconds: progress.elapsedSeconds,
    shard,
  });
  const failures = summary.failures;
  // With failures the summary is printed even with --quiet: it is how a batch says how many failed.
  if (failures > 0) io.stderr.write(`${line}\n`);
  else say(line);
  return failures > 0 ? EXIT_RENDER_FAILED : EXIT_OK;
}
