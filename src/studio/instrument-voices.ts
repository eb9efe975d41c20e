/**
 * A Faust instrument's Voices on its track (the rack's instrument panel): how many notes it plays at
 * once, changed after the track was added. The voice count is part of the compile (compileFaust's
 * `voices`), so a new count is a new node type: the instrument is compiled again with it and replaced
 * (set_instrument, one undo step "Voices of <track>"), its code, parameters and the track's clips
 * kept. The project carries the count in `extensions.faust.voices`, so the live engine, the Worker
 * export and a Node render of the saved project each play that many voices.
 */
import { html } from "lit";

import type { ProjectCommand } from "../project/project-commands";
import type { Device, Project } from "../project/project-schema";
import { replaceInstrumentCommand } from "./faust-instrument";
import { MAX_VOICES, MIN_VOICES, parseVoices } from "./instrument-choices";

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
 * The Voices field of instrument `name` showing `voices` (the project's); `change` gets the text typed.
 * A count out of range shows the one kept again at once. The value is bound plainly, not with `live()`:
 * the studio renders many times a second while it plays or saves, and `live()` would put the kept count
 * back over what the user is still typing (a test typing "0" and Enter lost the "0" that way).
 */
export function voicesField(name: string, voices: number, change: (text: string) => void) {
  return html`<label class="device-control device-voices"><span>Voices</span>
    <input type="number" min=${MIN_VOICES} max=${MAX_VOICES} step="1" .value=${String(voices)}
      aria-label="Voices of ${name}" title="Notes this Faust instrument plays at once"
      @change=${(event: Event) => {
        const input = event.target as HTMLInputElement;
        const text = input.value;
        if (!isVoiceCount(text)) input.value = String(voices);
        change(text);
      }} />
  </label>`;
}

/** Whether parseVoices accepts `text`. */
function isVoiceCount(text: string): boolean {
  try {
    parseVoices(text);
    return true;
  } catch {
    return false;
  }
}
