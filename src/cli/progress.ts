/**
 * Progress of a whole run (one session or a batch) on stderr: percent done and the realtime factor.
 *
 * - On a terminal: one line, rewritten in place at most ten times a second.
 * - Otherwise (a log file, a CI job, a Kubernetes pod): a line each time the run passes another 10 %,
 *   so logs stay short however long the render.
 *
 * The percent counts each session equally: a session contributes its rendered fraction. It reaches
 * 100 only when every session has finished (its files written, not just its audio rendered), so the
 * last line a run prints is always `100% | N/N sessions`, one session included (`1/1`); a run of
 * project files says "projects", a run of both "sessions and projects". The realtime
 * factor is the seconds of audio rendered so far, over all sessions, per second of wall-clock time.
 */

/** Where the reporter writes; process.stderr in the CLI. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressReporterOptions {
  stream: ProgressStream;
  /** Sessions in the run. */
  sessions: number;
  /** What the line calls them: "sessions" (default), "projects", "sessions and projects". */
  noun?: string;
  /** Clock in milliseconds. Default performance.now. */
  now?: () => number;
}

interface SessionState {
  fraction: number;
  audioSeconds: number;
}

const TTY_REDRAW_MS = 100;

export class ProgressReporter {
  private readonly stream: ProgressStream;
  private readonly tty: boolean;
  private readonly now: () => number;
  private readonly startedMs: number;
  private readonly states: SessionState[];
  private readonly noun: string;
  private done = 0;
  private lastDecile = 0;
  private lastDrawMs = Number.NEGATIVE_INFINITY;
  private lineShown = false;

  /**
   * @example
   * const progress = new ProgressReporter({ stream: process.stderr, sessions: 4 });
   */
  constructor(options: ProgressReporterOptions) {
    this.stream = options.stream;
    this.tty = options.stream.isTTY === true;
    this.now = options.now ?? (() => performance.now());
    this.startedMs = this.now();
    this.states = Array.from({ length: options.sessions }, () => ({ fraction: 0, audioSeconds: 0 }));
    this.noun = options.noun ?? "sessions";
  }

  /**
   * A session's render advanced.
   * @example
   * progress.update(0, { framesRendered: 48000, framesTotal: 96000, sampleRate: 48000 });
   */
  update(session: number, frames: { framesRendered: number; framesTotal: number; sampleRate: number }): void {
    const state = this.states[session];
    if (state === undefined) return;
    state.fraction = frames.framesTotal === 0 ? 1 : frames.framesRendered / frames.framesTotal;
    state.audioSeconds = frames.framesRendered / frames.sampleRate;
    this.show(false);
  }

  /** A session ended (rendered or failed). */
  finish(session: number, audioSeconds = 0): void {
    const state = this.states[session];
    if (state === undefined) return;
    state.fraction = 1;
    state.audioSeconds = audioSeconds;
    this.done++;
    this.show(this.done === this.states.length);
  }

  /**
   * Writes `text` as its own line, clearing the in-place progress line first on a terminal.
   * @example
   * progress.message("error: a.json: E_SCHEMA at request.channels: must be <= 32");
   */
  message(text: string): void {
    if (this.tty && this.lineShown) this.stream.write("\r\x1b[2K");
    this.stream.write(`${text}\n`);
    if (this.tty && this.lineShown) this.stream.write(this.line());
  }

  /** Ends the in-place line on a terminal. */
  close(): void {
    if (this.tty && this.lineShown) {
      this.stream.write("\n");
      this.lineShown = false;
    }
  }

  /** Seconds of audio rendered so far, over all sessions. */
  get audioSeconds(): number {
    return this.states.reduce((sum, state) => sum + state.audioSeconds, 0);
  }

  /** Wall-clock seconds since the reporter was made. */
  get elapsedSeconds(): number {
    return (this.now() - this.startedMs) / 1000;
  }

  private show(final: boolean): void {
    const percent = this.percent();
    if (this.tty) {
      const now = this.now();
      if (!final && now - this.lastDrawMs < TTY_REDRAW_MS) return;
      this.lastDrawMs = now;
      this.stream.write(`\r\x1b[2K${this.line()}`);
      this.lineShown = true;
      return;
    }
    const decile = Math.floor(percent / 10);
    if (decile > this.lastDecile) {
      this.lastDecile = decile;
      this.stream.write(`${this.line()}\n`);
    }
  }

  private percent(): number {
    if (this.done === this.states.length) return 100;
    const total = this.states.reduce((sum, state) => sum + state.fraction, 0);
    // A session whose audio is all rendered may still be writing its files (a --normalize pass):
    // the run is at 99 % until the last one finishes, so that 100 % is shown once, with N/N.
    return Math.min(99, Math.floor((100 * total) / this.states.length));
  }

  private line(): string {
    const elapsed = this.elapsedSeconds;
    const factor = elapsed > 0 ? this.audioSeconds / elapsed : 0;
    const sessions = `${this.done}/${this.states.length} ${this.noun}`;
    return `webdreamer: ${String(this.percent()).padStart(3)}% | ${sessions} | ${factor.toFixed(1)}x realtime`;
  }
}
