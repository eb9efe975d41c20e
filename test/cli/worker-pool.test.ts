/**
 * runWorkerPool with a worker that never answers one job: the job fails alone when its time is up,
 * its worker is terminated (it is inside a loop that never yields), and a fresh worker renders the rest.
 */
import { describe, expect, it } from "vitest";
import type { SessionRenderJob } from "../../src/cli/session-render";
import { type JobResult, runWorkerPool } from "../../src/cli/worker-pool";

function job(sessionPath: string): SessionRenderJob {
  return {
    sessionPath,
    outputPath: `${sessionPath}.wav`,
    stemsDir: null,
    format: "float32",
    length: null,
    blockSize: null,
    extraStems: [],
  };
}

describe("runWorkerPool", () => {
  it("terminates a worker stuck past stopAfterMs, fails only its job, and completes the batch", async () => {
    const jobs = ["a", "stuck", "b", "c", "d"].map(job);
    const stopped: number[] = [];
    const started = performance.now();
    const results = await runWorkerPool(jobs, {
      workerUrl: new URL("./fixtures/stuck-worker.mjs", import.meta.url),
      concurrency: 2,
      // Wide: a healthy job's time includes starting its worker, slow on a loaded machine.
      stopAfterMs: 5000,
      stoppedMessage: (index) => `job ${index} timed out`,
      afterStopped: async (index) => {
        stopped.push(index);
      },
    });
    expect(results).toEqual<JobResult[]>([
      { ok: true, outcome: { frames: 0, sampleRate: 8000, nonFinite: null, files: [], normalization: null } },
      { ok: false, message: "job 1 timed out" },
      { ok: true, outcome: { frames: 2, sampleRate: 8000, nonFinite: null, files: [], normalization: null } },
      { ok: true, outcome: { frames: 3, sampleRate: 8000, nonFinite: null, files: [], normalization: null } },
      { ok: true, outcome: { frames: 4, sampleRate: 8000, nonFinite: null, files: [], normalization: null } },
    ]);
    expect(stopped).toEqual([1]);
    // Not a timing target: only that the stuck job did not hold the batch for long.
    expect(performance.now() - started).toBeLessThan(60_000);
  });

  it("without stopAfterMs, answers every job of a well-behaved worker", async () => {
    const results = await runWorkerPool(["a", "b"].map(job), {
      workerUrl: new URL("./fixtures/stuck-worker.mjs", import.meta.url),
      concurrency: 4,
    });
    expect(results.map((result) => result.ok)).toEqual([true, true]);
  });
});
