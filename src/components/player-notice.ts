/** The player's notice: what is missing, what went wrong, or that the engine trapped. */
import { html, nothing } from "lit";

export interface Notice {
  kind: "unsupported" | "error" | "fault";
  message: string;
}

/**
 * What a browser lacking `missing` is told (null when nothing is missing).
 * @example
 * unsupportedNotice(["AudioWorklet"]); // "This browser cannot run the live engine: it lacks AudioWorklet."
 */
export function unsupportedNotice(missing: readonly string[]): Notice | null {
  if (missing.length === 0) return null;
  return {
    kind: "unsupported",
    message: `This browser cannot run the live engine: it lacks ${missing.join(", ")}.`,
  };
}

/**
 * What a trap inside engine.wasm is told as.
 * @example
 * faultNotice("unreachable");
 */
export function faultNotice(message: string): Notice {
  return {
    kind: "fault",
    message: `engine.wasm trapped (${message}) and now outputs silence. A restart keeps the graph and the position.`,
  };
}

/**
 * An error's message, after what failed when given (an EngineError's message names code and field).
 * @example
 * errorNotice(new Error("no AudioWorklet"), "The engine could not start");
 * // { kind: "error", message: "The engine could not start: no AudioWorklet" }
 */
export function errorNotice(error: unknown, what?: string): Notice {
  const message = error instanceof Error ? error.message : String(error);
  return { kind: "error", message: what ? `${what}: ${message}` : message };
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
 * import { html } from "lit";
 * html`${playerNotice(faultNotice("unreachable"), { restart: () => realtime.restart(), dismiss: () => {} })}`;
 */
export function playerNotice(notice: Notice | null, actions: NoticeActions) {
  if (!notice) return nothing;
  const title =
    notice.kind === "fault" ? "The engine stopped." : notice.kind === "error" ? "Something went wrong." : "";
  return html`
    <div class="notice" part="notice" role="alert">
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
