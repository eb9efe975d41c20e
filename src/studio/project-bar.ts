/**
 * The project bar: the project's name, whether the last edit is saved (autosave to the browser's
 * storage), New, Open (a .wdproj file), Save as file (the portable .wdproj), Export mixdown (a WAV)
 * and Export stems (a zip of WAVs), with the export's progress bar and Cancel while it renders.
 */
import { html, nothing } from "lit";

export type SaveState = "saved" | "saving" | "unsaved" | "failed" | "off";

/** What an export makes: the mixdown's WAV, or the stems' zip. */
export type ExportKind = "mixdown" | "stems";

export interface ProjectBarView {
  name: string;
  saveState: SaveState;
  /** The export's progress, 0..1, or null when no export runs. */
  exportProgress: number | null;
  /** What the running export makes (names its progress bar); default "mixdown". */
  exportKind?: ExportKind;
}

export interface ProjectBarActions {
  rename(event: Event): void;
  newProject(): void;
  openProject(): void;
  saveFile(): void;
  exportMixdown(): void;
  exportStems(): void;
  cancelExport(): void;
}

const SAVE_TEXT: Record<SaveState, string> = {
  saved: "Saved in this browser",
  saving: "Saving…",
  unsaved: "Not saved yet",
  failed: "Autosave failed",
  off: "Autosave unavailable here",
};

/**
 * @example
 * import { html } from "lit";
 * const none = () => {};
 * html`${projectBar({ name: "Song", saveState: "saved", exportProgress: null }, { rename: none, newProject: none, openProject: none, saveFile: none, exportMixdown: none, exportStems: none, cancelExport: none })}`;
 */
export function projectBar(view: ProjectBarView, actions: ProjectBarActions) {
  const exporting = view.exportProgress !== null;
  return html`
    <header class="project-bar" part="header">
      <span class="brand" aria-hidden="true">webdreamer studio</span>
      <input class="project-name" .value=${view.name} aria-label="Project name" placeholder="Untitled"
        @change=${actions.rename} />
      <span class="save-state" data-state=${view.saveState} role="status">${SAVE_TEXT[view.saveState]}</span>
      <span class="project-actions" role="toolbar" aria-label="Project">
        <button type="button" @click=${actions.newProject}>New</button>
        <button type="button" @click=${actions.openProject}>Open…</button>
        <button type="button" @click=${actions.saveFile}>Save as file</button>
        <button type="button" ?disabled=${exporting} @click=${actions.exportMixdown}>Export mixdown</button>
        <button type="button" ?disabled=${exporting} @click=${actions.exportStems}>Export stems</button>
      </span>
      ${
        exporting
          ? html`<span class="export-progress">
              <progress max="1" .value=${view.exportProgress ?? 0} aria-label=${view.exportKind === "stems" ? "Stems export" : "Mixdown export"}></progress>
              <span>${Math.round((view.exportProgress ?? 0) * 100)}%</span>
              <button type="button" class="small" @click=${actions.cancelExport}>Cancel export</button>
            </span>`
          : nothing
      }
    </header>
  `;
}
