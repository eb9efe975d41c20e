/**
 * Clip gestures: a pointer drag on a clip's body moves it, on an edge trims it; the arrow keys on a
 * focused clip do the same by one grid step. Each drag is one gesture id, so the many update_clip
 * commands it sends coalesce into one undo step (ProjectEditor), and the playing engine follows
 * each of them (followProject). A position the project's rules refuse (a third clip overlapping) is
 * skipped: the clip stays where it last was allowed.
 *
 * A body dragged over the lane of another track of its kind moves the clip there (moveToTrackCommand).
 * So that the whole drag stays one undo step, each such position takes back the drag's step so far
 * (ArrangeEdits' rewind: the editor's undo of this gesture's entry) and makes the move from where the
 * clip started, as one batch; a position the rules refuse puts the last allowed one back (redo).
 * Alt+click splits the clip at the pointer, on the grid (arrange-math.ts).
 */
import type { ProjectCommand } from "../project/project-commands";
import type { Clip, Project } from "../project/project-schema";
import { moveToTrackCommand, sameKind } from "./arrange-math";
import { type DragHandle, type DragOrigin, dragPatch, patchChanges, snapBeat } from "./timeline-math";

export interface ClipGestureHost {
  project(): Project;
  pixelsPerBeat(): number;
  snapBeats(): number;
  /** Seconds of an audio's frames, by content id. */
  audioSeconds(contentId: string): number | undefined;
  /** Runs a command; false when the project's rules refused it. */
  execute(command: ProjectCommand, gesture?: string): boolean;
  select(clipId: string | null): void;
  /** Opens a MIDI clip in the piano roll (Enter on it). */
  open(trackId: string, clipId: string): void;
  /** Splits the clip at `beat` (Alt+click). */
  split(trackId: string, clipId: string, beat: number): void;
  /** The track whose lane is at the viewport's `clientY`, or null. */
  trackAt(clientY: number): string | null;
  /** Takes back the newest undo step if `gesture` made it; true when it did. */
  rewind(gesture: string): boolean;
  /** Puts back what rewind took (a redo). */
  restore(): void;
}

interface ActiveDrag {
  pointerId: number;
  trackId: string;
  handle: DragHandle;
  origin: DragOrigin;
  startX: number;
  gesture: string;
  /** The track the clip is on now (another one after a drag across lanes). */
  currentTrack: string;
  /** The start beat of the last move made across lanes. */
  lastStart: number;
}

let gestures = 0;

function findClip(project: Project, trackId: string, clipId: string): Clip | undefined {
  const track = project.tracks.find((t) => t.id === trackId);
  if (!track || track.kind === "bus") return undefined;
  return (track.clips as Clip[]).find((clip) => clip.id === clipId);
}

export class ClipGestures {
  private drag: ActiveDrag | null = null;

  constructor(private readonly host: ClipGestureHost) {}

  /** pointerdown anywhere in the arrangement: starts a drag when it lands on a clip. */
  readonly pointerDown = (event: PointerEvent): void => {
    if (event.button !== 0) return;
    const element = (event.target as Element).closest<HTMLElement>(".clip");
    if (!element) return;
    const { track, clip: clipId } = element.dataset;
    const clip = track && clipId ? findClip(this.host.project(), track, clipId) : undefined;
    if (!track || !clip) return;
    this.host.select(clip.id);
    if (event.altKey) {
      const lane = element.parentElement?.getBoundingClientRect().left ?? 0;
      const beat = snapBeat((event.clientX - lane) / this.host.pixelsPerBeat(), this.host.snapBeats());
      this.host.split(track, clip.id, beat);
      event.preventDefault();
      return;
    }
    const handle = ((event.target as HTMLElement).dataset.handle as DragHandle | undefined) ?? "move";
    this.drag = {
      pointerId: event.pointerId,
      trackId: track,
      handle,
      origin: this.origin(clip),
      startX: event.clientX,
      gesture: `clip-drag-${++gestures}`,
      currentTrack: track,
      lastStart: clip.start_beat,
    };
    element.setPointerCapture(event.pointerId);
    event.preventDefault();
  };

