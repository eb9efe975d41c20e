/**
 * `webdreamer status`: what a farm queue holds: jobs waiting, running (each with its percent, from
 * job.updateProgress), done and failed (each with its reason). docs/scale-out.md.
 */
import { Queue } from "bullmq";
import { parseStatusCommand } from "./farm-options";
import { checkRedis, connectionOf } from "./farm-queue";
import type { FarmJobData, FarmJobResult } from "./farm-render";
import type { CliIo } from "./run-cli";

export const STATUS_USAGE = `Usage: webdreamer status [--redis URL] [--queue NAME]

Prints the jobs of a render-farm queue: counts by state, each running job's progress, each failed
job's error. See docs/scale-out.md.
`;

/** Failed and running jobs listed at most. */
const LISTED = 50;

/**
 * @example
 * process.exitCode = await runStatus(["--queue", "nightly"], io);
 */
export async function runStatus(argv: string[], io: CliIo): Promise<number> {
  const command = parseStatusCommand(argv, process.env);
  if (command === "help") {
    io.stdout.write(STATUS_USAGE);
    return 0;
  }
  await checkRedis(command);
  const queue = new Queue<FarmJobData, FarmJobResult>(command.queue, { connection: connectionOf(command) });
  try {
    const counts = await queue.getJobCounts("waiting", "delayed", "active", "completed", "failed");
    io.stdout.write(
      `queue ${command.queue}: ${Object.entries(counts)
        .map(([state, count]) => `${count} ${state}`)
        .join(", ")}\n`,
    );
    for (const job of await queue.getActive(0, LISTED - 1)) {
      const progress = job.progress as { framesRendered?: number; framesTotal?: number };
      const percent =
        typeof progress?.framesRendered === "number" && (progress.framesTotal ?? 0) > 0
          ? Math.floor((100 * progress.framesRendered) / (progress.framesTotal as number))
          : 0;
      io.stdout.write(`active  ${percent.toString().padStart(3)}%  ${job.data.job.sessionPath}\n`);
    }
    for (const job of await queue.getFailed(0, LISTED - 1)) {
      io.stdout.write(
        `failed  ${job.data.job.sessionPath} (${job.attemptsMade} attempts): ${job.failedReason}\n`,
      );
    }
    return 0;
  } finally {
    await queue.close();
  }
}
