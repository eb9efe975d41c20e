/**
 * Benchmark and test Workers behind one small interface, for browsers and (through workers.ts) Node.
 * No Node imports here, so pages can use it.
 */

/** One Worker that answers each request with one message, in order. */
export interface TaskWorker {
  /**
   * Sends `message` (SharedArrayBuffers are shared, not copied; `transfer` lists MessagePorts or
   * ArrayBuffers to move) and resolves with the reply.
   */
  request<Reply>(message: unknown, transfer?: Transferable[]): Promise<Reply>;
  /** Ends the worker. */
  terminate(): Promise<void>;
}

/** Starts a fresh worker running the bundled entry. */
export type SpawnTaskWorker = () => TaskWorker;

/**
 * Workers from a bundled entry URL, in a browser (module workers).
 * @example
 * const spawn = webWorkers(new URL("/build/bench-worker.js", location.href));
 */
export function webWorkers(url: URL | string): SpawnTaskWorker {
  return () => {
    const worker = new Worker(url, { type: "module" });
    return wrap(
      (message, transfer) => worker.postMessage(message, transfer),
      (listener) => worker.addEventListener("message", (event) => listener(event.data)),
      (listener) => worker.addEventListener("error", (event) => listener(new Error(event.message))),
      async () => worker.terminate(),
    );
  };
}

export function wrap(
  post: (message: unknown, transfer: Transferable[]) => void,
  onMessage: (listener: (data: unknown) => void) => void,
  onError: (listener: (error: Error) => void) => void,
  terminate: () => Promise<void>,
): TaskWorker {
  const pending: { resolve(value: unknown): void; reject(error: Error): void }[] = [];
  onMessage((data) => pending.shift()?.resolve(data));
  onError((error) => {
    for (const request of pending.splice(0)) request.reject(error);
  });
  return {
    request<Reply>(message: unknown, transfer: Transferable[] = []): Promise<Reply> {
      return new Promise<Reply>((resolve, reject) => {
        pending.push({ resolve: resolve as (value: unknown) => void, reject });
        post(message, transfer);
      });
    },
    terminate,
  };
}
