/**
 * The piano roll of one MIDI clip, as a template function: a toolbar (grid, velocity of the selected
 * note, Add note, Delete note, Close), the pitch rows with their key names, the clip's notes as
 * focusable boxes with a resize handle, and a velocity lane under them. The gestures (draw, move,
 * resize, velocity) live in piano-roll-gestures.ts; every edit is one `update_clip` notes patch.
 */
import { html } from "lit";
import { styleMap } from "lit/directives/style-map.js";

import type { MidiClip } from "../project/project-schema";
import type { PianoRollGestures } from "./piano-roll-gestures";
import {
  isBlackKey,
  noteName,
  ROLL_HIGHEST_NOTE,
  ROLL_LOWEST_NOTE,
  ROLL_ROW_PX,
  rowTop,
  velocityFraction,
} from "./piano-roll-math";
import { SNAP_CHOICES } from "./timeline-math";

export interface PianoRollView {
  clip: MidiClip;
  trackName: string;
  /** The index of the selected note in `clip.notes`, or null. */
  selectedNote: number | null;
  grid: number;
  pixelsPerBeat: number;
  beatsPerBar: number;
}

export interface PianoRollActions {
  close(): void;
  changeGrid(event: Event): void;
  addNote(): void;
  deleteNote(): void;
  velocityInput(event: Event): void;
  velocityCommit(): void;
}

/** Height of the velocity lane, in pixels. */
export const VELOCITY_LANE_PX = 56;

const ROWS = Array.from(
  { length: ROLL_HIGHEST_NOTE - ROLL_LOWEST_NOTE + 1 },
  (_, i) => ROLL_HIGHEST_NOTE - i,
);

/** A note's accessible name: pitch, where it starts (beats from the clip's start, 1-based), length, velocity. */
export function noteLabel(note: MidiClip["notes"][number]): string {
  return `Note ${noteName(note.note)}, beat ${+(note.beat + 1).toFixed(3)}, ${+note.length_beats.toFixed(3)} beats, velocity ${note.velocity}`;
}

/**
 * @example
 * import { html } from "lit";
 * const clip = { id: "c1", name: "Riff", start_beat: 0, length_beats: 4, notes: [], cc: [], pitch_bend: [] };
 * const none = () => {};
 * const actions = { close: none, changeGrid: none, addNote: none, deleteNote: none, velocityInput: none, velocityCommit: none };
 * // gestures: the studio's PianoRollGestures
 * // html`${pianoRoll({ clip, trackName: "Synth", selectedNote: null, grid: 0.25, pixelsPerBeat: 48, beatsPerBar: 4 }, actions, gestures)}`;
 */
export function pianoRoll(view: PianoRollView, actions: PianoRollActions, gestures: PianoRollGestures) {
  const { clip } = view;
  const width = clip.length_beats * view.pixelsPerBeat;
  const height = ROWS.length * ROLL_ROW_PX;
  const selected = view.selectedNote === null ? undefined : clip.notes[view.selectedNote];
  const title = `${clip.name || clip.id} on ${view.trackName}`;
  const gridStyle = styleMap({
    width: `${width}px`,
    height: `${height}px`,
    "--beat-px": `${view.pixelsPerBeat}px`,
    "--bar-px": `${view.pixelsPerBeat * view.beatsPerBar}px`,
  });
  return html`
    <section class="piano-roll" part="piano-roll" aria-label="Piano roll: ${title}">
      <div class="roll-toolbar" role="toolbar" aria-label="Piano roll tools">
        <span class="roll-title">${title}</span>
        <label class="field">
          <span>Grid</span>
          <select aria-label="Note grid" @change=${actions.changeGrid}>
            ${SNAP_CHOICES.filter((choice) => choice.beats !== 4).map(
              (choice) =>
                html`<option value=${choice.beats} ?selected=${choice.beats === view.grid}>${choice.label}</option>`,
            )}
          </select>
        </label>
        <label class="field">
          <span>Velocity</span>
          <input type="range" min="1" max="127" step="1" aria-label="Velocity of the selected note"
            ?disabled=${selected === undefined} .value=${String(selected?.velocity ?? 100)}
            aria-valuetext=${selected ? String(selected.velocity) : "no note selected"}
            @input=${actions.velocityInput} @change=${actions.velocityCommit} />
          <output aria-hidden="true">${selected?.velocity ?? "–"}</output>
        </label>
        <button type="button" class="small" @click=${actions.addNote}>Add note</button>
        <button type="button" class="small" ?disabled=${selected === undefined} @click=${actions.deleteNote}>
          Delete note
        </button>
        <button type="button" class="small" @click=${actions.close} aria-label="Close piano roll">✕</button>
      </div>
      <div class="roll-scroll">
        <div class="roll-body" style="height: ${height}px">
          <div class="roll-keys" aria-hidden="true">
            ${ROWS.map(
              (note) =>
                html`<span class="roll-key ${isBlackKey(note) ? "black" : ""}" style="top: ${rowTop(note)}px">${note % 12 === 0 ? noteName(note) : ""}</span>`,
            )}
          </div>
          <div class="roll-grid" style=${gridStyle} role="group"
            aria-label="Notes of ${title}: click to draw a note; on a note, arrows move it, Shift+arrows resize, Delete removes"
            @pointerdown=${gestures.pointerDown} @pointermove=${gestures.pointerMove}
            @pointerup=${gestures.pointerUp} @pointercancel=${gestures.pointerUp} @keydown=${gestures.keyDown}>
            ${ROWS.filter(isBlackKey).map(
              (note) =>
                html`<span class="roll-row black" style="top: ${rowTop(note)}px" aria-hidden="true"></span>`,
            )}
            ${clip.notes.map((note, index) => noteBox(note, index, index === view.selectedNote, view.pixelsPerBeat, clip.length_beats))}
          </div>
        </div>
      </div>
      <div class="velocity-lane" aria-hidden="true" style="height: ${VELOCITY_LANE_PX}px">
        <div class="velocity-bars" style="width: ${width}px"
          @pointerdown=${gestures.velocityDown} @pointermove=${gestures.velocityMove}
          @pointerup=${gestures.pointerUp} @pointercancel=${gestures.pointerUp}>
          ${clip.notes.map(
            (note, index) =>
              html`<span class="velocity-bar ${index === view.selectedNote ? "selected" : ""}" data-index=${index}
                style="left: ${note.beat * view.pixelsPerBeat}px; height: ${velocityFraction(note.velocity) * 100}%"></span>`,
          )}
        </div>
      </div>
    </section>
  `;
}

function noteBox(
  note: MidiClip["notes"][number],
  index: number,
  selected: boolean,
  pixelsPerBeat: number,
  clipBeats: number,
) {
  const style = styleMap({
    left: `${note.beat * pixelsPerBeat}px`,
    top: `${rowTop(note.note)}px`,
    width: `${Math.max(3, Math.min(note.length_beats, clipBeats - note.beat) * pixelsPerBeat)}px`,
    height: `${ROLL_ROW_PX}px`,
    opacity: String(0.45 + 0.55 * velocityFraction(note.velocity)),
  });
  return html`<div class="roll-note ${selected ? "selected" : ""}" style=${style} data-index=${index}
    role="button" tabindex="0" aria-pressed=${selected ? "true" : "false"} aria-label=${noteLabel(note)}
    aria-keyshortcuts="ArrowLeft ArrowRight ArrowUp ArrowDown Shift+ArrowLeft Shift+ArrowRight Delete">
    <span class="roll-resize" data-handle="resize" aria-hidden="true"></span>
  </div>`;
}
