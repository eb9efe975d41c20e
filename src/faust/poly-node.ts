/**
 * A polyphonic Faust DSP hosted as a graph node: its voices (allocated in poly-voices.ts), faustwasm's
 * mixer, and the optional `effect` computing in place on the mix, all in one shared memory.
 *
 * Rendering follows faustwasm 0.18.4's FaustPolyWebAudioDsp, so that a render matches its offline
 * processor: faustwasm's mixer sums the voices, the `effect` computes in place on the mix. faustwasm
 * renders in 128-frame quanta, frees a released voice when its level over a quantum falls below
 * -90 dB, and hands a stolen voice over within one quantum (old note faded out over 64 frames, new
 * note faded in over the next 64). This node does both on a fixed 128-frame grid counted from reset(),
 * whatever the engine's block size, so it renders the same samples at any block size; a steal starts
 * its hand-over on the note's frame.
 *
 * Two options of DawDreamer's FaustProcessor (Faust's mydsp_poly) change that: `releaseSeconds` keeps
 * a released voice from being freed before that time has passed (a tail that falls quiet and comes
 * back, e.g. an echo inside the voice, is not cut; default 0, as faustwasm), and `dynamicVoices`
 * false computes every voice in every block, free or not (DawDreamer's dynamic_voices=False, for
 * voices played through their own parameters rather than MIDI).
 */
import type { ExternalBlock } from "../engine/external-nodes";
import type { FaustDspCode } from "./dsp-code";
import { align, FaustHeap, initialPages } from "./heap";
import { type FaustDspExports, type FaustMixerExports, instantiateDsp, instantiateMixer } from "./instance";
import { type FaustLayout, TARGET_ALL, TARGET_EFFECT } from "./layout";
import { FaustPolyVoices, FREE_VOICE, LEGATO_VOICE, RELEASE_VOICE } from "./poly-voices";
import type { SoundfileAudio } from "./soundfiles";

/** faustwasm's render quantum: the grid of voice release checks and the length of a steal hand-over. */
export const VOICE_PERIOD_FRAMES = 128;
/** A releasing voice is free once its RMS level over a period falls below this (-90 dB, as faustwasm). */
const VOICE_STOP_LEVEL = 0.00003162;

/** Bytes of a poly node's structs, tables and buffers (soundfiles come after). */
function memoryBytes(layout: FaustLayout): number {
  const { numInputs, numOutputs: channels, sampleSize, effectSize, voices } = layout;
  const tables = align(layout.dspSize * voices + effectSize) + (numInputs + 3 * channels) * 4;
  const buffers = (numInputs + channels * (2 + voices)) * VOICE_PERIOD_FRAMES * sampleSize;
  return align(tables) + buffers;
}

/** A polyphonic DSP: voices, faustwasm's mixer, and the optional `effect` in place on the mix. */
export class FaustPolyNode extends FaustPolyVoices {
  private readonly effect: FaustDspExports | null;
  private readonly mixer: FaustMixerExports;
  private readonly effectDsp: number;
  private readonly channels: number;
  // Pointer tables (byte addresses) and buffer starts (sample indices).
  private inputTable = 0;
  private outputTable = 0;
  private mixTable = 0;
  private handoverTable = 0;
  private readonly inputBase: Int32Array;
  private readonly outputBase: Int32Array;
  /** Byte address of voice v's hand-over buffer for channel c: handoverBase[v * channels + c]. */
  private readonly handoverBase: Int32Array;
  /** Sum of squares mixed by each voice in the current period (times 1 / channels). */
  private readonly energy: Float64Array;
  /** Frames of its hand-over a stolen voice has played, or -1. */
  private readonly handover: Int32Array;
  private readonly mixedByHandover: Uint8Array;
  private periodPosition = 0;

  constructor(code: FaustDspCode, soundfiles: SoundfileAudio) {
    const { layout } = code;
    const memory = new WebAssembly.Memory({ initial: initialPages(memoryBytes(layout)) });
    super(code, soundfiles, instantiateDsp(code.dsp.module, memory));
    this.channels = layout.numOutputs;
    this.effectDsp = layout.dspSize * this.voices;
    this.heap = new FaustHeap(memory);
    this.effect = code.effect === null ? null : instantiateDsp(code.effect.module, memory);
    if (code.mixer === null) throw new Error("a polyphonic Faust DSP needs faustwasm's mixer module");
    this.mixer = instantiateMixer(code.mixer, memory);
    this.inputBase = new Int32Array(layout.numInputs);
    this.outputBase = new Int32Array(this.channels);
    this.handoverBase = new Int32Array(this.voices * this.channels);
    this.energy = new Float64Array(this.voices);
    this.handover = new Int32Array(this.voices).fill(-1);
    this.mixedByHandover = new Uint8Array(this.voices);
    this.layOut();
  }

