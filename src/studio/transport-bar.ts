/**
 * The studio's transport bar: Play/Pause, Stop, Record (armed: Play records the keyboard), Loop, the tempo and time signature fields, Undo and
 * Redo (labelled with what they undo), and the position readout the player shares
 * (playerDisplay: bars:beats, time, tempo, loop; TransportReadout fills it every frame).
 */
import { html } from "lit";

import { playerDisplay } from "../components/player-display";
import { loopIcon, pauseIcon, playIcon, stopIcon } from "../components/player-icons";
import { MAX_TEMPO_BPM, MIN_TEMPO_BPM } from "../components/player-transport-bar";
import { redoIcon, undoIcon } from "./studio-icons";

/** The time signature denominators the project accepts. */
export const DENOMINATORS = [1, 2, 4, 8, 16, 32] as const;

export interface StudioTransportView {
  playing: boolean;
  playDisabled: boolean;
  /** Record is armed (Play records) or recording. */
  recordArmed: boolean;
  loopEnabled: boolean;
  tempo: number;
  numerator: number;
  denominator: number;
  undoLabel: string | null;
  redoLabel: string | null;
}

export interface StudioTransportActions {
  playOrPause(): void;
  stop(): void;
  toggleRecord(): void;
  toggleLoop(): void;
  changeTempo(event: Event): void;
  changeSignature(event: Event): void;
  undo(): void;
  redo(): void;
}

/**
 * @example
 * import { html } from "lit";
 * const view = { playing: false, playDisabled: false, recordArmed: false, loopEnabled: false, tempo: 120, numerator: 4, denominator: 4, undoLabel: null, redoLabel: null };
 * const none = () => {};
 * html`${studioTransportBar(view, { playOrPause: none, stop: none, toggleRecord: none, toggleLoop: none, changeTempo: none, changeSignature: none, undo: none, redo: none })}`;
 */
export function studioTransportBar(view: StudioTransportView, actions: StudioTransportActions) {
  return html`
    <div class="studio-transport" part="transport" role="toolbar" aria-label="Transport">
      <button class="play" type="button" ?disabled=${view.playDisabled} @click=${actions.playOrPause}
        aria-keyshortcuts="Space">
        ${view.playing ? pauseIcon : playIcon}<span>${view.playing ? "Pause" : "Play"}</span>
      </button>
      <button type="button" @click=${actions.stop}>${stopIcon}<span>Stop</span></button>
      <button type="button" class="record" aria-pressed=${view.recordArmed ? "true" : "false"} @click=${actions.toggleRecord}
        title="Record the keyboard and MIDI input on the selected instrument track while playing">
        <span class="record-dot" aria-hidden="true"></span><span>Record</span>
      </button>
      <button type="button" aria-pressed=${view.loopEnabled ? "true" : "false"} @click=${actions.toggleLoop}>
        ${loopIcon}<span>Loop</span>
      </button>
      <label class="field">
        <span>Tempo</span>
        <input class="tempo-input" type="number" inputmode="decimal" min=${MIN_TEMPO_BPM} max=${MAX_TEMPO_BPM} step="1"
          .value=${String(view.tempo)} @change=${actions.changeTempo} />
        <span aria-hidden="true">bpm</span>
      </label>
      <fieldset class="field signature">
        <legend class="visually-hidden">Time signature</legend>
        <span aria-hidden="true">Signature</span>
        <input name="numerator" type="number" min="1" max="64" step="1" aria-label="Beats per bar"
          .value=${String(view.numerator)} @change=${actions.changeSignature} />
        <span aria-hidden="true">/</span>
        <select name="denominator" aria-label="Beat unit" @change=${actions.changeSignature}>
          ${DENOMINATORS.map((d) => html`<option value=${d} ?selected=${d === view.denominator}>${d}</option>`)}
        </select>
      </fieldset>
      <div class="history" role="group" aria-label="History">
        <button type="button" ?disabled=${view.undoLabel === null} @click=${actions.undo}
          aria-label=${view.undoLabel ? `Undo ${view.undoLabel}` : "Undo"} aria-keyshortcuts="Control+Z Meta+Z"
          title=${view.undoLabel ? `Undo ${view.undoLabel}` : "Nothing to undo"}>
          ${undoIcon}<span>Undo</span>
        </button>
        <button type="button" ?disabled=${view.redoLabel === null} @click=${actions.redo}
          aria-label=${view.redoLabel ? `Redo ${view.redoLabel}` : "Redo"}
          aria-keyshortcuts="Shift+Control+Z Shift+Meta+Z"
          title=${view.redoLabel ? `Redo ${view.redoLabel}` : "Nothing to redo"}>
          ${redoIcon}<span>Redo</span>
        </button>
      </div>
    </div>
    ${playerDisplay()}
  `;
}
