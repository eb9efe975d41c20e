/**
 * Live audio input, as a real-time engine offers it (docs/realtime.md, "Live audio input"): what a
 * caller connects, the input latency measured when it connects, and a recorded take with where it
 * belongs on the transport. The math here is pure (tested in Node: test/api/live-input.test.ts); the
 * audioworklet host implements LiveAudioInput (src/hosts/audioworklet/live-input-port.ts).
 */

/** The input latency a take is shifted by, and what it was measured from. */
export interface InputLatency {
  /**
   * What is compensated: trackSeconds + baseSeconds for a MediaStream; 0 for an AudioNode source,
   * which Web Audio renders in the same quantum the engine reads it.
   */
  seconds: number;
  /** `seconds` at the context's rate, rounded to a frame. */
  frames: number;
  /**
   * The capture track's own latency (MediaStreamTrack.getSettings().latency: the device and the
   * browser's capture buffering before the audio reaches the graph); 0 for an AudioNode source (same
   * graph, no capture) or when the browser does not report it (`trackReported` false).
   */
  trackSeconds: number;
  trackReported: boolean;
  /** AudioContext.baseLatency: the context's own processing latency. */
  baseSeconds: number;
  /** AudioContext.outputLatency, reported for a round-trip figure; not compensated. */
  outputSeconds: number;
}

/** The figures a latency is measured from (read from the browser when a source connects). */
export interface InputLatencyReadings {
  sampleRate: number;
  baseLatency: number | undefined;
  outputLatency: number | undefined;
  /** undefined: an AudioNode source; null: a track that reports no latency. */
  trackLatency: number | null | undefined;
}

/** A finite, non-negative reading in seconds, else 0. */
function seconds(value: number | null | undefined): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * The input latency from the browser's readings.
 * @example
 * measureInputLatency({ sampleRate: 48000, baseLatency: 0.00267, outputLatency: 0.02, trackLatency: 0.01 }).frames; // 608
 * measureInputLatency({ sampleRate: 48000, baseLatency: 0.00267, outputLatency: 0.02, trackLatency: undefined }).frames; // 0
 */
export function measureInputLatency(readings: InputLatencyReadings): InputLatency {
  const trackSeconds = seconds(readings.trackLatency);
  const baseSeconds = seconds(readings.baseLatency);
  const captured = readings.trackLatency !== undefined;
  const total = captured ? trackSeconds + baseSeconds : 0;
  return {
    seconds: total,
    frames: Math.round(total * readings.sampleRate),
    trackSeconds,
    trackReported: typeof readings.trackLatency === "number" && Number.isFinite(readings.trackLatency),
    baseSeconds,
    outputSeconds: seconds(readings.outputLatency),
  };
}

/** A recorded take of the live input. */
export interface InputTake {
  sampleRate: number;
  /** Left and right (a mono input in both). */
  channels: [Float32Array, Float32Array];
  /**
   * Transport frame playing when the take's first sample reached the graph (the first quantum the
   * transport played whole after startInputRecording), or -1 when the transport never played.
   */
  startFrame: number;
  /** The same instant as a context frame (AudioContext.currentTime × rate). */
  startContextFrame: number;
  /** The input latency measured when the source connected (compensated by takePlacement). */
  latency: InputLatency;
  /**
   * Frames the ring could not hold (a main thread stalled for longer than the ring's 4 s): they are
   * missing from `channels`, so the samples after them sit that much early. 0 in a sound take.
   */
  lostFrames: number;
}

/** Where a take's audio belongs on the timeline once its latency is compensated. */
export interface TakePlacement {
  /** Transport frame of the clip's first sample. */
  startFrame: number;
  /** Frames cut from the take's front (the latency reached before frame 0). */
  trimFrames: number;
}

/**
 * A take's sample i was received at transport frame take.startFrame + i, latency.frames after the
 * sound it holds was made: it belongs at startFrame + i − latency. A placement before frame 0 loses
 * the take's front.
 * @example
 * takePlacement({ startFrame: 48000, latencyFrames: 600 }); // { startFrame: 47400, trimFrames: 0 }
 * takePlacement({ startFrame: 0, latencyFrames: 600 });     // { startFrame: 0, trimFrames: 600 }
 */
export function takePlacement(take: { startFrame: number; latencyFrames: number }): TakePlacement {
  const shifted = take.startFrame - take.latencyFrames;
  return shifted >= 0 ? { startFrame: shifted, trimFrames: 0 } : { startFrame: 0, trimFrames: -shifted };
}

/** The real-time engine's live input (the audioworklet host's `liveInput`). */
export interface LiveAudioInput {
  /**
   * Feeds `source` to the engine node's live input (what "webdreamer:audio-input" nodes output and
   * recordings take), replacing any source before, and measures its latency. A MediaStream (or a
   * MediaStreamAudioSourceNode of the engine's context) is a capture; any other AudioNode of the
   * engine's context has no input latency.
   */
  connectLiveInput(source: MediaStream | AudioNode): InputLatency;
  /** Disconnects the source (the input is silence); the caller stops its tracks. */
  disconnectLiveInput(): void;
  /** The latency measured at the last connect, or null with no source. */
  readonly inputLatency: InputLatency | null;
  /**
   * Arms a recording: it starts at the next quantum the transport plays whole. Resolves once the
   * audio thread has armed it, so `await startInputRecording(); play()` records from play's first
   * frame; E_HOST_UNAVAILABLE when the audio thread does not answer within 2 s.
   */
  startInputRecording(): Promise<void>;
  /** Ends the recording and returns the take. */
  stopInputRecording(): Promise<InputTake>;
}