  protected layOut(): number {
    const { numInputs, sampleSize } = this.layout;
    const channels = this.channels;
    this.inputTable = align(this.effectDsp + this.layout.effectSize);
    this.outputTable = this.inputTable + numInputs * 4;
    this.mixTable = this.outputTable + channels * 4;
    this.handoverTable = this.mixTable + channels * 4;
    let at = align(this.handoverTable + channels * 4);
    const bytes = VOICE_PERIOD_FRAMES * sampleSize;
    this.heap.ensure(memoryBytes(this.layout));
    const i32 = this.heap.i32;
    for (let c = 0; c < numInputs; c++, at += bytes) {
      i32[(this.inputTable >> 2) + c] = at;
      this.inputBase[c] = at / sampleSize;
    }
    for (let c = 0; c < channels; c++, at += bytes) {
      i32[(this.outputTable >> 2) + c] = at;
      this.outputBase[c] = at / sampleSize;
    }
    for (let c = 0; c < channels; c++, at += bytes) i32[(this.mixTable >> 2) + c] = at;
    for (let v = 0; v < this.voices; v++) {
      for (let c = 0; c < channels; c++, at += bytes) this.handoverBase[v * channels + c] = at;
    }
    return at;
  }

  protected structs(target: number): number[] {
    if (target === TARGET_EFFECT) return [this.effectDsp];
    return Array.from({ length: this.voices }, (_, v) => v * this.layout.dspSize);
  }

  protected initDsp(sampleRate: number): void {
    this.releaseFrames = Math.round(this.layout.releaseSeconds * sampleRate);
    for (let v = 0; v < this.voices; v++) this.voice.init(v * this.layout.dspSize, sampleRate);
    this.effect?.init(this.effectDsp, sampleRate);
  }

  reset(): void {
    this.resetVoices();
    this.handover.fill(-1);
    this.energy.fill(0);
    this.effect?.instanceClear(this.effectDsp);
    this.periodPosition = 0;
    // Voices that always compute have their freq, gate and gain as parameters: the reset closed the
    // gates of notes, not the ones the engine holds open.
    if (!this.layout.dynamicVoices) this.reapplyParams();
  }

  protected writeZone(target: number, zone: number, value: number): void {
    if (target === TARGET_EFFECT) {
      this.effect?.setParamValue(this.effectDsp, zone, value);
    } else if (target === TARGET_ALL) {
      const size = this.layout.dspSize;
      for (let v = 0; v < this.voices; v++) this.voice.setParamValue(v * size, zone, value);
    } else {
      this.voice.setParamValue(target * this.layout.dspSize, zone, value);
    }
  }

  protected readZone(target: number, zone: number): number {
    if (target === TARGET_EFFECT) return this.effect?.getParamValue(this.effectDsp, zone) ?? 0;
    return this.voice.getParamValue(Math.max(0, target) * this.layout.dspSize, zone);
  }

  process(block: ExternalBlock): void {
    const frames = block.frames;
    for (let done = 0; done < frames; ) {
      let n = Math.min(frames - done, VOICE_PERIOD_FRAMES - this.periodPosition);
      // A chunk ends where a hand-over ends, so the voice computes on its own from the next one.
      for (let v = 0; v < this.voices; v++) {
        const played = this.handover[v] as number;
        if (played >= 0) n = Math.min(n, VOICE_PERIOD_FRAMES - played);
      }
      this.renderChunk(block, done, n);
      done += n;
      this.periodPosition += n;
      if (this.periodPosition === VOICE_PERIOD_FRAMES) this.endPeriod();
    }
  }

