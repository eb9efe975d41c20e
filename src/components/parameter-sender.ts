/**
 * ParameterSender: sends slider moves to the engine as a latest-value mailbox per parameter. A drag
 * fires an input event per pixel, far faster than the useful rate of RPCs to the engine Worker; so
 * at most one setParameter per parameter is in flight, and when it settles only the newest value
 * waiting behind it is sent. The last value a user leaves a slider at is always the one applied.
 */

/** The call that applies one value (EngineClient.setParameter, bound to an engine). */
export type ApplyParameter = (node: string, param: string, value: number) => Promise<void>;

export interface ParameterSenderHooks {
  /** Called after the engine accepted a value. */
  applied?: (node: string, param: string, value: number) => void;
  /** Called when the engine rejected a value (an EngineError naming the field). */
  failed?: (error: unknown, node: string, param: string) => void;
}

export class ParameterSender {
  private readonly waiting = new Map<string, { node: string; param: string; value: number }>();
  private readonly inFlight = new Set<string>();

  /**
   * @example
   * const sender = new ParameterSender((node, param, value) => engine.setParameter(node, param, value));
   */
  constructor(
    private readonly apply: ApplyParameter,
    private readonly hooks: ParameterSenderHooks = {},
  ) {}

  /**
   * Queues `value` for `node`.`param`, replacing any value not yet sent.
   * @example
   * slider.addEventListener("input", () => sender.send("filter", "frequency", Number(slider.value)));
   */
  send(node: string, param: string, value: number): void {
    const key = `${node}\u0000${param}`;
    this.waiting.set(key, { node, param, value });
    if (!this.inFlight.has(key)) void this.drain(key);
  }

  private async drain(key: string): Promise<void> {
    this.inFlight.add(key);
    try {
      for (let next = this.waiting.get(key); next; next = this.waiting.get(key)) {
        this.waiting.delete(key);
        try {
          await this.apply(next.node, next.param, next.value);
          this.hooks.applied?.(next.node, next.param, next.value);
        } catch (error) {
          this.hooks.failed?.(error, next.node, next.param);
        }
      }
    } finally {
      this.inFlight.delete(key);
    }
  }
}
