/**
 * A mono Faust DSP hosted as a graph node: one DSP struct at address 0 of its memory, any number of
 * inputs (an effect) and outputs. Each engine block is copied in from the engine's memory, computed
 * in chunks of up to MAX_MONO_CHUNK frames, and copied out: index loops over views made in prepare(),
 * and whole chunks of 32-bit output copied with TypedArray.set, so process() allocates nothing.
 */
import type { ExternalBlock } from "../engine/external-nodes";
import type { FaustDspCode } from "./dsp-code";
import { align, FaustHeap, initialPages, PAGE } from "./heap";
import { type FaustDspExports, importsMemory, instantiateDsp } from "./instance";
import { FaustNodeBase } from "./node-base";
import type { SoundfileAudio } from "./soundfiles";

/** Largest block computed in one call of a mono DSP; longer engine blocks are computed in pieces. */
const MAX_MONO_CHUNK = 4096;

/** A mono DSP (also an effect: any number of inputs). */
export class FaustMonoNode extends FaustNodeBase {
  private readonly dsp: FaustDspExports;
  private inputTable = 0;
  private outputTable = 0;
  /** Sample index (not byte) of each Faust channel buffer. */
  private readonly inputBase: Int32Array;
  private readonly outputBase: Int32Array;
  private chunk = 0;
  /**
   * Views of the output buffers, one chunk long, for whole-chunk copies with TypedArray.set (a
   * memcpy, where an index loop is a bounds-checked load and store per sample). Built on the first
   * process() after the Faust memory last changed: allocation-free from then on.
   */
  private outputViews: Float32Array[] = [];

  constructor(code: FaustDspCode, soundfiles: SoundfileAudio) {
    super(code, soundfiles);
    const imported = importsMemory(code.dsp.module)
      ? new WebAssembly.Memory({ initial: initialPages(code.layout.dspSize + PAGE) })
      : undefined;
    this.dsp = instantiateDsp(code.dsp.module, imported);
    this.heap = new FaustHeap(imported ?? (this.dsp.memory as WebAssembly.Memory));
    this.inputBase = new Int32Array(code.layout.numInputs);
    this.outputBase = new Int32Array(code.layout.numOutputs);
  }

  protected layOut(maxBlock: number): number {
    const { numInputs, numOutputs, sampleSize, dspSize } = this.layout;
    this.chunk = Math.min(Math.max(1, maxBlock), MAX_MONO_CHUNK);
    this.inputTable = align(dspSize);
    this.outputTable = this.inputTable + numInputs * 4;
    let at = align(this.outputTable + numOutputs * 4);
    const bytes = this.chunk * sampleSize;
    const inputs: number[] = [];
    const outputs: number[] = [];
    for (let c = 0; c < numInputs; c++, at += bytes) inputs.push(at);
    for (let c = 0; c < numOutputs; c++, at += bytes) outputs.push(at);
    this.heap.ensure(at);
    const i32 = this.heap.i32;
    inputs.forEach((address, c) => {
      i32[(this.inputTable >> 2) + c] = address;
      this.inputBase[c] = address / sampleSize;
    });
    outputs.forEach((address, c) => {
      i32[(this.outputTable >> 2) + c] = address;
      this.outputBase[c] = address / sampleSize;
    });
    return at;
  }

  protected structs(): number[] {
    return [0];
  }

  private buildOutputViews(faust: Float32Array): void {
    this.outputViews = Array.from(
      this.outputBase,
      (base) => new Float32Array(faust.buffer, base * 4, this.chunk),
    );
  }

  protected initDsp(sampleRate: number): void {
    this.dsp.init(0, sampleRate);
  }

  reset(): void {
    this.dsp.instanceClear(0);
  }

  protected writeZone(_target: number, zone: number, value: number): void {
    this.dsp.setParamValue(0, zone, value);
  }

  protected readZone(_target: number, zone: number): number {
    return this.dsp.getParamValue(0, zone);
  }

  midi(status: number, data1: number, data2: number): void {
    const command = status >> 4;
    const channel = status & 0x0f;
    if (command === 0xb) this.controlChange(channel, data1, data2);
    else if (command === 0xe) this.pitchWheel(channel, data2 * 128 + data1);
    else if (command === 0x9 && data2 > 0) this.keyBinding(channel, data1, data2, true);
    else if (command === 0x8 || command === 0x9) this.keyBinding(channel, data1, data2, false);
  }

  process(block: ExternalBlock): void {
    const engine = block.heapF32;
    const faust = this.layout.sampleSize === 8 ? this.heap.f64 : this.heap.f32;
    const numInputs = this.inputBase.length;
    const numOutputs = Math.min(this.outputBase.length, block.numOutputs);
    const frames = block.frames;
    for (let done = 0; done < frames; ) {
      const n = Math.min(frames - done, this.chunk);
      for (let c = 0; c < numInputs; c++) {
        const to = this.inputBase[c] as number;
        if (c < block.numInputs) {
          const from = (block.inputAddress(c) >> 2) + done;
          for (let i = 0; i < n; i++) faust[to + i] = engine[from + i] as number;
        } else {
          for (let i = 0; i < n; i++) faust[to + i] = 0;
        }
      }
      this.dsp.compute(0, n, this.inputTable, this.outputTable);
      const whole = n === this.chunk && faust instanceof Float32Array;
      if (whole && this.outputViews[0]?.buffer !== faust.buffer) this.buildOutputViews(faust as Float32Array);
      for (let c = 0; c < numOutputs; c++) {
        const to = (block.outputAddress(c) >> 2) + done;
        if (whole) {
          engine.set(this.outputViews[c] as Float32Array, to);
          continue;
        }
        const from = this.outputBase[c] as number;
        for (let i = 0; i < n; i++) engine[to + i] = faust[from + i] as number;
      }
      done += n;
    }
  }
}
