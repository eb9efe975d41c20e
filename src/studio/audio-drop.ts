/**
 * The arrangement's drag and drop: audio files dropped on it are imported at the beat under the
 * pointer (snapped to the grid), and the drop target shows while files hover.
 */
import { snapBeat } from "./timeline-math";

export interface AudioDropHost {
  /** The arrangement's ruler row, whose left edge is beat 0. */
  ruler(): HTMLElement | null;
  pixelsPerBeat(): number;
  snapBeats(): number;
  /** Files hover the arrangement (true) or left it (false). */
  hovering(dropping: boolean): void;
  importFiles(files: readonly File[], atBeat: number): Promise<void>;
}

export interface AudioDropActions {
  dragOver(event: DragEvent): void;
  dragLeave(event: DragEvent): void;
  drop(event: DragEvent): void;
}

export function audioDropActions(host: AudioDropHost): AudioDropActions {
  return {
    dragOver: (event) => {
      if (!event.dataTransfer?.types.includes("Files")) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      host.hovering(true);
    },
    dragLeave: (event) => {
      if (event.currentTarget === event.target) host.hovering(false);
    },
    drop: (event) => {
      const files = [...(event.dataTransfer?.files ?? [])];
      if (files.length === 0) return;
      event.preventDefault();
      host.hovering(false);
      const lane = host.ruler()?.getBoundingClientRect();
      const beat = lane
        ? snapBeat(Math.max(0, event.clientX - lane.left) / host.pixelsPerBeat(), host.snapBeats())
        : 0;
      void host.importFiles(files, beat);
    },
  };
}
