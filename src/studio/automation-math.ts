/**
 * Automation lanes' geometry and point edits as pure functions: a parameter's value as a height in
 * the lane and back (clamped to its range, whole steps for discrete parameters), the lane's value at a
 * beat, a point inserted, moved or removed (points stay in beat order), recorded moves merged into a
 * lane and thinned. The lane's view, gestures and recorder call these;
 * test/studio/automation-math.test.ts checks them with numbers.
 */
import type { AutomationPoint } from "../project/project-schema";

/** What a lane needs to know of its parameter: its range and whether it moves in whole steps. */
export interface ValueRange {
  min: number;
  max: number;
  /** Whole steps (an int, a choice, a switch): values round, segments are steps. */
  discrete: boolean;
}

/**
 * `value` as a height in the lane, 0 at the bottom (min) to 1 at the top (max), clamped.
 * @example
 * levelOfValue(-24, { min: -60, max: 12, discrete: false }); // 0.5
 */
export function levelOfValue(value: number, range: ValueRange): number {
  const level = (value - range.min) / (range.max - range.min);
  return Math.min(1, Math.max(0, level));
}

/**
 * The value at a height of the lane (0 bottom, 1 top; outside is clamped), rounded to a whole step
 * for a discrete parameter.
 * @example
 * valueAtLevel(0.25, { min: -1, max: 1, discrete: false }); // -0.5
 */
export function valueAtLevel(level: number, range: ValueRange): number {
  const clamped = Math.min(1, Math.max(0, level));
  const value = range.min + clamped * (range.max - range.min);
  return clampValue(value, range);
}

/**
 * `value` inside the range (and on a whole step when discrete).
 * @example
 * clampValue(20, { min: -60, max: 12, discrete: false }); // 12
 */
export function clampValue(value: number, range: ValueRange): number {
  const inside = Math.min(range.max, Math.max(range.min, value));
  return range.discrete ? Math.min(range.max, Math.max(range.min, Math.round(inside))) : inside;
}

/**
 * The level in the lane of a pointer at `offsetY` pixels below the top of a value area `heightPx` tall.
 * @example
 * levelAtY(25, 100); // 0.75
 */
export function levelAtY(offsetY: number, heightPx: number): number {
  return heightPx > 0 ? 1 - offsetY / heightPx : 0;
}

/**
 * The lane's value at `beat`, as the engine plays it in the lane's units: the first point's value
 * before it, the last one's after it; between two points the first one's curve (linear, step, or
 * exponential between two values of one sign).
 * @example
 * laneValueAt([{ beat: 0, value: -20, curve: "linear" }, { beat: 4, value: 0, curve: "linear" }], 1); // -15
 */
export function laneValueAt(points: readonly AutomationPoint[], beat: number): number {
  const first = points[0];
  if (first === undefined) throw new Error("laneValueAt: a lane has at least one point");
  if (beat < first.beat) return first.value;
  let index = 0;
  while (index + 1 < points.length && (points[index + 1] as AutomationPoint).beat <= beat) index++;
  const from = points[index] as AutomationPoint;
  const to = points[index + 1];
  if (to === undefined || from.curve === "step" || to.beat === from.beat) return from.value;
  const x = (beat - from.beat) / (to.beat - from.beat);
  if (from.curve === "exponential" && from.value * to.value > 0)
    return from.value * (to.value / from.value) ** x;
  return from.value + (to.value - from.value) * x;
}

/**
 * `point` added in beat order (after the points on the same beat); returns the points and its index.
 * @example
 * insertPoint([{ beat: 0, value: 0, curve: "linear" }], { beat: 2, value: 1, curve: "linear" }).index; // 1
 */
export function insertPoint(
  points: readonly AutomationPoint[],
  point: AutomationPoint,
): { points: AutomationPoint[]; index: number } {
  let index = 0;
  while (index < points.length && (points[index] as AutomationPoint).beat <= point.beat) index++;
  return { points: [...points.slice(0, index), point, ...points.slice(index)], index };
}

/**
 * The point at `index` moved to `beat` and `value`: its beat stays between its neighbours' (the
 * points keep their order, so the same index names it through a drag) and at 0 or later.
 * @example
 * const points = [{ beat: 0, value: 0, curve: "linear" as const }, { beat: 2, value: 0, curve: "linear" as const }, { beat: 4, value: 0, curve: "linear" as const }];
 * movePoint(points, 1, 5, 1)[1]; // { beat: 4, value: 1, curve: "linear" }
 */
