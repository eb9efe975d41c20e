/**
 * The automation lanes' styles (automation-lane-view.ts): a header under the track's, the lane's
 * value area with the curve and its points, and the Write toggle in the record colour when on.
 */
import { css } from "lit";

export const automationStyles = css`
  .track-header.automation-header {
    grid-template-columns: 1fr;
    grid-template-rows: auto auto;
    gap: 0.2rem;
    padding: 0.25rem 0.6rem;
    background: var(--wd-surface);
  }
  .automation-picker {
    height: 1.7rem;
    min-width: 0;
    width: 100%;
    font-size: 0.75rem;
    padding: 0 0.3rem;
    border-radius: 7px;
  }
  .automation-actions {
    display: flex;
    align-items: center;
    gap: 0.3rem;
  }
  .automation-actions button.small {
    height: 1.5rem;
    padding: 0 0.45rem;
    font-size: 0.72rem;
  }
  .automation-value {
    flex: 1;
    min-width: 0;
  }
  /* Small text: the pressed look from the border and background, the text in full contrast. */
  .track-actions button[aria-pressed="true"] {
    color: var(--wd-fg);
  }
  /* Write on: red by its border (red text on the pressed background is under 4.5:1 in the light palette). */
  .automation-header .write[aria-pressed="true"] {
    color: var(--wd-fg);
    border-color: var(--wd-danger);
    box-shadow: inset 0 0 0 1px var(--wd-danger);
  }
  .lane.automation-lane {
    background-color: color-mix(in srgb, var(--wd-accent) 5%, transparent);
  }
  .automation-area {
    position: absolute;
    inset: 8px 0;
    cursor: crosshair;
    touch-action: none;
    user-select: none;
  }
  .automation-curve {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    overflow: visible;
    pointer-events: none;
  }
  .automation-curve polyline,
  .automation-curve line {
    fill: none;
    stroke: var(--wd-accent);
    stroke-width: 2;
    vector-effect: non-scaling-stroke;
  }
  .automation-curve line.static {
    stroke: var(--wd-muted);
    stroke-dasharray: 4 4;
  }
  .automation-point {
    position: absolute;
    width: 11px;
    height: 11px;
    min-width: 0;
    padding: 0;
    border-radius: 50%;
    border: 2px solid var(--wd-surface);
    background: var(--wd-accent);
    transform: translate(-50%, -50%);
    cursor: grab;
    z-index: 1;
  }
  .automation-point.selected {
    box-shadow: 0 0 0 2px var(--wd-fg);
  }
  .automation-point:focus-visible {
    outline: 2px solid var(--wd-focus);
    outline-offset: 2px;
  }
  .automation-hint {
    position: absolute;
    left: 0.5rem;
    top: 50%;
    transform: translateY(-50%);
    font-size: 0.72rem;
    color: var(--wd-muted);
    pointer-events: none;
  }
`;
