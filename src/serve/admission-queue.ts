/**
 * How many requests the server works on at once: `concurrency` run, up to `queue` more wait in
 * arrival order, and one more is refused at once (E_BACKPRESSURE, answered 429 with Retry-After)
 * rather than held without bound. A waiting request whose time runs out leaves the queue.
 */
import { EngineError } from "../contracts/errors";

interface Waiter {
  grant: (release: () => void) => void;
}

export class AdmissionQueue {
  private running = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly queue: number,
  ) {}

  /** Requests running now and waiting now (diagnostics, tests). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  /**
   * Resolves with the function that gives the turn back, once it is this request's turn. Throws
   * E_BACKPRESSURE when the queue is full; rejects with `signal`'s reason when it fires first.
   * @example
   * const queue = new AdmissionQueue(4, 64);
   * const release = await queue.admit(new AbortController().signal);
   * release(); // the next waiting request runs
   */
  admit(signal: AbortSignal): Promise<() => void> {
    if (this.running < this.concurrency) return Promise.resolve(this.take());
    if (this.waiting.length >= this.queue) {
      throw new EngineError(
        "E_BACKPRESSURE",
        `the server is busy: ${this.running} requests running and ${this.waiting.length} waiting, its limits ` +
          "(--concurrency, --queue); retry after the time in Retry-After",
      );
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: (release) => {
          signal.removeEventListener("abort", leave);
          resolve(release);
        },
      };
      const leave = () => {
        const index = this.waiting.indexOf(waiter);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal.reason);
      };
      signal.addEventListener("abort", leave, { once: true });
      this.waiting.push(waiter);
    });
  }

  private take(): () => void {
    this.running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      const next = this.waiting.shift();
      if (next !== undefined) next.grant(this.take());
    };
  }
}
