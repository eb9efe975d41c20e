/**
 * CommandFeeder: the engine Worker's flow control for the command ring, so that no command a caller
 * was told is taken is ever dropped, and a full queue answers the caller instead
 * (docs/reliability.md, "Real-time commands").
 *
 * Two lanes share the ring:
 * - **now** commands (atFrame -1: parameters without a time, transport calls) need only ring space.
 *   The audio thread drains the whole ring every quantum, so space lacks only when it does not run
 *   (a suspended context). A command that does not fit waits, in call order, up to `waitMs`; then it
 *   is refused with E_BACKPRESSURE, as is any beyond `waitingCapacity` waiting commands.
 * - **timed** commands (atFrame >= 0: scheduled parameters, MIDI) also need a slot in the audio
 *   thread's queue (COMMAND_QUEUE_CAPACITY). They wait here in a TimedBacklog ordered by (frame,
 *   call order) and are sent, earliest first, while (sent − done) < that capacity, where `done` is
 *   the audio thread's timedCommandsDone, read from the transport block it writes every quantum (no
 *   message). So the audio thread's queue never overflows. Only commands due within `horizonFrames`
 *   of the playhead are sent, so commands far ahead never hold the slots a nearer command needs. A
 *   call that would take the backlog beyond `backlogCapacity` is refused whole with E_BACKPRESSURE
 *   (or E_LIMIT when it could never fit); a call is never half-taken.
 *
 * Now commands are written before timed ones, and timed ones leave `reserveBytes` of the ring free,
 * so a timed flood never delays a now command by more than a quantum. The price, under overload
 * only: a timed command still in the backlog when its frame passes applies late (counted in
 * late_commands), possibly after a now command sent later.
 *
 * Worker only: it uses timers and allocates (its backlog grows by doubling).
 */

import { createTransportSnapshot, type TransportSnapshot } from "../../api/realtime-readings";
import { EngineError } from "../../contracts/errors";
import { formatCount } from "../../contracts/limits";
import {
  CommandEncoder,
  type CommandRing,
  type DataPlaneCommand,
  MAX_COMMAND_BYTES,
  NOW,
} from "../../dataplane/command-codec";
import { hostClearTimeout, hostSetTimeout, nowMs } from "../../dataplane/host-globals";
import { COMMAND_QUEUE_CAPACITY } from "../../engine/realtime-engine";
import { TimedBacklog } from "./timed-backlog";

/** Timed commands the Worker holds for the audio thread at most (2¹⁸: 131 072 notes). */
export const TIMED_BACKLOG_CAPACITY = 262_144;
/** How long a now command waits for room in the command ring before E_BACKPRESSURE. */
export const NOW_WAIT_MS = 1000;
/** Now commands that may wait for room in the command ring at once. */
export const NOW_WAITING_CAPACITY = 16_384;
/** Timed commands are sent once due within this many seconds of the playhead. */
export const FEED_HORIZON_SECONDS = 1;

/** Ring bytes timed commands leave free for now commands. */
const RESERVE_BYTES = 4096;
/** How often the Worker looks again while the ring or the audio queue is full. */
const POLL_MS = 4;
/** ... and at most how long it sleeps while the next timed command is beyond the horizon. */
const IDLE_POLL_MS = 50;

/** The producer end of the command ring, as the feeder uses it. */
export interface FeederRing extends CommandRing {
  availableWrite(): number;
}

/** Where the feeder reads the audio thread's progress: the Worker's transport block. */
export interface ProgressSource {
  read(into: TransportSnapshot): TransportSnapshot | null;
}

/** Bounds of a CommandFeeder (defaults: the constants above). */
export interface CommandFeederOptions {
  sampleRate: number;
  /** The audio thread's timed-queue capacity (RealtimeEngine's COMMAND_QUEUE_CAPACITY). */
  audioQueueCapacity?: number;
  backlogCapacity?: number;
  waitMs?: number;
  waitingCapacity?: number;
  horizonFrames?: number;
  reserveBytes?: number;
}

interface WaitingCommand {
  record: Uint8Array;
  deadline: number;
  resolve: () => void;
  reject: (error: EngineError) => void;
}

/** Where CommandEncoder writes a record when it is staged rather than sent. */
class RecordSink implements CommandRing {
  target: Uint8Array = new Uint8Array(MAX_COMMAND_BYTES);
  offset = 0;
  written = 0;
  pushAll(source: Uint8Array, length = source.length, offset = 0): boolean {
    for (let i = 0; i < length; i++) this.target[this.offset + i] = source[offset + i] as number;
    this.written = length;
    return true;
  }
  pop(): number {
    return 0;
  }
  skip(): number {
    return 0;
  }
  availableRead(): number {
    return 0;
  }
}

