/**
 * The master's row at the foot of the arrangement: a header ("Master" and its Auto toggle) over an
 * empty lane, and under it, when shown, the master's automation lane: its volume (dB, as the master
 * fader) and its devices' parameters. The automation views take a track, so the master is shown to
 * them as one (masterTrack): a bus-shaped view of `project.master` under the id "master", which every
 * set_automation they send addresses as the model does (docs/projects.md: the master has `volume`
 * and `device:<id>:<parameter>` lanes, no pan and no sends).
 */
import { html, nothing } from "lit";

import { type BusTrack, MASTER_ID, type Project } from "../project/project-schema";

/**
 * The master as the automation views read a track: its volume as the fader, its devices and lanes.
 * @example
 * masterTrack(project).automation === project.master.automation; // true
 */
export function masterTrack(project: Project): BusTrack {
  return {
    kind: "bus",
    id: MASTER_ID,
    name: "Master",
    mixer: { volume_db: project.master.volume_db, pan: 0, mute: false, solo: false, solo_safe: false },
    output: MASTER_ID,
    sends: [],
    devices: project.master.devices,
    automation: project.master.automation,
  };
}

export interface MasterRowContext {
  /** The lane's width in pixels (the whole timeline's). */
  width: number;
  automationShown: boolean;
  /** The automation lane's header and lane (automation-gestures.ts). */
  automationRow: unknown;
}

/**
 * @example
 * import { html } from "lit";
 * html`${masterRow({ width: 800, automationShown: false, automationRow: null }, { toggleAutomation() {} })}`;
 */
export function masterRow(context: MasterRowContext, actions: { toggleAutomation(trackId: string): void }) {
  return html`
    <div class="track-header master-header" role="group" aria-label="Track Master" data-track=${MASTER_ID}>
      <span class="track-name">Master</span>
      <span class="track-kind">Output</span>
      <span class="track-actions">
        <button type="button" class="small" aria-pressed=${context.automationShown ? "true" : "false"}
          aria-label="Auto lane of Master" title="Show the master's automation lane"
          @click=${() => actions.toggleAutomation(MASTER_ID)}>Auto</button>
      </span>
    </div>
    <div class="lane master-lane" aria-hidden="true" data-track=${MASTER_ID} style="width: ${context.width}px"></div>
    ${context.automationRow ?? nothing}
  `;
}
