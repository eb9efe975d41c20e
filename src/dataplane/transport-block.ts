/**
 * TransportBlock: the transport state the audio thread publishes once per quantum and the main thread
 * reads whenever it likes (once per animation frame), without a message: position, tempo, loop,
 * sample rate, the quantum counter and the dropout counters. A latest-value mailbox: readers see the
 * newest complete state, never a mix of two quanta, and never hold the writer up.
 *
 * Storage: a BlockStore of TRANSPORT_BLOCK_LENGTH Float64 values. In shared memory that is a
 * SharedBlockStore (a seqlock, see shared-block-store.ts for its layout and invariants); without
 * cross-origin isolation a PortBlockStore (port-block-store.ts), which sends a pooled buffer a few
 * times per animation frame. Value slots (Float64 each; counters are exact integers below 2⁵³):
 *
 * ```
 *  0 quantum           quanta rendered since the engine started (the block's own clock)
 *  1 positionFrames    playhead, frames on the timeline
 *  2 positionSeconds   playhead, seconds
 *  3 positionBeats     playhead, beats (quarter notes) on the tempo map
 *  4 tempoBpm          current tempo
 *  5 flags             bit 0 running, bit 1 loop enabled, bit 2 monitoring
 *  6 loopStartFrames   loop region, frames
 *  7 loopEndFrames
 *  8 sampleRate        Hz
 *  9 quantumFrames     frames per quantum (128 in an AudioWorklet)
 * 10 ringOverflows     dropout counters, since the engine started: command ring pushes that did not fit
 * 11 lateCommands      commands applied after their target frame
 * 12 underruns         quanta output as silence because the engine was not ready
 * 13 badCommands       commands rejected by the audio thread (did not decode, or refused when applied)
 * 14 nonFiniteSamples  output samples that were NaN or ±Infinity, played as 0, since the engine started
 * 15 droppedCommands   commands taken and discarded unapplied (a graph load cleared their queue)
 * 16 appliedCommands   commands applied, on their frame or late
 * 17 timedCommandsDone timed commands the audio thread has finished with (the Worker's flow control)
 * ```
 *
 * Threading: `write` on the audio thread (one writer), `read` anywhere. Neither allocates.
 */
import { createTransportSnapshot, type TransportSnapshot } from "../api/realtime-readings";
import { type BlockStore, SharedBlockStore } from "./shared-block-store";

/** Float64 values in a transport block. */
export const TRANSPORT_BLOCK_LENGTH = 18;

const QUANTUM = 0;
const POSITION_FRAMES = 1;
const POSITION_SECONDS = 2;
const POSITION_BEATS = 3;
const TEMPO_BPM = 4;
const FLAGS = 5;
const LOOP_START = 6;
const LOOP_END = 7;
const SAMPLE_RATE = 8;
const QUANTUM_FRAMES = 9;
const RING_OVERFLOWS = 10;
const LATE_COMMANDS = 11;
const UNDERRUNS = 12;
const BAD_COMMANDS = 13;
const NON_FINITE_SAMPLES = 14;
const DROPPED_COMMANDS = 15;
const APPLIED_COMMANDS = 16;
const TIMED_COMMANDS_DONE = 17;

const RUNNING = 1;
const LOOP_ENABLED = 2;
const MONITORING = 4;

export class TransportBlock {
  /**
   * Where the block's values live (a SharedBlockStore or a PortBlockStore).
   * @example
   * if (block.store instanceof SharedBlockStore) worker.postMessage({ transport: block.store.sab });
   */
  readonly store: BlockStore;

  /** The writer's and the reader's private Float64 copy of the values (never shared). */
  private readonly values = new Float64Array(TRANSPORT_BLOCK_LENGTH);
  /** Flags of the previous write: a change (play, pause, loop on/off) is sent at once over a port. */
  private lastFlags = -1;

  /**
   * Wraps a store of at least TRANSPORT_BLOCK_LENGTH values; `create`/`attach` build the shared one.
   * @example
   * const block = new TransportBlock(PortBlockStore.open(port, TRANSPORT_BLOCK_LENGTH));
   */
  constructor(store: BlockStore) {
    this.store = store;
  }

  /**
   * A transport block in a new SharedArrayBuffer (`block.sab` crosses to the audio thread).
   * @example
   * const block = TransportBlock.create();
   * node.port.postMessage({ transport: block.sab });
   */
  static create(options: { shared?: boolean } = {}): TransportBlock {
    return new TransportBlock(SharedBlockStore.create(TRANSPORT_BLOCK_LENGTH, options));
  }

