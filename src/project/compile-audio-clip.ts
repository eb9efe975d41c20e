/**
 * An audio clip as one builtin:playback node.
 *
 * builtin:playback reads buffer frame `n + start_offset` at transport frame `n`, and start_offset
 * cannot be negative, so on its own it cannot start audio later than transport 0. With `loop` on it
 * reads frame `(n + start_offset) mod L` instead, which can: the compiler sets start_offset to
 * (S - T) mod L, so the buffer frame S (the clip's source start) plays at transport frame T (the
 * clip's start, round(secondsAtBeat(start_beat) × rate)), and the clip's gain envelope (automation of
 * the node's `gain`) is 0 outside the clip, so the wrapped audio before and after it is never heard.
 * A clip's own loop region is a step of start_offset at each pass, jumping the read position back
 * to the loop start on the exact frame the pass ends.
 *
 * The envelope carries the clip's gain and its fades (clip-fades.ts), as linear segments (an
 * equal-power fade drawn through knots within EQUAL_POWER_MAX_ERROR of √x, see mixer-laws.ts). A clip without a
 * loop ends where its audio does if that comes first (its fade-out then ends there).
 *
 * Exactness: frames are exact when the audio's rate is the render's; otherwise the read position is
 * within half a frame of the audio (the engine rounds start_offset to a whole frame of the audio). The
 * engine holds start_offset as a 32-bit float, exact to the frame for offsets below 2^23 frames of
 * the audio (174 s at 48 kHz): longer audio may land a frame off.
 */
import type { BufferHandle } from "../contracts/common";
import type { Automation, GraphNode } from "../contracts/graph-descriptor";
import type { ClipFades } from "./clip-fades";
import { dbToGain, fadeInGain, fadeKnots } from "./mixer-laws";
import type { AudioClip, AudioSource } from "./project-schema";

/** What a clip compiler needs of the project's timeline and the render. */
export interface ClipTimeline {
  /** Seconds from the start of the timeline to `beat` on the project's tempo map. */
  seconds(beat: number): number;
  /** The render's sample rate: transport frames are round(seconds × sampleRate). */
  sampleRate: number;
}

type BreakpointPoint = { time: number; value: number; curve: "linear" | "exponential" | "step" };

/**
 * The playback node of `clip`, named `name`.
 * @example
 * const node = audioClipNode("t1.clip.c1", clip, source, "buf:1", fades, { seconds: (b) => b / 2, sampleRate: 48000 });
 */
export function audioClipNode(
  name: string,
  clip: AudioClip,
  source: AudioSource,
  handle: BufferHandle,
  fades: ClipFades,
  timeline: ClipTimeline,
): GraphNode {
  const start = timeline.seconds(clip.start_beat);
  const offsets = startOffsets(clip, source, start, timeline, clipEndSeconds(clip, source, timeline));
  const automation: Record<string, Automation> = {
    gain: breakpoints(gainEnvelope(clip, source, fades, timeline)),
  };
  if (offsets.length > 1) automation.start_offset = breakpoints(offsets);
  return {
    name,
    node_id: "builtin:playback",
    inputs: [],
    params: { loop: "on", start_offset: (offsets[0] as BreakpointPoint).value, gain: 0 },
    automation,
    midi: [],
    buffers: { data: handle },
    capture: false,
    extensions: {},
  };
}

/** Where the clip falls silent: its end, or earlier where its audio runs out (no loop). */
function clipEndSeconds(clip: AudioClip, source: AudioSource, timeline: ClipTimeline): number {
  const start = timeline.seconds(clip.start_beat);
  const end = timeline.seconds(clip.start_beat + clip.length_beats);
  if (clip.loop !== null) return end;
  return Math.min(end, start + source.frames / source.sample_rate - clip.source_start_seconds);
}

