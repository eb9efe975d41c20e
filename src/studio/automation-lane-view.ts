/**
 * A track's automation lane, shown under the track when its Auto toggle is on: a header (the picker of
 * what to automate, the Write toggle, a value slider for a device parameter, Clear) and the lane,
 * with the curve the engine plays and one focusable point per breakpoint. The gestures on it are
 * automation-gestures.ts's; the geometry automation-math.ts's.
 */
import { html, nothing, svg } from "lit";
import { styleMap } from "lit/directives/style-map.js";

import type { AutomationPoint, Track } from "../project/project-schema";
import { laneValueAt, levelOfValue } from "./automation-math";
import type { AutomationTarget } from "./automation-targets";

export interface AutomationLaneView {
  track: Track;
  targets: readonly AutomationTarget[];
  target: AutomationTarget;
  /** The lane's points, or null when the target has no lane yet. */
  points: readonly AutomationPoint[] | null;
  /** Write is on: moving the target's control while playing records points. */
  armed: boolean;
  /** The point last pressed or focused, by index. */
  selected: number | null;
  /** The value without a lane (the mixer's or the device's), drawn dashed. */
  staticValue: number;
  pixelsPerBeat: number;
  beatsPerBar: number;
  /** The lane's width in pixels (the whole timeline's). */
  width: number;
}

export interface AutomationLaneHandlers {
  pick(trackId: string, event: Event): void;
  toggleWrite(trackId: string): void;
  clear(trackId: string): void;
  /** The header's value slider (device parameters: the strip has volume and pan). */
  valueInput(trackId: string, event: Event): void;
  valueCommit(): void;
  pointerDown(event: PointerEvent): void;
  pointerMove(event: PointerEvent): void;
  pointerUp(event: PointerEvent): void;
  keyDown(event: KeyboardEvent): void;
  doubleClick(event: MouseEvent): void;
}

/** Height of the curve's drawing (its viewBox), stretched to the lane's value area. */
const DRAWING_HEIGHT = 1000;

/**
 * A position as bars:beats with the fraction of the beat ("3:2.5"), counted from 1.
 * @example
 * pointPosition(9.5, 4); // "3:2.5"
 */
export function pointPosition(beat: number, beatsPerBar: number): string {
  const bar = Math.floor(beat / beatsPerBar + 1e-9);
  const inBar = Math.max(0, beat - bar * beatsPerBar);
  return `${bar + 1}:${+(inBar + 1).toFixed(3)}`;
}

/** A point's accessible name: what it automates, which one, where and what value. */
export function pointLabel(
  target: AutomationTarget,
  points: readonly AutomationPoint[],
  index: number,
  beatsPerBar: number,
): string {
  const point = points[index] as AutomationPoint;
  return `${target.name} point ${index + 1} of ${points.length}, ${pointPosition(point.beat, beatsPerBar)}, ${target.format(point.value)}`;
}

/** The curve as a polyline in the drawing's units: held before the first point and after the last. */
function curvePoints(view: AutomationLaneView, points: readonly AutomationPoint[]): string {
  const { pixelsPerBeat: ppb, target } = view;
  const y = (value: number) => (1 - levelOfValue(value, target)) * DRAWING_HEIGHT;
  const coordinates: string[] = [];
  const add = (beat: number, value: number) => coordinates.push(`${beat * ppb},${y(value)}`);
  add(0, (points[0] as AutomationPoint).value);
  points.forEach((point, index) => {
    add(point.beat, point.value);
    const next = points[index + 1];
    if (!next) return;
    if (point.curve === "step") add(next.beat, point.value);
    else if (point.curve === "exponential") {
      // Drawn through 16 chords: the engine's curve, not a straight line.
      for (let k = 1; k < 16; k++) {
        const beat = point.beat + ((next.beat - point.beat) * k) / 16;
        add(beat, laneValueAt(points, beat));
      }
    }
  });
  add(view.width / ppb, (points[points.length - 1] as AutomationPoint).value);
  return coordinates.join(" ");
}

/** The header and the lane of one track's automation, as two cells of the arrangement's grid. */
export function automationLane(view: AutomationLaneView, handlers: AutomationLaneHandlers) {
  const { track, target, points } = view;
  const name = track.name || track.id;
  const trackId = track.id;
  const isDevice = target.address.startsWith("device:");
  const level = levelOfValue(view.staticValue, target);
  return html`
    <div class="track-header automation-header" role="group" aria-label="Automation of ${name}" data-track=${trackId}>
      <select class="automation-picker" aria-label="Automated parameter of ${name}"
        @change=${(event: Event) => handlers.pick(trackId, event)}>
        ${view.targets.map(
          (option) => html`<option value=${option.address} ?selected=${option.address === target.address}>
            ${option.name}${Object.hasOwn(track.automation, option.address) ? " •" : ""}</option>`,
        )}
      </select>
      <span class="automation-actions">
        <button type="button" class="small write" aria-pressed=${view.armed ? "true" : "false"}
          aria-label="Write ${target.name} of ${name}" title="Write: moves of the control while playing become points"
          @click=${() => handlers.toggleWrite(trackId)}>Write</button>
        ${
          isDevice
            ? html`<input type="range" class="automation-value" min=${target.min} max=${target.max}
                step=${target.discrete ? 1 : (target.max - target.min) / 200} .value=${String(view.staticValue)}
                aria-label="${target.name} of ${name}" aria-valuetext=${target.format(view.staticValue)}
                @input=${(event: Event) => handlers.valueInput(trackId, event)} @change=${handlers.valueCommit} />`
            : nothing
        }
        <button type="button" class="small" aria-label="Clear ${target.name} automation of ${name}"
          ?disabled=${points === null} @click=${() => handlers.clear(trackId)}><span aria-hidden="true">✕</span></button>
      </span>
    </div>
    <div class="lane automation-lane" role="group" aria-label="${target.name} automation of ${name}"
      data-track=${trackId} style="width: ${view.width}px">
      <div class="automation-area" data-track=${trackId} data-address=${target.address}
        title="Click to add a point; drag a point to move it; double-click or Delete removes it"
        @pointerdown=${handlers.pointerDown} @pointermove=${handlers.pointerMove}
        @pointerup=${handlers.pointerUp} @pointercancel=${handlers.pointerUp}
        @keydown=${handlers.keyDown} @dblclick=${handlers.doubleClick}>
        <svg class="automation-curve" aria-hidden="true" viewBox="0 0 ${view.width} ${DRAWING_HEIGHT}" preserveAspectRatio="none">
          ${
            points === null
              ? svg`<line class="static" x1="0" x2=${view.width} y1=${(1 - level) * DRAWING_HEIGHT} y2=${(1 - level) * DRAWING_HEIGHT}></line>`
              : svg`<polyline points=${curvePoints(view, points)}></polyline>`
          }
        </svg>
        ${(points ?? []).map(
          (
            point,
            index,
          ) => html`<button type="button" class="automation-point ${index === view.selected ? "selected" : ""}"
            data-index=${index}
            aria-label=${pointLabel(target, points ?? [], index, view.beatsPerBar)}
            style=${styleMap({
              left: `${point.beat * view.pixelsPerBeat}px`,
              top: `${(1 - levelOfValue(point.value, target)) * 100}%`,
            })}></button>`,
        )}
        ${points === null ? html`<span class="automation-hint">Click to add a point</span>` : nothing}
      </div>
    </div>
  `;
}
