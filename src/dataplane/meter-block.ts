/**
 * MeterBlock: per-channel level meters the audio thread publishes once per quantum and the UI reads
 * once per animation frame. Latest-value semantics (the UI only wants the newest), so it is a block
 * in a BlockStore, like the transport block, not a ring: a reader never falls behind and there is
 * nothing to drain. So that a reader polling at 60 Hz (every ~6 quanta at 48 kHz) still sees every
 * peak, each channel also carries its peak and RMS over the last `windowQuanta` quanta.
 *
 * Value slots (Float64, see shared-block-store.ts for the seqlock layout around them):
 *
 * ```
 * 0              quantum      quanta measured so far (0 until the first measure)
 * 1              channels     channel count
 * 2 + 4c + 0     peak         max |sample| of channel c in the latest quantum
 * 2 + 4c + 1     rms          root mean square of channel c in the latest quantum
 * 2 + 4c + 2     windowPeak   max |sample| over the last `windowQuanta` quanta
 * 2 + 4c + 3     windowRms    RMS over the last `windowQuanta` quanta
 * ```
 *
 * Threading: `measure` on the audio thread (one writer), `read` anywhere. Neither allocates: the
 * window history is allocated once, at construction.
 */
import { createMeterReading, type MeterReading } from "../api/realtime-readings";
import { EngineError } from "../contracts/errors";
import { type BlockStore, SharedBlockStore } from "./shared-block-store";

/** The most channels one meter block measures. */
export const MAX_METER_CHANNELS = 64;

/** Float64 values in a meter block of `channels` channels. */
export function meterBlockLength(channels: number): number {
  return 2 + 4 * channels;
}

export class MeterBlock {
  /**
   * Where the block's values live (a SharedBlockStore or a PortBlockStore).
   * @example
   * const sab = meters.store instanceof SharedBlockStore ? meters.store.sab : undefined;
   */
  readonly store: BlockStore;
  /**
   * Channels measured.
   * @example
   * const reading = meters.createReading(); // reading.peak.length === meters.channels
   */
  readonly channels: number;
  /**
   * Quanta each window covers (the writer's setting; readers do not need it).
   * @example
   * const windowMs = (meters.windowQuanta * 128 * 1000) / sampleRate;
   */
  readonly windowQuanta: number;

  private readonly values: Float64Array;
  // The writer's window history, one row of `channels` entries per quantum, oldest overwritten.
  private readonly peakHistory: Float32Array;
  private readonly squareHistory: Float64Array;
  private readonly frameHistory: Float64Array;
  private cursor = 0;
  private quantum = 0;

  /**
   * Wraps a store of `meterBlockLength(channels)` values; `create`/`attach` build the shared one.
   * @example
   * const meters = new MeterBlock(PortBlockStore.open(port, meterBlockLength(2)), 2);
   */
  constructor(store: BlockStore, channels: number, windowQuanta = 8) {
    if (!Number.isInteger(channels) || channels < 1 || channels > MAX_METER_CHANNELS) {
      throw new EngineError(
        "E_INTERNAL",
        `a meter block measures 1 to ${MAX_METER_CHANNELS} channels, got ${channels}`,
      );
    }
    if (store.length < meterBlockLength(channels)) {
      throw new EngineError(
        "E_INTERNAL",
        `${channels} meter channels need ${meterBlockLength(channels)} values; the store has ${store.length}`,
      );
    }
    if (!Number.isInteger(windowQuanta) || windowQuanta < 1 || windowQuanta > 1024) {
      throw new EngineError(
        "E_INTERNAL",
        `windowQuanta must be an integer in [1, 1024], got ${windowQuanta}`,
      );
    }
    this.store = store;
    this.channels = channels;
    this.windowQuanta = windowQuanta;
    this.values = new Float64Array(meterBlockLength(channels));
    this.peakHistory = new Float32Array(windowQuanta * channels);
    this.squareHistory = new Float64Array(windowQuanta * channels);
    this.frameHistory = new Float64Array(windowQuanta);
  }

  /**
   * A meter block in a new SharedArrayBuffer (`meters.sab` crosses to the audio thread).
   * @example
   * const meters = MeterBlock.create(2);
   */
  static create(channels: number, options: { windowQuanta?: number; shared?: boolean } = {}): MeterBlock {
    if (!Number.isInteger(channels) || channels < 1 || channels > MAX_METER_CHANNELS) {
      throw new EngineError(
        "E_INTERNAL",
        `a meter block measures 1 to ${MAX_METER_CHANNELS} channels, got ${channels}`,
      );
    }
    const store = SharedBlockStore.create(meterBlockLength(channels), { shared: options.shared ?? true });
    return new MeterBlock(store, channels, options.windowQuanta);
  }

