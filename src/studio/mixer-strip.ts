/**
 * The mixer: one strip per track (volume, pan, mute, solo) and the master's (volume and the engine's
 * own output meter, peak and RMS). Track strips have no meter yet: the engine meters its output only
 * (docs/studio.md, "Still missing"). Each control is labelled with its track, and sliders say their
 * value in words (aria-valuetext: "-6.0 dB", "20% left").
 */
import { html, nothing } from "lit";

import type { Project, Track } from "../project/project-schema";

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

export interface MixerActions {
  /** A fader or pan slider moved (input) or was let go (change). */
  mixerInput(trackId: string, field: "volume_db" | "pan", event: Event): void;
  mixerCommit(event: Event): void;
  toggle(trackId: string, field: "mute" | "solo"): void;
}

function strip(track: Track, actions: MixerActions) {
  const name = track.name || track.id;
  const { volume_db: volume, pan, mute, solo } = track.mixer;
  return html`
    <div class="strip" role="group" aria-label="Mixer strip ${name}" data-track=${track.id}>
      <span class="strip-name" title=${name}>${name}</span>
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
    </div>
  `;
}

/**
 * @example
 * import { html } from "lit";
 * import { parseProject } from "../project/project-invariants";
 * const project = parseProject({ format: "webdreamer-project", format_version: 1 });
 * html`${mixer(project, { mixerInput() {}, mixerCommit() {}, toggle() {} })}`;
 */
export function mixer(project: Project, actions: MixerActions) {
  const volume = project.master.volume_db;
  return html`
    <section class="mixer" part="mixer" aria-label="Mixer">
      ${project.tracks.map((track) => strip(track, actions))}
      ${project.tracks.length === 0 ? html`<p class="empty">Each track gets a strip here.</p>` : nothing}
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
      </div>
    </section>
  `;
}
