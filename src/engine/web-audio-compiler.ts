/**
 * Compiles `web_audio` automation (a Web Audio AudioParam schedule) into engine timeline entries.
 *
 * The schedule is evaluated here, in double precision, once per frame at t = frame / sampleRate, as
 * Chromium evaluates an a-rate AudioParam (an event at time T takes effect from frame
 * ceil(T * sampleRate), as there). Only frames where the value moves are sent (a ramp's span, a
 * curve, a setTarget until the next event); between them the last value holds in the engine, so a
 * long, mostly flat schedule stays small. A linear or exponential ramp is linear (or exponential) in
 * the frame number, so one of 64 frames or more goes as an engine ramp between the values the formula
 * gives at its first frame and at its event's frame; everything else that moves goes as audio-rate
 * values, 4 bytes a frame, counted in the graph's memory estimate (E_LIMIT graphMemoryBytes before
 * they are computed, when they could never fit).
 *
 * A setTarget with nothing after it never reaches its target exactly: it is sent until it is within
 * 2^-25 of the target's magnitude (below float resolution there), or 2^-48 of its excursion when the
 * target is 0 (about 33 time constants), and then holds.
 */
import { EngineError } from "../contracts/errors";
import { LIMITS, limitError } from "../contracts/limits";
import { formatPath } from "../contracts/validate";
import type { WebAudioAutomation } from "../contracts/web-audio-automation";
import { scheduleWebAudio, type WebAudioCall } from "../contracts/web-audio-schedule";
import { type ScheduledEvent, WebAudioValues } from "../contracts/web-audio-values";
import type { TimelineEntry } from "./graph-program";

export interface WebAudioCompileOptions {
  /** The parameter's own value: `params`, else its default. It holds before the first event. */
  intrinsic: number;
  sampleRate: number;
  /** A time on the automation's timeline in seconds (identity, or beats on the tempo map). */
  toSeconds(time: number): number;
  /** Path of the automation, for errors. */
  path: string;
}

/**
 * Appends the audio-rate arrays that play `automation` on `param` to `timeline`.
 * @example
 * const entries: Parameters<typeof compileWebAudio>[3] = [];
 * compileWebAudio("gain", { kind: "web_audio", timeline: "seconds", events: [
 *   { type: "setValueAtTime", value: 0, time: 0 }, { type: "linearRampToValueAtTime", value: 1, time: 1 },
 * ] }, { intrinsic: 1, sampleRate: 48000, toSeconds: (t) => t, path: "p" }, entries);
 * // entries: one array of 48001 values at frame 0, frame / 48000, whose last value (1) then holds
 */
export function compileWebAudio(
  param: string,
  automation: WebAudioAutomation,
  options: WebAudioCompileOptions,
  timeline: TimelineEntry[],
): void {
  const scheduled = scheduleWebAudio(automation.events as WebAudioCall[], {
    toTime: options.toSeconds,
    intrinsic: options.intrinsic,
  });
  if ("issue" in scheduled) {
    const path = formatPath(["events", ...scheduled.issue.path], options.path);
    throw new EngineError("E_SCHEMA", scheduled.issue.message, path);
  }
  const values = new WebAudioValues(scheduled.events, options.intrinsic);
  const rate = options.sampleRate;
  const events = values.events;
  // The values of moving frames cost engine memory: refuse before allocating what the engine would.
  const ranges = movingFrames(values, rate);
  const bytes = arrayFrameCount(values, ranges, rate) * Float32Array.BYTES_PER_ELEMENT;
  if (bytes > LIMITS.graphMemoryBytes.value) {
    const path = formatPath(["events"], options.path);
    throw limitError("graphMemoryBytes", bytes, path, "the audio-rate values of this web_audio automation");
  }
  let started = 0; // events that have taken effect by the frame at hand
  const advance = (frame: number) => {
    while (started < events.length && firstFrameAt((events[started] as ScheduledEvent).time, rate) <= frame) {
      started++;
    }
  };
  for (const [first, last] of ranges) {
    for (let frame = first; frame <= last; ) {
      advance(frame);
      const ramp = rampStretch(values, started, frame, rate);
      if (ramp !== undefined) {
        timeline.push({ type: "ramp", param, start: frame, ...ramp });
        frame = ramp.end;
        continue;
      }
      // Values up to the next event's frame (where a ramp may start) or the end of the range.
      const next = events[started];
      const end = Math.min(
        last + 1,
        next === undefined ? last + 1 : Math.max(frame + 1, firstFrameAt(next.time, rate)),
      );
      const run = new Float32Array(end - frame);
      for (let i = 0; i < run.length; i++) {
        advance(frame + i);
        run[i] = values.valueWith(started, (frame + i) / rate);
      }
      timeline.push({ type: "array", param, start: frame, values: run });
      frame = end;
    }
  }
}

