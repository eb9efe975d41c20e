/**
 * The Faust editor of a "Faust (code)" device: a plain textarea beside a gutter of line numbers, the
 * lines a compile error names marked in the gutter and the errors listed under the code ("Line 2:
 * undefined symbol : foo"). The rack compiles what is typed 400 ms after the last key (FAUST_DEBOUNCE_MS)
 * on the engine; see device-rack.ts for what a successful compile does.
 */
import { html, nothing } from "lit";

import type { FaustErrorLine } from "./faust-error-lines";

/** Quiet time after the last key before the code compiles. */
export const FAUST_DEBOUNCE_MS = 400;

/** A new Faust device's code: a mono lowpass with its cutoff as a log slider. */
export const DEFAULT_FAUST_CODE = `import("stdfaust.lib");
process = fi.lowpass(2, hslider("cutoff [unit:Hz] [scale:log]", 2000, 20, 20000, 1));
`;

export interface FaustEditorState {
  code: string;
  status: "compiled" | "compiling" | "error";
  errors: readonly FaustErrorLine[];
}

export interface FaustEditorActions {
  /** The code changed (each key). */
  edit(code: string): void;
  /** The focus left the editor: the next edit starts a new undo step. */
  leave(): void;
}

/**
 * @example
 * faustEditor("Faust 1", { code: "process = _;", status: "compiled", errors: [] }, { edit() {}, leave() {} });
 */
export function faustEditor(deviceName: string, state: FaustEditorState, actions: FaustEditorActions) {
  const lines = state.code.split("\n");
  const errorLines = new Set(state.errors.map((error) => error.line));
  return html`
    <div class="faust-editor" data-status=${state.status}>
      <div class="faust-code">
        <div class="faust-gutter" aria-hidden="true">
          ${lines.map(
            (_, index) =>
              html`<span class="faust-line ${errorLines.has(index + 1) ? "error" : ""}" data-line=${index + 1}
                >${index + 1}</span>`,
          )}
        </div>
        <textarea class="faust-text" spellcheck="false" aria-label="Faust code of ${deviceName}"
          rows=${Math.max(4, lines.length)} .value=${state.code}
          aria-invalid=${state.status === "error" ? "true" : "false"}
          @input=${(event: Event) => actions.edit((event.target as HTMLTextAreaElement).value)}
          @blur=${actions.leave}
          @keydown=${(event: KeyboardEvent) => event.stopPropagation()}></textarea>
      </div>
      <p class="faust-status" role="status">
        ${state.status === "compiling" ? "Compiling…" : state.status === "compiled" ? "Compiled" : nothing}
      </p>
      ${
        state.errors.length > 0
          ? html`<ul class="faust-errors" aria-label="Faust errors of ${deviceName}">
              ${state.errors.map(
                (error) =>
                  html`<li data-line=${error.line ?? ""}>${error.line === null ? "" : `Line ${error.line}: `}${error.message}</li>`,
              )}
            </ul>`
          : nothing
      }
    </div>
  `;
}
