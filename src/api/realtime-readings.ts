/**
 * What a real-time EngineClient reads without a message, once per animation frame: the transport
 * snapshot and the level meters. The shapes belong to the API; the data plane's TransportBlock and
 * MeterBlock lay them out in shared memory (or behind a MessagePort) and fill them.
 *
 * Both are plain objects of numbers, booleans and typed arrays, allocated once by their create
 * functions and refilled in place on every read, so a UI's frame loop allocates nothing.
 */
import type { z } from "zod";
import type { DataPlaneSchema } from "../contracts/transport-state";

/** How state, meters and commands cross threads: TransportState.extensions.data_plane's values. */
export type DataPlane = z.output<typeof DataPlaneSchema>;

/** The transport a cross-thread data plane runs on: shared memory, or the MessagePort fallback. */
export type DataPlaneTransport = Exclude<DataPlane, "in_process">;

/** One quantum's transport state, as written and read. Plain numbers and booleans only. */
export interface TransportSnapshot {
  /** Quanta rendered since the engine started; 0 until the first write. */
  quantum: number;
  /** Playhead on the timeline, in frames. */
  positionFrames: number;
  /** Playhead on the timeline, in seconds (TransportState.position_seconds). */
  positionSeconds: number;
  /** Playhead in beats (quarter notes) on the tempo map (extensions.position_beats). */
  positionBeats: number;
  /** Current tempo in beats per minute (TransportState.tempo_bpm). */
  tempoBpm: number;
  /** True while the transport plays (TransportState.running). */
  running: boolean;
  /** True while the loop region is active. */
  loopEnabled: boolean;
  /**
   * True while the engine monitors: a stopped transport renders the graph with the timeline held
   * (live notes sound, tails ring out) instead of outputting silence (RealtimeEngineClient.setMonitoring).
   */
  monitoring: boolean;
  /** Loop region start, in frames. */
  loopStartFrames: number;
  /** Loop region end, in frames (> loopStartFrames when set). */
  loopEndFrames: number;
  /** Engine sample rate in Hz (TransportState.sample_rate). */
  sampleRate: number;
  /** Frames per quantum (TransportState.buffer_size_frames; 128 in an AudioWorklet). */
  quantumFrames: number;
  /** Command ring pushes that did not fit, since the engine started (extensions.dropouts.ring_overflows). */
  ringOverflows: number;
  /** Commands applied after their target frame, since the engine started. */
  lateCommands: number;
  /** Quanta output as silence because the engine was not ready (extensions.dropouts.underruns). */
  underruns: number;
  /**
   * Commands the audio thread rejected: records that did not decode (CommandDecoder.badCommands) and
   * commands naming a node, parameter or tempo the engine refused when applying them.
   */
  badCommands: number;
  /**
   * Output samples that were NaN or ±Infinity and were played as 0 instead, since the engine
   * started (extensions.non_finite_samples; docs/reliability.md, "Non-finite audio").
   */
  nonFiniteSamples: number;
  /**
   * Commands the audio thread took and discarded unapplied (extensions.dropouts.dropped_commands):
   * timed commands still queued, in the Worker or on the audio thread, when a graph load replaced the
   * graph they named. Never for want of room: a full queue refuses the call instead (E_BACKPRESSURE).
   */
  droppedCommands: number;
  /** Commands the audio thread applied, on their frame or late, since the engine started. */
  appliedCommands: number;
  /**
   * Timed commands the audio thread has finished with (applied, rejected or dropped): the engine
   * Worker sends a timed command only while fewer than the audio thread's queue capacity are sent
   * and not done, so that queue never overflows.
   */
  timedCommandsDone: number;
}

/**
 * A zeroed snapshot: allocate one per writer or reader at setup and reuse it.
 * @example
 * const state = createTransportSnapshot();
 * state.sampleRate = 48000;
 */
export function createTransportSnapshot(): TransportSnapshot {
  return {
    quantum: 0,
    positionFrames: 0,
    positionSeconds: 0,
    positionBeats: 0,
    tempoBpm: 0,
    running: false,
    loopEnabled: false,
    monitoring: false,
    loopStartFrames: 0,
    loopEndFrames: 0,
    sampleRate: 0,
    quantumFrames: 0,
    ringOverflows: 0,
    lateCommands: 0,
    underruns: 0,
    badCommands: 0,
    nonFiniteSamples: 0,
    droppedCommands: 0,
    appliedCommands: 0,
    timedCommandsDone: 0,
  };
}

/** One read of the meters: typed arrays of one entry per channel, allocated once. */
export interface MeterReading {
  /** Quanta measured when this was written; unchanged between two reads ⇒ nothing new. */
  quantum: number;
  /** max |sample| per channel in the latest quantum. */
  peak: Float32Array;
  /** Root mean square per channel in the latest quantum. */
  rms: Float32Array;
  /** max |sample| per channel over the meter's window (a few quanta). */
  windowPeak: Float32Array;
  /** RMS per channel over the meter's window. */
  windowRms: Float32Array;
}

/**
 * A zeroed reading of `channels` channels, to reuse on every read.
 * @example
 * const reading = createMeterReading(2);
 * reading.peak.length; // 2
 */
export function createMeterReading(channels: number): MeterReading {
  return {
    quantum: 0,
    peak: new Float32Array(channels),
    rms: new Float32Array(channels),
    windowPeak: new Float32Array(channels),
    windowRms: new Float32Array(channels),
  };
}