/** Ramps shorter than this go as values: an engine segment is not worth it. */
const MIN_RAMP_FRAMES = 64;

/**
 * A linear or exponential ramp running from `frame` as one engine ramp: Web Audio's ramp is linear
 * (or exponential) in the frame number, so the engine's ramp from the value at `frame` to the value
 * the same formula gives at the frame its event takes effect (`end`, where the next entry sets the
 * event's own value) matches it frame by frame, without sending a value per frame.
 */
function rampStretch(
  values: WebAudioValues,
  started: number,
  frame: number,
  rate: number,
): { end: number; from: number; to: number; curve: "linear" | "exponential" } | undefined {
  const previous = values.events[started - 1];
  const next = values.events[started];
  if (next === undefined || (next.type !== "linear" && next.type !== "exponential")) return undefined;
  if (previous?.type === "curve" && frame / rate < previous.end) return undefined;
  const end = firstFrameAt(next.time, rate);
  if (end - frame < MIN_RAMP_FRAMES) return undefined;
  const from = values.valueWith(started, frame / rate);
  const to = values.valueWith(started, end / rate);
  // A ramp that holds (an exponential one from 0 or across a sign change) is a linear one from v to v.
  const curve = next.type === "exponential" && from !== to ? "exponential" : "linear";
  return { end, from, to, curve };
}

/**
 * How many frames of `ranges` go as values: all but the ramps sent as engine ramps (each ramp event's
 * span from the frame its previous event takes effect, as rampStretch finds it).
 */
function arrayFrameCount(values: WebAudioValues, ranges: readonly [number, number][], rate: number): number {
  let frames = ranges.reduce((sum, [first, last]) => sum + last - first + 1, 0);
  values.events.forEach((event, index) => {
    if (event.type !== "linear" && event.type !== "exponential") return;
    const previous = values.events[index - 1];
    const from = previous === undefined ? 0 : previous.type === "curve" ? previous.end : previous.time;
    const span = firstFrameAt(event.time, rate) - firstFrameAt(from, rate);
    if (span >= MIN_RAMP_FRAMES) frames -= span;
  });
  return frames;
}

/**
 * The frame ranges (inclusive, merged, in order) outside which the value does not change: each event's
 * own frame, a ramp from its previous event, a setTarget until the next event or until it settles, a
 * curve until it stops. The last frame of a range holds its value until the next range.
 */
function movingFrames(values: WebAudioValues, rate: number): [number, number][] {
  const events = values.events;
  const ranges: [number, number][] = [];
  events.forEach((event, index) => {
    const previousTime = index === 0 ? 0 : (events[index - 1] as ScheduledEvent).time;
    let from = event.time;
    let to = event.time;
    if (event.type === "linear" || event.type === "exponential") from = previousTime;
    if (event.type === "curve") to = event.end;
    if (event.type === "target") {
      to = events[index + 1]?.time ?? settleTime(event, values.startValue(index));
    }
    const range: [number, number] = [firstFrameAt(from, rate), firstFrameAt(to, rate)];
    const open = ranges.at(-1);
    if (open !== undefined && range[0] <= open[1] + 1) open[1] = Math.max(open[1], range[1]);
    else ranges.push(range);
  });
  return ranges;
}

/**
 * The frame an event at `time` takes effect: ceil(time * rate), the product rounded as Chromium rounds
 * it, so that a time such as 0.55 s at 44.1 kHz (24255.000000000004 frames) lands where it does there.
 */
function firstFrameAt(time: number, rate: number): number {
  return Math.ceil(time * rate);
}

/** When a final setTarget is close enough to its target to hold it (see the module comment). */
function settleTime(event: Extract<ScheduledEvent, { type: "target" }>, start: number): number {
  const excursion = Math.abs(start - event.target);
  if (event.timeConstant === 0 || excursion === 0) return event.time;
  const tolerance = event.target === 0 ? excursion * 2 ** -48 : Math.abs(event.target) * 2 ** -25;
  return event.time + event.timeConstant * Math.max(0, Math.log(excursion / tolerance));
}
