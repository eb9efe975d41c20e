/** The device rack's styles (device-rack.ts), on the player's palette like the rest of the studio. */
import { css } from "lit";

export const deviceRackStyles = css`
  .devices {
    display: flex;
    gap: 0.6rem;
    overflow-x: auto;
    align-items: start;
    padding-bottom: 0.2rem;
  }
  .rack {
    display: grid;
    gap: 0.5rem;
    flex: 0 0 24rem;
    padding: 0.6rem;
    border-radius: 10px;
    border: 1px solid var(--wd-border);
    background: var(--wd-surface-raised);
  }
  .rack-name {
    margin: 0;
    font-size: 0.85rem;
    font-weight: 600;
  }
  .device-list {
    display: grid;
    gap: 0.5rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .device {
    display: grid;
    gap: 0.4rem;
    padding: 0.5rem;
    border-radius: 8px;
    border: 1px solid var(--wd-border);
    background: var(--wd-surface);
  }
  /* A bypassed device: its controls dimmed (still editable), its Bypass button lit. */
  .device[data-bypassed] .device-controls,
  .device[data-bypassed] .device-name {
    opacity: 0.5;
  }
  .device .bypass[aria-pressed="true"] {
    color: var(--wd-accent);
    border-color: color-mix(in srgb, var(--wd-accent) 60%, transparent);
  }
  .device-head {
    display: flex;
    gap: 0.3rem;
    align-items: center;
  }
  .device-name {
    flex: 1;
    font-weight: 600;
    font-size: 0.8rem;
  }
  .device-controls {
    display: grid;
    gap: 0.3rem;
  }
  .device-control {
    display: grid;
    grid-template-columns: 6.5rem 1fr 4.5rem;
    align-items: center;
    column-gap: 0.4rem;
    font-size: 0.75rem;
    color: var(--wd-muted);
  }
  .device-control span {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .device-control output {
    font-family: var(--wd-mono);
    font-size: 0.72rem;
    text-align: right;
  }
  .device-empty,
  .device-window {
    display: flex;
    gap: 0.5rem;
    align-items: center;
  }
  .wam-window {
    padding: 0.5rem;
    border: 1px solid var(--wd-border);
    border-radius: 4px;
    overflow: auto;
    max-height: 24rem;
  }
  .device-note {
    margin: 0;
    font-size: 0.75rem;
    color: var(--wd-muted);
  }
  .rack-add,
  .device-presets {
    display: flex;
    flex-wrap: wrap;
    gap: 0.3rem;
    align-items: center;
  }
  .rack-add select {
    flex: 1;
  }
  .preset-name {
    width: 7rem;
  }
  .faust-code {
    display: grid;
    grid-template-columns: 2rem 1fr;
    border: 1px solid var(--wd-border);
    border-radius: 6px;
    background: var(--wd-display);
    font-family: var(--wd-mono);
    font-size: 0.75rem;
    line-height: 1.4;
  }
  .faust-gutter {
    display: grid;
    align-content: start;
    padding: 0.3rem 0.3rem 0.3rem 0;
    text-align: right;
    color: var(--wd-muted);
    user-select: none;
  }
  .faust-line.error {
    color: var(--wd-danger);
    font-weight: 700;
    background: color-mix(in srgb, var(--wd-danger) 18%, transparent);
  }
  .faust-text {
    resize: vertical;
    min-width: 0;
    margin: 0;
    padding: 0.3rem;
    border: 0;
    background: transparent;
    color: var(--wd-fg);
    font: inherit;
    line-height: inherit;
    white-space: pre;
    overflow-x: auto;
  }
  .faust-text[aria-invalid="true"] {
    outline: 1px solid color-mix(in srgb, var(--wd-danger) 60%, transparent);
  }
  .faust-status {
    margin: 0;
    min-height: 1em;
    font-size: 0.72rem;
    color: var(--wd-muted);
  }
  .faust-errors {
    margin: 0;
    padding-left: 1rem;
    font-size: 0.72rem;
    color: var(--wd-danger);
  }
`;
