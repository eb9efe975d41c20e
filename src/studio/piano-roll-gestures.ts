/**
 * The piano roll's gestures. Pointer: a press on an empty cell draws a note there (and dragging on
 * sets its length), on a note's body moves it (time and pitch), on its right edge resizes it; a press
 * in the velocity lane sets the velocity of the note under it. Keyboard, on a focused note: ←/→ move
 * it by a grid step, ↑/↓ by a semitone, Shift+←/→ resize it, Delete or Backspace removes it.
 *
 * Every edit is one `update_clip` with the clip's whole notes list (the notes have no ids); a drag
 * sends one per position with one gesture id, so the editor coalesces it into one undo step, and the
 * playing engine follows each (followProject: an added note is scheduled, a moved one reloads).
 */
import type { ProjectCommand } from "../project/project-commands";
import type { MidiClip } from "../project/project-schema";
import {
  draggedNote,
  drawnNote,
  type MidiNote,
  type NoteHandle,
  pitchAtY,
  ROLL_ROW_PX,
  replaceNote,
  stepBeats,
  velocityAt,
} from "./piano-roll-math";

export interface PianoRollHost {
  /** The open clip and its track, as the project holds them now. */
  openClip(): { trackId: string; clip: MidiClip } | null;
  grid(): number;
  pixelsPerBeat(): number;
  /** Runs a command; false when the project's rules refused it. */
  execute(command: ProjectCommand, gesture?: string): boolean;
  select(index: number | null): void;
  selected(): number | null;
}

interface NoteDrag {
  pointerId: number;
  index: number;
  handle: NoteHandle | "velocity";
  origin: MidiNote;
  startX: number;
  startY: number;
  gesture: string;
}

let gestures = 0;

export class PianoRollGestures {
  private drag: NoteDrag | null = null;

  constructor(private readonly host: PianoRollHost) {}

  /** The notes patch for the open clip; false when refused or nothing is open. */
  setNotes(notes: MidiNote[], gesture?: string): boolean {
    const open = this.host.openClip();
    if (!open) return false;
    return this.host.execute(
      { type: "update_clip", track_id: open.trackId, clip_id: open.clip.id, clip: { notes } },
      gesture,
    );
  }

  /** Adds a note (one undo step): after the selected one on its pitch, else at the start on C4. */
  addNote(): void {
    const open = this.host.openClip();
    if (!open) return;
    const { clip } = open;
    const selected = this.selectedNote(clip);
    const beat = selected ? selected.beat + selected.length_beats : 0;
    const note = drawnNote(beat, selected?.note ?? 60, this.host.grid(), clip.length_beats);
    if (note && this.setNotes([...clip.notes, note])) this.host.select(clip.notes.length);
  }

  /** Removes the selected note (one undo step). */
  deleteSelected(): void {
    const open = this.host.openClip();
    const index = this.host.selected();
    if (!open || index === null || !open.clip.notes[index]) return;
    if (this.setNotes(replaceNote(open.clip.notes, index, null))) this.host.select(null);
  }

  /** Sets the selected note's velocity; `gesture` coalesces a slider drag into one undo step. */
  setVelocity(velocity: number, gesture?: string): void {
    const open = this.host.openClip();
    const index = this.host.selected();
    const note = open && index !== null ? open.clip.notes[index] : undefined;
    if (!open || index === null || !note || note.velocity === velocity) return;
    this.setNotes(replaceNote(open.clip.notes, index, { ...note, velocity }), gesture);
  }

  readonly pointerDown = (event: PointerEvent): void => {
    const open = this.host.openClip();
    if (event.button !== 0 || !open) return;
    const grid = event.currentTarget as HTMLElement;
    const target = event.target as HTMLElement;
    const noteElement = target.closest<HTMLElement>(".roll-note");
    const gesture = `roll-${++gestures}`;
    let index: number;
    let handle: NoteHandle;
    /** For a drawn note: the beat pressed, so dragging on puts its end under the pointer. */
    let pressedBeat: number | null = null;
    if (noteElement) {
      index = Number(noteElement.dataset.index);
      handle = target.dataset.handle === "resize" ? "resize" : "move";
    } else {
      const box = grid.getBoundingClientRect();
      const beat = (event.clientX - box.left) / this.host.pixelsPerBeat();
      const note = drawnNote(
        beat,
        pitchAtY(event.clientY - box.top),
        this.host.grid(),
        open.clip.length_beats,
      );
      if (!note || !this.setNotes([...open.clip.notes, note], gesture)) return;
      index = open.clip.notes.length;
      pressedBeat = beat;
      // Dragging on after drawing sets the new note's length: the same gesture, one undo step.
      handle = "resize";
    }
    const drawn = this.host.openClip()?.clip.notes[index];
    if (!drawn) return;
    const origin = pressedBeat === null ? drawn : { ...drawn, length_beats: pressedBeat - drawn.beat };
    this.host.select(index);
    this.drag = {
      pointerId: event.pointerId,
      index,
      handle,
      origin,
      startX: event.clientX,
      startY: event.clientY,
      gesture,
    };
    grid.setPointerCapture(event.pointerId);
    (noteElement ?? grid).focus?.({ preventScroll: true });
    event.preventDefault();
  };

