/**
 * Entry of a render worker thread (bundled as dist/node/cli-worker.mjs). It renders the sessions the main
 * thread sends, one at a time, each in an engine of its own, and reports progress and the outcome.
 * Renders run here rather than on the main thread so that the main thread stays free to print
 * progress while the in-process engine computes.
 */
import { parentPort } from "node:worker_threads";
import { createEngine } from "../create-engine";
import { renderSessionJob } from "./session-render";
import type { RenderJobMessage, WorkerReport } from "./worker-protocol";

const port = parentPort;
if (port === null) throw new Error("cli-worker must run as a worker thread");

port.on("message", async ({ id, job }: RenderJobMessage) => {
  const report = (message: WorkerReport) => port.postMessage(message);
  try {
    const outcome = await renderSessionJob(job, {
      createEngine: (options) => createEngine({ host: "in-process", ...options }),
      onProgress: (progress) =>
        report({
          type: "progress",
          id,
          framesRendered: progress.frames_rendered,
          framesTotal: progress.frames_total,
          sampleRate: progress.sample_rate,
        }),
    });
    report({ type: "done", id, outcome });
  } catch (error) {
    report({ type: "failed", id, message: error instanceof Error ? error.message : String(error) });
  }
});
