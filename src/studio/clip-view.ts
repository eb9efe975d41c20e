/**
 * One clip on a lane: a box from its start to its end at the zoom, with its name, a waveform canvas
 * (audio; the studio draws it after render from the peaks the Worker computed) or its notes (MIDI),
 * and a trim handle at each edge. Focusable: the arrow keys move it by the grid, Shift+arrows trim
 * its end, Alt+arrows its start, Delete removes it, Enter (or a double-click) opens a MIDI clip in
 * the piano roll (clip-drag.ts).
 */
import { html, nothing, svg } from "lit";
import { styleMap } from "lit/directives/style-map.js";
import { formatBarsBeats } from "../components/transport-format";
import type { AudioClip, Clip, MidiClip } from "../project/project-schema";

export interface ClipViewContext {
  trackId: string;
  pixelsPerBeat: number;
  beatsPerBar: number;
  selected: boolean;
}

/** A clip's accessible name: what it is and where it lies, in bars:beats. */
export function clipLabel(clip: Clip, beatsPerBar: number): string {
  const kind = "content_id" in clip ? "Audio clip" : "MIDI clip";
  const name = clip.name ? ` ${clip.name}` : "";
  const from = formatBarsBeats(clip.start_beat, beatsPerBar);
  return `${kind}${name}, ${from}, ${+clip.length_beats.toFixed(3)} beats`;
}

/**
 * @example
 * import { html } from "lit";
 * const clip = { id: "c1", name: "Riff", start_beat: 0, length_beats: 4, notes: [], cc: [], pitch_bend: [] };
 * html`${clipView(clip, { trackId: "synth", pixelsPerBeat: 32, beatsPerBar: 4, selected: false })}`;
 */
export function clipView(clip: Clip, context: ClipViewContext) {
  const audio = "content_id" in clip;
  const style = styleMap({
    left: `${clip.start_beat * context.pixelsPerBeat}px`,
    width: `${Math.max(4, clip.length_beats * context.pixelsPerBeat)}px`,
  });
  return html`
    <div
      class="clip ${audio ? "audio" : "midi"} ${context.selected ? "selected" : ""}"
      style=${style}
      tabindex="0"
      role="button"
      aria-pressed=${context.selected ? "true" : "false"}
      aria-label=${clipLabel(clip, context.beatsPerBar)}
      aria-roledescription="clip"
      aria-keyshortcuts="ArrowLeft ArrowRight Shift+ArrowLeft Shift+ArrowRight Alt+ArrowLeft Alt+ArrowRight Delete${audio ? "" : " Enter"}"
      data-track=${context.trackId}
      data-clip=${clip.id}
    >
      <span class="trim start" data-handle="start" aria-hidden="true"></span>
      <span class="clip-name" aria-hidden="true">${clip.name || clip.id}</span>
      ${audio ? waveformCanvas(clip) : midiNotes(clip)}
      <span class="trim end" data-handle="end" aria-hidden="true"></span>
    </div>
  `;
}

/** The canvas the studio draws the waveform on; its data attributes say which part of which audio. */
function waveformCanvas(clip: AudioClip) {
  return html`<canvas class="waveform" aria-hidden="true" data-content=${clip.content_id}></canvas>`;
}

/** The clip's notes as bars, pitch upwards, across the note range the clip uses. */
function midiNotes(clip: MidiClip) {
  if (clip.notes.length === 0) return nothing;
  let low = 127;
  let high = 0;
  for (const note of clip.notes) {
    low = Math.min(low, note.note);
    high = Math.max(high, note.note);
  }
  const rows = high - low + 1;
  return html`<svg class="notes" viewBox="0 0 ${clip.length_beats} ${rows}" preserveAspectRatio="none" aria-hidden="true">
    ${clip.notes.map(
      (note) =>
        svg`<rect x=${note.beat} y=${high - note.note} width=${Math.min(note.length_beats, clip.length_beats - note.beat)} height="0.8"></rect>`,
    )}
  </svg>`;
}
