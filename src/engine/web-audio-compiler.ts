/**
 * Compiles `web_audio` automation (a Web Audio AudioParam schedule) into engine timeline entries.
 *
 * The schedule is evaluated here, in double precision, once per frame at t = frame / sampleRate, as
 * Chromium evaluates an a-rate AudioParam (an event at time T takes effect from frame
 * ceil(T * sampleRate), as there), and sent as audio-rate arrays: the engine's own ramps run
 * between whole frames and from the segment's start, while Web Audio's run between arbitrary times and
 * from the previous event. Only frames where the value moves are sent (a ramp's span, a curve, a
 * setTarget until the next event); between them the last value holds in the engine, so a long,
 * mostly flat schedule stays small. The cost is 4 bytes per moving frame, counted in the graph's
 * memory estimate like any audio-rate automation.
 *
 * A setTarget with nothing after it never reaches its target exactly: it is sent until it is within
 * 2^-25 of the target's magnitude (below float resolution there), or 2^-48 of its excursion when the
 * target is 0 (about 33 time constants), and then holds.
 */
import { EngineError } from "../contracts/errors";
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
  let started = 0; // events that have taken effect by the frame at hand
  for (const [first, last] of movingFrames(values, rate)) {
    const frames = new Float32Array(last - first + 1);
    for (let i = 0; i < frames.length; i++) {
      const frame = first + i;
      while (
        started < events.length &&
        firstFrameAt((events[started] as ScheduledEvent).time, rate) <= frame
      ) {
        started++;
      }
      frames[i] = values.valueWith(started, frame / rate);
    }
    timeline.push({ type: "array", param, start: first, values: frames });
  }
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
