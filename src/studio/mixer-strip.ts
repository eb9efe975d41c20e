/**
 * The mixer: one strip per track and bus (its meter, peak and RMS from the engine's node meters,
 * strip-meters.ts; volume, pan, mute, solo; its sends, and on a bus its effects, mixer-sends.ts),
 * "+ Bus", and the master's (volume, the engine's own output meter, the spectrum and the scope,
 * master-spectrum.ts and master-scope.ts). Each control is labelled with its track, and sliders say their value in words
 * (aria-valuetext: "-6.0 dB", "20% left").
 */
import { html, nothing } from "lit";

import type { Project, Track } from "../project/project-schema";
import { type SendActions, stripSends } from "./mixer-sends";

/** The volume sliders' range, in dB (the project allows down to -120: the slider's floor is silence enough). */
export const MIN_FADER_DB = -60;
export const MAX_FADER_DB = 12;

/**
 * A level as a fader shows it.
 * @example
 * formatDb(-6); // "-6.0 dB"
 */
export function formatDb(db: number): string {
  return db <= MIN_FADER_DB ? "-∞ dB" : `${db > 0 ? "+" : ""}${db.toFixed(1)} dB`;
}

/**
 * A pan position in words.
 * @example
 * formatPan(-0.2); // "20% left"
 */
export function formatPan(pan: number): string {
  const percent = Math.round(Math.abs(pan) * 100);
  return percent === 0 ? "centre" : `${percent}% ${pan < 0 ? "left" : "right"}`;
}

export interface MixerActions extends SendActions {
  addBus(): void;
  /** A fader or pan slider moved (input) or was let go (change). */
  mixerInput(trackId: string, field: "volume_db" | "pan", event: Event): void;
  mixerCommit(event: Event): void;
  toggle(trackId: string, field: "mute" | "solo"): void;
}

function strip(project: Project, track: Track, actions: MixerActions) {
  const name = track.name || track.id;
  const { volume_db: volume, pan, mute, solo } = track.mixer;
  return html`
    <div class="strip ${track.kind === "bus" ? "bus" : ""}" role="group" aria-label="Mixer strip ${name}" data-track=${track.id}>
      <span class="strip-name" title=${name}>${name}</span>
      <canvas class="strip-meter" data-strip-meter=${track.id} aria-label="Level of ${name}" role="img"></canvas>
      <output class="strip-level" aria-label="Peak and RMS of ${name}">pk -∞ · rms -∞</output>
      <label class="strip-control">
        <span>Vol</span>
        <input type="range" min=${MIN_FADER_DB} max=${MAX_FADER_DB} step="0.1" .value=${String(volume)}
          aria-label="Volume of ${name}" aria-valuetext=${formatDb(volume)}
          @input=${(event: Event) => actions.mixerInput(track.id, "volume_db", event)} @change=${actions.mixerCommit} />
        <output>${formatDb(volume)}</output>
      </label>
      <label class="strip-control">
        <span>Pan</span>
        <input type="range" min="-1" max="1" step="0.01" .value=${String(pan)}
          aria-label="Pan of ${name}" aria-valuetext=${formatPan(pan)}
          @input=${(event: Event) => actions.mixerInput(track.id, "pan", event)} @change=${actions.mixerCommit} />
        <output>${formatPan(pan)}</output>
      </label>
      <div class="strip-buttons">
        <button type="button" class="small mute" aria-pressed=${mute ? "true" : "false"} aria-label="Mute ${name}"
          @click=${() => actions.toggle(track.id, "mute")}>M</button>
        <button type="button" class="small solo" aria-pressed=${solo ? "true" : "false"} aria-label="Solo ${name}"
          @click=${() => actions.toggle(track.id, "solo")}>S</button>
      </div>
      ${stripSends(project, track, name, actions)}
    </div>
  `;
}

/**
 * @example
 * import { html } from "lit";
 * import { parseProject } from "../project/project-invariants";
 * const project = parseProject({ format: "webdreamer-project", format_version: 1 });
 * const noop = () => {};
 * const sends = { addSend: noop, sendLevel: noop, sendCommit: noop, sendTarget: noop, sendPreFader: noop, removeSend: noop, addReverb: noop, removeDevice: noop };
 * html`${mixer(project, { mixerInput: noop, mixerCommit: noop, toggle: noop, addBus: noop, ...sends })}`;
 */
export function mixer(project: Project, actions: MixerActions) {
  const volume = project.master.volume_db;
  return html`
    <section class="mixer" part="mixer" aria-label="Mixer">
      ${project.tracks.map((track) => strip(project, track, actions))}
      ${project.tracks.length === 0 ? html`<p class="empty">Each track gets a strip here.</p>` : nothing}
      <button type="button" class="add-bus" @click=${actions.addBus}>+ Bus</button>
      <div class="strip master" role="group" aria-label="Mixer strip Master">
        <span class="strip-name">Master</span>
        <canvas class="strip-meter" data-meter="master" aria-label="Output level" role="img"></canvas>
        <label class="strip-control">
          <span>Vol</span>
          <input type="range" min=${MIN_FADER_DB} max=${MAX_FADER_DB} step="0.1" .value=${String(volume)}
            aria-label="Master volume" aria-valuetext=${formatDb(volume)}
            @input=${(event: Event) => actions.mixerInput("master", "volume_db", event)} @change=${actions.mixerCommit} />
          <output>${formatDb(volume)}</output>
        </label>
        <canvas class="master-spectrum" data-spectrum="master" role="img"
          aria-label="Spectrum of the output, 20 Hz to 20 kHz, 0 to -100 dB"></canvas>
        <canvas class="master-scope" data-scope="master" role="img"
          aria-label="Scope of the output: 1024 frames from a rising edge through 0, -1 to +1"></canvas>
        <output class="scope-frequency" data-scope-frequency="master" aria-label="Frequency the scope measures">no periodic signal</output>
      </div>
    </section>
  `;
}