  private renderChunk(block: ExternalBlock, offset: number, n: number): void {
    const engine = block.heapF32;
    const faust = this.layout.sampleSize === 8 ? this.heap.f64 : this.heap.f32;
    const i32 = this.heap.i32;
    const channels = this.channels;
    const mixer = this.mixer;
    const size = this.layout.dspSize;
    const sampleSize = this.layout.sampleSize;

    for (let c = 0; c < this.inputBase.length; c++) {
      const to = this.inputBase[c] as number;
      if (c < block.numInputs) {
        const from = (block.inputAddress(c) >> 2) + offset;
        for (let i = 0; i < n; i++) faust[to + i] = engine[from + i] as number;
      } else {
        for (let i = 0; i < n; i++) faust[to + i] = 0;
      }
    }
    for (let v = 0; v < this.voices; v++) {
      if (this.note[v] === LEGATO_VOICE && (this.handover[v] as number) < 0) this.renderHandover(v);
    }

    mixer.clearOutput(n, channels, this.outputTable);
    // Stolen voices first, then the others in voice order: faustwasm's summing order.
    for (let v = 0; v < this.voices; v++) {
      const played = this.handover[v] as number;
      if (played < 0) continue;
      for (let c = 0; c < channels; c++) {
        i32[(this.handoverTable >> 2) + c] =
          (this.handoverBase[v * channels + c] as number) + played * sampleSize;
      }
      const level = mixer.mixCheckVoice(n, channels, this.handoverTable, this.outputTable);
      this.energy[v] = (this.energy[v] as number) + level * level * n;
      this.handover[v] = played + n >= VOICE_PERIOD_FRAMES ? -1 : played + n;
      this.mixedByHandover[v] = 1;
    }
    for (let v = 0; v < this.voices; v++) {
      if (this.mixedByHandover[v] === 1) {
        this.mixedByHandover[v] = 0;
        continue;
      }
      const note = this.note[v] as number;
      if (note === FREE_VOICE && this.layout.dynamicVoices) continue;
      this.voice.compute(v * size, n, this.inputTable, this.mixTable);
      const level = mixer.mixCheckVoice(n, channels, this.mixTable, this.outputTable);
      this.energy[v] = (this.energy[v] as number) + level * level * n;
      if (note === RELEASE_VOICE) this.releaseLeft[v] = (this.releaseLeft[v] as number) - n;
    }
    this.effect?.compute(this.effectDsp, n, this.outputTable, this.outputTable);

    const outputs = Math.min(channels, block.numOutputs);
    for (let c = 0; c < outputs; c++) {
      const from = this.outputBase[c] as number;
      const to = (block.outputAddress(c) >> 2) + offset;
      for (let i = 0; i < n; i++) engine[to + i] = faust[from + i] as number;
    }
  }

  /**
   * faustwasm's computeLegato: the stolen voice releases its note over the first half of a period
   * (faded out by the mixer), then plays the new note over the second half (faded in), into its own
   * hand-over buffer, which the next chunks mix in as they go.
   */
  private renderHandover(voice: number): void {
    const channels = this.channels;
    const sampleSize = this.layout.sampleSize;
    const i32 = this.heap.i32;
    const half = VOICE_PERIOD_FRAMES >> 1;
    const rest = VOICE_PERIOD_FRAMES - half;
    const dsp = voice * this.layout.dspSize;
    const gate = this.layout.voiceControls.gate;
    for (let i = 0; i < gate.length; i++) this.voice.setParamValue(dsp, gate[i] as number, 0);
    const table = this.handoverTable >> 2;
    for (let c = 0; c < channels; c++) i32[table + c] = this.handoverBase[voice * channels + c] as number;
    this.voice.compute(dsp, half, this.inputTable, this.handoverTable);
    this.mixer.fadeOut(half, channels, this.handoverTable);
    this.startNextNote(voice);
    for (let c = 0; c < channels; c++)
      i32[table + c] = (this.handoverBase[voice * channels + c] as number) + half * sampleSize;
    this.voice.compute(dsp, rest, this.inputTable, this.handoverTable);
    const faust = sampleSize === 8 ? this.heap.f64 : this.heap.f32;
    for (let c = 0; c < channels; c++) {
      const start = ((this.handoverBase[voice * channels + c] as number) + half * sampleSize) / sampleSize;
      for (let i = 0; i < rest; i++) faust[start + i] = (faust[start + i] as number) * ((i + 1) / rest);
    }
    this.handover[voice] = 0;
  }

  /**
   * faustwasm frees, after each quantum, the releasing voices that fell below -90 dB in it; a voice
   * with release length left waits for it to pass first.
   */
  private endPeriod(): void {
    for (let v = 0; v < this.voices; v++) {
      if (
        this.note[v] === RELEASE_VOICE &&
        (this.releaseLeft[v] as number) <= 0 &&
        Math.sqrt((this.energy[v] as number) / VOICE_PERIOD_FRAMES) < VOICE_STOP_LEVEL
      ) {
        this.note[v] = FREE_VOICE;
      }
      this.energy[v] = 0;
    }
    this.periodPosition = 0;
  }
}