export class CommandFeeder {
  private readonly encoder = new CommandEncoder();
  private readonly sink = new RecordSink();
  private readonly backlog: TimedBacklog;
  private readonly waiting: WaitingCommand[] = [];
  private readonly progress = createTransportSnapshot();
  private readonly audioQueueCapacity: number;
  private readonly waitMs: number;
  private readonly waitingCapacity: number;
  private readonly horizonFrames: number;
  private readonly reserveBytes: number;
  private stagingBuffer = new Uint8Array(0);
  private stagedLengths = new Uint8Array(0);
  private timedSent = 0;
  private timer: unknown = undefined;
  private timerDue = 0;

  /**
   * Feeds `ring`, reading the audio thread's progress from `source` (the Worker's transport block).
   * @example
   * const feeder = new CommandFeeder(commandRing, TransportBlock.create(), { sampleRate: 48000 });
   */
  constructor(
    private readonly ring: FeederRing,
    private readonly source: ProgressSource,
    options: CommandFeederOptions,
  ) {
    this.audioQueueCapacity = options.audioQueueCapacity ?? COMMAND_QUEUE_CAPACITY;
    this.backlog = new TimedBacklog(options.backlogCapacity ?? TIMED_BACKLOG_CAPACITY);
    this.waitMs = options.waitMs ?? NOW_WAIT_MS;
    this.waitingCapacity = options.waitingCapacity ?? NOW_WAITING_CAPACITY;
    this.horizonFrames = options.horizonFrames ?? Math.round(FEED_HORIZON_SECONDS * options.sampleRate);
    this.reserveBytes = options.reserveBytes ?? RESERVE_BYTES;
  }

  /**
   * Timed commands waiting in the Worker for the audio thread.
   * @example
   * console.info(`${feeder.backlogLength} timed commands wait in the Worker`);
   */
  get backlogLength(): number {
    return this.backlog.length;
  }

  /**
   * Now commands waiting for room in the command ring.
   * @example
   * if (feeder.waitingLength > 0) console.warn("the audio thread is not draining the command ring");
   */
  get waitingLength(): number {
    return this.waiting.length;
  }

  /**
   * Timed commands sent to the audio thread that it has not finished with (as of its last write).
   * @example
   * expect(feeder.timedInFlight).toBeLessThanOrEqual(4096); // RealtimeEngine's COMMAND_QUEUE_CAPACITY
   */
  get timedInFlight(): number {
    return this.timedSent - this.progress.timedCommandsDone;
  }

