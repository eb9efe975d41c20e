/**
 * Sessions: each is an engine of its own (an EngineClient from the server's factory), so callers never
 * see each other's transport, graph or buffers. A session lives until DELETE, or until it has been
 * unused for `sessionIdleSeconds`; at most `maxSessions` are open (one more: E_BACKPRESSURE, 429).
 *
 * A session also keeps what the engine does not: the sample rate of each buffer handle it issued (to
 * write WAVs), the AbortController of each render in progress by render id, and cancels that arrived
 * before their render (remembered CANCEL_MEMORY_MS, at most MAX_EARLY_CANCELS), so a cancel sent
 * just before its render still stops it.
 */
import { randomUUID } from "node:crypto";
import type { EngineClient, FaustCompiling } from "../api/engine-client";
import { EngineError } from "../contracts/errors";

/** What the server makes a session's engine with (createEngine in the CLI). */
export type SessionEngineFactory = (options: {
  sampleRate?: number;
}) => Promise<EngineClient & Partial<FaustCompiling>>;

const CANCEL_MEMORY_MS = 30_000;
const MAX_EARLY_CANCELS = 256;

export class EngineSession {
  readonly id = randomUUID();
  /** Requests of this session in progress: an idle sweep never closes a session at work. */
  active = 0;
  lastUsed = Date.now();
  private readonly sampleRates = new Map<string, number>();
  private readonly renders = new Map<string, Set<AbortController>>();
  private readonly earlyCancels = new Map<string, number>();

  constructor(
    readonly engine: EngineClient & Partial<FaustCompiling>,
    readonly sampleRate: number,
  ) {}

  /** Records the sample rate of handles this session issued (renders, uploads). */
  noteHandles(handles: Iterable<string>, sampleRate: number): void {
    for (const handle of handles) this.sampleRates.set(handle, sampleRate);
  }

  forgetHandle(handle: string): void {
    this.sampleRates.delete(handle);
  }

  /** The sample rate of a handle this session issued; the engine's own for any other. */
  sampleRateOf(handle: string): number {
    return this.sampleRates.get(handle) ?? this.sampleRate;
  }

  /**
   * Registers a render in progress under `renderId`; the controller is aborted at once when a cancel
   * for that id came first. Returns the function that unregisters it.
   */
  startRender(renderId: string, controller: AbortController): () => void {
    const early = this.earlyCancels.get(renderId);
    this.earlyCancels.delete(renderId);
    if (early !== undefined && early > Date.now()) controller.abort();
    const set = this.renders.get(renderId) ?? new Set<AbortController>();
    this.renders.set(renderId, set);
    set.add(controller);
    return () => {
      set.delete(controller);
      if (set.size === 0) this.renders.delete(renderId);
    };
  }

  /**
   * Cancels every render in progress with this id and returns how many; with none, remembers the
   * cancel for the next render with this id (within CANCEL_MEMORY_MS) and returns 0.
   */
  cancel(renderId: string): number {
    const set = this.renders.get(renderId);
    if (set !== undefined && set.size > 0) {
      for (const controller of set) controller.abort();
      return set.size;
    }
    const now = Date.now();
    for (const [id, expires] of this.earlyCancels) if (expires <= now) this.earlyCancels.delete(id);
    if (this.earlyCancels.size >= MAX_EARLY_CANCELS) {
      const oldest = this.earlyCancels.keys().next().value as string;
      this.earlyCancels.delete(oldest);
    }
    this.earlyCancels.set(renderId, now + CANCEL_MEMORY_MS);
    return 0;
  }

  /** Cancels every render and closes the engine. */
  async close(): Promise<void> {
    for (const set of this.renders.values()) for (const controller of set) controller.abort();
    await this.engine.close();
  }
}

export class EngineSessions {
  private readonly sessions = new Map<string, EngineSession>();
  private opening = 0;
  private readonly sweep: ReturnType<typeof setInterval>;

  constructor(
    private readonly factory: SessionEngineFactory,
    private readonly maxSessions: number,
    private readonly idleMs: number,
  ) {
    this.sweep = setInterval(() => void this.closeIdle(), Math.min(60_000, idleMs));
    this.sweep.unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Opens a session; E_BACKPRESSURE when `maxSessions` are open. */
  async open(sampleRate: number | undefined): Promise<EngineSession> {
    if (this.sessions.size + this.opening >= this.maxSessions) {
      throw new EngineError(
        "E_BACKPRESSURE",
        `the server holds its limit of ${this.maxSessions} sessions (--sessions); close one (DELETE) or retry later`,
      );
    }
    this.opening++;
    try {
      const engine = await this.factory(sampleRate === undefined ? {} : { sampleRate });
      const state = await engine.getTransportState();
      const session = new EngineSession(engine, state.sample_rate);
      this.sessions.set(session.id, session);
      return session;
    } finally {
      this.opening--;
    }
  }

  /** The open session with this id; E_NOT_FOUND otherwise. Marks it used. */
  get(id: string): EngineSession {
    const session = this.sessions.get(id);
    if (session === undefined) {
      throw new EngineError(
        "E_NOT_FOUND",
        `no open session "${id}" (closed, or closed after being idle)`,
        "session",
      );
    }
    session.lastUsed = Date.now();
    return session;
  }

  /** Closes a session; E_NOT_FOUND when it is not open. */
  async close(id: string): Promise<void> {
    const session = this.get(id);
    this.sessions.delete(id);
    await session.close();
  }

  /** Closes every session (server shutdown). */
  async closeAll(): Promise<void> {
    clearInterval(this.sweep);
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.allSettled(all.map((session) => session.close()));
  }

  private async closeIdle(): Promise<void> {
    const now = Date.now();
    for (const [id, session] of this.sessions) {
      if (session.active === 0 && now - session.lastUsed > this.idleMs) {
        this.sessions.delete(id);
        await session.close().catch(() => undefined);
      }
    }
  }
}