  readonly pointerMove = (event: PointerEvent): void => {
    const drag = this.drag;
    const open = this.host.openClip();
    if (!drag || event.pointerId !== drag.pointerId || !open || drag.handle === "velocity") return;
    const deltaBeats = (event.clientX - drag.startX) / this.host.pixelsPerBeat();
    const deltaPitch = drag.handle === "move" ? -Math.round((event.clientY - drag.startY) / ROLL_ROW_PX) : 0;
    const note = draggedNote(
      drag.origin,
      drag.handle,
      deltaBeats,
      deltaPitch,
      this.host.grid(),
      open.clip.length_beats,
    );
    this.replace(open.clip, drag.index, note, drag.gesture);
  };

  readonly pointerUp = (event: PointerEvent): void => {
    if (this.drag?.pointerId === event.pointerId) this.drag = null;
  };

  /** A press in the velocity lane: the nearest note starting at or before it, its velocity from the height. */
  readonly velocityDown = (event: PointerEvent): void => {
    const open = this.host.openClip();
    if (event.button !== 0 || !open) return;
    const lane = event.currentTarget as HTMLElement;
    const box = lane.getBoundingClientRect();
    const beat = (event.clientX - box.left) / this.host.pixelsPerBeat();
    const index = this.noteAtBeat(open.clip, beat);
    const origin = index === null ? undefined : open.clip.notes[index];
    if (index === null || !origin) return;
    this.host.select(index);
    this.drag = {
      pointerId: event.pointerId,
      index,
      handle: "velocity",
      origin,
      startX: event.clientX,
      startY: event.clientY,
      gesture: `velocity-${++gestures}`,
    };
    lane.setPointerCapture(event.pointerId);
    event.preventDefault();
    this.velocityMove(event);
  };

  readonly velocityMove = (event: PointerEvent): void => {
    const drag = this.drag;
    const open = this.host.openClip();
    if (drag?.handle !== "velocity" || event.pointerId !== drag.pointerId || !open) return;
    const box = (event.currentTarget as HTMLElement).getBoundingClientRect();
    const velocity = velocityAt(box.bottom - event.clientY, box.height);
    const note = open.clip.notes[drag.index];
    if (note) this.replace(open.clip, drag.index, { ...note, velocity }, drag.gesture);
  };

  /** Arrow keys and Delete on a focused note. */
  readonly keyDown = (event: KeyboardEvent): void => {
    const open = this.host.openClip();
    const element = (event.target as HTMLElement).closest<HTMLElement>(".roll-note");
    if (!open || !element) return;
    const index = Number(element.dataset.index);
    const note = open.clip.notes[index];
    if (!note) return;
    if (event.key === "Delete" || event.key === "Backspace") {
      event.preventDefault();
      this.host.select(index);
      this.deleteSelected();
      return;
    }
    const step = stepBeats(this.host.grid());
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, 1],
      ArrowDown: [0, -1],
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    this.host.select(index);
    const handle: NoteHandle = event.shiftKey && move[1] === 0 ? "resize" : "move";
    const next = draggedNote(note, handle, move[0], move[1], this.host.grid(), open.clip.length_beats);
    this.replace(open.clip, index, next);
  };

  private replace(clip: MidiClip, index: number, note: MidiNote, gesture?: string): void {
    const current = clip.notes[index];
    if (!current || JSON.stringify(current) === JSON.stringify(note)) return;
    this.setNotes(replaceNote(clip.notes, index, note), gesture);
  }

  private selectedNote(clip: MidiClip): MidiNote | undefined {
    const index = this.host.selected();
    return index === null ? undefined : clip.notes[index];
  }

  private noteAtBeat(clip: MidiClip, beat: number): number | null {
    let best: number | null = null;
    clip.notes.forEach((note, index) => {
      if (note.beat > beat + 1e-9) return;
      const chosen = best === null ? undefined : clip.notes[best];
      if (!chosen || note.beat >= chosen.beat) best = index;
    });
    return best;
  }
}