function gainEnvelope(
  clip: AudioClip,
  source: AudioSource,
  fades: ClipFades,
  timeline: ClipTimeline,
): BreakpointPoint[] {
  const gain = dbToGain(clip.gain_db);
  const start = timeline.seconds(clip.start_beat);
  const clipEnd = timeline.seconds(clip.start_beat + clip.length_beats);
  const end = clipEndSeconds(clip, source, timeline);
  let fadeIn = timeline.seconds(clip.start_beat + fades.fadeIn.beats) - start;
  let fadeOut = clipEnd - timeline.seconds(clip.start_beat + clip.length_beats - fades.fadeOut.beats);
  const room = end - start;
  if (fadeIn + fadeOut > room) {
    // The audio ran out before the clip's end: both fades shrink to fit what plays.
    const scale = room / (fadeIn + fadeOut);
    fadeIn *= scale;
    fadeOut *= scale;
  }
  // Knots go on whole frames (the engine's grid), each with the gain of its own frame.
  const rate = timeline.sampleRate;
  const frameOf = (seconds: number) => Math.round(seconds * rate);
  const points: BreakpointPoint[] = [];
  const push = (frame: number, value: number, curve: BreakpointPoint["curve"]) => {
    const last = points[points.length - 1];
    const time = Math.max(frame / rate, last?.time ?? 0);
    if (last !== undefined && curve === "linear" && last.curve === "linear" && last.time === time) {
      last.value = value; // a second knot on one frame: keep the frame's own value once
      return;
    }
    points.push({ time, value, curve });
  };
  const first = frameOf(start);
  const last = frameOf(end);
  if (first > 0) push(0, 0, "step");
  const fadeInEnd = frameOf(start + fadeIn);
  if (fadeInEnd > first) {
    const curve = fades.fadeIn.curve;
    const length = fadeInEnd - first;
    for (const knot of fadeKnots(curve, length))
      push(first + knot, gain * fadeInGain(curve, knot / length), "linear");
  } else push(first, gain, "linear");
  const fadeOutStart = Math.max(frameOf(end - fadeOut), fadeInEnd);
  if (last > fadeOutStart) {
    const curve = fades.fadeOut.curve;
    const length = last - fadeOutStart;
    // A fade-in read backwards from the clip's end: dense where the gain is steep (near its end).
    const knots = fadeKnots(curve, length);
    for (let k = knots.length - 1; k >= 0; k--) {
      const knot = knots[k] as number;
      push(last - knot, gain * fadeInGain(curve, knot / length), "linear");
    }
  } else {
    push(last, gain, "step");
    push(last, 0, "step");
  }
  return points;
}

/**
 * start_offset over time, in seconds of the audio: one value without a loop region, else a step at
 * each pass of the loop.
 */
function startOffsets(
  clip: AudioClip,
  source: AudioSource,
  startSeconds: number,
  timeline: ClipTimeline,
  endSeconds: number,
): BreakpointPoint[] {
  const rate = timeline.sampleRate;
  const ratio = source.sample_rate / rate; // audio frames per transport frame
  const length = source.frames;
  const offsetSeconds = (audioFrame: number, transportFrame: number) => {
    const frames = audioFrame - transportFrame * ratio;
    return (((frames % length) + length) % length) / source.sample_rate;
  };
  const startFrame = Math.round(startSeconds * rate);
  const sourceStart = Math.round(clip.source_start_seconds * source.sample_rate);
  const points: BreakpointPoint[] = [
    { time: 0, value: offsetSeconds(sourceStart, startFrame), curve: "step" },
  ];
  if (clip.loop === null) return points;
  const loopStart = Math.round(clip.loop.start_seconds * source.sample_rate);
  const loopEnd = Math.round(clip.loop.end_seconds * source.sample_rate);
  const endFrame = Math.round(endSeconds * rate);
  const period = (loopEnd - loopStart) / ratio;
  for (let pass = startFrame + (loopEnd - sourceStart) / ratio; Math.round(pass) < endFrame; pass += period) {
    points.push({ time: Math.round(pass) / rate, value: offsetSeconds(loopStart, pass), curve: "step" });
  }
  return points;
}

function breakpoints(points: BreakpointPoint[]): Automation {
  return { kind: "breakpoints", timeline: "seconds", points };
}
