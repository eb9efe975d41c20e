/**
 * `webdreamer worker`: takes render jobs off the farm's BullMQ queue and renders them as `render`
 * does (farm-render.ts), until SIGINT or SIGTERM (it then finishes its jobs in hand and stops).
 * Each job reports its progress (job.updateProgress: frames rendered, frames in all, sample rate);
 * a job that throws is retried by BullMQ after its backoff; a job whose worker dies is taken up by
 * another worker once its lock lapses (--lock-duration) and a worker's check sees it
 * (--stalled-interval). Prints a line per job on stderr. docs/scale-out.md.
 */
import { type Job, Worker } from "bullmq";
import { createEngine } from "../create-engine";
import { parseWorkerCommand } from "./farm-options";
import { checkRedis, connectionOf } from "./farm-queue";
import { type FarmJobData, type FarmJobResult, renderFarmJob } from "./farm-render";
import type { CliIo } from "./run-cli";

export const WORKER_USAGE = `Usage: webdreamer worker [options]

Renders the jobs of a render-farm queue (BullMQ on Redis) that \`webdreamer enqueue\` filled, until
SIGINT or SIGTERM. Run one per core, on as many machines as you like. See docs/scale-out.md.

Options:
      --redis URL             the queue's Redis (default $WEBDREAMER_REDIS, else redis://127.0.0.1:6379)
      --queue NAME            the queue (default webdreamer-render)
      --concurrency N         jobs at once in this process (default 1; they share one thread)
      --lock-duration MS      a job's lock; another worker takes the job of a worker that died
                              this long after its last renewal (default 30000)
      --stalled-interval MS   how often to look for such jobs (default 30000)
  -q, --quiet                 no line per job (failures are still printed)
  -h, --help                  print this help
`;

/** Progress goes to Redis at most this often per job. */
const PROGRESS_EVERY_MS = 250;

/**
 * Runs a worker until SIGINT/SIGTERM or `stop`; resolves with the exit status.
 * @example
 * process.exitCode = await runWorker(["--redis", "redis://127.0.0.1:6379"], { stdout: process.stdout, stderr: process.stderr });
 */
export async function runWorker(argv: string[], io: CliIo, stop?: AbortSignal): Promise<number> {
  const command = parseWorkerCommand(argv, process.env);
  if (command === "help") {
    io.stdout.write(WORKER_USAGE);
    return 0;
  }
  await checkRedis(command);
  const say = (line: string) => {
    if (!command.quiet) io.stderr.write(`${line}\n`);
  };
  const worker = new Worker<FarmJobData, FarmJobResult>(command.queue, (job) => renderJob(job, say), {
    connection: connectionOf(command),
    concurrency: command.concurrency,
    lockDuration: command.lockDurationMs,
    stalledInterval: command.stalledIntervalMs,
  });
  worker.on("failed", (job, error) => {
    if (job === undefined) return;
    const attempts = job.opts.attempts ?? 1;
    const final = job.attemptsMade >= attempts;
    io.stderr.write(
      `webdreamer worker: ${final ? "failed" : "will retry"}: ${job.data.job.sessionPath} (attempt ${job.attemptsMade}/${attempts}): ${error.message}\n`,
    );
  });
  worker.on("error", (error) => io.stderr.write(`webdreamer worker: ${error.message}\n`));
  await worker.waitUntilReady();
  say(
    `webdreamer worker: ready: queue ${command.queue} at ${command.redisUrl}, concurrency ${command.concurrency}`,
  );
  await new Promise<void>((resolve) => {
    const done = () => resolve();
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
    stop?.addEventListener("abort", done, { once: true });
  });
  say("webdreamer worker: stopping after the jobs in hand");
  await worker.close();
  return 0;
}

async function renderJob(job: Job<FarmJobData, FarmJobResult>, say: (line: string) => void) {
  const { sessionPath } = job.data.job;
  say(`webdreamer worker: started: ${sessionPath} (job ${job.id}, attempt ${job.attemptsMade + 1})`);
  let lastMs = Number.NEGATIVE_INFINITY;
  const result = await renderFarmJob(job.data.job, {
    createEngine: (options) => createEngine({ host: "in-process", ...options }),
    onProgress: (progress) => {
      const now = performance.now();
      if (now - lastMs < PROGRESS_EVERY_MS) return;
      lastMs = now;
      // Not awaited: a slow Redis must not hold the render; a lost update is replaced by the next.
      job
        .updateProgress({
          framesRendered: progress.frames_rendered,
          framesTotal: progress.frames_total,
          sampleRate: progress.sample_rate,
        })
        .catch(() => {});
    },
  });
  say(
    result.cached
      ? `webdreamer worker: already rendered: ${sessionPath} (its receipt holds key ${result.key.slice(0, 12)})`
      : `webdreamer worker: rendered: ${sessionPath} -> ${result.files[0]}`,
  );
  return result;
}