  /**
   * Wraps the transport block in `buffer` (made by `create`). Setup only.
   * @example
   * const block = TransportBlock.attach(options.processorOptions.transport);
   */
  static attach(buffer: SharedArrayBuffer | ArrayBuffer, byteOffset = 0): TransportBlock {
    return new TransportBlock(SharedBlockStore.attach(buffer, byteOffset, TRANSPORT_BLOCK_LENGTH));
  }

  /**
   * The shared buffer to send to the other thread, or undefined over a MessagePort.
   * @example
   * worker.postMessage({ transport: block.sab });
   */
  get sab(): SharedArrayBuffer | ArrayBuffer | undefined {
    return this.store instanceof SharedBlockStore ? this.store.sab : undefined;
  }

  /**
   * Audio thread, once per quantum: publishes `state` (read, not kept). No allocation, never waits.
   * @example
   * state.quantum++;
   * state.positionFrames += 128;
   * state.positionSeconds = state.positionFrames / sampleRate;
   * block.write(state); // state: one TransportSnapshot reused every quantum
   */
  write(state: TransportSnapshot): void {
    const values = this.values;
    const flags =
      (state.running ? RUNNING : 0) |
      (state.loopEnabled ? LOOP_ENABLED : 0) |
      (state.monitoring ? MONITORING : 0);
    values[QUANTUM] = state.quantum;
    values[POSITION_FRAMES] = state.positionFrames;
    values[POSITION_SECONDS] = state.positionSeconds;
    values[POSITION_BEATS] = state.positionBeats;
    values[TEMPO_BPM] = state.tempoBpm;
    values[FLAGS] = flags;
    values[LOOP_START] = state.loopStartFrames;
    values[LOOP_END] = state.loopEndFrames;
    values[SAMPLE_RATE] = state.sampleRate;
    values[QUANTUM_FRAMES] = state.quantumFrames;
    values[RING_OVERFLOWS] = state.ringOverflows;
    values[LATE_COMMANDS] = state.lateCommands;
    values[UNDERRUNS] = state.underruns;
    values[BAD_COMMANDS] = state.badCommands;
    values[NON_FINITE_SAMPLES] = state.nonFiniteSamples;
    values[DROPPED_COMMANDS] = state.droppedCommands;
    values[APPLIED_COMMANDS] = state.appliedCommands;
    values[TIMED_COMMANDS_DONE] = state.timedCommandsDone;
    const urgent = flags !== this.lastFlags;
    this.lastFlags = flags;
    this.store.write(values, urgent);
  }

  /**
   * Any thread: the newest published state, filled into `into` (allocate it once) or into a new
   * object. Null only if the writer stopped in the middle of a write (then `into` is untouched).
   * A reader takes microseconds and never blocks the writer.
   * @example
   * const state = createTransportSnapshot();
   * requestAnimationFrame(function frame() {
   *   if (block.read(state)) playhead.textContent = state.positionSeconds.toFixed(2);
   *   requestAnimationFrame(frame);
   * });
   */
  read(into: TransportSnapshot = createTransportSnapshot()): TransportSnapshot | null {
    const values = this.values;
    if (!this.store.read(values)) return null;
    const flags = values[FLAGS] as number;
    into.quantum = values[QUANTUM] as number;
    into.positionFrames = values[POSITION_FRAMES] as number;
    into.positionSeconds = values[POSITION_SECONDS] as number;
    into.positionBeats = values[POSITION_BEATS] as number;
    into.tempoBpm = values[TEMPO_BPM] as number;
    into.running = (flags & RUNNING) !== 0;
    into.loopEnabled = (flags & LOOP_ENABLED) !== 0;
    into.monitoring = (flags & MONITORING) !== 0;
    into.loopStartFrames = values[LOOP_START] as number;
    into.loopEndFrames = values[LOOP_END] as number;
    into.sampleRate = values[SAMPLE_RATE] as number;
    into.quantumFrames = values[QUANTUM_FRAMES] as number;
    into.ringOverflows = values[RING_OVERFLOWS] as number;
    into.lateCommands = values[LATE_COMMANDS] as number;
    into.underruns = values[UNDERRUNS] as number;
    into.badCommands = values[BAD_COMMANDS] as number;
    into.nonFiniteSamples = values[NON_FINITE_SAMPLES] as number;
    into.droppedCommands = values[DROPPED_COMMANDS] as number;
    into.appliedCommands = values[APPLIED_COMMANDS] as number;
    into.timedCommandsDone = values[TIMED_COMMANDS_DONE] as number;
    return into;
  }
}
