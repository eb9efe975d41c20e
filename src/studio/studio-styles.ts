/**
 * The studio's styles: the player's (its palette in both colour schemes, buttons, the readout, the
 * meter, sliders, notices: playerStyles) and the studio's own layout on top: the project bar, the
 * transport, the arrangement's grid of track headers and lanes, clips, the piano roll, the on-screen
 * keyboard, and the mixer strips.
 */
import { css } from "lit";

import { playerStyles } from "../components/player-styles";
import { automationStyles } from "./automation-styles";

const studioLayout = css`
  :host {
    --wd-clip-audio: #3b82c4;
    --wd-clip-midi: #9b6bd6;
    --wd-waveform: rgb(255 255 255 / 0.85);
    --wd-grid: rgb(255 255 255 / 0.06);
    --wd-grid-bar: rgb(255 255 255 / 0.14);
    --wd-header-width: 13rem;
  }
  @media (prefers-color-scheme: light) {
    :host(:not([theme="dark"])) {
      --wd-clip-audio: #2f6fb0;
      --wd-clip-midi: #7b4cc0;
      --wd-grid: rgb(16 24 40 / 0.06);
      --wd-grid-bar: rgb(16 24 40 / 0.16);
    }
  }
  :host([theme="light"]) {
    --wd-clip-audio: #2f6fb0;
    --wd-clip-midi: #7b4cc0;
    --wd-grid: rgb(16 24 40 / 0.06);
    --wd-grid-bar: rgb(16 24 40 / 0.16);
  }

  .studio {
    display: grid;
    gap: 0.9rem;
    padding: 1rem;
    border-radius: var(--wd-radius);
    border: 1px solid var(--wd-border);
    background: var(--wd-surface);
    box-shadow: var(--wd-shadow);
    min-width: 0;
  }
  button.small {
    height: 1.9rem;
    padding: 0 0.6rem;
    border-radius: 8px;
    font-size: 0.8rem;
  }
  select,
  input:not([type="range"]) {
    font: inherit;
    font-size: 0.9rem;
    height: 2.4rem;
    padding: 0 0.5rem;
    border-radius: 10px;
    border: 1px solid var(--wd-border);
    background: var(--wd-display);
    color: var(--wd-fg);
  }
  select:focus-visible,
  .clip:focus-visible {
    outline: 2px solid var(--wd-focus);
    outline-offset: 2px;
  }

  /* Project bar. */
  .project-bar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.6rem 0.9rem;
  }
  .brand {
    font-weight: 700;
    letter-spacing: -0.01em;
  }
  .project-name {
    width: 14rem;
    font-weight: 600;
  }
  .save-state {
    font-size: 0.8rem;
    color: var(--wd-muted);
  }
  .save-state[data-state="failed"] {
    color: var(--wd-danger);
  }
  .project-actions {
    display: flex;
    gap: 0.4rem;
    flex-wrap: wrap;
    margin-left: auto;
  }
  .export-progress {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
    font-family: var(--wd-mono);
    font-size: 0.85rem;
  }
  progress {
    width: 10rem;
    accent-color: var(--wd-accent);
  }

  /* Transport. */
  .studio-transport {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 0.6rem;
  }
  .field {
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
    margin: 0;
    padding: 0;
    border: 0;
    font-size: 0.85rem;
    color: var(--wd-muted);
  }
  .field input {
    width: 4.4rem;
    font-family: var(--wd-mono);
    text-align: right;
  }
  .signature input {
    width: 3.4rem;
  }
  .history {
    display: inline-flex;
    gap: 0.4rem;
    margin-left: auto;
  }
  .display {
    grid-template-columns: auto auto auto 1fr;
  }

  /* Arrangement. */
  .arrangement {
    display: grid;
    gap: 0.6rem;
    min-width: 0;
  }
  .arrangement.dropping .timeline {
    outline: 2px dashed var(--wd-accent);
    outline-offset: 2px;
  }
  .arrange-toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 1rem;
    font-size: 0.85rem;
    color: var(--wd-muted);
  }
  .instrument-picker,
  .view-controls {
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
  }
  .view-controls {
    margin-left: auto;
  }
  .instrument-picker .voices {
    width: 3.6rem;
  }
  .timeline {
    position: relative;
    display: grid;
    grid-template-columns: var(--wd-header-width) max-content;
    grid-auto-rows: 4.2rem;
    overflow: auto;
    max-height: 24rem;
    border-radius: 12px;
    border: 1px solid var(--wd-border);
    background: var(--wd-display);
  }
  .corner,
  .track-header {
    position: sticky;
    left: 0;
    z-index: 2;
    background: var(--wd-surface-raised);
    border-right: 1px solid var(--wd-border);
    border-bottom: 1px solid var(--wd-border);
  }
  .corner,
  .ruler-row {
    position: sticky;
    top: 0;
    height: 1.6rem;
    z-index: 3;
  }
  .corner {
    z-index: 4;
  }
  .ruler-row {
    background: var(--wd-surface-raised);
    border-bottom: 1px solid var(--wd-border);
    cursor: pointer;
  }
  .timeline {
    grid-template-rows: 1.6rem;
  }
  .ruler {
    position: relative;
    height: 100%;
    background-image: repeating-linear-gradient(
      to right,
      var(--wd-grid-bar) 0 1px,
      transparent 1px var(--bar)
    );
  }
  .ruler span {
    position: absolute;
    top: 0.2rem;
    padding-left: 0.25rem;
    font-family: var(--wd-mono);
    font-size: 0.7rem;
    color: var(--wd-muted);
  }
  /* The header column holds its name, kind and buttons inside its own width: its content is clipped
     (overflow: hidden), so nothing of it can paint over the lane's clips at any zoom. Name and kind
     share the first row (the kind truncated first), the buttons have the second row to themselves. */
  .track-header {
    display: grid;
    grid-template-columns: minmax(0, max-content) minmax(0, 1fr);
    grid-template-rows: auto auto;
    align-content: center;
    align-items: baseline;
    gap: 0.25rem 0.4rem;
    padding: 0 0.6rem;
    min-width: 0;
    overflow: hidden;
  }
  .track-name {
    font-weight: 600;
    font-size: 0.9rem;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .track-kind {
    font-size: 0.72rem;
    color: var(--wd-muted);
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .track-actions {
    grid-row: 2;
    grid-column: 1 / -1;
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
    align-items: center;
    min-width: 0;
  }
  .lane {
    position: relative;
    border-bottom: 1px solid var(--wd-border);
    background-image:
      repeating-linear-gradient(to right, var(--wd-grid-bar) 0 1px, transparent 1px var(--bar)),
      repeating-linear-gradient(to right, var(--wd-grid) 0 1px, transparent 1px var(--ppb));
  }
  /* Above the playhead, on its own ground: the line runs through the lanes, never through the words. */
  .empty {
    grid-column: 1 / -1;
    position: relative;
    z-index: 2;
    margin: 0;
    padding: 1rem;
    color: var(--wd-muted);
    background: var(--wd-surface);
    font-size: 0.9rem;
  }
  .playhead {
    position: absolute;
    top: 0;
    bottom: 0;
    left: var(--wd-header-width);
    width: 2px;
    background: var(--wd-accent);
    pointer-events: none;
    /* Above the lanes and clips, under the sticky headers and ruler. */
    z-index: 1;
  }

  /* Clips. */
  .clip {
    position: absolute;
    z-index: 0;
    top: 0.3rem;
    bottom: 0.3rem;
    display: flex;
    flex-direction: column;
    overflow: hidden;
    border-radius: 6px;
    background: var(--wd-clip-audio);
    color: #fff;
    cursor: grab;
    touch-action: none;
    user-select: none;
    box-shadow: 0 0 0 1px rgb(0 0 0 / 0.25) inset;
  }
  .clip.midi {
    background: var(--wd-clip-midi);
  }
  .clip.selected {
    box-shadow:
      0 0 0 2px var(--wd-accent),
      0 0 0 1px rgb(0 0 0 / 0.25) inset;
  }
  .clip-name {
    padding: 0.1rem 0.45rem 0;
    font-size: 0.72rem;
    font-weight: 600;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
    text-shadow: 0 1px 1px rgb(0 0 0 / 0.35);
  }
  .clip canvas.waveform,
  .clip svg.notes {
    flex: 1;
    width: 100%;
    height: auto;
    min-height: 0;
    border-radius: 0;
    pointer-events: none;
  }
  .clip svg.notes rect {
    fill: rgb(255 255 255 / 0.85);
  }
  .trim {
    position: absolute;
    top: 0;
    bottom: 0;
    width: 7px;
    cursor: ew-resize;
    z-index: 1;
  }
  .trim.start {
    left: 0;
  }
  .trim.end {
    right: 0;
  }
  .trim:hover {
    background: rgb(255 255 255 / 0.3);
  }

  /* Mixer. */
  .mixer {
    display: flex;
    gap: 0.6rem;
    overflow-x: auto;
    padding-bottom: 0.2rem;
  }
  .strip {
    display: grid;
    gap: 0.35rem;
    align-content: start;
    flex: 0 0 11rem;
    padding: 0.6rem;
    border-radius: 10px;
    border: 1px solid var(--wd-border);
    background: var(--wd-surface-raised);
  }
  .strip.master {
    margin-left: auto;
    border-color: color-mix(in srgb, var(--wd-accent) 40%, var(--wd-border));
  }
  .strip-name {
    font-weight: 600;
    font-size: 0.85rem;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .strip canvas.strip-meter {
    height: 14px;
  }
  .strip-level,
  .send output {
    font-family: var(--wd-mono);
    font-size: 0.7rem;
    color: var(--wd-muted);
  }
  /* Its figures change four times a second while playing: contained, so that relays out nothing else. */
  .strip-level {
    display: block;
    height: 1.1rem;
    overflow: hidden;
    white-space: nowrap;
    contain: strict;
  }
  .strip.bus {
    border-style: dashed;
  }
  .strip-sends {
    display: grid;
    gap: 0.3rem;
  }
  .send {
    display: grid;
    grid-template-columns: 1fr auto auto;
    align-items: center;
    gap: 0.25rem;
    padding-top: 0.3rem;
    border-top: 1px solid var(--wd-border);
  }
  .send select {
    grid-column: 1 / -1;
    min-width: 0;
  }
  .send input[type="range"] {
    grid-column: 1 / -1;
  }
  .send .pre[aria-pressed="true"] {
    color: var(--wd-accent);
  }
  .strip-devices {
    margin: 0;
    padding: 0;
    list-style: none;
    font-size: 0.75rem;
  }
  .strip-devices li {
    display: flex;
    justify-content: space-between;
    align-items: center;
  }
  .add-bus {
    align-self: start;
  }
  .strip canvas.master-spectrum,
  .strip canvas.master-scope {
    height: 72px;
    width: 100%;
    border-radius: 6px;
    background: var(--wd-display);
  }
  .strip .scope-frequency {
    font-family: var(--wd-mono);
    font-size: 0.72rem;
    color: var(--wd-muted);
    text-align: right;
  }
  .strip-control {
    display: grid;
    grid-template-columns: 2rem 1fr;
    align-items: center;
    column-gap: 0.4rem;
    font-size: 0.75rem;
    color: var(--wd-muted);
  }
  .strip-control output {
    grid-column: 2;
    font-family: var(--wd-mono);
    font-size: 0.72rem;
    text-align: right;
  }
  .strip-buttons {
    display: flex;
    gap: 0.3rem;
  }
  .strip-buttons button {
    flex: 1;
    justify-content: center;
  }
  .solo[aria-pressed="true"] {
    color: var(--wd-warn);
    border-color: color-mix(in srgb, var(--wd-warn) 60%, transparent);
    background: color-mix(in srgb, var(--wd-warn) 14%, var(--wd-surface-raised));
  }
  .mixer .empty {
    padding: 0.6rem;
  }

  /* The piano roll. */
  .piano-roll {
    display: grid;
    gap: 0.4rem;
    padding: 0.6rem;
    border-radius: 10px;
    border: 1px solid var(--wd-border);
    background: var(--wd-display);
    min-width: 0;
  }
  .roll-toolbar,
  .keyboard-toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
    font-size: 0.85rem;
  }
  .roll-title,
  .keyboard-target {
    font-weight: 600;
    margin-right: auto;
  }
  .roll-toolbar .field,
  .keyboard-toolbar .field {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
  }
  .roll-toolbar output {
    font-family: var(--wd-mono);
    min-width: 2.2rem;
  }
  .roll-scroll {
    max-height: 16rem;
    overflow: auto;
    border: 1px solid var(--wd-border);
    border-radius: 6px;
  }
  .roll-body {
    position: relative;
    display: flex;
  }
  .roll-keys {
    position: sticky;
    left: 0;
    z-index: 2;
    flex: none;
    width: 3.2rem;
    background: var(--wd-surface);
    border-right: 1px solid var(--wd-border);
  }
  .roll-key {
    position: absolute;
    left: 0;
    right: 0;
    height: 14px;
    padding-left: 0.3rem;
    font-family: var(--wd-mono);
    font-size: 0.65rem;
    line-height: 14px;
    color: var(--wd-muted);
    box-sizing: border-box;
    border-bottom: 1px solid var(--wd-grid);
  }
  .roll-key.black {
    background: var(--wd-grid-bar);
  }
  .roll-grid {
    position: relative;
    flex: none;
    cursor: crosshair;
    touch-action: none;
    user-select: none;
    background-image:
      repeating-linear-gradient(to right, var(--wd-grid-bar) 0 1px, transparent 1px var(--bar-px)),
      repeating-linear-gradient(to right, var(--wd-grid) 0 1px, transparent 1px var(--beat-px)),
      repeating-linear-gradient(to bottom, var(--wd-grid) 0 1px, transparent 1px 14px);
  }
  .roll-row {
    position: absolute;
    left: 0;
    right: 0;
    height: 14px;
    background: var(--wd-grid);
    pointer-events: none;
  }
  .roll-note {
    position: absolute;
    box-sizing: border-box;
    border-radius: 3px;
    background: var(--wd-clip-midi);
    box-shadow: 0 0 0 1px rgb(0 0 0 / 0.35) inset;
    cursor: grab;
  }
  .roll-note.selected,
  .roll-note:focus-visible {
    outline: 2px solid var(--wd-accent);
    outline-offset: 0;
  }
  .roll-resize {
    position: absolute;
    top: 0;
    right: 0;
    bottom: 0;
    width: 6px;
    cursor: ew-resize;
  }
  .velocity-lane {
    overflow: hidden;
    padding-left: calc(3.2rem + 1px);
    border: 1px solid var(--wd-border);
    border-radius: 6px;
  }
  .velocity-bars {
    position: relative;
    height: 100%;
    cursor: ns-resize;
    touch-action: none;
  }
  .velocity-bar {
    position: absolute;
    bottom: 0;
    width: 4px;
    background: var(--wd-clip-midi);
  }
  .velocity-bar.selected {
    background: var(--wd-accent);
  }

  /* The on-screen keyboard. */
  .live-keyboard {
    display: grid;
    gap: 0.4rem;
  }
  .keyboard-toolbar .field input {
    width: 4.75rem;
  }
  .keyboard-toolbar .octave {
    font-family: var(--wd-mono);
    min-width: 2rem;
    text-align: center;
  }
  .midi-status {
    color: var(--wd-muted);
    font-size: 0.8rem;
  }
  .keys {
    position: relative;
    height: 5.5rem;
    border-radius: 6px;
  }
  .keys:focus-visible {
    outline: 2px solid var(--wd-accent);
    outline-offset: 3px;
  }
  .key {
    position: absolute;
    top: 0;
    padding: 0;
    min-width: 0;
    border-radius: 0 0 4px 4px;
    touch-action: none;
  }
  .key.white {
    width: 26px;
    height: 100%;
    z-index: 0;
    background: #f4f6f8;
    border: 1px solid #8e9aac;
  }
  .key.black {
    width: 16px;
    height: 60%;
    z-index: 1;
    background: #1b2027;
    border: 1px solid #000;
  }
  .key.down,
  .key[aria-pressed="true"] {
    background: var(--wd-accent);
  }
  .record[aria-pressed="true"],
  .arm[aria-pressed="true"] {
    color: var(--wd-danger);
    border-color: color-mix(in srgb, var(--wd-danger) 60%, transparent);
  }
  .record-dot {
    width: 0.7rem;
    height: 0.7rem;
    border-radius: 50%;
    background: var(--wd-danger);
  }
  @media (prefers-reduced-motion: reduce) {
    .playhead {
      transition: none;
    }
  }
`;

export const studioStyles = [playerStyles, studioLayout, automationStyles];
