/**
 * The arrangement's edits as the studio's buttons and keys reach them: split the selected clip at the
 * playhead (Split, Ctrl/Cmd+E) or a clip at a beat (Alt+click), duplicate the selected clip (Duplicate,
 * Ctrl/Cmd+D), add a marker at the playhead (Add marker, M), rename, delete and jump to markers. Each
 * edit is one project command (one undo step); the commands come from arrange-math.ts.
 */
import type { ProjectCommand } from "../project/project-commands";
import type { Project } from "../project/project-schema";
import { clipAtBeat, duplicateCommand, markerCommand, splitCommand } from "./arrange-math";

export interface ArrangeEditHost {
  project(): Project;
  selectedClip(): string | null;
  /** The playhead's beat. */
  playheadBeat(): number;
  execute(command: ProjectCommand): boolean;
  selectClip(clipId: string): void;
  selectMarker(markerId: string | null): void;
  seek(beat: number): void;
  /** Tells the user why an edit did nothing. */
  explain(message: string): void;
}

export class ArrangeEdits {
  constructor(private readonly host: ArrangeEditHost) {}

  /** Split: the selected clip at the playhead. */
  splitAtPlayhead(): void {
    const selected = this.selected();
    if (!selected) {
      this.host.explain("Select a clip to split");
      return;
    }
    const beat = this.host.playheadBeat();
    if (clipAtBeat(this.host.project(), selected.trackId, beat, selected.clipId) !== selected.clipId) {
      this.host.explain("Move the playhead inside the selected clip to split it there");
      return;
    }
    this.split(selected.trackId, selected.clipId, beat);
  }

  /** Splits `clipId` of `trackId` at `beat` (Alt+click); false when the beat is not inside it. */
  split(trackId: string, clipId: string, beat: number): boolean {
    const split = splitCommand(this.host.project(), trackId, clipId, beat);
    if (!split || !this.host.execute(split.command)) return false;
    this.host.selectClip(split.rightId);
    return true;
  }

  /** Duplicate: a copy of the selected clip right after it, selected. */
  duplicate(): void {
    const selected = this.selected();
    if (!selected) {
      this.host.explain("Select a clip to duplicate");
      return;
    }
    const { command, copyId } = duplicateCommand(this.host.project(), selected.trackId, selected.clipId);
    if (this.host.execute(command)) this.host.selectClip(copyId);
  }

  /** Add marker: at the playhead, selected so its name field is ready. */
  addMarker(): void {
    const { command, markerId } = markerCommand(this.host.project(), this.host.playheadBeat());
    if (this.host.execute(command)) this.host.selectMarker(markerId);
  }

  jumpToMarker(markerId: string): void {
    const marker = this.host.project().markers.find((m) => m.id === markerId);
    if (!marker) return;
    this.host.selectMarker(markerId);
    this.host.seek(marker.beat);
  }

  renameMarker(markerId: string, name: string): void {
    const marker = this.host.project().markers.find((m) => m.id === markerId);
    if (marker && marker.name !== name)
      this.host.execute({ type: "update_marker", marker_id: markerId, marker: { name } });
  }

  removeMarker(markerId: string): void {
    if (this.host.execute({ type: "remove_marker", marker_id: markerId })) this.host.selectMarker(null);
  }

  /**
   * Ctrl/Cmd+E splits, Ctrl/Cmd+D duplicates, M adds a marker (never while typing in a field).
   * True when the key was one of them (its default is then prevented).
   */
  keyDown(event: KeyboardEvent, typing: boolean): boolean {
    if (typing || event.altKey || event.shiftKey) return false;
    const mod = event.ctrlKey || event.metaKey;
    const key = event.key.toLowerCase();
    if (mod && key === "e") this.splitAtPlayhead();
    else if (mod && key === "d") this.duplicate();
    else if (!mod && key === "m" && !event.repeat) this.addMarker();
    else return false;
    event.preventDefault();
    return true;
  }

  private selected(): { trackId: string; clipId: string } | null {
    const clipId = this.host.selectedClip();
    if (clipId === null) return null;
    const track = this.host
      .project()
      .tracks.find((t) => t.kind !== "bus" && t.clips.some((clip) => clip.id === clipId));
    return track ? { trackId: track.id, clipId } : null;
  }
}
