/**
 * The voice allocator of a polyphonic Faust node, as faustwasm 0.18.4's FaustPolyWebAudioDsp and
 * FaustWebAudioDspVoice: MIDI notes to voices (the first free voice, else steal the oldest releasing
 * voice, else the oldest playing one), the freq/gate/gain/key/vel controls a note sets, key off
 * releasing the oldest voice of the pitch, CC 120/123 as all-notes-off. A stolen voice is left
 * LEGATO_VOICE with its next note; the node renders the hand-over (poly-node.ts) and starts that
 * note. The voice state lives on the node itself, so rendering reads it with no indirection.
 *
 * A released voice also counts down its release length (DawDreamer's `release_length`, Faust's
 * dsp_voice::fRelease): the node frees it only once that time has passed and it is quiet.
 */
import type { FaustDspCode } from "./dsp-code";
import type { FaustDspExports } from "./instance";
import { FaustNodeBase } from "./node-base";
import type { SoundfileAudio } from "./soundfiles";

/** Voice states in `note` (a pitch >= 0 is a voice playing that note). */
export const FREE_VOICE = -1;
export const RELEASE_VOICE = -2;
/** Stolen: hands its note over to nextNote within one period. */
export const LEGATO_VOICE = -3;

/** Voices of a polyphonic DSP and the notes they play; FaustPolyNode (poly-node.ts) computes them. */
export abstract class FaustPolyVoices extends FaustNodeBase {
  /** The voice module's exports; voice v's struct is at v * layout.dspSize. */
  protected readonly voice: FaustDspExports;
  protected readonly voices: number;
  // Voice state, as faustwasm's FaustWebAudioDspVoice.
  protected readonly note: Int32Array;
  private readonly nextNote: Int32Array;
  private readonly nextVelocity: Int32Array;
  private readonly date: Float64Array;
  private date0 = 0;
  /** Frames a released voice still waits before it may be freed (counted down by the node). */
  protected readonly releaseLeft: Float64Array;
  /** The layout's release length in frames at the engine's rate (set by initDsp). */
  protected releaseFrames = 0;

  constructor(code: FaustDspCode, soundfiles: SoundfileAudio, voice: FaustDspExports) {
    super(code, soundfiles);
    this.voice = voice;
    this.voices = code.layout.voices;
    this.note = new Int32Array(this.voices).fill(FREE_VOICE);
    this.nextNote = new Int32Array(this.voices).fill(-1);
    this.nextVelocity = new Int32Array(this.voices).fill(-1);
    this.date = new Float64Array(this.voices);
    this.releaseLeft = new Float64Array(this.voices);
  }

  /** Clears every voice and frees it, gates closed; dates restart. */
  protected resetVoices(): void {
    const size = this.layout.dspSize;
    for (let v = 0; v < this.voices; v++) {
      this.voice.instanceClear(v * size);
      this.note[v] = FREE_VOICE;
      this.nextNote[v] = -1;
      this.date[v] = 0;
      this.releaseLeft[v] = 0;
    }
    for (const zone of this.layout.voiceControls.gate) {
      for (let v = 0; v < this.voices; v++) this.voice.setParamValue(v * size, zone, 0);
    }
    this.date0 = 0;
  }

  midi(status: number, data1: number, data2: number): void {
    const command = status >> 4;
    const channel = status & 0x0f;
    if (command === 0x8 || (command === 0x9 && data2 === 0)) this.keyOff(data1);
    else if (command === 0x9) this.keyOn(data1, data2);
    else if (command === 0xb) {
      if (data1 === 120 || data1 === 123) this.allNotesOff();
      else this.controlChange(channel, data1, data2);
    } else if (command === 0xe) this.pitchWheel(channel, data2 * 128 + data1);
  }

  private keyOn(pitch: number, velocity: number): void {
    const voice = this.allocateVoice();
    if (voice < 0) return;
    if (this.note[voice] === LEGATO_VOICE) {
      this.nextNote[voice] = pitch;
      this.nextVelocity[voice] = velocity;
    } else {
      this.startNote(voice, pitch, velocity);
    }
  }

  /** faustwasm's FaustWebAudioDspVoice.keyOn (not legato). */
  private startNote(voice: number, pitch: number, velocity: number): void {
    const dsp = voice * this.layout.dspSize;
    const { freq, gate, gain, key, vel } = this.layout.voiceControls;
    const api = this.voice;
    for (let i = 0; i < freq.length; i++)
      api.setParamValue(dsp, freq[i] as number, 440.0 * 2 ** ((pitch - 69) / 12));
    for (let i = 0; i < gate.length; i++) api.setParamValue(dsp, gate[i] as number, 1);
    for (let i = 0; i < gain.length; i++) api.setParamValue(dsp, gain[i] as number, velocity / 127.0);
    for (let i = 0; i < key.length; i++) api.setParamValue(dsp, key[i] as number, pitch);
    for (let i = 0; i < vel.length; i++) api.setParamValue(dsp, vel[i] as number, velocity);
    this.note[voice] = pitch;
  }

  /** Starts the note a stolen voice was given, halfway through its hand-over. */
  protected startNextNote(voice: number): void {
    this.startNote(voice, this.nextNote[voice] as number, this.nextVelocity[voice] as number);
  }

  private releaseVoice(voice: number, hard: boolean): void {
    const dsp = voice * this.layout.dspSize;
    const gate = this.layout.voiceControls.gate;
    for (let i = 0; i < gate.length; i++) this.voice.setParamValue(dsp, gate[i] as number, 0);
    this.note[voice] = hard ? FREE_VOICE : RELEASE_VOICE;
    this.releaseLeft[voice] = hard ? 0 : this.releaseFrames;
  }

  private keyOff(pitch: number): void {
    // The oldest voice playing the pitch (or about to, after a hand-over).
    let found = -1;
    let oldest = Number.MAX_VALUE;
    for (let v = 0; v < this.voices; v++) {
      const note = this.note[v] as number;
      if (
        (note === pitch || (note === LEGATO_VOICE && this.nextNote[v] === pitch)) &&
        (this.date[v] as number) < oldest
      ) {
        oldest = this.date[v] as number;
        found = v;
      }
    }
    if (found >= 0) this.releaseVoice(found, false);
  }

  private allNotesOff(): void {
    for (let v = 0; v < this.voices; v++) this.releaseVoice(v, true);
  }

  /** faustwasm's getFreeVoice: the first free voice, else the oldest releasing, else the oldest playing. */
  private allocateVoice(): number {
    for (let v = 0; v < this.voices; v++) {
      if (this.note[v] === FREE_VOICE) return this.claim(v, 0);
    }
    let releasing = -1;
    let playing = -1;
    let oldestReleasing = Number.MAX_VALUE;
    let oldestPlaying = Number.MAX_VALUE;
    for (let v = 0; v < this.voices; v++) {
      const date = this.date[v] as number;
      if (this.note[v] === RELEASE_VOICE) {
        if (date < oldestReleasing) {
          oldestReleasing = date;
          releasing = v;
        }
      } else if (date < oldestPlaying) {
        oldestPlaying = date;
        playing = v;
      }
    }
    if (releasing >= 0) return this.claim(releasing, LEGATO_VOICE);
    if (playing >= 0) return this.claim(playing, LEGATO_VOICE);
    return -1;
  }

  private claim(voice: number, state: number): number {
    this.date[voice] = this.date0++;
    this.note[voice] = state;
    return voice;
  }
}
