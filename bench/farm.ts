/**
 * The farm rows of `npm run bench` (issue 17): renders per second through the BullMQ queue with one
 * `webdreamer worker` process and with two, on a redis-server of its own, the same 16 sessions (1 s
 * stereo, oscillator, filter, reverb at 48 kHz) each time into a fresh folder (so no receipt skips a
 * render). Runs alternate 1, 2, 1, 2...; the clock runs from queueing the batch to its last job done,
 * with the workers started and ready beforehand. Scaling efficiency is r2 / (2 r1).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Queue } from "bullmq";
import { parseCommandLine, type RenderCommand } from "../src/cli/cli-options";
import { farmJobKey } from "../src/cli/farm-key";
import type { FarmJobData } from "../src/cli/farm-render";
import { renderJobOf, sessionName, sessionTargets } from "../src/cli/session-inputs";
import { saveSession } from "../src/session/index";
import { startRedisServer } from "../test/support/redis-server";
import { sawRoomRequest } from "./saw-room-request";
import { median } from "./workloads";

const CLI = resolve(import.meta.dirname, "../bin/webdreamer.mjs");
const SESSIONS = 16;

export interface FarmThroughput {
  /** Renders per second with one worker process, each run. */
  oneWorker: number[];
  /** Renders per second with two worker processes, each run. */
  twoWorkers: number[];
}

async function writeSessions(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < SESSIONS; i++) {
    await saveSession(join(dir, `take-${i}.json`), {
      request: sawRoomRequest(`bench-farm-${i}`, 110 + 10 * i),
      buffers: new Map(),
    });
  }
}

function startWorker(redis: string, queue: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, "worker", "--redis", redis, "--queue", queue, "-q"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  return new Promise((resolvePromise, reject) => {
    let log = "";
    child.stderr?.on("data", (data: Buffer) => {
      log += data;
    });
    child.once("exit", (code) => reject(new Error(`worker exited with ${code}: ${log}`)));
    // -q prints no ready line: a worker is ready once it has registered with the queue.
    const queueClient = new Queue(queue, { connection: { url: redis } });
    const poll = setInterval(async () => {
      if ((await queueClient.getWorkersCount()) > 0 && !child.killed) {
        clearInterval(poll);
        await queueClient.close();
        resolvePromise(child);
      }
    }, 50);
  });
}

/** Queues the batch into `out` and resolves with renders per second once every job completed. */
async function timeBatch(queue: Queue<FarmJobData>, command: RenderCommand): Promise<number> {
  const { targets } = await sessionTargets(command.inputs, command);
  const jobs = await Promise.all(
    targets.map(async (target) => {
      const job = renderJobOf(target, command);
      return { name: sessionName(target.sessionPath), data: { job, key: await farmJobKey(job) } };
    }),
  );
  const started = performance.now();
  await queue.addBulk(jobs.map((job) => ({ ...job, opts: { jobId: job.data.key } })));
  for (;;) {
    const { completed, failed } = await queue.getJobCounts("completed", "failed");
    if ((failed ?? 0) > 0) throw new Error("a farm bench job failed");
    if (completed === jobs.length) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return jobs.length / ((performance.now() - started) / 1000);
}

/** `runs` runs of each, alternating, after one warm-up of each. */
export async function benchFarmThroughput(runs: number): Promise<FarmThroughput> {
  const redis = await startRedisServer();
  const dir = await mkdtemp(join(tmpdir(), "webdreamer-bench-farm-"));
  const figures: FarmThroughput = { oneWorker: [], twoWorkers: [] };
  try {
    await writeSessions(join(dir, "sessions"));
    let run = 0;
    for (let i = 0; i < runs + 1; i++) {
      for (const workers of [1, 2]) {
        const name = `bench-${run++}`;
        const processes = await Promise.all(
          Array.from({ length: workers }, () => startWorker(redis.url, name)),
        );
        const queue = new Queue<FarmJobData>(name, { connection: { url: redis.url } });
        try {
          const command = parseCommandLine(
            ["render", join(dir, "sessions"), "-o", join(dir, name)],
            {},
          ) as RenderCommand;
          const rate = await timeBatch(queue, command);
          if (i > 0) (workers === 1 ? figures.oneWorker : figures.twoWorkers).push(rate);
        } finally {
          await queue.close();
          for (const child of processes) {
            const exited = new Promise((r) => child.once("exit", r));
            child.kill("SIGTERM");
            await exited;
          }
        }
      }
    }
  } finally {
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return figures;
}

/** One line for the log. */
export function describeFarmThroughput(figures: FarmThroughput): string {
  const r1 = median(figures.oneWorker);
  const r2 = median(figures.twoWorkers);
  return `farm: ${r1.toFixed(2)} renders/s with 1 worker, ${r2.toFixed(2)} with 2 (scaling efficiency ${(r2 / (2 * r1)).toFixed(2)})`;
}
