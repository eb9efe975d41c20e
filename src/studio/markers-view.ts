/**
 * Markers on the ruler and the arrangement's edit tools. Each marker is a flag on the ruler, a
 * focusable button named by its name and place ("Marker Verse, 3:1"): a click selects it and moves the
 * playhead there, Delete or Backspace on it removes it. The edit tools in the arrangement's toolbar
 * are Split, Duplicate and Add marker, and, while a marker is selected, its name field (a change
 * renames it, one undo step) and Delete marker.
 */
import { html, nothing } from "lit";

import { formatBarsBeats } from "../components/transport-format";
import type { Marker } from "../project/project-schema";

export interface MarkersView {
  markers: readonly Marker[];
  pixelsPerBeat: number;
  beatsPerBar: number;
  selectedMarker: string | null;
  /** Whether a clip is selected (Split and Duplicate act on it). */
  clipSelected: boolean;
}

export interface MarkerActions {
  /** A marker clicked: select it and move the playhead to it. */
  jumpToMarker(markerId: string): void;
  renameMarker(markerId: string, name: string): void;
  removeMarker(markerId: string): void;
  addMarker(): void;
  splitClip(): void;
  duplicateClip(): void;
}

/** A marker's accessible name: its name and where it is, in bars:beats. */
export function markerLabel(marker: Marker, beatsPerBar: number): string {
  return `Marker ${marker.name || marker.id}, ${formatBarsBeats(marker.beat, beatsPerBar)}`;
}

/**
 * The markers' flags, for the ruler row.
 * @example
 * import { html } from "lit";
 * const none = () => {};
 * const view = { markers: [{ id: "m", beat: 8, name: "Verse" }], pixelsPerBeat: 32, beatsPerBar: 4, selectedMarker: null, clipSelected: false };
 * html`${markerFlags(view, { jumpToMarker: none, renameMarker: none, removeMarker: none, addMarker: none, splitClip: none, duplicateClip: none })}`;
 */
export function markerFlags(view: MarkersView, actions: MarkerActions) {
  return view.markers.map((marker) => {
    const selected = marker.id === view.selectedMarker;
    return html`<button type="button" class="marker ${selected ? "selected" : ""}"
      style="left: ${marker.beat * view.pixelsPerBeat}px"
      data-marker=${marker.id}
      aria-pressed=${selected ? "true" : "false"}
      aria-label=${markerLabel(marker, view.beatsPerBar)}
      aria-keyshortcuts="Delete"
      @click=${(event: Event) => {
        event.stopPropagation();
        actions.jumpToMarker(marker.id);
      }}
      @keydown=${(event: KeyboardEvent) => {
        if (event.key !== "Delete" && event.key !== "Backspace") return;
        event.preventDefault();
        actions.removeMarker(marker.id);
      }}><span aria-hidden="true">${marker.name || marker.id}</span></button>`;
  });
}

/**
 * The edit tools of the arrangement's toolbar.
 * @example
 * import { html } from "lit";
 * const none = () => {};
 * const view = { markers: [], pixelsPerBeat: 32, beatsPerBar: 4, selectedMarker: null, clipSelected: true };
 * html`${editTools(view, { jumpToMarker: none, renameMarker: none, removeMarker: none, addMarker: none, splitClip: none, duplicateClip: none })}`;
 */
export function editTools(view: MarkersView, actions: MarkerActions) {
  const marker = view.markers.find((m) => m.id === view.selectedMarker);
  return html`<span class="edit-tools">
    <button type="button" class="small" ?disabled=${!view.clipSelected} aria-keyshortcuts="Control+E Meta+E"
      title="Split the selected clip at the playhead (Ctrl+E; Alt+click a clip splits it there)"
      @click=${actions.splitClip}>Split</button>
    <button type="button" class="small" ?disabled=${!view.clipSelected} aria-keyshortcuts="Control+D Meta+D"
      title="Place a copy of the selected clip right after it (Ctrl+D)"
      @click=${actions.duplicateClip}>Duplicate</button>
    <button type="button" class="small" aria-keyshortcuts="M" title="Add a marker at the playhead (M)"
      @click=${actions.addMarker}>Add marker</button>
    ${
      marker
        ? html`<input class="marker-name" aria-label="Marker name" .value=${marker.name} maxlength="256"
            @change=${(event: Event) =>
              actions.renameMarker(marker.id, (event.target as HTMLInputElement).value.trim())} />
          <button type="button" class="small" @click=${() => actions.removeMarker(marker.id)}>Delete marker</button>`
        : nothing
    }
  </span>`;
}
