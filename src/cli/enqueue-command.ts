/**
 * `webdreamer enqueue`: puts a batch on the farm's queue, one BullMQ job per session or project,
 * found as `render` finds them (folders, globs, manifests, the same -o layout and flags). Each job's
 * id is its key (farm-key.ts), so queueing the same batch again adds nothing, and a job that failed
 * for good is retried when it is queued again. With --wait it prints the batch's progress and each
 * failure (BullMQ QueueEvents) and exits 1 if any job failed. docs/scale-out.md.
 */
import { resolve } from "node:path";
import { type Job, Queue, QueueEvents } from "bullmq";
import { farmJobKey } from "./farm-key";
import { type EnqueueCommand, parseEnqueueCommand } from "./farm-options";
import { checkRedis, connectionOf } from "./farm-queue";
import type { FarmJobData, FarmJobResult } from "./farm-render";
import { countOf } from "./input-nouns";
import { ProgressReporter } from "./progress";
import type { CliIo } from "./run-cli";
import { renderJobOf, sessionName, sessionTargets } from "./session-inputs";

export const ENQUEUE_USAGE = `Usage: webdreamer enqueue <session.json | song.wdproj | DIR | GLOB | MANIFEST.txt>... -o <DIR> [options]

Queues render jobs for \`webdreamer worker\`s (BullMQ on Redis): the inputs and render flags of
\`webdreamer render\` (see render --help), with -o a directory every worker can write to.

Options:
      --redis URL      the queue's Redis (default $WEBDREAMER_REDIS, else redis://127.0.0.1:6379)
      --queue NAME     the queue (default webdreamer-render)
      --attempts N     runs of a job before it fails for good (default 3)
      --backoff MS     delay before the first retry, doubling after each (default 5000)
      --wait           wait for the jobs, printing progress; exit 1 if any failed
  -h, --help           print this help

Exit status: 0 queued (with --wait: all rendered), 1 a job failed or Redis unreachable, 2 bad usage.
`;

/**
 * @example
 * process.exitCode = await runEnqueue(["sessions/", "-o", "/shared/renders", "--wait"], io);
 */
export async function runEnqueue(argv: string[], io: CliIo): Promise<number> {
  const command = parseEnqueueCommand(argv, process.env);
  if (command === "help") {
    io.stdout.write(ENQUEUE_USAGE);
    return 0;
  }
  const { targets, noun } = await sessionTargets(command.render.inputs, command.render);
  // Workers run elsewhere, in other folders: every path they get is absolute.
  const jobs = await Promise.all(
    targets.map(async (target) => {
      const job = renderJobOf(
        {
          ...target,
          sessionPath: resolve(target.sessionPath),
          outputPath: resolve(target.outputPath),
          stemsDir: target.stemsDir === null ? null : resolve(target.stemsDir),
        },
        command.render,
      );
      return { name: sessionName(target.sessionPath), data: { job, key: await farmJobKey(job) } };
    }),
  );
  await checkRedis(command);
  const connection = connectionOf(command);
  const queue = new Queue<FarmJobData, FarmJobResult>(command.queue, { connection });
  // Listening before adding, so no job can finish unseen.
  const events = command.wait ? new QueueEvents(command.queue, { connection }) : null;
  try {
    await events?.waitUntilReady();
    const added = await queue.addBulk(
      jobs.map(({ name, data }) => ({
        name,
        data,
        opts: {
          jobId: data.key,
          attempts: command.attempts,
          backoff: { type: "exponential", delay: command.backoffMs },
          // A week of finished jobs stays for `status` and for queueing the batch again.
          removeOnComplete: { age: 7 * 24 * 3600 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      })),
    );
    const states = await Promise.all(added.map((job) => job.getState()));
    let retried = 0;
    for (const [i, job] of added.entries()) {
      if (states[i] !== "failed") continue;
      await job.retry("failed", { resetAttemptsMade: true });
      retried++;
    }
    io.stderr.write(
      `webdreamer enqueue: ${countOf(jobs.length, noun)} on queue ${command.queue} at ${command.redisUrl}` +
        (retried > 0 ? ` (${retried} that had failed queued again)` : "") +
        "\n",
    );
    if (events === null) return 0;
    return await waitForJobs(queue, events, added, command, io, noun.many);
  } finally {
    await events?.close();
    await queue.close();
  }
}

/** Prints the batch's progress until every job completed or failed for good; 1 if any failed. */
async function waitForJobs(
  queue: Queue<FarmJobData, FarmJobResult>,
  events: QueueEvents,
  jobs: Job<FarmJobData, FarmJobResult>[],
  command: EnqueueCommand,
  io: CliIo,
  nounMany: string,
): Promise<number> {
  const index = new Map(jobs.map((job, i) => [job.id as string, i]));
  const progress = new ProgressReporter({ stream: io.stderr, sessions: jobs.length, noun: nounMany });
  const open = new Set(index.keys());
  let failed = 0;
  let cached = 0;
  let resolveAll = () => {};
  const all = new Promise<void>((resolvePromise) => {
    resolveAll = resolvePromise;
  });
  const finish = (id: string, error: string | null, result?: FarmJobResult) => {
    if (!open.delete(id)) return;
    const i = index.get(id) as number;
    if (error !== null) {
      failed++;
      progress.message(`webdreamer: failed: ${jobs[i]?.data.job.sessionPath}: ${error}`);
    }
    if (result?.cached) cached++;
    progress.finish(i, result === undefined ? 0 : result.frames / result.sampleRate);
    if (open.size === 0) resolveAll();
  };
  events.on("progress", ({ jobId, data }) => {
    const i = index.get(jobId);
    const frames = data as { framesRendered?: number; framesTotal?: number; sampleRate?: number };
    if (i === undefined || typeof frames.framesRendered !== "number") return;
    progress.update(i, frames as { framesRendered: number; framesTotal: number; sampleRate: number });
  });
  events.on("completed", ({ jobId, returnvalue }) => {
    finish(jobId, null, parseResult(returnvalue));
  });
  events.on("failed", async ({ jobId, failedReason }) => {
    // "failed" fires on every failed attempt; only a job out of attempts is done.
    const job = await queue.getJob(jobId);
    if (job !== undefined && (await job.getState()) === "failed") finish(jobId, failedReason);
  });
  // Jobs that were already done when queued (the same batch, again) send no event.
  for (const job of jobs) {
    const fresh = await queue.getJob(job.id as string);
    const state = await fresh?.getState();
    if (state === "completed") finish(job.id as string, null, fresh?.returnvalue);
    else if (state === "failed") finish(job.id as string, fresh?.failedReason ?? "failed");
  }
  if (open.size > 0) await all;
  progress.close();
  io.stderr.write(
    `webdreamer enqueue: ${jobs.length - failed} of ${jobs.length} ${nounMany} rendered` +
      (cached > 0 ? ` (${cached} already were: nothing written for them)` : "") +
      (failed > 0
        ? `, ${failed} failed after ${command.attempts} attempt${command.attempts === 1 ? "" : "s"}`
        : "") +
      "\n",
  );
  return failed > 0 ? 1 : 0;
}

function parseResult(value: unknown): FarmJobResult | undefined {
  if (typeof value !== "string") return value as FarmJobResult | undefined;
  try {
    return JSON.parse(value) as FarmJobResult;
  } catch {
    return undefined;
  }
}
