/** Starts Node worker_threads running support/test-worker.ts (bundled once per test file). */
import { bundleWorkerEntry, nodeWorkers, type SpawnTaskWorker } from "../../support/task-workers";

let spawner: Promise<SpawnTaskWorker> | undefined;

/** A function that starts a fresh test worker; the entry is bundled on first use. */
export function testWorkers(): Promise<SpawnTaskWorker> {
  spawner ??= bundleWorkerEntry("test/dataplane/support/test-worker.ts").then(nodeWorkers);
  return spawner;
}
