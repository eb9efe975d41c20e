/** The transport buttons' icons: 16-unit SVGs filled with the button's text colour. */
import { html } from "lit";

export const playIcon = html`<svg viewBox="0 0 16 16" aria-hidden="true"><path d="M4 2.5v11l9.5-5.5z" /></svg>`;
export const pauseIcon = html`<svg viewBox="0 0 16 16" aria-hidden="true">
  <path d="M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z" />
</svg>`;
export const stopIcon = html`<svg viewBox="0 0 16 16" aria-hidden="true"><path d="M3 3h10v10H3z" /></svg>`;
export const loopIcon = html`<svg viewBox="0 0 16 16" aria-hidden="true">
  <path
    d="M4.5 4H11V2l3 3-3 3V6H4.5A1.5 1.5 0 0 0 3 7.5V9H1V7.5A3.5 3.5 0 0 1 4.5 4zM11.5 12H5v2l-3-3 3-3v2h6.5A1.5 1.5 0 0 0 13 8.5V7h2v1.5a3.5 3.5 0 0 1-3.5 3.5z"
  />
</svg>`;
