/**
 * One track's row of the arrangement: its header (name, kind, instrument, Remove, "Add MIDI clip"
 * on an instrument track, Arm on an audio track) and its lane of clips.
 */
import { html, nothing } from "lit";

import type { Track } from "../project/project-schema";
import { clipView } from "./clip-view";
import { plusIcon } from "./studio-icons";

export interface TrackLaneContext {
  pixelsPerBeat: number;
  beatsPerBar: number;
  selectedClip: string | null;
  /** The lane's width in pixels (the whole timeline's). */
  width: number;
  /** The audio track Record + Play records the live input into (audio-take-recorder.ts). */
  armedTrack?: string | null;
  /** The track's automation lane shows (its Auto toggle is on). */
  automationShown?: boolean;
  /** The automation lane's header and lane (automation-gestures.ts), rendered under the track. */
  automationRow?: unknown;
}

export interface TrackLaneActions {
  addMidiClip(trackId: string): void;
  removeTrack(trackId: string): void;
  /** Arms an audio track for recording, or disarms it when it is armed. */
  armTrack?(trackId: string): void;
  toggleAutomation(trackId: string): void;
}

/** What a track is, in a few words, for its header. */
function trackKind(track: Track): string {
  if (track.kind === "instrument") {
    // A Faust id is a hash and a WAM's a reverse domain: "Faust", and the WAM's last part, say more.
    const nodeId = track.instrument.node_id;
    const what = nodeId.startsWith("faust:")
      ? "Faust"
      : nodeId.replace(/^builtin:/, "").replace(/^wam:.*\./, "");
    return `Instrument · ${what}`;
  }
  return track.kind === "audio" ? "Audio" : "Bus";
}

/**
 * @example
 * import { html } from "lit";
 * const track = { kind: "audio" as const, id: "drums", name: "Drums", mixer: { volume_db: 0, pan: 0, mute: false, solo: false, solo_safe: false }, output: "master", sends: [], devices: [], automation: {}, clips: [] };
 * html`${trackLane(track, { pixelsPerBeat: 32, beatsPerBar: 4, selectedClip: null, width: 800 }, { addMidiClip() {}, removeTrack() {}, toggleAutomation() {} })}`;
 */
export function trackLane(track: Track, context: TrackLaneContext, actions: TrackLaneActions) {
  const name = track.name || track.id;
  const clips = track.kind === "bus" ? [] : track.clips;
  return html`
    <div class="track-header" role="group" aria-label="Track ${name}" data-track=${track.id}>
      <span class="track-name">${name}</span>
      <span class="track-kind">${trackKind(track)}</span>
      <span class="track-actions">
        ${
          track.kind === "instrument"
            ? html`<button type="button" class="small" aria-label="Add MIDI clip to ${name}"
                @click=${() => actions.addMidiClip(track.id)}>${plusIcon}<span>Clip</span></button>`
            : nothing
        }
        ${
          track.kind === "audio" && actions.armTrack
            ? html`<button type="button" class="small arm" aria-label="Arm ${name}"
                title="Record + Play takes the audio input into this track"
                aria-pressed=${track.id === context.armedTrack ? "true" : "false"}
                @click=${() => actions.armTrack?.(track.id)}><span aria-hidden="true">●</span></button>`
            : nothing
        }
        <button type="button" class="small" aria-pressed=${context.automationShown ? "true" : "false"}
          aria-label="Auto lane of ${name}" title="Show the automation lane" @click=${() => actions.toggleAutomation(track.id)}>Auto</button>
        <button type="button" class="small" aria-label="Remove track ${name}" @click=${() => actions.removeTrack(track.id)}>
          <span aria-hidden="true">✕</span>
        </button>
      </span>
    </div>
    <div class="lane" role="group" aria-label="Clips of ${name}" data-track=${track.id} style="width: ${context.width}px">
      ${clips.map((clip) =>
        clipView(clip, {
          trackId: track.id,
          pixelsPerBeat: context.pixelsPerBeat,
          beatsPerBar: context.beatsPerBar,
          selected: clip.id === context.selectedClip,
        }),
      )}
    </div>
    ${context.automationRow ?? nothing}
  `;
}