  readonly pointerMove = (event: PointerEvent): void => {
    const drag = this.drag;
    if (!drag || event.pointerId !== drag.pointerId) return;
    const delta = (event.clientX - drag.startX) / this.host.pixelsPerBeat();
    const target = drag.handle === "move" ? this.targetTrack(drag, event.clientY) : drag.trackId;
    if (target === drag.trackId && drag.currentTrack === drag.trackId) {
      this.apply(drag.trackId, drag.origin, drag.handle, delta, drag.gesture);
      return;
    }
    this.moveAcross(drag, target, snapBeat(drag.origin.clip.start_beat + delta, this.host.snapBeats()));
  };

  /** The lane under the pointer when it is a track of the clip's kind, else the clip's track now. */
  private targetTrack(drag: ActiveDrag, clientY: number): string {
    const project = this.host.project();
    const hovered = this.host.trackAt(clientY);
    const from = project.tracks.find((t) => t.id === drag.trackId);
    const to = project.tracks.find((t) => t.id === hovered);
    return from && to && sameKind(from, to) ? to.id : drag.currentTrack;
  }

  /** The clip on `target` at `start`, made from where the drag began (one undo step for the drag). */
  private moveAcross(drag: ActiveDrag, target: string, start: number): void {
    if (target === drag.currentTrack && start === drag.lastStart) return;
    const rewound = this.host.rewind(drag.gesture);
    const project = this.host.project();
    const clipId = drag.origin.clip.id;
    const ok =
      target === drag.trackId
        ? start === drag.origin.clip.start_beat ||
          this.host.execute(
            { type: "update_clip", track_id: target, clip_id: clipId, clip: { start_beat: start } },
            drag.gesture,
          )
        : this.host.execute(moveToTrackCommand(project, drag.trackId, clipId, target, start), drag.gesture);
    if (ok) {
      drag.currentTrack = target;
      drag.lastStart = start;
    } else if (rewound) this.host.restore();
  }

  readonly pointerUp = (event: PointerEvent): void => {
    if (this.drag?.pointerId === event.pointerId) this.drag = null;
  };

  /** Arrow keys on a focused clip: one grid step (a beat with snap off); Delete removes it. */
  readonly keyDown = (event: KeyboardEvent): void => {
    const element = (event.target as Element).closest<HTMLElement>(".clip");
    const { track, clip: clipId } = element?.dataset ?? {};
    const clip = track && clipId ? findClip(this.host.project(), track, clipId) : undefined;
    if (!track || !clip) return;
    if (event.key === "Delete" || event.key === "Backspace") {
      event.preventDefault();
      this.host.execute({ type: "remove_clip", track_id: track, clip_id: clip.id });
      this.host.select(null);
      return;
    }
    if (event.key === "Enter") {
      event.preventDefault();
      this.host.select(clip.id);
      if (!("content_id" in clip)) this.host.open(track, clip.id);
      return;
    }
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    event.preventDefault();
    const step = (this.host.snapBeats() || 1) * (event.key === "ArrowLeft" ? -1 : 1);
    const handle: DragHandle = event.shiftKey ? "end" : event.altKey ? "start" : "move";
    this.host.select(clip.id);
    this.apply(track, this.origin(clip), handle, step);
  };

  private origin(clip: Clip): DragOrigin {
    if (!("content_id" in clip)) return { clip };
    return { clip, audioSeconds: this.host.audioSeconds(clip.content_id) };
  }

  private apply(
    trackId: string,
    origin: DragOrigin,
    handle: DragHandle,
    delta: number,
    gesture?: string,
  ): void {
    const patch = dragPatch(origin, handle, delta, this.host.snapBeats(), this.host.project().tempo);
    const current = findClip(this.host.project(), trackId, origin.clip.id);
    if (!current || !patchChanges(current, patch)) return;
    this.host.execute(
      { type: "update_clip", track_id: trackId, clip_id: origin.clip.id, clip: patch },
      gesture,
    );
  }
}
