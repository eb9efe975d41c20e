/**
 * The ruler's pointer gesture and the loop band it shows. A press and release without moving (less
 * than a grid step) moves the playhead there; a drag along the ruler sets the project's loop range to
 * the span it covers, on the snap grid, and turns the loop on: one gesture id, so the whole drag is
 * one undo step ("Loop range"), and the playing engine follows (the transport's loop, setLoop, via
 * followProject). The band on the ruler shows the range, fainter while the loop is off.
 */
import { html, nothing } from "lit";

import type { ProjectCommand } from "../project/project-commands";
import type { LoopRange } from "../project/project-schema";
import { loopRangeFromDrag } from "./arrange-math";
import { snapBeat } from "./timeline-math";

export interface RulerGestureHost {
  pixelsPerBeat(): number;
  snapBeats(): number;
  execute(command: ProjectCommand, gesture?: string): boolean;
  /** Moves the playhead (and the playing engine) to `beat`. */
  seek(beat: number): void;
}

let drags = 0;

/** How far the pointer moves before a press on the ruler is a loop drag rather than a click. */
const DRAG_THRESHOLD_PX = 4;

export class RulerGesture {
  private drag: {
    pointerId: number;
    startX: number;
    fromBeat: number;
    left: number;
    gesture: string;
    looped: boolean;
  } | null = null;

  constructor(private readonly host: RulerGestureHost) {}

  readonly pointerDown = (event: PointerEvent): void => {
    if (event.button !== 0 || (event.target as Element).closest(".marker")) return;
    const row = event.currentTarget as HTMLElement;
    const left = row.getBoundingClientRect().left;
    this.drag = {
      pointerId: event.pointerId,
      startX: event.clientX,
      fromBeat: (event.clientX - left) / this.host.pixelsPerBeat(),
      left,
      gesture: `loop-drag-${++drags}`,
      looped: false,
    };
    row.setPointerCapture(event.pointerId);
    event.preventDefault();
  };

  readonly pointerMove = (event: PointerEvent): void => {
    const drag = this.drag;
    if (!drag || event.pointerId !== drag.pointerId) return;
    // A hand's jitter in a click is no drag (with snap off a sixteenth is 2 px at the default zoom).
    if (!drag.looped && Math.abs(event.clientX - drag.startX) < DRAG_THRESHOLD_PX) return;
    const toBeat = Math.max(0, (event.clientX - drag.left) / this.host.pixelsPerBeat());
    const range = loopRangeFromDrag(drag.fromBeat, toBeat, this.host.snapBeats());
    if (range === null) return;
    if (this.host.execute({ type: "set_loop", loop: { ...range, enabled: true } }, drag.gesture))
      drag.looped = true;
  };

  readonly pointerUp = (event: PointerEvent): void => {
    const drag = this.drag;
    if (!drag || event.pointerId !== drag.pointerId) return;
    this.drag = null;
    if (!drag.looped && event.type === "pointerup")
      this.host.seek(snapBeat(drag.fromBeat, this.host.snapBeats()));
  };
}

/**
 * The loop range's band on the ruler, or nothing without one.
 * @example
 * import { html } from "lit";
 * html`${loopBand({ start_beat: 4, end_beat: 8, enabled: true }, 32)}`;
 */
export function loopBand(loop: LoopRange | null, pixelsPerBeat: number) {
  if (loop === null) return nothing;
  const left = loop.start_beat * pixelsPerBeat;
  const width = (loop.end_beat - loop.start_beat) * pixelsPerBeat;
  return html`<div class="loop-band ${loop.enabled ? "on" : ""}" aria-hidden="true"
    style="left: ${left}px; width: ${width}px"></div>`;
}
