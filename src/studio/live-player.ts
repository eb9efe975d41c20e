/**
 * Plays the selected instrument track live: note on and off, CC and pitch bend from the on-screen
 * keyboard, the computer keyboard and Web MIDI go to the track's instrument node with `sendMidi`
 * (docs/realtime.md, "Live MIDI"). The messages go out one after another (a note_off never overtakes
 * its note_on on the way to the Worker), each note_off to the node that got its note_on even if the
 * selection moved meanwhile, and `releaseAll` ends every held note (a track change, a stop, the page
 * going away).
 */
import type { LiveMidiMessageInput } from "../contracts/live-midi";

/** What the player needs: the node to play now and the engine to send to (started if need be). */
export interface LivePlayerHost {
  /** The instrument node of the selected instrument track, or null when none is selected. */
  targetNode(): string | null;
  /** The live engine, started if it is not (a key press is a user gesture); null if it cannot run. */
  engine(): Promise<{ sendMidi(node: string, message: LiveMidiMessageInput): Promise<void> } | null>;
  failed(error: unknown): void;
  /** The set of notes sounding changed (the on-screen keys show them pressed). */
  changed(held: ReadonlySet<number>): void;
}

export class LivePlayer {
  private queue: Promise<void> = Promise.resolve();
  /** Held notes and the node each went to. */
  private readonly held = new Map<number, string>();

  constructor(private readonly host: LivePlayerHost) {}

  /** The notes sounding now. */
  get notes(): ReadonlySet<number> {
    return new Set(this.held.keys());
  }

  noteOn(note: number, velocity = 100): void {
    const node = this.host.targetNode();
    if (node === null) return;
    const previous = this.held.get(note);
    if (previous !== undefined && previous !== node) this.send(previous, { type: "note_off", note });
    this.held.set(note, node);
    this.host.changed(this.notes);
    this.send(node, { type: "note_on", note, velocity: Math.min(127, Math.max(1, Math.round(velocity))) });
  }

  noteOff(note: number): void {
    const node = this.held.get(note);
    if (node === undefined) return;
    this.held.delete(note);
    this.host.changed(this.notes);
    this.send(node, { type: "note_off", note });
  }

  /** Any other message (CC, pitch bend, a channel's note from Web MIDI) to the selected track. */
  message(message: LiveMidiMessageInput): void {
    const node = this.host.targetNode();
    if (node !== null) this.send(node, message);
  }

  /** Ends every held note. */
  releaseAll(): void {
    for (const note of [...this.held.keys()]) this.noteOff(note);
  }

  /** Resolves once every message sent so far was taken by the engine (tests and recording use it). */
  flushed(): Promise<void> {
    return this.queue;
  }

  private send(node: string, message: LiveMidiMessageInput): void {
    this.queue = this.queue.then(async () => {
      try {
        const engine = await this.host.engine();
        await engine?.sendMidi(node, message);
      } catch (error) {
        this.host.failed(error);
      }
    });
  }
}
