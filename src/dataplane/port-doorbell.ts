/**
 * PortDoorbell: the MessagePort twin of Doorbell (doorbell.ts), for pages that are not cross-origin
 * isolated. Same RingBell API; how it differs:
 * - ring() posts the ring count to the other end: one small message per ring, so ring per chunk
 *   sent, not per quantum (a shared Doorbell's ring is an Atomics.add, and a notify only when
 *   someone waits).
 * - Waiting is asynchronous only: `waitForRing` throws, since the rings arrive as events on the very
 *   thread a blocking wait would park. Use `waitForRingAsync`.
 * - A port joins exactly two ends (either may ring or wait); a shared Doorbell takes any number of
 *   ringers.
 */
import { EngineError } from "../contracts/errors";
import type { RingBell } from "./doorbell";
import { hostClearTimeout, hostSetTimeout } from "./host-globals";
import type { MessagePortLike } from "./port-buffer";

/** A doorbell over a MessagePort: ring() posts; only asynchronous waits are possible. */
export class PortDoorbell implements RingBell {
  private readonly port: MessagePortLike;
  private readonly noTransfer: ArrayBuffer[] = [];
  private rung = 0;
  private received = 0;
  private lastSeen = 0;
  private readonly wakers: (() => void)[] = [];

  private constructor(port: MessagePortLike) {
    this.port = port;
    port.addEventListener("message", (event) => {
      if (typeof event.data !== "number") return;
      this.received = event.data;
      for (const wake of this.wakers.splice(0)) wake();
    });
    port.start?.();
  }

  /**
   * A doorbell end over `port` (either end can ring or wait). Setup only.
   * @example
   * const { port1, port2 } = new MessageChannel();
   * const bell = PortDoorbell.open(port1);
   */
  static open(port: MessagePortLike): PortDoorbell {
    return new PortDoorbell(port);
  }

  /**
   * Rings: posts the ring count to the other end. Every ring is a message here, so ring per chunk
   * sent, not per quantum.
   * @example
   * if (capture.availableRead() >= chunk) bell.ring();
   */
  ring(): void {
    this.rung = (this.rung + 1) | 0;
    this.port.postMessage(this.rung, this.noTransfer);
  }

  /**
   * Always throws E_HOST_UNAVAILABLE: a MessagePort doorbell cannot block a thread (messages are
   * delivered by the event loop the wait would block). Use `waitForRingAsync`.
   * @example
   * await bell.waitForRingAsync(100); // not bell.waitForRing(100)
   */
  waitForRing(_timeoutMs?: number): number {
    throw new EngineError(
      "E_HOST_UNAVAILABLE",
      "a message-port doorbell cannot block (its rings arrive as events on the thread that would be waiting); use waitForRingAsync",
    );
  }

  /**
   * Resolves with the number of rings since the previous wait returned, or 0 after `timeoutMs`.
   * @example
   * for (;;) { drain(); await bell.waitForRingAsync(100); }
   */
  async waitForRingAsync(timeoutMs = Number.POSITIVE_INFINITY): Promise<number> {
    if (this.received === this.lastSeen) {
      await new Promise<void>((resolve) => {
        const timer = timeoutMs === Number.POSITIVE_INFINITY ? undefined : hostSetTimeout(wake, timeoutMs);
        function wake(): void {
          if (timer !== undefined) hostClearTimeout(timer);
          resolve();
        }
        this.wakers.push(wake);
      });
    }
    const rings = (this.received - this.lastSeen) | 0;
    this.lastSeen = this.received;
    return Math.max(rings, 0);
  }

  /**
   * Closes the port.
   * @example
   * bell.close();
   */
  close(): void {
    this.port.close();
  }
}
