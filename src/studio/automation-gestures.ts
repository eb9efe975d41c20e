/**
 * The automation lanes' state and gestures: which tracks show a lane, what each automates, Write.
 * Pointer: a press on the lane's empty ground adds a point there (time on the arrangement's snap grid,
 * value from the height, clamped to the parameter's range) and dragging on moves it; a press on a
 * point drags it; a double-click on a point removes it. Keyboard, on a focused point: ←/→ move it by
 * a grid step, ↑/↓ change its value by 1% of the range (Shift: 10%; a whole step for a discrete
 * parameter), Delete or Backspace removes it.
 *
 * Every edit is one `set_automation` with the lane's whole points list; a drag sends one per position
 * under one gesture id, so the editor coalesces it into one undo step, and the playing engine follows
 * each (followProject: schedule_automation, mode replace). With Write on, moving the parameter's
 * control while the transport plays writes points at the playhead (automation-recorder.ts).
 */
import { nothing } from "lit";

import type { NodeDescriptor } from "../contracts/node-descriptor";
import type { ProjectCommand } from "../project/project-commands";
import { type AutomationPoint, MASTER_ID, type Project, type Track } from "../project/project-schema";
import { automationLane } from "./automation-lane-view";
import { insertPoint, levelAtY, levelOfValue, movePoint, removePoint, valueAtLevel } from "./automation-math";
import { AutomationRecorder } from "./automation-recorder";
import { type AutomationTarget, automationTargets, staticValue } from "./automation-targets";
import { masterTrack } from "./master-lane";
import { snapBeat } from "./timeline-math";

export interface AutomationHost {
  project(): Project;
  /** The node types discovery found (the devices' parameters come from their descriptors). */
  nodeTypes(): readonly NodeDescriptor[];
  pixelsPerBeat(): number;
  snapBeats(): number;
  beatsPerBar(): number;
  /**
   * Runs a command; false when the project's rules refused it. `wholeGesture`: it merges into its
   * gesture's undo step whatever it edits (ProjectEditor's option; a Write take's lanes).
   */
  execute(command: ProjectCommand, gesture?: string, wholeGesture?: boolean): boolean;
  /** The lanes' own state changed: render again. */
  changed(): void;
  /** The playhead's beat while the transport plays, else null. */
  playingBeat(): number | null;
}

interface LaneState {
  address: string;
  armed: boolean;
  selected: number | null;
}

interface PointDrag {
  pointerId: number;
  trackId: string;
  address: string;
  index: number;
  origin: AutomationPoint;
  startX: number;
  startY: number;
  /** Height of the value area, in pixels. */
  height: number;
  gesture: string;
}

let gestures = 0;

export class AutomationLanes {
  private readonly lanes = new Map<string, LaneState>();
  private readonly recorder = new AutomationRecorder();
  private drag: PointDrag | null = null;
  /**
   * The point the last press landed on (null: the ground). A double-click's target is the lane, not
   * the point, since the press captured the pointer there.
   */
  private pressedPoint: { trackId: string; index: number } | null = null;
  private valueGesture = 0;

  constructor(private readonly host: AutomationHost) {}

  /** Whether `trackId` shows its automation lane. */
  shown(trackId: string): boolean {
    return this.lanes.has(trackId);
  }

  /**
   * Shows or hides a track's lane (its Auto toggle); a lane shown afresh automates what the track
   * has a lane for already (else its volume).
   */
  toggle(trackId: string): void {
    if (this.lanes.delete(trackId)) {
      this.host.changed();
      return;
    }
    const track = this.track(trackId);
    const address = track ? (Object.keys(track.automation)[0] ?? "volume") : "volume";
    this.lanes.set(trackId, { address, armed: false, selected: null });
    this.host.changed();
  }

  /**
   * Shows `trackId`'s lane automating `address` (what the picker does), Write on or off.
   */
  show(trackId: string, address: string, options: { armed?: boolean } = {}): void {
    this.lanes.set(trackId, { address, armed: options.armed ?? false, selected: null });
    this.host.changed();
  }

  /** The header and lane of a track's automation, or nothing when hidden. */
  row(track: Track, width: number) {
    const state = this.lanes.get(track.id);
    if (!state) return nothing;
    const targets = automationTargets(track, this.host.nodeTypes(), this.host.project());
    const target = this.target(state, targets);
    const lane = Object.hasOwn(track.automation, target.address)
      ? track.automation[target.address]
      : undefined;
    return automationLane(
      {
        track,
        targets,
        target,
        points: lane?.points ?? null,
        armed: state.armed,
        selected: state.selected,
        staticValue: staticValue(track, target, this.host.nodeTypes()),
        pixelsPerBeat: this.host.pixelsPerBeat(),
        beatsPerBar: this.host.beatsPerBar(),
        width,
      },
      this,
    );
  }