  /**
   * Sends a now command (atFrame -1 or absent). Resolves once it is in the ring, where nothing drops
   * it; rejects with E_BACKPRESSURE when it could not be written within `waitMs` or too many already
   * wait, and with E_SCHEMA for a malformed command. Commands are written in call order.
   * @example
   * await feeder.sendNow({ type: "play" });
   */
  async sendNow(command: DataPlaneCommand): Promise<void> {
    if ((command.atFrame ?? NOW) !== NOW) {
      throw new EngineError("E_INTERNAL", "sendNow takes commands for now (atFrame -1); use sendTimed");
    }
    const length = this.stage(command, this.sink.target, 0);
    if (this.waiting.length === 0 && this.write(this.sink.target, length, 0)) return;
    if (this.waiting.length >= this.waitingCapacity) {
      throw new EngineError(
        "E_BACKPRESSURE",
        `${this.waiting.length} commands already wait for room in the command ring (at most ` +
          `${this.waitingCapacity}); the command was not taken`,
      );
    }
    const record = this.sink.target.slice(0, length);
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ record, deadline: nowMs() + this.waitMs, resolve, reject });
      this.schedule(POLL_MS);
    });
  }

  /**
   * Takes timed commands (every atFrame >= 0) all together or not at all: they are sent to the audio
   * thread as its queue frees up, earliest frame first, and nothing drops them (a graph load discards
   * those still waiting, counted as dropped). Throws E_BACKPRESSURE when the backlog has no room for
   * all of them now, E_LIMIT at `path` (the call's field) when it never could, E_SCHEMA for a
   * malformed command.
   * @example
   * feeder.sendTimed([
   *   { type: "midi", node: 0, status: 0x90, data1: 60, data2: 100, atFrame: 48000 },
   *   { type: "midi", node: 0, status: 0x80, data1: 60, data2: 0, atFrame: 72000 },
   * ]);
   */
  sendTimed(commands: readonly DataPlaneCommand[], path = ""): void {
    const count = commands.length;
    const capacity = this.backlog.capacity;
    if (count > capacity) {
      throw new EngineError(
        "E_LIMIT",
        `${formatCount(count)} timed commands in one call exceed the timed-command backlog (${formatCount(capacity)} commands); ` +
          "send them in smaller calls",
        path,
      );
    }
    if (this.backlog.length + count > capacity) {
      throw new EngineError(
        "E_BACKPRESSURE",
        `the timed-command backlog holds ${formatCount(this.backlog.length)} of ${formatCount(capacity)} commands and cannot take ` +
          `${formatCount(count)} more; the call was not taken: retry once some have played`,
        path,
      );
    }
    // Encode every command before taking any, so a malformed one leaves nothing half-taken.
    const staged = this.staging(count);
    for (let i = 0; i < count; i++) {
      const command = commands[i] as DataPlaneCommand;
      if (!((command.atFrame ?? NOW) >= 0)) {
        throw new EngineError("E_INTERNAL", "sendTimed takes commands with atFrame >= 0; use sendNow");
      }
      this.stagedLengths[i] = this.stage(command, staged, i * MAX_COMMAND_BYTES);
    }
    for (let i = 0; i < count; i++) {
      const frame = (commands[i] as DataPlaneCommand).atFrame as number;
      this.backlog.add(staged, this.stagedLengths[i] as number, i * MAX_COMMAND_BYTES, frame);
    }
    this.feed();
  }

  /**
   * Drops every timed command still waiting here (a new graph makes their node indices meaningless);
   * returns how many, for the dropped-commands counter.
   * @example
   * const discarded = feeder.discardTimed();
   */
  discardTimed(): number {
    return this.backlog.clear();
  }

  /**
   * Writes what fits now: waiting now commands first, then timed commands within the horizon while
   * the audio thread's queue has room. Runs after each send and on a timer while anything waits.
   * @example
   * feeder.feed(); // after the audio thread has drained the ring
   */
  feed(): void {
    this.source.read(this.progress); // a torn read keeps the previous, older and so safer, values
    const waiting = this.waiting;
    while (waiting.length > 0) {
      const next = waiting[0] as WaitingCommand;
      if (!this.write(next.record, next.record.length, 0)) break;
      waiting.shift();
      next.resolve();
    }
    const now = nowMs();
    while (waiting.length > 0 && (waiting[0] as WaitingCommand).deadline <= now) {
      (waiting.shift() as WaitingCommand).reject(
        new EngineError(
          "E_BACKPRESSURE",
          `the command ring stayed full for ${this.waitMs} ms (the audio thread is not draining it: ` +
            "is the AudioContext suspended?); the command was not taken",
        ),
      );
    }
    const backlog = this.backlog;
    const horizon = this.progress.positionFrames + this.horizonFrames;
    let credit = this.audioQueueCapacity - this.timedInFlight;
    while (
      credit > 0 &&
      backlog.nextFrame() <= horizon &&
      this.ring.availableWrite() >= MAX_COMMAND_BYTES + this.reserveBytes &&
      backlog.writeNext(this.ring)
    ) {
      this.timedSent++;
      credit--;
    }
    if (waiting.length > 0 || (backlog.length > 0 && backlog.nextFrame() <= horizon)) {
      this.schedule(POLL_MS);
    } else if (backlog.length > 0) {
      // Beyond the horizon: sleep until the playhead could bring it in (position moves at most at
      // the sample rate), within bounds, since a seek can bring it in sooner.
      const framesAway = backlog.nextFrame() - horizon;
      this.schedule(Math.min(IDLE_POLL_MS, Math.max(POLL_MS, (framesAway / this.horizonFrames) * 1000)));
    }
  }

  private write(record: Uint8Array, length: number, offset: number): boolean {
    return this.ring.availableWrite() >= length && this.ring.pushAll(record, length, offset);
  }

  /** Encodes `command` into `target` at `offset` (validating it); returns the record's length. */
  private stage(command: DataPlaneCommand, target: Uint8Array, offset: number): number {
    const sink = this.sink;
    const previous = sink.target;
    sink.target = target;
    sink.offset = offset;
    try {
      this.encoder.encode(command, sink);
    } finally {
      sink.target = previous;
      sink.offset = 0;
    }
    return sink.written;
  }

  private staging(count: number): Uint8Array {
    if (this.stagingBuffer.length < count * MAX_COMMAND_BYTES) {
      this.stagingBuffer = new Uint8Array(count * MAX_COMMAND_BYTES);
      this.stagedLengths = new Uint8Array(count);
    }
    return this.stagingBuffer;
  }

  /** Runs feed() within `ms`: keeps a pending timer that fires sooner, else replaces it. */
  private schedule(ms: number): void {
    const due = nowMs() + ms;
    if (this.timer !== undefined) {
      if (this.timerDue <= due) return;
      hostClearTimeout(this.timer);
    }
    this.timerDue = due;
    this.timer = hostSetTimeout(() => {
      this.timer = undefined;
      this.feed();
    }, ms);
  }
}
