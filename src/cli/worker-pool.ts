/**
 * Renders a list of sessions on N worker threads, each worker taking the next session when it is
 * done with one. A worker that dies (an engine abort, out of memory) fails only the session it held;
 * a fresh worker takes over the rest. A job that outlives `stopAfterMs` is taken from its worker by
 * force: the worker is terminated (even inside a WebAssembly call that never returns, where the
 * job's own timeout cannot act), the job fails, and a fresh worker takes over.
 */
import { Worker } from "node:worker_threads";
import type { SessionRenderJob, SessionRenderOutcome } from "./session-render";
import type { RenderJobMessage, WorkerReport } from "./worker-protocol";

export type JobResult = { ok: true; outcome: SessionRenderOutcome } | { ok: false; message: string };

export interface PoolProgress {
  /** Index of the job in the list. */
  job: number;
  framesRendered: number;
  framesTotal: number;
  sampleRate: number;
}

export interface PoolOptions {
  /** The worker script: dist/node/cli-worker.mjs beside the bundled CLI. */
  workerUrl: URL;
  /** Workers to run at most (fewer when there are fewer jobs). */
  concurrency: number;
  onProgress?: (progress: PoolProgress) => void;
  /** Called as each job ends, in completion order. */
  onResult?: (job: number, result: JobResult) => void;
  /** Milliseconds a job may run before its worker is terminated. Default: no limit. */
  stopAfterMs?: number;
  /** The failure message of a job whose worker was terminated for running too long. */
  stoppedMessage?: (job: number) => string;
  /** Cleans up after a job whose worker was terminated midway (its partial files); awaited. */
  afterStopped?: (job: number) => Promise<void>;
}

/**
 * Runs every job and resolves with their results, in job order.
 * @example
 * const workerUrl = new URL("./cli-worker.mjs", import.meta.url);
 * const results = await runWorkerPool(jobs, { workerUrl, concurrency: 4 });
 */
export function runWorkerPool(jobs: readonly SessionRenderJob[], options: PoolOptions): Promise<JobResult[]> {
  const results = new Array<JobResult | undefined>(jobs.length);
  let next = 0;
  let settled = 0;
  return new Promise((resolveAll) => {
    const finish = (job: number, result: JobResult) => {
      results[job] = result;
      settled++;
      options.onResult?.(job, result);
      if (settled === jobs.length) resolveAll(results as JobResult[]);
    };

    const startWorker = () => {
      const worker = new Worker(options.workerUrl);
      let current: number | undefined;
      let watchdog: NodeJS.Timeout | undefined;
      const takeNext = () => {
        clearTimeout(watchdog);
        if (next >= jobs.length) {
          current = undefined;
          void worker.terminate();
          return;
        }
        current = next++;
        const job = jobs[current] as SessionRenderJob;
        worker.postMessage({ type: "render", id: current, job } satisfies RenderJobMessage);
        if (options.stopAfterMs !== undefined) {
          const id = current;
          watchdog = setTimeout(() => void stop(id), options.stopAfterMs);
        }
      };
      const stop = async (job: number) => {
        if (current !== job) return;
        // Forget the worker first, so its exit is not reported as a second failure.
        current = undefined;
        await worker.terminate();
        await options.afterStopped?.(job).catch(() => undefined);
        finish(job, { ok: false, message: options.stoppedMessage?.(job) ?? "stopped: it ran too long" });
        if (next < jobs.length) startWorker();
      };
      worker.on("message", (report: WorkerReport) => {
        if (report.id !== current) return;
        if (report.type === "progress") {
          options.onProgress?.({
            job: report.id,
            framesRendered: report.framesRendered,
            framesTotal: report.framesTotal,
            sampleRate: report.sampleRate,
          });
          return;
        }
        finish(
          report.id,
          report.type === "done"
            ? { ok: true, outcome: report.outcome }
            : { ok: false, message: report.message },
        );
        takeNext();
      });
      const lost = (reason: string) => {
        clearTimeout(watchdog);
        if (current === undefined) return;
        const job = current;
        current = undefined;
        finish(job, { ok: false, message: `the render worker stopped: ${reason}` });
        if (next < jobs.length) startWorker();
      };
      worker.on("error", (error) => lost(error.message));
      worker.on("exit", (code) => lost(`exit code ${code}`));
      takeNext();
    };

    if (jobs.length === 0) {
      resolveAll([]);
      return;
    }
    const workers = Math.max(1, Math.min(options.concurrency, jobs.length));
    for (let i = 0; i < workers; i++) startWorker();
  });
}