  /**
   * The control of `address` on `trackId` moved to `value`: written at the playhead when its lane
   * shows with Write on and the transport plays (true), else left to the caller (false), which sets
   * the parameter's own value.
   */
  record(trackId: string, address: string, value: number): boolean {
    const state = this.lanes.get(trackId);
    if (!state?.armed || state.address !== address) return false;
    const beat = this.host.playingBeat();
    const track = this.track(trackId);
    if (beat === null || !track) return false;
    const target = this.target(state, automationTargets(track, this.host.nodeTypes(), this.host.project()));
    const write = this.recorder.move(this.host.project(), trackId, target, beat, value);
    this.host.execute(write.command, write.gesture, true);
    return true;
  }

  /** Ends writing (Stop or Pause): each written lane lands thinned, one undo step for the take. */
  finishRecording(): void {
    for (const write of this.recorder.finish()) this.host.execute(write.command, write.gesture, true);
  }

  // ---- the header's controls ----

  readonly pick = (trackId: string, event: Event): void => {
    const state = this.lanes.get(trackId);
    if (!state) return;
    this.lanes.set(trackId, {
      address: (event.target as HTMLSelectElement).value,
      armed: false,
      selected: null,
    });
    this.host.changed();
  };

  readonly toggleWrite = (trackId: string): void => {
    const state = this.lanes.get(trackId);
    if (!state) return;
    state.armed = !state.armed;
    this.host.changed();
  };

  readonly clear = (trackId: string): void => {
    const state = this.lanes.get(trackId);
    if (!state) return;
    state.selected = null;
    this.setPoints(trackId, state.address, []);
  };

  /** The value slider of a device parameter: recorded while writing, else the device's own value. */
  readonly valueInput = (trackId: string, event: Event): void => {
    const state = this.lanes.get(trackId);
    const value = Number((event.target as HTMLInputElement).value);
    if (!state || this.record(trackId, state.address, value)) return;
    const [, deviceId, ...rest] = state.address.split(":");
    if (deviceId === undefined) return;
    this.host.execute(
      {
        type: "set_device_params",
        track_id: trackId,
        device_id: deviceId,
        params: { [rest.join(":")]: value },
      },
      `automation-value-${this.valueGesture}`,
    );
  };

  readonly valueCommit = (): void => {
    this.valueGesture++;
  };

  // ---- pointer and keys on the lane ----

  readonly pointerDown = (event: PointerEvent): void => {
    if (event.button !== 0) return;
    const area = event.currentTarget as HTMLElement;
    const lane = this.laneOf(area);
    if (!lane) return;
    const { track, state, target, points } = lane;
    const box = area.getBoundingClientRect();
    const pointElement = (event.target as HTMLElement).closest<HTMLElement>(".automation-point");
    const gesture = `automation-drag-${++gestures}`;
    let index: number;
    let origin: AutomationPoint;
    if (pointElement) {
      index = Number(pointElement.dataset.index);
      const pressed = points[index];
      if (!pressed) return;
      origin = pressed;
    } else {
      const beat = snapBeat((event.clientX - box.left) / this.host.pixelsPerBeat(), this.host.snapBeats());
      const value = valueAtLevel(levelAtY(event.clientY - box.top, box.height), target);
      origin = { beat, value, curve: target.curve };
      const inserted = insertPoint(points, origin);
      if (!this.setPoints(track.id, state.address, inserted.points, gesture)) return;
      index = inserted.index;
    }
    state.selected = index;
    this.pressedPoint = pointElement ? { trackId: track.id, index } : null;
    this.drag = {
      pointerId: event.pointerId,
      trackId: track.id,
      address: state.address,
      index,
      origin,
      startX: event.clientX,
      startY: event.clientY,
      height: box.height,
      gesture,
    };
    area.setPointerCapture(event.pointerId);
    event.preventDefault();
    (pointElement ?? area).focus?.({ preventScroll: true });
    this.host.changed();
  };

  readonly pointerMove = (event: PointerEvent): void => {
    const drag = this.drag;
    if (!drag || event.pointerId !== drag.pointerId) return;
    const lane = this.laneOf(event.currentTarget as HTMLElement);
    if (!lane || lane.state.address !== drag.address) return;
    const beat = snapBeat(
      drag.origin.beat + (event.clientX - drag.startX) / this.host.pixelsPerBeat(),
      this.host.snapBeats(),
    );
    const level = levelOfValue(drag.origin.value, lane.target) - (event.clientY - drag.startY) / drag.height;
    const value = valueAtLevel(level, lane.target);
    this.movePoint(lane, drag.index, beat, value, drag.gesture);
  };

