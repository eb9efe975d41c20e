/**
 * The styles of <webdreamer-player>, scoped to its shadow root. Pages theme it with CSS custom
 * properties on the element (every colour, the radius and the fonts are one), or pick a palette
 * with the `theme` attribute; by default it follows prefers-color-scheme. The meter's canvas reads
 * the --wd-meter-* properties when the theme changes. Each main piece of the template is also a CSS
 * part (::part(meter) and so on). Every property and part is a @cssprop or @csspart tag on
 * WebdreamerPlayer, and test/components/player-manifest.test.ts holds the two lists to each other.
 */
import { css } from "lit";

const dark = css`
  --wd-surface: #171b21;
  --wd-surface-raised: #212731;
  --wd-display: #0c0f13;
  --wd-border: rgb(255 255 255 / 0.08);
  --wd-fg: #e8ecf1;
  --wd-muted: #8e9aac;
  --wd-accent: #5ad1a4;
  --wd-accent-fg: #052219;
  --wd-danger: #ff7b84;
  --wd-warn: #f5c26b;
  --wd-focus: #8ab4ff;
  --wd-shadow: 0 1px 0 rgb(255 255 255 / 0.04) inset, 0 12px 32px rgb(0 0 0 / 0.35);
  --wd-meter-track: #0a0c10;
  --wd-meter-low: #45c98d;
  --wd-meter-mid: #e9c46a;
  --wd-meter-high: #ff6b6b;
  --wd-meter-hold: #e8ecf1;
`;

const light = css`
  --wd-surface: #ffffff;
  --wd-surface-raised: #f2f4f7;
  --wd-display: #f5f7fa;
  --wd-border: rgb(16 24 40 / 0.12);
  --wd-fg: #101828;
  --wd-muted: #5b6779;
  /* 5:1 against white, for the Play button's text and the status. */
  --wd-accent: #0b7d58;
  --wd-accent-fg: #ffffff;
  --wd-danger: #c8323c;
  --wd-warn: #a86400;
  --wd-focus: #2f6fec;
  --wd-shadow: 0 1px 2px rgb(16 24 40 / 0.06), 0 12px 32px rgb(16 24 40 / 0.08);
  --wd-meter-track: #e3e7ed;
  --wd-meter-low: #1fa971;
  --wd-meter-mid: #d9a520;
  --wd-meter-high: #e5484d;
  --wd-meter-hold: #101828;
`;

