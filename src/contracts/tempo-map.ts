/**
 * Beats <-> seconds on a graph's tempo. The contract defines a render length in beats through these
 * functions, so every host computes the same frame count for the same request.
 *
 * A map point's `curve` shapes the segment that starts at it: "step" holds its bpm until the next point;
 * "linear" ramps the bpm linearly in beats to the next point's bpm. The last point's bpm holds forever.
 * For a linear segment bpm(b) = bpm0 + k * b, so t(b) = 60 / k * ln(bpm(b) / bpm0) and, inverted,
 * b(t) = bpm0 * (exp(k * t / 60) - 1) / k.
 */
import { DEFAULT_TEMPO_BPM, type Tempo } from "./graph-descriptor";

interface Segment {
  startBeat: number;
  startSeconds: number;
  /** Beats in this segment; Infinity for the last. */
  lengthBeats: number;
  bpm0: number;
  /** bpm change per beat (0 for constant tempo). */
  slope: number;
}

function segmentsOf(tempo: Tempo): Segment[] {
  const points = tempo.map ?? [{ beat: 0, bpm: tempo.bpm ?? DEFAULT_TEMPO_BPM, curve: "step" as const }];
  const segments: Segment[] = [];
  let startSeconds = 0;
  points.forEach((point, index) => {
    const next = points[index + 1];
    const lengthBeats = next === undefined ? Number.POSITIVE_INFINITY : next.beat - point.beat;
    const slope = next !== undefined && point.curve === "linear" ? (next.bpm - point.bpm) / lengthBeats : 0;
    const segment = { startBeat: point.beat, startSeconds, lengthBeats, bpm0: point.bpm, slope };
    segments.push(segment);
    if (next !== undefined) startSeconds += secondsWithin(segment, lengthBeats);
  });
  return segments;
}

/** The last segment that has started by the given point (segments are in timeline order). */
function lastSegmentWhere(tempo: Tempo, started: (segment: Segment) => boolean): Segment {
  const segments = segmentsOf(tempo);
  let found = segments[0] as Segment;
  for (const segment of segments) if (started(segment)) found = segment;
  return found;
}

function secondsWithin(segment: Segment, beats: number): number {
  if (segment.slope === 0) return (60 * beats) / segment.bpm0;
  return (60 / segment.slope) * Math.log((segment.bpm0 + segment.slope * beats) / segment.bpm0);
}

function beatsWithin(segment: Segment, seconds: number): number {
  if (segment.slope === 0) return (seconds * segment.bpm0) / 60;
  return (segment.bpm0 * Math.expm1((segment.slope * seconds) / 60)) / segment.slope;
}

/**
 * Seconds from the start of the timeline to `beat`.
 * @example
 * secondsAtBeat({ bpm: 120 }, 4); // 2
 */
export function secondsAtBeat(tempo: Tempo, beat: number): number {
  const segment = lastSegmentWhere(tempo, (candidate) => candidate.startBeat <= beat);
  return segment.startSeconds + secondsWithin(segment, beat - segment.startBeat);
}

/**
 * Beats from the start of the timeline to `seconds`.
 * @example
 * beatAtSeconds({ bpm: 120 }, 2); // 4
 */
export function beatAtSeconds(tempo: Tempo, seconds: number): number {
  const segment = lastSegmentWhere(tempo, (candidate) => candidate.startSeconds <= seconds);
  return segment.startBeat + beatsWithin(segment, seconds - segment.startSeconds);
}

/** One piece of a tempo map as the engine takes it (wd_tempo_point): where it starts, its bpm and ramp. */
export interface TempoPiece {
  seconds: number;
  beat: number;
  bpm: number;
  /** bpm change per beat until the next piece (0: constant); the engine integrates it as above. */
  bpmPerBeat: number;
}

/**
 * The pieces of a tempo, in time order, for the engine's tempo (processors that follow it, such as
 * builtin:playback_warp's warp markers, compute beats from them with these same formulas).
 * @example
 * tempoPieces({ bpm: 90 }); // [{ seconds: 0, beat: 0, bpm: 90, bpmPerBeat: 0 }]
 */
export function tempoPieces(tempo: Tempo): TempoPiece[] {
  return segmentsOf(tempo).map((segment) => ({
    seconds: segment.startSeconds,
    beat: segment.startBeat,
    bpm: segment.bpm0,
    bpmPerBeat: segment.slope,
  }));
}

/**
 * The tempo in bpm at `beat`.
 * @example
 * bpmAtBeat({ map: [{ beat: 0, bpm: 60, curve: "linear" }, { beat: 4, bpm: 120, curve: "step" }] }, 2); // 90
 */
export function bpmAtBeat(tempo: Tempo, beat: number): number {
  const segment = lastSegmentWhere(tempo, (candidate) => candidate.startBeat <= beat);
  return segment.bpm0 + segment.slope * (beat - segment.startBeat);
}
