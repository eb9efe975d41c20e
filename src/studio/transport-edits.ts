/**
 * What the transport bar's Loop, tempo and time signature fields do to the project, each one command
 * (one undo step). A field left with a value the project refuses shows the project's value again.
 */
import { MAX_TEMPO_BPM, MIN_TEMPO_BPM } from "../components/player-transport-bar";
import { projectEndBeat } from "../project/compile-project";
import type { ProjectCommand } from "../project/project-commands";
import type { Project } from "../project/project-schema";
import { beatsPerBar, startBpm } from "./project-lookups";
import type { StudioTransportActions } from "./transport-bar";

export interface TransportEditing {
  project(): Project;
  run(command: ProjectCommand): boolean;
  /** Renders again, so a field shows the project's value after a refused one. */
  refresh(): void;
}

/**
 * @example
 * const edits = transportEdits({ project: () => editor.project, run: (command) => { editor.execute(command); return true; }, refresh: () => {} });
 * edits.toggleLoop();
 */
export function transportEdits(
  editing: TransportEditing,
): Pick<StudioTransportActions, "toggleLoop" | "changeTempo" | "changeSignature"> {
  return {
    /** Turns the loop on or off; the first time, over the whole project in bars. */
    toggleLoop: () => {
      const project = editing.project();
      const loop = project.loop;
      if (loop) {
        editing.run({ type: "set_loop", loop: { ...loop, enabled: !loop.enabled } });
        return;
      }
      const bar = beatsPerBar(project);
      const end = Math.max(bar, Math.ceil(projectEndBeat(project) / bar) * bar);
      editing.run({ type: "set_loop", loop: { start_beat: 0, end_beat: end, enabled: true } });
    },
    changeTempo: (event) => {
      const input = event.target as HTMLInputElement;
      const bpm = Number.parseFloat(input.value);
      if (Number.isFinite(bpm)) {
        const clamped = Math.min(MAX_TEMPO_BPM, Math.max(MIN_TEMPO_BPM, Math.round(bpm * 10) / 10));
        editing.run({ type: "set_tempo", tempo: { bpm: clamped } });
      }
      editing.refresh();
      input.value = String(startBpm(editing.project()));
    },
    changeSignature: (event) => {
      const group = (event.target as HTMLElement).closest("fieldset");
      const numerator = Number(group?.querySelector<HTMLInputElement>("[name=numerator]")?.value);
      const denominator = Number(group?.querySelector<HTMLSelectElement>("[name=denominator]")?.value);
      if (Number.isInteger(numerator) && numerator >= 1 && numerator <= 64) {
        editing.run({
          type: "set_time_signatures",
          time_signatures: [{ beat: 0, numerator, denominator: denominator as 4 }],
        });
      }
      editing.refresh();
    },
  };
}
