/** The transport bar: Play/Pause, Stop, Loop and the tempo input. */
import { html } from "lit";

import { loopIcon, pauseIcon, playIcon, stopIcon } from "./player-icons";

/** The tempo input's range (the engine accepts up to 1000 bpm; beyond 300 is not music). */
export const MIN_TEMPO_BPM = 20;
export const MAX_TEMPO_BPM = 300;

export interface TransportBarView {
  /** The transport plays: the first button pauses. */
  playing: boolean;
  playDisabled: boolean;
  stopDisabled: boolean;
  /** This browser cannot run the engine: Loop and the tempo input are disabled too. */
  unsupported: boolean;
  loopEnabled: boolean;
  /** What the tempo input shows, in bpm. */
  tempo: number;
}

export interface TransportBarActions {
  playOrPause(): void;
  stop(): void;
  toggleLoop(): void;
  /** The tempo input's change event (its value is still the raw text typed). */
  changeTempo(event: Event): void;
}

/**
 * @example
 * import { html } from "lit";
 * const view = { playing: false, playDisabled: false, stopDisabled: true, unsupported: false, loopEnabled: false, tempo: 120 };
 * const playOrPause = () => (player.status === "playing" ? player.pause() : player.play());
 * html`${transportBar(view, { playOrPause, stop: () => player.stop(), toggleLoop() {}, changeTempo() {} })}`;
 */
export function transportBar(view: TransportBarView, actions: TransportBarActions) {
  return html`
    <div class="transport" part="transport" role="group" aria-label="Transport">
      <button class="play" type="button" ?disabled=${view.playDisabled} @click=${actions.playOrPause}>
        ${view.playing ? pauseIcon : playIcon}<span>${view.playing ? "Pause" : "Play"}</span>
      </button>
      <button type="button" ?disabled=${view.stopDisabled} @click=${actions.stop}>
        ${stopIcon}<span>Stop</span>
      </button>
      <button
        type="button"
        aria-pressed=${view.loopEnabled ? "true" : "false"}
        ?disabled=${view.unsupported}
        @click=${actions.toggleLoop}
      >
        ${loopIcon}<span>Loop</span>
      </button>
      <div class="tempo">
        <label for="tempo">Tempo</label>
        <input
          id="tempo"
          type="number"
          inputmode="decimal"
          min=${MIN_TEMPO_BPM}
          max=${MAX_TEMPO_BPM}
          step="1"
          .value=${String(view.tempo)}
          ?disabled=${view.unsupported}
          @change=${actions.changeTempo}
        />
        <span>bpm</span>
      </div>
    </div>
  `;
}
