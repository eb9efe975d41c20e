/**
 * Worker entry for the data-plane benchmarks: runs `runBenchTask` for each message it receives, in
 * a Node worker_threads Worker or a browser module Worker (bundle it with esbuild for either).
 */
import { type BenchTask, runBenchTask } from "./bench-tasks";

interface NodeProcessLike {
  versions?: { node?: string };
}

const isNode = typeof (globalThis as { process?: NodeProcessLike }).process?.versions?.node === "string";
if (isNode) {
  const { parentPort } = await import("node:worker_threads");
  parentPort?.on("message", async (task: BenchTask) => parentPort.postMessage(await runBenchTask(task)));
} else {
  const scope = globalThis as unknown as {
    onmessage: ((event: MessageEvent<BenchTask>) => void) | null;
    postMessage(message: unknown): void;
  };
  scope.onmessage = async (event) => scope.postMessage(await runBenchTask(event.data));
}
