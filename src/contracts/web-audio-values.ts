/**
 * The value of a Web Audio AudioParam event list at a time, as the Web Audio API computes it
 * (https://webaudio.github.io/web-audio-api/#computation-of-value). Unlike `breakpoints`, a linear or
 * exponential ramp shapes the segment that ends at its own event: it runs from the previous event's
 * time and value to its own. Before the first event the parameter holds its own (intrinsic) value.
 *
 * Pure arithmetic in double precision: shared by the schedule (cancelAndHoldAtTime needs the value at
 * the cancel time) and the graph compiler (which samples it once per frame at t = frame / sampleRate).
 */

/** One event of a scheduled list (times in seconds, or any monotonic time base), sorted by time. */
export type ScheduledEvent =
  | { type: "set"; time: number; value: number }
  | { type: "linear" | "exponential"; time: number; value: number }
  | { type: "target"; time: number; target: number; timeConstant: number }
  | {
      type: "curve";
      time: number;
      duration: number;
      values: readonly number[];
      /** Where the curve stops: time + duration, or an earlier cancelAndHoldAtTime time. */
      end: number;
    };

/**
 * A sorted event list with what each event starts from, precomputed so `valueAt` costs a binary search.
 * @example
 * const values = new WebAudioValues([{ type: "set", time: 0, value: 0 }, { type: "linear", time: 1, value: 1 }], 5);
 * values.valueAt(0.25); // 0.25: the ramp shapes [0, 1), the segment that ends at its event
 */
export class WebAudioValues {
  /** The value just before each event starts, from the events before it alone. */
  private readonly startValues: number[] = [];

  constructor(
    readonly events: readonly ScheduledEvent[],
    readonly intrinsic: number,
  ) {
    events.forEach((event, index) => {
      this.startValues.push(index === 0 ? intrinsic : this.heldValue(index - 1, event.time));
    });
  }

  /** The parameter's value at time `t` (>= 0). */
  valueAt(t: number): number {
    return this.valueWith(this.countUpTo(t), t);
  }

  /** How many events have a time <= t. */
  countUpTo(t: number): number {
    let low = 0;
    let high = this.events.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.events[middle] as ScheduledEvent).time <= t) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The value at `t` when exactly `started` events have a time <= t. */
  valueWith(started: number, t: number): number {
    const previous = this.events[started - 1];
    const next = this.events[started];
    // No event can start inside a curve (the schedule rejects it), so a running curve wins.
    if (previous?.type === "curve" && t < previous.end) return curveValue(previous, t);
    if (next?.type === "linear" || next?.type === "exponential") {
      const [t0, v0] = this.rampOrigin(started);
      const v1 = next.value;
      const x = (t - t0) / (next.time - t0);
      if (next.type === "linear") return v0 + (v1 - v0) * x;
      // Opposite signs or a zero start: the ramp holds its start value until its event (spec).
      return v0 * v1 > 0 ? v0 * (v1 / v0) ** x : v0;
    }
    return previous === undefined ? this.intrinsic : this.heldValue(started - 1, t);
  }

  /** The value just before event `index` starts. */
  startValue(index: number): number {
    return this.startValues[index] as number;
  }

  /**
   * The value at `t` (>= the event's time) of event `index` when nothing follows it: a set or a ramp
   * holds its value, a setTarget approaches its target, a curve runs and then holds where it stopped.
   */
  private heldValue(index: number, t: number): number {
    const event = this.events[index] as ScheduledEvent;
    switch (event.type) {
      case "set":
      case "linear":
      case "exponential":
        return event.value;
      case "target": {
        if (event.timeConstant === 0) return event.target;
        const v0 = this.startValues[index] as number;
        return event.target + (v0 - event.target) * Math.exp(-(t - event.time) / event.timeConstant);
      }
      case "curve":
        return curveValue(event, Math.min(t, event.end));
    }
  }

  /**
   * Where the ramp ending at event `index` starts: the previous event's time and value. After a
   * setTarget the ramp replaces it (spec: it starts at the setTarget's time, from the value before it);
   * with no previous event it starts at time 0 from the intrinsic value, as if setValueAtTime(value,
   * currentTime) had been called first.
   */
  private rampOrigin(index: number): [number, number] {
    const previous = this.events[index - 1];
    if (previous === undefined) return [0, this.intrinsic];
    switch (previous.type) {
      case "set":
      case "linear":
      case "exponential":
        return [previous.time, previous.value];
      case "target":
        return [previous.time, this.startValues[index - 1] as number];
      case "curve":
        return [previous.end, curveValue(previous, previous.end)];
    }
  }
}

/**
 * setValueCurveAtTime's value: linear interpolation of the N values over the original duration,
 * k = floor((N - 1) / duration * (t - T0)); the last value from T0 + duration on.
 */
export function curveValue(curve: Extract<ScheduledEvent, { type: "curve" }>, t: number): number {
  const values = curve.values;
  const last = values.length - 1;
  if (t >= curve.time + curve.duration) return values[last] as number;
  // Not below 0: a frame can take an event up to a rounding error before its time (web-audio-compiler.ts).
  const position = Math.max(0, (last / curve.duration) * (t - curve.time));
  const k = Math.min(Math.floor(position), last - 1);
  const vk = values[k] as number;
  return vk + ((values[k + 1] as number) - vk) * (position - k);
}