  /**
   * Wraps the meter block in `buffer` (made by `create`); the channel count comes from its length.
   * @example
   * const meters = MeterBlock.attach(options.processorOptions.meters, 0, { windowQuanta: 8 });
   */
  static attach(
    buffer: SharedArrayBuffer | ArrayBuffer,
    byteOffset = 0,
    options: { windowQuanta?: number } = {},
  ): MeterBlock {
    const store = SharedBlockStore.attach(buffer, byteOffset);
    return new MeterBlock(store, (store.length - 2) / 4, options.windowQuanta);
  }

  /**
   * The shared buffer to send to the other thread, or undefined over a MessagePort.
   * @example
   * node.port.postMessage({ meters: meters.sab });
   */
  get sab(): SharedArrayBuffer | ArrayBuffer | undefined {
    return this.store instanceof SharedBlockStore ? this.store.sab : undefined;
  }

  /**
   * Audio thread, once per quantum: measures the first `frames` samples of each channel (a missing
   * channel counts as silence) and publishes peak and RMS. No allocation, never waits.
   * @example
   * // in AudioWorkletProcessor.process(inputs, outputs)
   * meters.measure(outputs[0] ?? []);
   */
  measure(channels: ArrayLike<Float32Array>, frames?: number): void {
    const count = this.channels;
    const row = this.cursor * count;
    let quantumFrames = 0;
    for (let c = 0; c < count; c++) {
      const samples = channels[c];
      let peak = 0;
      let squares = 0;
      if (samples !== undefined) {
        const n = frames === undefined || frames > samples.length ? samples.length : frames;
        for (let i = 0; i < n; i++) {
          const x = samples[i] as number;
          const magnitude = x < 0 ? -x : x;
          if (magnitude > peak) peak = magnitude;
          squares += x * x;
        }
        if (n > quantumFrames) quantumFrames = n;
      }
      this.peakHistory[row + c] = peak;
      this.squareHistory[row + c] = squares;
    }
    if (quantumFrames === 0) quantumFrames = frames ?? 0;
    this.frameHistory[this.cursor] = quantumFrames;
    this.cursor = this.cursor + 1 === this.windowQuanta ? 0 : this.cursor + 1;
    this.quantum++;
    this.publish(row, quantumFrames);
  }

  /**
   * Any thread: fills `into` (from `createReading`) with the newest published meters. False only if
   * the writer stopped in the middle of a write. No allocation.
   * @example
   * const reading = meters.createReading(); // once
   * if (meters.read(reading)) drawBars(reading.windowPeak, reading.windowRms);
   */
  read(into: MeterReading): boolean {
    const values = this.values;
    if (!this.store.read(values)) return false;
    into.quantum = values[0] as number;
    const count = Math.min(this.channels, into.peak.length);
    for (let c = 0, slot = 2; c < count; c++, slot += 4) {
      into.peak[c] = values[slot] as number;
      into.rms[c] = values[slot + 1] as number;
      into.windowPeak[c] = values[slot + 2] as number;
      into.windowRms[c] = values[slot + 3] as number;
    }
    return true;
  }

  /**
   * A zeroed reading sized for this block, to reuse on every read.
   * @example
   * const reading = meters.createReading();
   */
  createReading(): MeterReading {
    return createMeterReading(this.channels);
  }

  private publish(row: number, quantumFrames: number): void {
    const values = this.values;
    const count = this.channels;
    const depth = Math.min(this.quantum, this.windowQuanta);
    let windowFrames = 0;
    for (let q = 0; q < depth; q++) windowFrames += this.frameHistory[q] as number;
    values[0] = this.quantum;
    values[1] = count;
    for (let c = 0, slot = 2; c < count; c++, slot += 4) {
      let windowPeak = 0;
      let windowSquares = 0;
      for (let q = 0, index = c; q < depth; q++, index += count) {
        const peak = this.peakHistory[index] as number;
        if (peak > windowPeak) windowPeak = peak;
        windowSquares += this.squareHistory[index] as number;
      }
      const squares = this.squareHistory[row + c] as number;
      values[slot] = this.peakHistory[row + c] as number;
      values[slot + 1] = quantumFrames > 0 ? Math.sqrt(squares / quantumFrames) : 0;
      values[slot + 2] = windowPeak;
      values[slot + 3] = windowFrames > 0 ? Math.sqrt(windowSquares / windowFrames) : 0;
    }
    this.store.write(values);
  }
}
