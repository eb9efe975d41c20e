/**
 * The piano roll as the studio holds it: which MIDI clip is open, its selected note, the grid, and
 * the gestures (PianoRollGestures: each one notes patch). It follows the project: a clip that went
 * closes the roll, a selection past the notes is dropped; a clip just opened scrolls its highest note
 * near the top.
 */
import { nothing, type ReactiveControllerHost } from "lit";

import type { ProjectCommand } from "../project/project-commands";
import type { MidiClip, Project } from "../project/project-schema";
import { pianoRoll } from "./piano-roll";
import { PianoRollGestures } from "./piano-roll-gestures";
import { ROLL_HIGHEST_NOTE, rowTop } from "./piano-roll-math";
import { beatsPerBar, findClip } from "./project-lookups";

/** The piano roll's zoom, in pixels per beat. */
const ROLL_PIXELS_PER_BEAT = 64;

export interface PianoRollPanelHost {
  project(): Project;
  execute(command: ProjectCommand, gesture?: string): boolean;
  /** A clip opened: the arrangement selects it and its track. */
  opened(trackId: string, clipId: string): void;
}

export class PianoRollPanel {
  private openClip: { trackId: string; clipId: string } | null = null;
  private selectedNote: number | null = null;
  private grid = 0.25;
  /** Counts the velocity slider's drags: each drag is one gesture, one undo step. */
  private velocityGesture = 0;
  /** The clip the roll was last scrolled for (scrolled once, when it opens). */
  private scrolledFor: string | null = null;
  private readonly gestures: PianoRollGestures;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly panel: PianoRollPanelHost,
  ) {
    this.gestures = new PianoRollGestures({
      openClip: () => this.openMidiClip(),
      grid: () => this.grid,
      pixelsPerBeat: () => ROLL_PIXELS_PER_BEAT,
      execute: (command, gesture) => panel.execute(command, gesture),
      select: (index) => {
        this.selectNote(index);
      },
      selected: () => this.selectedNote,
    });
  }

  /** Opens a MIDI clip (an audio clip or a clip not there is ignored). */
  open(trackId: string, clipId: string): void {
    const clip = findClip(this.panel.project(), trackId, clipId);
    if (!clip || "content_id" in clip) return;
    this.openClip = { trackId, clipId };
    this.selectedNote = null;
    this.host.requestUpdate();
    this.panel.opened(trackId, clipId);
  }

  close(): void {
    if (this.openClip === null && this.selectedNote === null) return;
    this.openClip = null;
    this.selectedNote = null;
    this.host.requestUpdate();
  }

  /** After an edit, undo or redo: closes the roll if its clip went, drops a selection past the notes. */
  follow(): void {
    const open = this.openMidiClip();
    if (!open) this.close();
    else if (this.selectedNote !== null && this.selectedNote >= open.clip.notes.length) this.selectNote(null);
  }

  render() {
    const open = this.openMidiClip();
    if (!open) return nothing;
    const project = this.panel.project();
    const track = project.tracks.find((t) => t.id === open.trackId);
    return pianoRoll(
      {
        clip: open.clip,
        trackName: track?.name || open.trackId,
        selectedNote: this.selectedNote,
        grid: this.grid,
        pixelsPerBeat: ROLL_PIXELS_PER_BEAT,
        beatsPerBar: beatsPerBar(project),
      },
      {
        close: () => this.close(),
        changeGrid: (event) => {
          this.grid = Number((event.target as HTMLSelectElement).value);
          this.host.requestUpdate();
        },
        addNote: () => this.gestures.addNote(),
        deleteNote: () => this.gestures.deleteSelected(),
        velocityInput: (event) => {
          const velocity = Number((event.target as HTMLInputElement).value);
          this.gestures.setVelocity(velocity, `velocity-slider-${this.velocityGesture}`);
        },
        velocityCommit: () => {
          this.velocityGesture++;
        },
      },
      this.gestures,
    );
  }

  /** After a render: a clip just opened has its highest note (or the C above middle C) near the top. */
  scrollWhenOpened(root: ParentNode): void {
    const open = this.openClip ? `${this.openClip.trackId}/${this.openClip.clipId}` : null;
    if (open === this.scrolledFor) return;
    this.scrolledFor = open;
    if (!open) return;
    const scroller = root.querySelector<HTMLElement>(".roll-scroll");
    const notes = this.openMidiClip()?.clip.notes ?? [];
    const highest = notes.length > 0 ? Math.max(...notes.map((note) => note.note)) + 2 : 72;
    if (scroller) scroller.scrollTop = rowTop(Math.min(ROLL_HIGHEST_NOTE, highest));
  }

  /** The clip open in the roll as the project holds it now, or null. */
  private openMidiClip(): { trackId: string; clip: MidiClip } | null {
    const open = this.openClip;
    const clip = open ? findClip(this.panel.project(), open.trackId, open.clipId) : undefined;
    if (!open || !clip || "content_id" in clip) return null;
    return { trackId: open.trackId, clip };
  }

  private selectNote(index: number | null): void {
    if (index === this.selectedNote) return;
    this.selectedNote = index;
    this.host.requestUpdate();
  }
}
