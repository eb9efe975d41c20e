/**
 * A project automation lane (beats, parameter units) as graph automation (breakpoints on the seconds
 * timeline, the node parameter's units).
 *
 * - Levels (volume, sends) are lanes in dB driving a builtin:gain: each point becomes its gain
 *   10^(dB/20), and a linear segment in dB becomes an exponential segment in gain, which is the same
 *   curve exactly (gain(x) = g0 · (g1 / g0)^x is linear in dB).
 * - Pan and device parameters pass through unchanged.
 * Times are secondsAtBeat on the project's tempo map, so a point lands on frame round(seconds × rate).
 */
import type { Automation } from "../contracts/graph-descriptor";
import { dbToGain } from "./mixer-laws";
import type { AutomationLane } from "./project-schema";

/** The graph automation a lane becomes: breakpoints on the seconds timeline. */
export type BreakpointAutomation = Extract<Automation, { kind: "breakpoints" }>;

/** How a lane's values map to the node parameter it drives. */
export type LaneUnits = "db_to_gain" | "as_is";

/**
 * `lane` as the automation of the node parameter it drives, in `units`.
 * @example
 * const automation = laneAutomation({ points: [{ beat: 0, value: -20, curve: "linear" }, { beat: 4, value: 0, curve: "linear" }] }, "db_to_gain", (beat) => beat / 2);
 */
export function laneAutomation(
  lane: AutomationLane,
  units: LaneUnits,
  seconds: (beat: number) => number,
): BreakpointAutomation {
  return {
    kind: "breakpoints",
    timeline: "seconds",
    points: lane.points.map((point) => {
      if (units === "as_is") return { time: seconds(point.beat), value: point.value, curve: point.curve };
      return {
        time: seconds(point.beat),
        value: dbToGain(point.value),
        curve: point.curve === "linear" ? "exponential" : point.curve,
      };
    }),
  };
}
