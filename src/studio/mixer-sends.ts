/**
 * Buses and sends in the mixer: the commands a strip's send controls make (pure, unit-tested) and
 * their markup. A send feeds a bus track at its level, pre or post fader (compile-track.ts: the
 * send's builtin:gain taps <id>.mute before the fader, or <id>.pan after fader and pan); its gain is
 * dbToGain(level_db) = 10^(dB / 20), the law of every fader (mixer-laws.ts).
 */
import { html, nothing } from "lit";

import type { ProjectCommand } from "../project/project-commands";
import type { Project, Send, Track } from "../project/project-schema";
import { freshId } from "./studio-ids";

/** The send level slider's range in dB; its floor stands for -120 dB (the project's floor). */
export const MIN_SEND_DB = -60;
export const MAX_SEND_DB = 12;
/** A new send's level: unity, so what reaches the bus is the track's signal as it is. */
export const NEW_SEND_DB = 0;

/**
 * The level a send slider's position sets: its floor is -120 dB, a gain of 1e-6 (the project's floor).
 * @example
 * sendLevelFromSlider(-60); // -120
 */
export function sendLevelFromSlider(value: number): number {
  return value <= MIN_SEND_DB ? -120 : Math.min(MAX_SEND_DB, value);
}

/** The bus tracks a track may send to: every bus but itself. */
export function sendTargets(project: Project, track: Track): Track[] {
  return project.tracks.filter((other) => other.kind === "bus" && other.id !== track.id);
}

/**
 * "+ Bus": a bus track named "Bus N" (N after the buses there are), routed to the master.
 * @example
 * addBusCommand(project); // { type: "add_track", track: { kind: "bus", id: "bus-1", name: "Bus 1" } }
 */
export function addBusCommand(project: Project): ProjectCommand {
  const number = project.tracks.filter((track) => track.kind === "bus").length + 1;
  const name = `Bus ${number}`;
  return { type: "add_track", track: { kind: "bus", id: freshId(project, `bus-${number}`), name } };
}

/**
 * "+ Reverb" on a bus: the builtin reverb as its last effect, fully wet (dry_level 0), as a send's
 * return should be.
 * @example
 * addReverbCommand(project, "bus-1"); // add_device builtin:reverb with { dry_level: 0 }
 */
export function addReverbCommand(project: Project, trackId: string): ProjectCommand {
  const device = { id: freshId(project, "reverb"), node_id: "builtin:reverb", params: { dry_level: 0 } };
  return { type: "add_device", track_id: trackId, device };
}

/**
 * "+ Send": a post-fader send at NEW_SEND_DB to the first bus the track may feed, or null when there
 * is none.
 * @example
 * addSendCommand(project, "drums"); // { type: "add_send", track_id: "drums", send: { id: "send", target: "bus-1", ... } }
 */
export function addSendCommand(project: Project, trackId: string): ProjectCommand | null {
  const track = project.tracks.find((candidate) => candidate.id === trackId);
  const target = track ? sendTargets(project, track)[0] : undefined;
  if (!track || !target) return null;
  const send = { id: freshId(project, "send"), target: target.id, level_db: NEW_SEND_DB, pre_fader: false };
  return { type: "add_send", track_id: trackId, send };
}

export interface SendActions {
  addSend(trackId: string): void;
  /** A send's level slider moved (input; its change event ends the gesture, as a fader's). */
  sendLevel(trackId: string, sendId: string, event: Event): void;
  sendCommit(event: Event): void;
  sendTarget(trackId: string, sendId: string, target: string): void;
  sendPreFader(trackId: string, sendId: string, preFader: boolean): void;
  removeSend(trackId: string, sendId: string): void;
  addReverb(trackId: string): void;
  removeDevice(trackId: string, deviceId: string): void;
}

/**
 * A level as a send shows it (its slider's floor, MIN_SEND_DB, stands for silence).
 * @example
 * formatSendDb(-6); // "-6.0 dB"
 */
export function formatSendDb(db: number): string {
  return db <= MIN_SEND_DB ? "-∞ dB" : `${db > 0 ? "+" : ""}${db.toFixed(1)} dB`;
}

function sendRow(project: Project, track: Track, send: Send, name: string, actions: SendActions) {
  const targets = sendTargets(project, track);
  const busName = (bus: Track) => bus.name || bus.id;
  const target = project.tracks.find((bus) => bus.id === send.target);
  const label = `Send from ${name} to ${target ? busName(target) : send.target}`;
  return html`
    <div class="send" role="group" aria-label=${label} data-send=${send.id}>
      <select aria-label="Bus of ${label}"
        @change=${(event: Event) => actions.sendTarget(track.id, send.id, (event.target as HTMLSelectElement).value)}>
        ${targets.map((bus) => html`<option value=${bus.id} ?selected=${bus.id === send.target}>${busName(bus)}</option>`)}
      </select>
      <input type="range" min=${MIN_SEND_DB} max=${MAX_SEND_DB} step="0.1" .value=${String(send.level_db)}
        aria-label="Level of ${label}" aria-valuetext=${formatSendDb(send.level_db)}
        @input=${(event: Event) => actions.sendLevel(track.id, send.id, event)} @change=${actions.sendCommit} />
      <output>${formatSendDb(send.level_db)}</output>
      <button type="button" class="small pre" aria-pressed=${send.pre_fader ? "true" : "false"}
        aria-label="Pre-fader ${label}" title="Pre-fader (before volume and pan)"
        @click=${() => actions.sendPreFader(track.id, send.id, !send.pre_fader)}>Pre</button>
      <button type="button" class="small" aria-label="Remove ${label}"
        @click=${() => actions.removeSend(track.id, send.id)}>×</button>
    </div>
  `;
}

/**
 * A strip's sends and, on a bus, its effects: the rows, "+ Send" (when there is a bus to feed) and
 * "+ Reverb" on a bus.
 * @example
 * const noop = () => {};
 * const actions = { addSend: noop, sendLevel: noop, sendCommit: noop, sendTarget: noop, sendPreFader: noop, removeSend: noop, addReverb: noop, removeDevice: noop };
 * const drums = project.tracks[0];
 * if (drums) stripSends(project, drums, "Drums", actions);
 */
export function stripSends(project: Project, track: Track, name: string, actions: SendActions) {
  const canSend = sendTargets(project, track).length > 0;
  return html`
    <div class="strip-sends">
      ${track.sends.map((send) => sendRow(project, track, send, name, actions))}
      ${
        canSend
          ? html`<button type="button" class="small" aria-label="Add send from ${name}"
        @click=${() => actions.addSend(track.id)}>+ Send</button>`
          : nothing
      }
      ${track.kind === "bus" ? busEffects(track, name, actions) : nothing}
    </div>
  `;
}

function busEffects(track: Track, name: string, actions: SendActions) {
  return html`
    <ul class="strip-devices" aria-label="Effects of ${name}">
      ${track.devices.map(
        (device) => html`<li>${device.node_id.replace(/^builtin:/, "")}
          <button type="button" class="small" aria-label="Remove ${device.node_id.replace(/^builtin:/, "")} from ${name}"
            @click=${() => actions.removeDevice(track.id, device.id)}>×</button></li>`,
      )}
    </ul>
    <button type="button" class="small" aria-label="Add reverb to ${name}" @click=${() => actions.addReverb(track.id)}>+ Reverb</button>
  `;
}