  readonly pointerUp = (event: PointerEvent): void => {
    if (this.drag?.pointerId === event.pointerId) this.drag = null;
  };

  readonly doubleClick = (event: MouseEvent): void => {
    const pressed = this.pressedPoint;
    const lane = this.laneOf(event.currentTarget as HTMLElement);
    if (!pressed || !lane || pressed.trackId !== lane.track.id) return;
    this.pressedPoint = null;
    this.remove(lane.track.id, lane.state, lane.points, pressed.index);
  };

  readonly keyDown = (event: KeyboardEvent): void => {
    const pointElement = (event.target as HTMLElement).closest<HTMLElement>(".automation-point");
    const lane = this.laneOf(event.currentTarget as HTMLElement);
    if (!pointElement || !lane) return;
    const index = Number(pointElement.dataset.index);
    const point = lane.points[index];
    if (!point) return;
    lane.state.selected = index;
    if (event.key === "Delete" || event.key === "Backspace") {
      event.preventDefault();
      this.remove(lane.track.id, lane.state, lane.points, index);
      // The focus stays in the lane, on the point before (or the new first one), once it has rendered.
      const area = event.currentTarget as HTMLElement;
      requestAnimationFrame(() => {
        area.querySelector<HTMLElement>(`.automation-point[data-index="${Math.max(0, index - 1)}"]`)?.focus();
      });
      return;
    }
    const { target } = lane;
    const valueStep = target.discrete ? 1 : ((target.max - target.min) / 100) * (event.shiftKey ? 10 : 1);
    const beatStep = this.host.snapBeats() || 1;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-beatStep, 0],
      ArrowRight: [beatStep, 0],
      ArrowUp: [0, valueStep],
      ArrowDown: [0, -valueStep],
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const value = valueAtLevel(levelOfValue(point.value + move[1], target), target);
    // A key press is one undo step: no gesture id.
    this.movePoint(lane, index, Math.max(0, point.beat + move[0]), value);
  };

  // ---- helpers ----

  /** The point at `index` moved (kept between its neighbours); nothing sent when it stays put. */
  private movePoint(
    lane: { track: Track; state: LaneState; points: readonly AutomationPoint[] },
    index: number,
    beat: number,
    value: number,
    gesture?: string,
  ): void {
    const current = lane.points[index];
    if (!current) return;
    const moved = movePoint(lane.points, index, beat, value);
    const after = moved[index] as AutomationPoint;
    if (after.beat === current.beat && after.value === current.value) return;
    this.setPoints(lane.track.id, lane.state.address, moved, gesture);
  }

  private remove(trackId: string, state: LaneState, points: readonly AutomationPoint[], index: number): void {
    state.selected = null;
    this.setPoints(trackId, state.address, removePoint(points, index));
  }

  private setPoints(
    trackId: string,
    address: string,
    points: readonly AutomationPoint[],
    gesture?: string,
  ): boolean {
    const lane = points.length === 0 ? null : { points: [...points] };
    return this.host.execute({ type: "set_automation", track_id: trackId, address, lane }, gesture);
  }

  /** The track, its lane's state and target, and the lane's points, for an element inside its lane. */
  private laneOf(element: HTMLElement) {
    const area = element.closest<HTMLElement>(".automation-area");
    const trackId = area?.dataset.track;
    const track = trackId === undefined ? undefined : this.track(trackId);
    const state = trackId === undefined ? undefined : this.lanes.get(trackId);
    if (!track || !state) return null;
    const target = this.target(state, automationTargets(track, this.host.nodeTypes(), this.host.project()));
    const lane = Object.hasOwn(track.automation, target.address)
      ? track.automation[target.address]
      : undefined;
    return { track, state, target, points: lane?.points ?? [] };
  }

  private target(state: LaneState, targets: AutomationTarget[]): AutomationTarget {
    const found =
      targets.find((target) => target.address === state.address) ?? (targets[0] as AutomationTarget);
    state.address = found.address;
    return found;
  }

  /** The track `trackId`, or the master shown as one (master-lane.ts). */
  private track(trackId: string): Track | undefined {
    const project = this.host.project();
    if (trackId === MASTER_ID) return masterTrack(project);
    return project.tracks.find((track) => track.id === trackId);
  }
}