export function movePoint(
  points: readonly AutomationPoint[],
  index: number,
  beat: number,
  value: number,
): AutomationPoint[] {
  const point = points[index];
  if (point === undefined) throw new Error(`movePoint: no point ${index} (the lane has ${points.length})`);
  const earliest = points[index - 1]?.beat ?? 0;
  const latest = points[index + 1]?.beat ?? Number.POSITIVE_INFINITY;
  const next = [...points];
  next[index] = { ...point, beat: Math.min(latest, Math.max(earliest, beat)), value };
  return next;
}

/**
 * The points without the one at `index`.
 * @example
 * removePoint([{ beat: 0, value: 0, curve: "linear" }, { beat: 1, value: 1, curve: "linear" }], 0).length; // 1
 */
export function removePoint(points: readonly AutomationPoint[], index: number): AutomationPoint[] {
  return points.filter((_, i) => i !== index);
}

/**
 * The index of the point nearest to `beat` within `toleranceBeats`, or null.
 * @example
 * pointNear([{ beat: 0, value: 0, curve: "linear" }, { beat: 2, value: 1, curve: "linear" }], 1.9, 0.25); // 1
 */
export function pointNear(
  points: readonly AutomationPoint[],
  beat: number,
  toleranceBeats: number,
): number | null {
  let best: number | null = null;
  points.forEach((point, index) => {
    const distance = Math.abs(point.beat - beat);
    if (distance > toleranceBeats) return;
    const chosen = best === null ? undefined : points[best];
    if (chosen === undefined || distance < Math.abs(chosen.beat - beat)) best = index;
  });
  return best;
}

/**
 * The points a recording leaves: fewer where a straight line does as well. A point goes when the
 * line from the last point kept to the point after it passes within `tolerance` of it and of every
 * point dropped since that kept one, so the thinned lane stays within `tolerance` of every recorded
 * value; the first and last points, and the points of step segments, always stay.
 * @example
 * const ramp = [0, 1, 2, 3].map((beat) => ({ beat, value: beat * 2, curve: "linear" as const }));
 * thinPoints(ramp, 0.01).map((point) => point.beat); // [0, 3]
 */
export function thinPoints(points: readonly AutomationPoint[], tolerance: number): AutomationPoint[] {
  if (points.length <= 2) return [...points];
  const kept: AutomationPoint[] = [points[0] as AutomationPoint];
  let anchor = 0;
  for (let i = 1; i < points.length - 1; i++) {
    const start = points[anchor] as AutomationPoint;
    const end = points[i + 1] as AutomationPoint;
    const current = points[i] as AutomationPoint;
    let fits = start.curve === "linear" && current.curve === "linear" && end.beat > start.beat;
    for (let j = anchor + 1; fits && j <= i; j++) {
      const point = points[j] as AutomationPoint;
      const predicted =
        start.value + ((end.value - start.value) * (point.beat - start.beat)) / (end.beat - start.beat);
      fits = Math.abs(point.value - predicted) <= tolerance;
    }
    if (fits) continue;
    kept.push(current);
    anchor = i;
  }
  kept.push(points[points.length - 1] as AutomationPoint);
  return kept;
}

/**
 * A lane's points with a recording written over them: the old points inside the beats the recording
 * covers give way to the recorded ones, the others stay.
 * @example
 * const old = [0, 4, 8].map((beat) => ({ beat, value: 0, curve: "linear" as const }));
 * mergeRecorded(old, [{ beat: 3, value: -6, curve: "linear" }, { beat: 5, value: -3, curve: "linear" }]).map((p) => p.beat); // [0, 3, 5, 8]
 */
export function mergeRecorded(
  existing: readonly AutomationPoint[],
  recorded: readonly AutomationPoint[],
): AutomationPoint[] {
  if (recorded.length === 0) return [...existing];
  const beats = recorded.map((point) => point.beat);
  const from = Math.min(...beats);
  const to = Math.max(...beats);
  const kept = existing.filter((point) => point.beat < from || point.beat > to);
  const sorted = [...recorded].sort((a, b) => a.beat - b.beat);
  return [...kept, ...sorted].sort((a, b) => a.beat - b.beat);
}
