/**
 * ProjectEditor: holds a project, applies commands to it, keeps the undo and redo history and tells
 * subscribers about every change.
 *
 * The history holds projects, not inverse commands: each entry keeps the project before and after
 * its edit. Projects are never changed in place (project-commands.ts shares what an edit left
 * untouched), so an entry costs what its edit changed, and undo gives back the very object it held:
 * undoing everything returns the initial project byte for byte, by construction.
 *
 * Coalescing: a command executed with a `gesture` id merges into the newest entry when that entry
 * came from the same gesture and edits the same thing (coalesceKey), so dragging a fader through 60
 * values is one undo step back to where the drag started. Any other command, an undo or a redo ends
 * the merging. A gesture that edits several things at once (a Write take moving two controls) asks
 * for `wholeGesture`: its commands merge into the newest entry of the same gesture whatever they
 * edit, one undo step for the whole gesture.
 */
import { coalesceKey, commandLabel } from "./command-labels";
import { applyCommand, type ProjectCommand } from "./project-commands";
import { checkProject } from "./project-invariants";
import type { Project } from "./project-schema";

/** One undo step. */
export interface HistoryEntry {
  /** What a menu shows: "Undo Volume of Bass". */
  readonly label: string;
  readonly before: Project;
  readonly after: Project;
  /** The commands merged into this step, in order (more than one for a coalesced gesture). */
  readonly commands: readonly ProjectCommand[];
  readonly gesture: string | null;
  readonly key: string;
}

/** What a subscriber hears after each change. */
export interface ProjectChange {
  cause: "execute" | "undo" | "redo";
  /** The history label of the step done, undone or redone. */
  label: string;
  before: Project;
  after: Project;
  /** The command executed (null for undo and redo). */
  command: ProjectCommand | null;
  /** True when this execute merged into the previous step (a drag going on). */
  coalesced: boolean;
}

export interface ExecuteOptions {
  /** Commands sharing a gesture id (one drag) and a target merge into one undo step. */
  gesture?: string;
  /**
   * Merge into the newest step of the same gesture whatever it edits (not only the same target): one
   * undo step for a gesture that edits several things at once, interleaved.
   */
  wholeGesture?: boolean;
  /** Overrides the history label. */
  label?: string;
}

export interface ProjectEditorOptions {
  /** Undo steps kept; the oldest go first. Default 1000. */
  historyLimit?: number;
}

export class ProjectEditor {
  private current: Project;
  private saved: Project;
  private readonly undoStack: HistoryEntry[] = [];
  private readonly redoStack: HistoryEntry[] = [];
  private readonly listeners = new Set<(change: ProjectChange) => void>();
  private readonly historyLimit: number;
  /** False once something other than an execute happened after the newest entry. */
  private mergeable = false;

  /**
   * @example
   * const editor = new ProjectEditor(project);
   */
  constructor(project: Project, options: ProjectEditorOptions = {}) {
    this.current = checkProject(project);
    this.saved = this.current;
    this.historyLimit = options.historyLimit ?? 1000;
  }

  /** The project now. Never change it: edit through execute. */
  get project(): Project {
    return this.current;
  }

  /**
   * Remembers the project now as the saved one (call it when a save succeeds).
   * @example
   * editor.markSaved();
   */
  markSaved(): void {
    this.saved = this.current;
  }

  /**
   * Whether the project is the one last marked saved (initially, the one the editor was given). Undo
   * and redo give back the very projects they held, so undoing back to a save is saved again.
   * @example
   * document.title = editor.isSaved ? "Song" : "Song *";
   */
  get isSaved(): boolean {
    return this.current === this.saved;
  }

  /**
   * Applies `command`; throws E_SCHEMA and changes nothing when it is refused.
   * @example
   * editor.execute({ type: "set_mixer", track_id: "bass", mixer: { volume_db: -3.5 } }, { gesture: "drag-7" });
   */
  execute(command: ProjectCommand, options: ExecuteOptions = {}): Project {
    const before = this.current;
    const after = applyCommand(before, command);
    const gesture = options.gesture ?? null;
    const key = coalesceKey(command);
    const newest = this.undoStack[this.undoStack.length - 1];
    const coalesced =
      this.mergeable &&
      gesture !== null &&
      newest?.gesture === gesture &&
      (newest.key === key || options.wholeGesture === true);
    if (coalesced && newest !== undefined) {
      this.undoStack[this.undoStack.length - 1] = {
        ...newest,
        after,
        commands: [...newest.commands, command],
      };
    } else {
      const label = options.label ?? commandLabel(command, before);
      this.undoStack.push({ label, before, after, commands: [command], gesture, key });
      if (this.undoStack.length > this.historyLimit) this.undoStack.shift();
    }
    this.redoStack.length = 0;
    this.mergeable = true;
    this.current = after;
    const label = (this.undoStack[this.undoStack.length - 1] as HistoryEntry).label;
    this.emit({ cause: "execute", label, before, after, command, coalesced });
    return after;
  }

  /**
   * Steps back one entry; false when there is nothing to undo.
   * @example
   * if (editor.canUndo) editor.undo();
   */
  undo(): boolean {
    const entry = this.undoStack.pop();
    if (entry === undefined) return false;
    this.redoStack.push(entry);
    this.mergeable = false;
    const before = this.current;
    this.current = entry.before;
    this.emit({
      cause: "undo",
      label: entry.label,
      before,
      after: entry.before,
      command: null,
      coalesced: false,
    });
    return true;
  }

  /**
   * Steps forward one undone entry; false when there is nothing to redo.
   * @example
   * editor.redo();
   */
  redo(): boolean {
    const entry = this.redoStack.pop();
    if (entry === undefined) return false;
    this.undoStack.push(entry);
    this.mergeable = false;
    const before = this.current;
    this.current = entry.after;
    this.emit({
      cause: "redo",
      label: entry.label,
      before,
      after: entry.after,
      command: null,
      coalesced: false,
    });
    return true;
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  /** The label undo would undo ("Volume of Bass"), or null. */
  get undoLabel(): string | null {
    return this.undoStack[this.undoStack.length - 1]?.label ?? null;
  }

  /** The label redo would redo, or null. */
  get redoLabel(): string | null {
    return this.redoStack[this.redoStack.length - 1]?.label ?? null;
  }

  /** The history for a list: done steps oldest first, then undone steps next first. */
  get history(): { done: readonly HistoryEntry[]; undone: readonly HistoryEntry[] } {
    return { done: [...this.undoStack], undone: [...this.redoStack].reverse() };
  }

  /**
   * Calls `listener` after every change; returns the function that unsubscribes it.
   * @example
   * const stop = editor.subscribe((heard) => console.log(heard.cause, heard.label));
   */
  subscribe(listener: (change: ProjectChange) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Every listener hears the change, even after one throws; the first error then propagates from
   * execute, undo or redo, the change made (it is not rolled back: the project is valid).
   */
  private emit(change: ProjectChange): void {
    let first: { error: unknown } | null = null;
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        first ??= { error };
      }
    }
    if (first !== null) throw first.error;
  }
}
