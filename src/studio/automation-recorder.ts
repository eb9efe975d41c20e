/**
 * Writing automation while the transport plays: each move of an armed lane's control becomes a
 * point at the playhead, and the lane (the recorded points written over the old ones in the beats
 * they cover) goes to the project at once, so the playing engine follows the move. All the writes of
 * one lane share a gesture id, and finish() sends the lane once more, thinned (thinPoints), under the
 * same id: the ProjectEditor coalesces them into one undo step from the lane before to the lane
 * written. A loop that wraps starts a new pass, which writes over the passes before it.
 */
import type { ProjectCommand } from "../project/project-commands";
import { type AutomationPoint, MASTER_ID, type Project } from "../project/project-schema";
import { clampValue, mergeRecorded, thinPoints } from "./automation-math";
import type { AutomationTarget } from "./automation-targets";

/** How far (a fraction of the target's range) a thinned lane may stray from what was recorded. */
export const THIN_TOLERANCE = 0.005;

/** One lane command and the gesture id that coalesces it. */
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
  gesture: string;
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
   * editor.execute(write.command, { gesture: write.gesture });
   */
  move(project: Project, trackId: string, target: AutomationTarget, beat: number, value: number): LaneWrite {
    const key = `${trackId}\u0000${target.address}`;
    let take = this.lanes.get(key);
    if (take === undefined) {
      take = {
        trackId,
        target,
        before: lanePoints(project, trackId, target.address),
        earlier: [],
        pass: [],
        gesture: `automation-write-${++takes}`,
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
      take.earlier = mergeRecorded(take.earlier, take.pass);
      take.pass = [];
    }
    if (last !== undefined && last.beat === point.beat) take.pass[take.pass.length - 1] = point;
    else take.pass.push(point);
    return this.write(take, mergeRecorded(take.earlier, take.pass));
  }

  /**
   * Ends the writing: each written lane, thinned, as the last command of its gesture (one undo step
   * each). Empty when nothing was written.
   * @example
   * const recorder = new AutomationRecorder();
   * for (const write of recorder.finish()) editor.execute(write.command, { gesture: write.gesture });
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

  private write(take: LaneTake, recorded: AutomationPoint[]): LaneWrite {
    return {
      command: {
        type: "set_automation",
        track_id: take.trackId,
        address: take.target.address,
        lane: { points: mergeRecorded(take.before, recorded) },
      },
      gesture: take.gesture,
    };
  }
}
