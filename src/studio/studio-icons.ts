/** The studio's icons beyond the player's: 16-unit SVGs filled with the text colour. */
import { html } from "lit";

export const undoIcon = html`<svg viewBox="0 0 16 16" aria-hidden="true">
  <path d="M5 3 1 6.5 5 10V7.5h5a3 3 0 0 1 0 6H7V15h3a4.5 4.5 0 0 0 0-9H5z" />
</svg>`;
export const redoIcon = html`<svg viewBox="0 0 16 16" aria-hidden="true">
  <path d="M11 3l4 3.5-4 3.5V7.5H6a3 3 0 0 0 0 6h3V15H6a4.5 4.5 0 0 1 0-9h5z" />
</svg>`;
export const plusIcon = html`<svg viewBox="0 0 16 16" aria-hidden="true"><path d="M7 2h2v5h5v2H9v5H7V9H2V7h5z" /></svg>`;
