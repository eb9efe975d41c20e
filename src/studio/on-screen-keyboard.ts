/**
 * The on-screen keyboard, as a template function: two octaves and a C of clickable keys (pressed
 * while the pointer holds them), the octave with − and +, the "Keyboard input" toggle (the computer
 * keyboard plays even when the focus is elsewhere, fields excepted), Web MIDI's Connect button and
 * what it found, and which track it plays. A click plays as hard as it lands low on the key; the
 * computer keys play at the Velocity field's value. The region itself is focusable: with the focus in it, the
 * letters play (keyboard-map.ts) without the toggle, so the keyboard never steals typing.
 */
import { html } from "lit";
import { PLAYING_KEYS, velocityForKeyPosition } from "./keyboard-map";
import { noteName } from "./piano-roll-math";

export interface KeyboardView {
  octave: number;
  held: ReadonlySet<number>;
  keyboardInput: boolean;
  /** The velocity the computer keys play at (1..127). */
  velocity: number;
  /** The track the keys play, or null when no instrument track is selected. */
  targetName: string | null;
  /** What Web MIDI gave: null before Connect, else the inputs' names or why there are none. */
  midiStatus: string | null;
}

export interface KeyboardActions {
  noteOn(note: number, velocity: number): void;
  noteOff(note: number): void;
  regionKeyDown(event: KeyboardEvent): void;
  regionKeyUp(event: KeyboardEvent): void;
  shiftOctave(by: number): void;
  toggleKeyboardInput(): void;
  connectMidi(): void;
  changeVelocity(event: Event): void;
}

/** White keys' width in pixels; black keys sit over the gaps. */
const WHITE_PX = 26;
const OFFSETS_IN_OCTAVE = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const WHITE_OFFSETS = [0, 2, 4, 5, 7, 9, 11];

/**
 * @example
 * import { html } from "lit";
 * const none = () => {};
 * const view = { octave: 4, held: new Set<number>(), keyboardInput: false, velocity: 100, targetName: "Synth", midiStatus: null };
 * html`${onScreenKeyboard(view, { noteOn: none, noteOff: none, regionKeyDown: none, regionKeyUp: none, shiftOctave: none, toggleKeyboardInput: none, connectMidi: none, changeVelocity: none })}`;
 */
export function onScreenKeyboard(view: KeyboardView, actions: KeyboardActions) {
  const low = (view.octave + 1) * 12;
  const notes = [
    ...OFFSETS_IN_OCTAVE.map((o) => low + o),
    ...OFFSETS_IN_OCTAVE.map((o) => low + 12 + o),
    low + 24,
  ];
  let whites = 0;
  const keys = notes.map((note) => {
    const white = WHITE_OFFSETS.includes(note % 12);
    const left = white ? whites++ * WHITE_PX : whites * WHITE_PX - 8;
    return html`<button type="button" tabindex="-1" class="key ${white ? "white" : "black"} ${view.held.has(note) ? "down" : ""}"
      style="left: ${left}px" data-note=${note} aria-label=${noteName(note)} aria-pressed=${view.held.has(note) ? "true" : "false"}
      ?disabled=${view.targetName === null}
      @pointerdown=${(event: PointerEvent) => {
        if (event.button !== 0) return;
        const key = event.currentTarget as HTMLElement;
        key.setPointerCapture(event.pointerId);
        actions.noteOn(note, velocityForKeyPosition(event.offsetY, key.clientHeight));
      }}
      @pointerup=${() => actions.noteOff(note)} @pointercancel=${() => actions.noteOff(note)}
      @lostpointercapture=${() => actions.noteOff(note)}></button>`;
  });
  const help = `${PLAYING_KEYS} play, Z and X change the octave`;
  return html`
    <section class="live-keyboard" part="keyboard" aria-label="Keyboard">
      <div class="keyboard-toolbar" role="toolbar" aria-label="Keyboard settings">
        <span class="keyboard-target">${view.targetName ? `Plays ${view.targetName}` : "Select an instrument track to play"}</span>
        <button type="button" class="small" aria-label="Octave down" @click=${() => actions.shiftOctave(-1)}>−</button>
        <span class="octave" aria-live="polite">C${view.octave}</span>
        <button type="button" class="small" aria-label="Octave up" @click=${() => actions.shiftOctave(1)}>+</button>
        <button type="button" class="small" aria-pressed=${view.keyboardInput ? "true" : "false"}
          title="The computer keyboard plays while the focus is anywhere but a field" @click=${actions.toggleKeyboardInput}>
          Keyboard input
        </button>
        <label class="field key-velocity" title="How hard the computer keys play; a click on a key plays harder the lower it lands">
          Velocity <input type="number" min="1" max="127" step="1" .value=${String(view.velocity)} @change=${actions.changeVelocity} />
        </label>
        <button type="button" class="small" @click=${actions.connectMidi}>Connect MIDI</button>
        ${view.midiStatus === null ? "" : html`<span class="midi-status" role="status">${view.midiStatus}</span>`}
      </div>
      <div class="keys" tabindex="0" role="group" aria-label="Piano keys: ${help}"
        aria-keyshortcuts=${PLAYING_KEYS.replaceAll(" ", " ")} style="width: ${whites * WHITE_PX}px"
        @keydown=${actions.regionKeyDown} @keyup=${actions.regionKeyUp}>
        ${keys}
      </div>
    </section>
  `;
}
