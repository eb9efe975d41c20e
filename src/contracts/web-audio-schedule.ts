/**
 * Applies Web Audio AudioParam calls, in order, to an event list as the Web Audio API does
 * (https://webaudio.github.io/web-audio-api/#AudioParam): insertion after events at the same time,
 * setValueCurveAtTime's implicit setValueAtTime at its end, the overlaps with a curve that Web Audio
 * rejects with NotSupportedError, cancelScheduledValues and cancelAndHoldAtTime's algorithm.
 *
 * Times go through `toTime` first (identity, or beats to seconds on the tempo map): any increasing
 * map keeps the same order and overlaps, so the contract checks raw times and the compiler seconds.
 */
import { type ScheduledEvent, WebAudioValues } from "./web-audio-values";

/** One call as the contract carries it (times on the automation's timeline). */
export type WebAudioCall =
  | { type: "setValueAtTime"; value: number; time: number }
  | { type: "linearRampToValueAtTime"; value: number; time: number }
  | { type: "exponentialRampToValueAtTime"; value: number; time: number }
  | { type: "setTargetAtTime"; target: number; time: number; timeConstant: number }
  | { type: "setValueCurveAtTime"; values: number[]; time: number; duration: number }
  | { type: "cancelScheduledValues"; cancelTime: number }
  | { type: "cancelAndHoldAtTime"; cancelTime: number };

/** A call Web Audio would reject: its index in the calls, the field and why. */
export interface WebAudioScheduleIssue {
  path: (string | number)[];
  message: string;
}

export interface WebAudioScheduleOptions {
  /** Time base conversion, increasing (default: identity). */
  toTime?: (time: number) => number;
  /** The parameter's own value (only cancelAndHoldAtTime's held values depend on it). Default 0. */
  intrinsic?: number;
}

/** Where each scheduled event came from, for error messages. */
type Tagged = ScheduledEvent & { call: number };

/**
 * The event list the calls leave, or the first call Web Audio would reject.
 * @example
 * scheduleWebAudio([
 *   { type: "setValueCurveAtTime", values: [0, 1], time: 1, duration: 1 },
 *   { type: "setValueAtTime", value: 0, time: 1.5 },
 * ]);
 * // { issue: { path: [1, "time"], message: "1.5 falls inside the setValueCurveAtTime of events[0] ..." } }
 */
export function scheduleWebAudio(
  calls: readonly WebAudioCall[],
  options: WebAudioScheduleOptions = {},
): { events: ScheduledEvent[] } | { issue: WebAudioScheduleIssue } {
  const toTime = options.toTime ?? ((time: number) => time);
  const intrinsic = options.intrinsic ?? 0;
  let events: Tagged[] = [];
  let curves: Tagged[] = [];
  for (let call = 0; call < calls.length; call++) {
    const item = calls[call] as WebAudioCall;
    if (item.type === "cancelScheduledValues") {
      events = cancelScheduled(events, toTime(item.cancelTime));
      curves = events.filter((event) => event.type === "curve");
      continue;
    }
    if (item.type === "cancelAndHoldAtTime") {
      events = cancelAndHold(events, toTime(item.cancelTime), intrinsic, call);
      curves = events.filter((event) => event.type === "curve");
      continue;
    }
    const event = toEvent(item, toTime, call);
    const issue = overlap(events, curves, event, item);
    if (issue !== undefined) return { issue: { path: [call, ...issue.path], message: issue.message } };
    insert(events, event);
    if (event.type === "curve") {
      insert(curves, event);
      // Spec: an implicit setValueAtTime at the curve's end, so later ramps start from its last value.
      insert(events, { type: "set", time: event.end, value: event.values.at(-1) as number, call });
    }
  }
  return { events: events.map(({ call: _call, ...event }) => event as ScheduledEvent) };
}

function toEvent(
  item: Exclude<WebAudioCall, { cancelTime: number }>,
  toTime: (t: number) => number,
  call: number,
): Tagged {
  const time = toTime(item.time);
  switch (item.type) {
    case "setValueAtTime":
      return { type: "set", time, value: item.value, call };
    case "linearRampToValueAtTime":
      return { type: "linear", time, value: item.value, call };
    case "exponentialRampToValueAtTime":
      return { type: "exponential", time, value: item.value, call };
    case "setTargetAtTime":
      return { type: "target", time, target: item.target, timeConstant: item.timeConstant, call };
    case "setValueCurveAtTime": {
      const end = toTime(item.time + item.duration);
      return { type: "curve", time, duration: end - time, values: item.values, end, call };
    }
  }
}

/**
 * Web Audio's NotSupportedError cases: an event inside a curve, or a curve over an event. Curves never
 * overlap one another, so only the last one starting at or before the event can hold it; both checks
 * are binary searches, so a long schedule is checked in n log n.
 */
function overlap(
  events: readonly Tagged[],
  curves: readonly Tagged[],
  event: Tagged,
  item: Exclude<WebAudioCall, { cancelTime: number }>,
): WebAudioScheduleIssue | undefined {
  const holder = curves[upperBound(curves, event.time) - 1];
  if (holder?.type === "curve" && event.time < holder.end) {
    return {
      path: ["time"],
      message: `${item.time} falls inside the setValueCurveAtTime of events[${holder.call}]; Web Audio rejects it (NotSupportedError)`,
    };
  }
  if (event.type !== "curve") return undefined;
  const covered = events[upperBound(events, event.time)];
  if (covered !== undefined && covered.time < event.end) {
    return {
      path: ["duration"],
      message: `the curve would cover events[${covered.call}], which starts inside it; Web Audio rejects it (NotSupportedError)`,
    };
  }
  return undefined;
}

/** Inserts after every event at the same time (spec: placed after them, before later ones). */
function insert(events: Tagged[], event: Tagged): void {
  events.splice(upperBound(events, event.time), 0, event);
}

/** The index of the first event later than `time` (events.length when none is). */
function upperBound(events: readonly Tagged[], time: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((events[middle] as Tagged).time <= time) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * cancelScheduledValues: removes every event at or after the cancel time, and a curve still running
 * there (with everything after it).
 */
function cancelScheduled(events: Tagged[], cancelTime: number): Tagged[] {
  const first = events.findIndex(
    (event) => event.time >= cancelTime || (event.type === "curve" && event.end > cancelTime),
  );
  return first < 0 ? events : events.slice(0, first);
}

/**
 * cancelAndHoldAtTime, the spec's algorithm: a ramp running at the cancel time is cut there at the
 * value it reaches; otherwise a setTarget running there is held by an inserted setValueAtTime, and a
 * running curve stops there (sampled as over its original duration); then every event after the
 * cancel time goes.
 */
function cancelAndHold(events: Tagged[], cancelTime: number, intrinsic: number, call: number): Tagged[] {
  const started = events.filter((event) => event.time <= cancelTime).length;
  const e1 = events[started - 1];
  const e2 = events[started];
  const values = new WebAudioValues(events, intrinsic);
  const held = values.valueWith(started, cancelTime);
  const kept = events.slice(0, started);
  if (e2 !== undefined && (e2.type === "linear" || e2.type === "exponential")) {
    kept.push({ ...e2, time: cancelTime, value: held });
  } else if (e1?.type === "target") {
    kept.push({ type: "set", time: cancelTime, value: held, call });
  } else if (e1?.type === "curve" && cancelTime < e1.end) {
    kept[started - 1] = { ...e1, end: cancelTime };
  }
  return kept;
}
