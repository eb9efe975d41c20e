/**
 * A Faust instrument's Voices on its track (the rack's instrument panel): how many notes it plays at
 * once, changed after the track was added. The voice count is part of the compile (compileFaust's
 * `voices`), so a new count is a new node type: the instrument is compiled again with it and replaced
 * (set_instrument, one undo step "Voices of <track>"), its code, parameters and the track's clips
 * kept. The project carries the count in `extensions.faust.voices`, so the live engine, the Worker
 * export and a Node render of the saved project each play that many voices.
 */
import { html } from "lit";
import { live } from "lit/directives/live.js";

import type { ProjectCommand } from "../project/project-commands";
import type { Device, Project } from "../project/project-schema";
import { replaceInstrumentCommand } from "./faust-instrument";
import { MAX_VOICES, MIN_VOICES } from "./instrument-choices";

/**
 * The instrument `instrument` of track `trackId` playing `voices` voices as node type `nodeId` (its
 * code compiled with them), as one undo step.
 * @example
 * const track = editor.project.tracks[0];
 * const source = 'import("stdfaust.lib"); process = os.osc(hslider("freq", 440, 20, 20000, 0.01)) * button("gate");';
 * const compiled = await (await offline.client()).compileFaust(source, { voices: 2 });
 * if (track?.kind === "instrument")
 *   editor.execute(revoiceCommand(editor.project, track.id, track.instrument, compiled.node_id, 2));
 */
export function revoiceCommand(
  project: Project,
  trackId: string,
  instrument: Device,
  nodeId: string,
  voices: number,
): ProjectCommand {
  const track = project.tracks.find((candidate) => candidate.id === trackId);
  const faust = { ...(instrument.extensions?.faust ?? {}), voices };
  return replaceInstrumentCommand(
    project,
    trackId,
    { ...instrument, node_id: nodeId, extensions: { ...instrument.extensions, faust } },
    `Voices of ${track?.name || trackId}`,
  );
}

/**
 * The Voices field of instrument `name` showing `voices` (the project's: a count refused shows the
 * one kept again); `change` gets the text typed.
 */
export function voicesField(name: string, voices: number, change: (text: string) => void) {
  return html`<label class="device-control device-voices"><span>Voices</span>
    <input type="number" min=${MIN_VOICES} max=${MAX_VOICES} step="1" .value=${live(String(voices))}
      aria-label="Voices of ${name}" title="Notes this Faust instrument plays at once"
      @change=${(event: Event) => change((event.target as HTMLInputElement).value)} />
  </label>`;
}
