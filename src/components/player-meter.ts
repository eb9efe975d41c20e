/** The level meter's markup: channel labels, the canvas LevelMeter paints, and the dB scale. */
import { html } from "lit";

import { METER_FLOOR_DB } from "./level-meter";

/** Marks on the meter's dB scale. */
const SCALE_MARKS = [-48, -36, -24, -12, -6, 0] as const;

/**
 * @example
 * import { html } from "lit";
 * html`<section class="player">${playerMeter()}</section>`;
 */
export function playerMeter() {
  return html`
    <div class="meter" part="meter" role="img" aria-label="Output level: peak and RMS of the left and right channels">
      <div class="channels" aria-hidden="true"><span>L</span><span>R</span></div>
      <canvas></canvas>
      <div class="scale" aria-hidden="true">
        ${SCALE_MARKS.map(
          (db) =>
            html`<span
              class=${db === -6 ? "minor" : ""}
              style="left: ${((db - METER_FLOOR_DB) / -METER_FLOOR_DB) * 100}%"
              >${db === 0 ? "0 dB" : db}</span
            >`,
        )}
      </div>
    </div>
  `;
}
