/**
 * The readout's markup: the display (position, time, tempo, loop) and the dropout counters. Lit
 * renders the empty fields once; TransportReadout fills them every frame, found by findReadoutFields.
 */
import { html } from "lit";

import type { ReadoutFields } from "./transport-readout";

/**
 * @example
 * import { html } from "lit";
 * html`<section class="player">${playerDisplay()}</section>`;
 */
export function playerDisplay() {
  return html`
    <dl class="display" part="display">
      <div class="position"><dt>Bar:beat</dt><dd id="bars-beats"></dd></div>
      <div><dt>Time</dt><dd id="clock"></dd></div>
      <div><dt>Tempo</dt><dd id="tempo-readout"></dd></div>
      <div class="loop"><dt>Loop</dt><dd id="loop-readout"></dd></div>
    </dl>
  `;
}

/**
 * @example
 * import { html } from "lit";
 * html`<section class="player">${playerDropouts()}</section>`;
 */
export function playerDropouts() {
  return html`
    <dl class="dropouts" part="dropouts" aria-label="Dropouts since the engine started">
      <span aria-hidden="true">Dropouts</span>
      <div><dt>Ring overflows</dt><dd id="ring-overflows"></dd></div>
      <div><dt>Late commands</dt><dd id="late-commands"></dd></div>
      <div><dt>Bad commands</dt><dd id="bad-commands"></dd></div>
      <div><dt>Underruns</dt><dd id="underruns"></dd></div>
      <div><dt>NaN/Inf samples</dt><dd id="non-finite"></dd></div>
    </dl>
  `;
}

/**
 * The fields playerDisplay() and playerDropouts() rendered into `root`.
 * @example
 * import { TransportReadout } from "./transport-readout";
 * // in the host's firstUpdated(), once Lit rendered the fields
 * const readout = new TransportReadout(findReadoutFields(host.renderRoot), 4);
 */
export function findReadoutFields(root: ParentNode): ReadoutFields {
  const field = (id: string) => root.querySelector<HTMLElement>(`#${id}`) as HTMLElement;
  return {
    barsBeats: field("bars-beats"),
    clock: field("clock"),
    tempo: field("tempo-readout"),
    loop: field("loop-readout"),
    ringOverflows: field("ring-overflows"),
    lateCommands: field("late-commands"),
    badCommands: field("bad-commands"),
    underruns: field("underruns"),
    nonFiniteSamples: field("non-finite"),
  };
}
