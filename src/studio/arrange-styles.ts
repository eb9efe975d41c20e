/**
 * Styles of the arrangement's ruler additions (markers, the loop band) and edit tools, after
 * studioStyles: the ruler grows a lane for the markers under the bar numbers.
 */
import { css } from "lit";

export const arrangeStyles = css`
  .timeline {
    grid-template-rows: 2.6rem;
  }
  .corner,
  .ruler-row {
    height: 2.6rem;
  }
  .ruler-row {
    position: sticky;
    touch-action: none;
    user-select: none;
  }
  .ruler {
    position: absolute;
    inset: 0 auto 0 0;
  }
  .loop-band {
    position: absolute;
    top: 0;
    height: 1.2rem;
    border-radius: 3px;
    background: color-mix(in srgb, var(--wd-muted) 25%, transparent);
    border: 1px solid var(--wd-muted);
    box-sizing: border-box;
    pointer-events: none;
  }
  .loop-band.on {
    background: color-mix(in srgb, var(--wd-accent) 28%, transparent);
    border-color: var(--wd-accent);
  }
  .marker {
    position: absolute;
    bottom: 0.1rem;
    max-width: 9rem;
    height: 1.2rem;
    margin: 0;
    padding: 0 0.35rem;
    border: 0;
    border-left: 2px solid var(--wd-danger);
    border-radius: 0 4px 4px 0;
    background: color-mix(in srgb, var(--wd-danger) 22%, var(--wd-surface-raised));
    color: var(--wd-fg);
    font-size: 0.7rem;
    line-height: 1.2rem;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
    cursor: pointer;
    z-index: 1;
  }
  .marker.selected {
    background: var(--wd-danger);
    color: #fff;
  }
  .marker:focus-visible {
    outline: 2px solid var(--wd-accent);
    outline-offset: 1px;
  }
  .edit-tools {
    display: inline-flex;
    align-items: center;
    gap: 0.4rem;
  }
  .marker-name {
    width: 8rem;
  }
`;
