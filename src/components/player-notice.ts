/** The player's notice: what is missing, what went wrong, or that the engine trapped. */
import { html, nothing } from "lit";

export interface Notice {
  kind: "unsupported" | "error" | "fault";
  message: string;
}

export interface NoticeActions {
  /** The fault notice's "Restart engine" button. */
  restart(): void;
  /** The error notice's "Dismiss" button. */
  dismiss(): void;
}

/**
 * Nothing without a notice; a fault offers a restart, an error a dismissal, "unsupported" neither.
 * @example
 * html`${playerNotice({ kind: "error", message: "filter.q: out of range" }, actions)}`;
 */
export function playerNotice(notice: Notice | null, actions: NoticeActions) {
  if (!notice) return nothing;
  const title =
    notice.kind === "fault" ? "The engine stopped." : notice.kind === "error" ? "Something went wrong." : "";
  return html`
    <div class="notice" role="alert">
      <p>${title ? html`<strong>${title}</strong> ` : nothing}${notice.message}</p>
      ${
        notice.kind === "fault"
          ? html`<button class="restart" type="button" @click=${actions.restart}>Restart engine</button>`
          : notice.kind === "error"
            ? html`<button type="button" @click=${actions.dismiss}>Dismiss</button>`
            : nothing
      }
    </div>
  `;
}
