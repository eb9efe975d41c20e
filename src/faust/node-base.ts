/**
 * What the mono and poly Faust nodes share, as ExternalProcessor (src/engine/external-nodes.ts):
 * engine parameters written to their zones, `[midi:...]` bindings (control change, pitch bend, keys)
 * remapped as faustwasm does, meters read back from their zones, and prepare(), which lays out the
 * Faust memory once per sample rate and block size and points the DSP at its soundfiles. The nodes
 * supply where a zone lives (one DSP, every voice, the effect) and how they compute a block.
 */
import type { ExternalBlock, ExternalProcessor } from "../engine/external-nodes";
import type { FaustDspCode } from "./dsp-code";
import type { FaustHeap } from "./heap";
import type { FaustLayout, FaustMidiBinding } from "./layout";
import { type SoundfileAudio, writeSoundfiles } from "./soundfiles";

/** A hosted Faust DSP. */
export interface FaustNode extends ExternalProcessor {
  readonly layout: FaustLayout;
  /** The current value of meter `index` (FaustLayout.meters) — a bargraph, read after a block. */
  meterValue(index: number): number;
  /** Bytes of the node's own WebAssembly memory, outside engine.wasm. */
  wasmMemoryBytes(): number;
}

/** remap as faustwasm's FaustBaseWebAudioDsp.remap. */
function remap(value: number, min0: number, max0: number, min1: number, max1: number): number {
  return ((value - min0) / (max0 - min0)) * (max1 - min1) + min1;
}

/** What mono and poly share: parameters, MIDI mappings and meters written to zones. */
export abstract class FaustNodeBase implements FaustNode {
  readonly layout: FaustLayout;
  protected readonly soundfiles: SoundfileAudio;
  protected heap!: FaustHeap;
  private preparedFor = "";
  /** Address of each soundfile's struct, in layout.soundfiles order. */
  private soundfileStructs: number[] = [];
  /** MIDI bindings by kind, so a message scans only its own. */
  private readonly ctrlBindings: FaustMidiBinding[];
  private readonly pitchwheelBindings: FaustMidiBinding[];
  private readonly keyBindings: FaustMidiBinding[];
  /** The last value the engine set for each parameter (NaN: never set), for reapplyParams(). */
  private readonly paramValues: Float64Array;

  constructor(code: FaustDspCode, soundfiles: SoundfileAudio) {
    this.layout = code.layout;
    this.paramValues = new Float64Array(code.layout.params.length).fill(Number.NaN);
    this.soundfiles = soundfiles;
    this.ctrlBindings = code.layout.midi.filter((b) => b.kind === "ctrl");
    this.pitchwheelBindings = code.layout.midi.filter((b) => b.kind === "pitchwheel");
    this.keyBindings = code.layout.midi.filter(
      (b) => b.kind === "key" || b.kind === "keyon" || b.kind === "keyoff",
    );
  }

  /**
   * Bytes of this node's own WebAssembly memory (outside engine.wasm): what the node really holds,
   * against faustMemoryBytes' estimate (bench/memory.ts reads both).
   */
  wasmMemoryBytes(): number {
    return this.heap.memory.buffer.byteLength;
  }

  /** Writes a zone of one binding target. */
  protected abstract writeZone(target: number, zone: number, value: number): void;
  protected abstract readZone(target: number, zone: number): number;
  /** Lays out the pointer tables and buffers for blocks of up to `maxBlock`; returns their end. */
  protected abstract layOut(maxBlock: number): number;
  /** Struct addresses a binding target covers (for soundfile pointers). */
  protected abstract structs(target: number): number[];
  protected abstract initDsp(sampleRate: number): void;
  abstract reset(): void;
  abstract process(block: ExternalBlock): void;
  abstract midi(status: number, data1: number, data2: number): void;

  prepare(sampleRate: number, maxBlock: number, _numInputs: number): void {
    // The engine prepares every node once per pass while settling channel counts; one layout does.
    const key = `${sampleRate}/${maxBlock}`;
    if (key !== this.preparedFor) {
      const end = this.layOut(maxBlock);
      this.soundfileStructs =
        this.layout.soundfiles.length > 0
          ? writeSoundfiles(this.heap, end, this.layout, this.soundfiles, sampleRate)
          : [];
      this.preparedFor = key;
    }
    // init() resets the controls to their defaults; the engine sends every parameter after prepare.
    this.initDsp(sampleRate);
    const i32 = this.heap.i32;
    this.layout.soundfiles.forEach((binding, index) => {
      for (const dsp of this.structs(binding.target)) {
        i32[(dsp + binding.zone) >> 2] = this.soundfileStructs[index] as number;
      }
    });
  }

  setParam(index: number, value: number): void {
    const binding = this.layout.params[index];
    if (binding === undefined) return;
    this.paramValues[index] = value;
    const values = binding.values;
    this.writeZone(binding.target, binding.zone, values === null ? value : (values[value] ?? value));
  }

  /** Writes again every parameter the engine has set, over what a reset wrote into the controls. */
  protected reapplyParams(): void {
    for (let index = 0; index < this.paramValues.length; index++) {
      const value = this.paramValues[index] as number;
      if (!Number.isNaN(value)) this.setParam(index, value);
    }
  }

  meterValue(index: number): number {
    const meter = this.layout.meters[index];
    return meter === undefined ? 0 : this.readZone(meter.target, meter.zone);
  }

  /** A control change through `[midi:ctrl N]` bindings. */
  protected controlChange(channel: number, controller: number, value: number): void {
    const bindings = this.ctrlBindings;
    for (let i = 0; i < bindings.length; i++) {
      const b = bindings[i] as FaustMidiBinding;
      if (b.number === controller && (b.channel === 0 || b.channel - 1 === channel)) {
        this.writeZone(b.target, b.zone, remap(value, 0, 127, b.min, b.max));
      }
    }
  }

  /** A pitch bend (0..16383) through `[midi:pitchwheel]` bindings. */
  protected pitchWheel(channel: number, wheel: number): void {
    const bindings = this.pitchwheelBindings;
    for (let i = 0; i < bindings.length; i++) {
      const b = bindings[i] as FaustMidiBinding;
      if (b.channel === 0 || b.channel - 1 === channel) {
        this.writeZone(b.target, b.zone, remap(wheel, 0, 16383, b.min, b.max));
      }
    }
  }

  /** A note through `[midi:key N]`, `[midi:keyon N]` and `[midi:keyoff N]` bindings (mono DSPs). */
  protected keyBinding(channel: number, note: number, velocity: number, on: boolean): void {
    const bindings = this.keyBindings;
    for (let i = 0; i < bindings.length; i++) {
      const b = bindings[i] as FaustMidiBinding;
      if (b.number !== note || !(b.channel === 0 || b.channel - 1 === channel)) continue;
      if (b.kind === "key") this.writeZone(b.target, b.zone, on ? remap(velocity, 0, 127, b.min, b.max) : 0);
      else if ((b.kind === "keyon") === on)
        this.writeZone(b.target, b.zone, remap(velocity, 0, 127, b.min, b.max));
    }
  }
}