export const playerStyles = css`
  :host {
    ${dark}
    --wd-radius: 16px;
    --wd-font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
    --wd-mono: ui-monospace, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
    display: block;
    color-scheme: dark;
    font-family: var(--wd-font);
    color: var(--wd-fg);
    line-height: 1.4;
  }
  @media (prefers-color-scheme: light) {
    :host(:not([theme="dark"])) {
      ${light}
      color-scheme: light;
    }
  }
  :host([theme="light"]) {
    ${light}
    color-scheme: light;
  }
  :host([hidden]) {
    display: none;
  }
  * {
    box-sizing: border-box;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }

  .player {
    container-type: inline-size;
    display: grid;
    gap: 1rem;
    padding: 1.25rem;
    border-radius: var(--wd-radius);
    border: 1px solid var(--wd-border);
    background: var(--wd-surface);
    box-shadow: var(--wd-shadow);
  }

  /* Header: name, status, data plane. */
  .head {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 0.75rem;
    flex-wrap: wrap;
  }
  .identity {
    display: flex;
    align-items: baseline;
    gap: 0.6rem;
    min-width: 0;
  }
  .name {
    font-weight: 650;
    letter-spacing: -0.01em;
  }
  .status {
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
    color: var(--wd-muted);
    font-size: 0.85rem;
  }
  .status::before {
    content: "";
    width: 0.5rem;
    height: 0.5rem;
    border-radius: 50%;
    background: currentColor;
    opacity: 0.7;
  }
  .status[data-status="playing"] {
    color: var(--wd-accent);
  }
  .status[data-status="playing"]::before {
    opacity: 1;
    box-shadow: 0 0 0 3px color-mix(in srgb, var(--wd-accent) 25%, transparent);
  }
  .status[data-status="fault"],
  .status[data-status="error"],
  .status[data-status="unsupported"] {
    color: var(--wd-danger);
  }
  .badge {
    font-size: 0.75rem;
    font-weight: 600;
    letter-spacing: 0.02em;
    padding: 0.2rem 0.6rem;
    border-radius: 999px;
    border: 1px solid var(--wd-border);
    color: var(--wd-muted);
    background: var(--wd-surface-raised);
    white-space: nowrap;
  }
  .badge[data-plane="message_port"] {
    color: var(--wd-warn);
    border-color: color-mix(in srgb, var(--wd-warn) 40%, transparent);
  }

  /* Notices: unsupported browser, start failure, engine fault. */
  .notice {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 0.75rem;
    flex-wrap: wrap;
    padding: 0.7rem 0.9rem;
    border-radius: 10px;
    border: 1px solid color-mix(in srgb, var(--wd-danger) 45%, transparent);
    background: color-mix(in srgb, var(--wd-danger) 10%, var(--wd-surface));
    font-size: 0.9rem;
  }
  .notice strong {
    color: var(--wd-danger);
  }
  .notice p {
    margin: 0;
  }

  /* Transport row. */
  .transport {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    flex-wrap: wrap;
  }
  button {
    font: inherit;
    font-size: 0.9rem;
    font-weight: 600;
    display: inline-flex;
    align-items: center;
    gap: 0.45rem;
    height: 2.4rem;
    padding: 0 1rem;
    border-radius: 10px;
    border: 1px solid var(--wd-border);
    background: var(--wd-surface-raised);
    color: var(--wd-fg);
    cursor: pointer;
    transition:
      background-color 120ms,
      border-color 120ms,
      color 120ms;
  }
  button:hover:not(:disabled) {
    border-color: color-mix(in srgb, var(--wd-fg) 30%, transparent);
  }
  button:disabled {
    opacity: 0.5;
    cursor: not-allowed;
  }
  button svg {
    width: 0.95rem;
    height: 0.95rem;
    fill: currentColor;
    flex: none;
  }
  button.play {
    min-width: 6.5rem;
    background: var(--wd-accent);
    border-color: transparent;
    color: var(--wd-accent-fg);
  }
  button.play:hover:not(:disabled) {
    background: color-mix(in srgb, var(--wd-accent) 88%, var(--wd-fg));
    border-color: transparent;
  }
  button[aria-pressed="true"] {
    color: var(--wd-accent);
    border-color: color-mix(in srgb, var(--wd-accent) 60%, transparent);
    background: color-mix(in srgb, var(--wd-accent) 14%, var(--wd-surface-raised));
  }
  button.restart {
    background: var(--wd-danger);
    border-color: transparent;
    color: var(--wd-surface);
  }
  :is(button, input):focus-visible {
    outline: 2px solid var(--wd-focus);
    outline-offset: 2px;
  }
  .tempo {
    margin-left: auto;
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
    font-size: 0.85rem;
    color: var(--wd-muted);
  }
  .tempo input {
    font: inherit;
    font-family: var(--wd-mono);
    font-size: 0.95rem;
    width: 4.6rem;
    height: 2.4rem;
    padding: 0 0.5rem;
    border-radius: 10px;
    border: 1px solid var(--wd-border);
    background: var(--wd-display);
    color: var(--wd-fg);
    text-align: right;
  }

  /* The display: position, time, tempo, loop. */
  .display {
    display: grid;
    grid-template-columns: auto auto auto 1fr;
    gap: 0.25rem 1.5rem;
    margin: 0;
    padding: 0.8rem 1rem;
    border-radius: 12px;
    background: var(--wd-display);
    border: 1px solid var(--wd-border);
  }
  .display div {
    display: grid;
    /* Captions on one line, values on another: each value sits at the bottom of its cell, so
       the big bar:beat and the smaller values share a baseline. */
    grid-template-rows: auto 1fr;
    gap: 0.1rem;
    min-width: 0;
  }
  .display dt {
    font-size: 0.7rem;
    font-weight: 600;
    letter-spacing: 0.08em;
    text-transform: uppercase;
    color: var(--wd-muted);
  }
  .display dd {
    margin: 0;
    font-family: var(--wd-mono);
    font-variant-numeric: tabular-nums;
    font-size: 1.05rem;
    align-self: end;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .display .position dd {
    font-size: 1.6rem;
    font-weight: 600;
    line-height: 1.15;
    color: var(--wd-accent);
    min-width: 4ch;
  }

  /* Level meter. */
  .meter {
    display: grid;
    grid-template-columns: 1rem 1fr;
    column-gap: 0.5rem;
    row-gap: 0.3rem;
  }
  .channels {
    display: grid;
    align-content: space-between;
    font-size: 0.7rem;
    font-weight: 600;
    color: var(--wd-muted);
    line-height: 14px;
  }
  canvas {
    display: block;
    width: 100%;
    height: 32px;
    border-radius: 4px;
  }
  .scale {
    grid-column: 2;
    position: relative;
    height: 1rem;
    font-size: 0.68rem;
    color: var(--wd-muted);
    font-variant-numeric: tabular-nums;
  }
  .scale span {
    position: absolute;
    transform: translateX(-50%);
    white-space: nowrap;
  }
  .scale span:last-child {
    transform: translateX(-100%);
  }

  /* Parameter sliders. */
  .controls {
    display: grid;
    grid-template-columns: max-content 1fr 5.5rem;
    align-items: center;
    gap: 0.55rem 1rem;
  }
  /* On a wide player each control's parts sit in the shared columns above. */
  .control {
    display: contents;
  }
  .controls label {
    font-size: 0.9rem;
  }
  .controls .value {
    font-family: var(--wd-mono);
    font-variant-numeric: tabular-nums;
    font-size: 0.85rem;
    text-align: right;
    color: var(--wd-muted);
  }
  input[type="range"] {
    --fill: 50%;
    appearance: none;
    width: 100%;
    height: 1.4rem;
    margin: 0;
    background: transparent;
    cursor: pointer;
  }
  input[type="range"]::-webkit-slider-runnable-track {
    height: 6px;
    border-radius: 3px;
    background: linear-gradient(
      to right,
      var(--wd-accent) var(--fill),
      var(--wd-meter-track) var(--fill)
    );
  }
  input[type="range"]::-webkit-slider-thumb {
    appearance: none;
    width: 16px;
    height: 16px;
    margin-top: -5px;
    border-radius: 50%;
    background: var(--wd-fg);
    border: 3px solid var(--wd-surface);
    box-shadow: 0 0 0 1px var(--wd-border);
  }
  input[type="range"]::-moz-range-track {
    height: 6px;
    border-radius: 3px;
    background: var(--wd-meter-track);
  }
  input[type="range"]::-moz-range-progress {
    height: 6px;
    border-radius: 3px;
    background: var(--wd-accent);
  }
  input[type="range"]::-moz-range-thumb {
    width: 12px;
    height: 12px;
    border-radius: 50%;
    background: var(--wd-fg);
    border: 3px solid var(--wd-surface);
  }

  /* Dropout counters. */
  .dropouts {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.3rem 1.1rem;
    margin: 0;
    padding-top: 0.8rem;
    border-top: 1px solid var(--wd-border);
    font-size: 0.78rem;
    color: var(--wd-muted);
  }
  .dropouts > span {
    font-weight: 600;
    letter-spacing: 0.08em;
    text-transform: uppercase;
    font-size: 0.7rem;
  }
  .dropouts div {
    display: inline-flex;
    align-items: baseline;
    gap: 0.35rem;
  }
  .dropouts dd {
    margin: 0;
    font-family: var(--wd-mono);
    font-variant-numeric: tabular-nums;
    color: var(--wd-fg);
  }
  .dropouts dd.nonzero {
    color: var(--wd-warn);
    font-weight: 600;
  }

  @container (max-width: 30rem) {
    .display {
      grid-template-columns: 1fr 1fr;
    }
    .display .loop {
      grid-column: 1 / -1;
    }
    button {
      padding: 0 0.75rem;
    }
    .controls {
      grid-template-columns: 1fr;
      gap: 0.75rem;
    }
    .control {
      display: grid;
      grid-template-columns: 1fr auto;
      align-items: baseline;
      gap: 0.2rem 1rem;
    }
    .control input[type="range"] {
      grid-column: 1 / -1;
      grid-row: 2;
    }
    .scale .minor {
      display: none;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    button {
      transition: none;
    }
  }
`;
