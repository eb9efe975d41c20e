/**
 * Writing automation while the transport plays: each move of an armed lane's control becomes a
 * point at the playhead, and the lane (the recorded points written over the old ones in the beats
 * they cover) goes to the project at once, so the playing engine follows the move. All the writes of
 * one take (from the first move to finish(), every lane moved in it) share a gesture id and ask for
 * `wholeGesture`, and finish() sends each lane once more, thinned (thinPoints), under the same id:
 * the ProjectEditor coalesces them into one undo step from the lanes before to the lanes written,
 * even when two controls moved at once (their writes interleave). A loop that wraps starts a new
 * pass, which writes over the passes before it.
 *
 * The writes while playing are thinned as the points come (the same rule, decided for each point when
 * the next one arrives), so a long slow fader ride sends a few points each time, not every point so
 * far: the lane the engine gets stays small however long the take.
 */
import type { ProjectCommand } from "../project/project-commands";
import { type AutomationPoint, MASTER_ID, type Project } from "../project/project-schema";
import { clampValue, mergeRecorded, thinPoints } from "./automation-math";
import type { AutomationTarget } from "./automation-targets";

/** How far (a fraction of the target's range) a thinned lane may stray from what was recorded. */
export const THIN_TOLERANCE = 0.005;

/**
 * One lane command and the gesture id that coalesces it: execute it with
 * `{ gesture, wholeGesture: true }` (the take's lanes are one undo step).
 */
export interface LaneWrite {
  command: ProjectCommand;
  gesture: string;
}

interface LaneTake {
  trackId: string;
  target: AutomationTarget;
  /** The lane's points when writing began. */
  before: readonly AutomationPoint[];
  /** The passes before the current one, merged; the current pass (beats rising). */
  earlier: AutomationPoint[];
  pass: AutomationPoint[];
  /** The current pass thinned as it comes: the points decided to stay, and the last one kept's index. */
  kept: AutomationPoint[];
  anchor: number;
}

let takes = 0;

function lanePoints(project: Project, trackId: string, address: string): readonly AutomationPoint[] {
  const lanes =
    trackId === MASTER_ID
      ? project.master.automation
      : project.tracks.find((track) => track.id === trackId)?.automation;
  const lane = lanes && Object.hasOwn(lanes, address) ? lanes[address] : undefined;
  return lane?.points ?? [];
}

export class AutomationRecorder {
  private readonly lanes = new Map<string, LaneTake>();
  /** The current take's gesture id (a new one after each finish). */
  private gesture = "";

  /** True while some lane has been written since the last finish. */
  get recording(): boolean {
    return this.lanes.size > 0;
  }

  /**
   * A move of the control of `target` on `trackId` to `value` with the playhead at `beat`: the lane
   * command to run now, with its gesture id.
   * @example
   * const recorder = new AutomationRecorder();
   * const volume = { address: "volume", name: "Volume", min: -60, max: 12, discrete: false, curve: "linear" as const, format: String };
   * const write = recorder.move(project, "bass", volume, 3.5, -6);
   * editor.execute(write.command, { gesture: write.gesture, wholeGesture: true });
   */
  move(project: Project, trackId: string, target: AutomationTarget, beat: number, value: number): LaneWrite {
    const key = `${trackId}\u0000${target.address}`;
    let take = this.lanes.get(key);
    if (take === undefined) {
      if (this.lanes.size === 0) this.gesture = `automation-write-${++takes}`;
      take = {
        trackId,
        target,
        before: lanePoints(project, trackId, target.address),
        earlier: [],
        pass: [],
        kept: [],
        anchor: 0,
      };
      this.lanes.set(key, take);
    }
    const point: AutomationPoint = {
      beat: Math.max(0, beat),
      value: clampValue(value, target),
      curve: target.curve,
    };
    const last = take.pass[take.pass.length - 1];
    if (last !== undefined && point.beat < last.beat) {
      // The loop wrapped: what was written so far stays, the new pass writes over it.
      take.earlier = mergeRecorded(take.earlier, this.thinnedPass(take));
      take.pass = [];
      take.kept = [];
      take.anchor = 0;
    }
    if (last !== undefined && last.beat === point.beat) {
      // Two moves in one quantum: the later one stands.
      take.pass[take.pass.length - 1] = point;
      if (take.pass.length === 1) take.kept = [point];
    } else {
      take.pass.push(point);
      this.decideBeforeLast(take);
    }
    return this.write(take, mergeRecorded(take.earlier, this.thinnedPass(take)));
  }

  /**
   * Ends the writing: each written lane, thinned, as the last commands of the take's gesture (one
   * undo step for them all). Empty when nothing was written.
   * @example
   * const recorder = new AutomationRecorder();
   * for (const write of recorder.finish()) editor.execute(write.command, { gesture: write.gesture, wholeGesture: true });
   */
  finish(): LaneWrite[] {
    const writes = [...this.lanes.values()].map((take) => {
      const recorded = mergeRecorded(take.earlier, take.pass);
      const tolerance = THIN_TOLERANCE * (take.target.max - take.target.min);
      return this.write(take, thinPoints(recorded, tolerance));
    });
    this.lanes.clear();
    return writes;
  }

  /**
   * thinPoints' rule for the point before the newest, now that its next point is known: it stays
   * unless the line from the last point kept to the newest passes within the tolerance of it and of
   * every point dropped since.
   */
  private decideBeforeLast(take: LaneTake): void {
    const { pass } = take;
    const newest = pass.length - 1;
    if (newest === 0) {
      take.kept = [pass[0] as AutomationPoint];
      take.anchor = 0;
      return;
    }
    const candidate = newest - 1;
    if (candidate === 0) return;
    const tolerance = THIN_TOLERANCE * (take.target.max - take.target.min);
    const start = pass[take.anchor] as AutomationPoint;
    const end = pass[newest] as AutomationPoint;
    let fits = start.curve === "linear" && end.beat > start.beat;
    for (let j = take.anchor + 1; fits && j <= candidate; j++) {
      const point = pass[j] as AutomationPoint;
      const predicted =
        start.value + ((end.value - start.value) * (point.beat - start.beat)) / (end.beat - start.beat);
      fits = point.curve === "linear" && Math.abs(point.value - predicted) <= tolerance;
    }
    if (fits) return;
    take.kept.push(pass[candidate] as AutomationPoint);
    take.anchor = candidate;
  }

  /** The current pass as the live writes send it: the points kept so far and the newest. */
  private thinnedPass(take: LaneTake): AutomationPoint[] {
    const newest = take.pass[take.pass.length - 1];
    if (newest === undefined) return [];
    return take.pass.length === 1 ? [newest] : [...take.kept, newest];
  }

  private write(take: LaneTake, recorded: AutomationPoint[]): LaneWrite {
    return {
      command: {
        type: "set_automation",
        track_id: take.trackId,
        address: take.target.address,
        lane: { points: mergeRecorded(take.before, recorded) },
      },
      gesture: this.gesture,
    };
  }
}
