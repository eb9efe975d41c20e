/**
 * The arrangement: its toolbar (add an audio track from a file, add an instrument track with a
 * device picked from discovery, split, duplicate, markers, zoom, snap), the bar ruler (a click seeks
 * there, a drag sets the loop range: loop-range.ts; the markers' flags: markers-view.ts), one row per
 * track (track-lane.ts), the master's row with its automation lane (master-lane.ts) and the playhead,
 * which the studio moves every frame without re-rendering.
 * Audio files dropped anywhere on it are imported at the beat they are dropped on.
 */
import { html, nothing } from "lit";

import { MASTER_ID, type Project, type Track } from "../project/project-schema";
import { loopBand } from "./loop-range";
import { editTools, type MarkerActions, markerFlags } from "./markers-view";
import { masterRow, masterTrack } from "./master-lane";
import { plusIcon } from "./studio-icons";
import { SNAP_CHOICES } from "./timeline-math";
import { type TrackLaneActions, trackLane } from "./track-lane";

export interface ArrangementView {
  project: Project;
  pixelsPerBeat: number;
  beatsPerBar: number;
  snapBeats: number;
  selectedClip: string | null;
  /** The timeline's length in beats (the project's end and some room after it). */
  lengthBeats: number;
  /** The Instrument picker with its Voices field and button (instrument-picker.ts). */
  instrumentPicker: unknown;
  /** The drop target is under a dragged file. */
  dropping: boolean;
  /** The audio track armed for recording the live input. */
  armedTrack?: string | null;
  selectedMarker: string | null;
  /** Whether a track shows its automation lane, and the lane's header and lane (automation-gestures.ts). */
  automationShown?: (trackId: string) => boolean;
  automationRow?: (track: Track, width: number) => unknown;
}

/** The ruler's pointer gesture (loop-range.ts): a click seeks, a drag sets the loop range. */
export interface RulerPointer {
  pointerDown(event: PointerEvent): void;
  pointerMove(event: PointerEvent): void;
  pointerUp(event: PointerEvent): void;
}

export interface ArrangementActions extends TrackLaneActions, MarkerActions {
  pickAudioFile(): void;
  zoom(direction: "in" | "out"): void;
  changeSnap(event: Event): void;
  ruler: RulerPointer;
  /** The pointer or the focus came near the arrangement: time to discover the instruments. */
  wantInstruments(): void;
}

/** The ruler: a numbered mark at every bar, a tick at every beat when there is room. */
function ruler(view: ArrangementView) {
  const bars = Math.ceil(view.lengthBeats / view.beatsPerBar);
  const barWidth = view.beatsPerBar * view.pixelsPerBeat;
  // Number every bar, or every 2nd, 4th... so labels never crowd.
  const every = 2 ** Math.max(0, Math.ceil(Math.log2(28 / barWidth)));
  return html`<div class="ruler" aria-hidden="true" style="width: ${view.lengthBeats * view.pixelsPerBeat}px; --bar: ${barWidth}px; --beat: ${view.pixelsPerBeat}px">
    ${Array.from({ length: bars }, (_, bar) =>
      bar % every === 0 ? html`<span style="left: ${bar * barWidth}px">${bar + 1}</span>` : nothing,
    )}
  </div>`;
}

function markersView(view: ArrangementView) {
  return {
    markers: view.project.markers,
    pixelsPerBeat: view.pixelsPerBeat,
    beatsPerBar: view.beatsPerBar,
    selectedMarker: view.selectedMarker,
    clipSelected: view.selectedClip !== null,
  };
}

/**
 * @example
 * import { html, nothing } from "lit";
 * import { parseProject } from "../project/project-invariants";
 * const project = parseProject({ format: "webdreamer-project", format_version: 1 });
 * const view = { project, pixelsPerBeat: 32, beatsPerBar: 4, snapBeats: 1, selectedClip: null, lengthBeats: 32, instrumentPicker: nothing, dropping: false, selectedMarker: null };
 * const none = () => {};
 * const ruler = { pointerDown: none, pointerMove: none, pointerUp: none };
 * const markers = { jumpToMarker: none, renameMarker: none, removeMarker: none, addMarker: none, splitClip: none, duplicateClip: none };
 * html`${arrangement(view, { pickAudioFile: none, zoom: none, changeSnap: none, ruler, addMidiClip: none, removeTrack: none, toggleAutomation: none, wantInstruments: none, ...markers })}`;
 */
export function arrangement(view: ArrangementView, actions: ArrangementActions) {
  const width = view.lengthBeats * view.pixelsPerBeat;
  return html`
    <section class="arrangement ${view.dropping ? "dropping" : ""}" part="arrangement" aria-label="Arrangement"
      @pointerenter=${actions.wantInstruments} @focusin=${actions.wantInstruments}>
      <div class="arrange-toolbar" role="toolbar" aria-label="Tracks and view">
        <button type="button" @click=${actions.pickAudioFile}>${plusIcon}<span>Audio track from file…</span></button>
        ${view.instrumentPicker}
        ${editTools(markersView(view), actions)}
        <span class="view-controls">
          <button type="button" class="small" aria-label="Zoom out" @click=${() => actions.zoom("out")}>−</button>
          <button type="button" class="small" aria-label="Zoom in" @click=${() => actions.zoom("in")}>+</button>
          <label for="snap-select">Snap</label>
          <select id="snap-select" @change=${actions.changeSnap}>
            ${SNAP_CHOICES.map(
              (choice) =>
                html`<option value=${choice.beats} ?selected=${choice.beats === view.snapBeats}>${choice.label}</option>`,
            )}
          </select>
        </span>
      </div>
      <div class="timeline" role="region" aria-label="Tracks" style="--ppb: ${view.pixelsPerBeat}px; --bar: ${view.beatsPerBar * view.pixelsPerBeat}px">
        <div class="corner" aria-hidden="true"></div>
        <div class="ruler-row" title="Click to move the playhead, drag to set the loop range"
          @pointerdown=${actions.ruler.pointerDown} @pointermove=${actions.ruler.pointerMove}
          @pointerup=${actions.ruler.pointerUp} @pointercancel=${actions.ruler.pointerUp}>
          ${ruler(view)}${loopBand(view.project.loop, view.pixelsPerBeat)}${markerFlags(markersView(view), actions)}
        </div>
        ${view.project.tracks.map((track) =>
          trackLane(
            track,
            {
              pixelsPerBeat: view.pixelsPerBeat,
              beatsPerBar: view.beatsPerBar,
              selectedClip: view.selectedClip,
              width,
              armedTrack: view.armedTrack ?? null,
              automationShown: view.automationShown?.(track.id) ?? false,
              automationRow: view.automationRow?.(track, width),
            },
            actions,
          ),
        )}
        ${masterRow(
          {
            width,
            automationShown: view.automationShown?.(MASTER_ID) ?? false,
            automationRow: view.automationRow?.(masterTrack(view.project), width),
          },
          actions,
        )}
        ${
          view.project.tracks.length === 0
            ? html`<p class="empty">No tracks yet. Add an audio track from a file (or drop a WAV here), or an instrument track.</p>`
            : nothing
        }
        <div class="playhead" aria-hidden="true"></div>
      </div>
    </section>
  `;
}
