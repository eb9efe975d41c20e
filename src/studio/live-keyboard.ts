/**
 * The studio's live keyboard: the on-screen keys, the computer keys (with Keyboard input on) and Web
 * MIDI play the instrument track the studio targets, through one LivePlayer. It keeps the octave, the
 * velocity the computer keys play at and the MIDI inputs' status, and renders the on-screen keyboard.
 * A Lit controller: it lets go of every held note when the window loses focus or the studio goes.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";

import type { RealtimeEngineClient } from "../api/realtime-client";
import {
  DEFAULT_KEY_VELOCITY,
  DEFAULT_OCTAVE,
  keyVelocity,
  MAX_OCTAVE,
  MIN_OCTAVE,
  noteForKey,
  octaveForKey,
} from "./keyboard-map";
import { LivePlayer } from "./live-player";
import { connectMidiInputs, type MidiInputConnection } from "./midi-input";
import { onScreenKeyboard } from "./on-screen-keyboard";
import type { LiveTarget } from "./project-lookups";

export interface LiveKeyboardHost {
  /** The instrument track the keys play, or null without one. */
  target(): LiveTarget | null;
  /** The live engine, started by the first key if Play has not started it. */
  engine(): Promise<RealtimeEngineClient | null>;
  failed(error: unknown, context: string): void;
}

/** True when a key goes to a field (typing), which the keyboard must never take. */
export function isTyping(event: KeyboardEvent): boolean {
  const target = event.composedPath()[0] as HTMLElement | undefined;
  return target?.matches?.("input:not([type=range]), textarea, select, [contenteditable]") === true;
}

export class LiveKeyboard implements ReactiveController {
  private octave = DEFAULT_OCTAVE;
  private held: ReadonlySet<number> = new Set();
  private keyboardInput = false;
  /** The velocity the computer keys play at (the keyboard's Velocity field). */
  private velocity = DEFAULT_KEY_VELOCITY;
  private midiStatus: string | null = null;
  private midiConnection: MidiInputConnection | null = null;
  private readonly player: LivePlayer;

  constructor(
    private readonly host: ReactiveControllerHost,
    keyboard: LiveKeyboardHost,
  ) {
    this.player = new LivePlayer({
      targetNode: () => keyboard.target()?.node ?? null,
      engine: () => keyboard.engine(),
      failed: (error) => keyboard.failed(error, "The keyboard could not play"),
      changed: (held) => {
        this.held = held;
        host.requestUpdate();
      },
    });
    host.addController(this);
  }

  hostConnected(): void {
    addEventListener("keyup", this.onKeyUp);
    addEventListener("blur", this.onWindowBlur);
  }

  hostDisconnected(): void {
    removeEventListener("keyup", this.onKeyUp);
    removeEventListener("blur", this.onWindowBlur);
    this.player.releaseAll();
    this.midiConnection?.close();
    this.midiConnection = null;
  }

  noteOn(note: number, velocity: number): void {
    this.player.noteOn(note, velocity);
  }

  noteOff(note: number): void {
    this.player.noteOff(note);
  }

  /** Resolves once every note sent so far reached the engine. */
  flushed(): Promise<void> {
    return this.player.flushed();
  }

  /** A key pressed anywhere in the studio: true when Keyboard input took it as a piano key (or Z/X). */
  keyDown(event: KeyboardEvent, typing: boolean): boolean {
    return this.keyboardInput && !typing && this.playComputerKey(event, true);
  }

  render(targetName: string | null) {
    return onScreenKeyboard(
      {
        octave: this.octave,
        held: this.held,
        keyboardInput: this.keyboardInput,
        velocity: this.velocity,
        targetName,
        midiStatus: this.midiStatus,
      },
      {
        noteOn: (note, velocity) => this.player.noteOn(note, velocity),
        noteOff: (note) => this.player.noteOff(note),
        regionKeyDown: (event) => {
          if (this.playComputerKey(event, true)) event.preventDefault();
        },
        regionKeyUp: (event) => {
          if (this.playComputerKey(event, false)) event.preventDefault();
        },
        shiftOctave: (by) => this.shiftOctave(by),
        toggleKeyboardInput: () => {
          this.keyboardInput = !this.keyboardInput;
          if (!this.keyboardInput) this.player.releaseAll();
          this.host.requestUpdate();
        },
        connectMidi: () => void this.connectMidi(),
        changeVelocity: (event) => {
          const field = event.target as HTMLInputElement;
          this.velocity = keyVelocity(field.value) ?? this.velocity;
          field.value = String(this.velocity);
          this.host.requestUpdate();
        },
      },
    );
  }

  /** A computer key as a piano key (down or up); true when it was one (or Z/X). */
  private playComputerKey(event: KeyboardEvent, down: boolean): boolean {
    if (event.ctrlKey || event.metaKey || event.altKey) return false;
    const note = noteForKey(event.code, this.octave);
    if (note !== null) {
      if (event.repeat) return true;
      if (down) this.player.noteOn(note, this.velocity);
      else this.player.noteOff(note);
      return true;
    }
    const octave = octaveForKey(event.code, this.octave);
    if (octave === null) return false;
    if (down) this.shiftOctave(octave - this.octave);
    return true;
  }

  private shiftOctave(by: number): void {
    this.player.releaseAll();
    this.octave = Math.min(MAX_OCTAVE, Math.max(MIN_OCTAVE, this.octave + by));
    this.host.requestUpdate();
  }

  private async connectMidi(): Promise<void> {
    this.midiConnection?.close();
    try {
      this.midiConnection = await connectMidiInputs((message) => {
        if (message.type === "note_on") this.player.noteOn(message.note, message.velocity);
        else if (message.type === "note_off") this.player.noteOff(message.note);
        else this.player.message(message);
      });
      const inputs = this.midiConnection.inputs;
      this.midiStatus = inputs.length > 0 ? `MIDI: ${inputs.join(", ")}` : "MIDI: no input connected yet";
    } catch (error) {
      this.midiStatus = `MIDI unavailable: ${error instanceof Error ? error.message : String(error)}`;
    }
    this.host.requestUpdate();
  }

  private readonly onKeyUp = (event: KeyboardEvent): void => {
    if (!this.keyboardInput || event.defaultPrevented || isTyping(event)) return;
    if (this.playComputerKey(event, false)) event.preventDefault();
  };

  private readonly onWindowBlur = (): void => {
    // A key released while the page had no focus never sends its keyup: end every held note.
    this.player.releaseAll();
  };
}
