/**
 * Faust DSP hosted in the engine's graph: an ExternalProcessor (src/engine/external-nodes.ts) around
 * the WebAssembly modules libfaust compiled, instantiated on the thread that renders (AudioWorklet,
 * Worker, Node) beside engine.wasm. The engine calls process() once per (sub-)block, split at every
 * parameter change and MIDI event of the node, so controls and notes land on their exact frame.
 *
 * Faust memory (one WebAssembly.Memory per node; offsets in bytes):
 *   mono:  [DSP struct @0][input ptr table][output ptr table][input buffers][output buffers][soundfiles]
 *   poly:  [voice 0 .. voice V-1][effect][ptr tables: in, out, mix, handover][buffers: in, out, mix,
 *          handover per voice][soundfiles]
 * The mono module owns and exports its memory, except with soundfiles (it then imports one, as in
 * faustwasm); poly voices, the effect and faustwasm's mixer share one imported memory. Pointer tables
 * hold Int32 byte addresses, one per channel, as the Faust wasm backend reads them.
 *
 * Each block is copied in from the engine's memory, computed, and copied out, with index loops over
 * views made in prepare(): process(), setParam() and midi() allocate nothing.
 *
 * Polyphony follows faustwasm 0.18.4's FaustPolyWebAudioDsp, so that a render matches its offline
 * processor: the same voice allocation (first free voice, else steal the oldest releasing voice, else
 * the oldest playing one), the freq/gate/gain/key/vel controls, faustwasm's mixer, the `effect` in
 * place on the mix, CC 120/123 as all-notes-off. faustwasm renders in 128-frame quanta, frees a
 * released voice when its level over a quantum falls below -90 dB, and hands a stolen voice over
 * within one quantum (old note faded out over 64 frames, new note faded in over the next 64). This
 * node does both on a fixed 128-frame grid counted from reset(), whatever the engine's block size, so
 * it renders the same samples at any block size; a steal starts its hand-over on the note's frame.
 */
import type { ExternalBlock, ExternalProcessor } from "../engine/external-nodes";
import type { FaustDspCode } from "./dsp-code";
import {
  type FaustLayout,
  type FaustMidiBinding,
  MAX_SOUNDFILE_PARTS,
  TARGET_ALL,
  TARGET_EFFECT,
} from "./layout";

/** Audio for one part of a soundfile, planar. */
export interface SoundfilePart {
  channels: Float32Array[];
  sampleRate: number;
}

/** Audio for the soundfiles of a DSP: by soundfile label, parts by index (missing parts are silent). */
export type SoundfileAudio = ReadonlyMap<string, readonly (SoundfilePart | undefined)[]>;

export type { FaustDspCode } from "./dsp-code";

/** Largest block computed in one call of a mono DSP; longer engine blocks are computed in pieces. */
const MAX_MONO_CHUNK = 4096;
/** faustwasm's render quantum: the grid of voice release checks and the length of a steal hand-over. */
export const VOICE_PERIOD_FRAMES = 128;
/** A releasing voice is free once its RMS level over a period falls below this (-90 dB, as faustwasm). */
const VOICE_STOP_LEVEL = 0.00003162;
const FREE_VOICE = -1;
const RELEASE_VOICE = -2;
const LEGATO_VOICE = -3;
/** faustwasm's Soundfile constants. */
const SOUNDFILE_MAX_CHANNELS = 64;
const SOUNDFILE_EMPTY_FRAMES = 1024;
const SOUNDFILE_EMPTY_RATE = 44100;
const PAGE = 65536;

interface FaustDspExports {
  compute(dsp: number, count: number, inputs: number, outputs: number): void;
  init(dsp: number, sampleRate: number): void;
  instanceClear(dsp: number): void;
  setParamValue(dsp: number, zone: number, value: number): void;
  getParamValue(dsp: number, zone: number): number;
  memory?: WebAssembly.Memory;
}

interface FaustMixerExports {
  clearOutput(count: number, channels: number, outputs: number): void;
  mixCheckVoice(count: number, channels: number, inputs: number, outputs: number): number;
  fadeOut(count: number, channels: number, outputs: number): void;
}

/**
 * The math functions Faust modules import, exactly as faustwasm's FaustWasmInstantiator supplies
 * them (same results, so the same samples).
 */
function faustImports(memory: WebAssembly.Memory | undefined): WebAssembly.Imports {
  const fmod = (x: number, y: number) => x % y;
  const remainder = (x: number, y: number) => x - Math.round(x / y) * y;
  const isinf = (x: number) => !Number.isFinite(x);
  const copysign = (x: number, y: number) => (Math.sign(x) === Math.sign(y) ? x : -x);
  const env: Record<string, unknown> = {
    memory: memory ?? new WebAssembly.Memory({ initial: 1 }),
    memoryBase: 0,
    tableBase: 0,
    _abs: Math.abs,
    table: new WebAssembly.Table({ initial: 0, element: "anyfunc" }),
  };
  const unary = {
    acos: Math.acos,
    asin: Math.asin,
    atan: Math.atan,
    ceil: Math.ceil,
    cos: Math.cos,
    exp: Math.exp,
    floor: Math.floor,
    log: Math.log,
    log10: Math.log10,
    round: Math.round,
    sin: Math.sin,
    sqrt: Math.sqrt,
    tan: Math.tan,
    acosh: Math.acosh,
    asinh: Math.asinh,
    atanh: Math.atanh,
    cosh: Math.cosh,
    sinh: Math.sinh,
    tanh: Math.tanh,
    isnan: Number.isNaN,
    isinf,
    atan2: Math.atan2,
    fmod,
    pow: Math.pow,
    remainder,
    copysign,
  };
  for (const [name, fn] of Object.entries(unary)) {
    env[`_${name}`] = fn;
    env[`_${name}f`] = fn;
  }
  env._max_ = Math.max;
  env._min_ = Math.min;
  env._max_f = Math.max;
  env._min_f = Math.min;
  return { env: env as WebAssembly.ModuleImports };
}

function importsMemory(module: WebAssembly.Module): boolean {
  return WebAssembly.Module.imports(module).some((entry) => entry.kind === "memory");
}

/** Pages for a Faust memory of `bytes`: at least 2, the minimum faustwasm's mixer module declares. */
function initialPages(bytes: number): number {
  return Math.max(2, Math.ceil(bytes / PAGE));
}

function align(bytes: number, to = 16): number {
  return Math.ceil(bytes / to) * to;
}

/** Views of a Faust memory, rebuilt when it grows. */
class FaustHeap {
  f32 = new Float32Array(0);
  f64 = new Float64Array(0);
  i32 = new Int32Array(0);

  constructor(readonly memory: WebAssembly.Memory) {
    this.refresh();
  }

  /** Control: grows the memory to hold `bytes` bytes. */
  ensure(bytes: number): void {
    const missing = bytes - this.memory.buffer.byteLength;
    if (missing > 0) this.memory.grow(Math.ceil(missing / PAGE));
    this.refresh();
  }

  refresh(): void {
    if (this.i32.buffer === this.memory.buffer) return;
    this.f32 = new Float32Array(this.memory.buffer);
    this.f64 = new Float64Array(this.memory.buffer);
    this.i32 = new Int32Array(this.memory.buffer);
  }
}

/** Linear resampling of one part to the engine's rate (soundfiles are read at the engine's rate). */
function atRate(part: SoundfilePart, sampleRate: number): Float32Array[] {
  if (part.sampleRate === sampleRate) return part.channels;
  const ratio = part.sampleRate / sampleRate;
  return part.channels.map((channel) => {
    const length = Math.max(1, Math.round(channel.length / ratio));
    const out = new Float32Array(length);
    for (let i = 0; i < length; i++) {
      const position = i * ratio;
      const index = Math.floor(position);
      const a = channel[Math.min(index, channel.length - 1)] ?? 0;
      const b = channel[Math.min(index + 1, channel.length - 1)] ?? 0;
      out[i] = a + (b - a) * (position - index);
    }
    return out;
  });
}

/**
 * Writes the Faust Soundfile structures of a DSP at `start`, in faustwasm's Soundfile layout: four
 * pointers (to the channel pointers, lengths, rates and offsets), 256 parts (parts without audio are
 * 1024 silent frames at 44100 Hz, as faustwasm fills them), 64 channel pointers (channels beyond the
 * audio's reuse its channels), then the samples, parts end to end. Grows the memory as needed and
 * returns each soundfile's struct address, in layout.soundfiles order.
 */
function writeSoundfiles(
  heap: FaustHeap,
  start: number,
  layout: FaustLayout,
  audio: SoundfileAudio,
  sampleRate: number,
): number[] {
  const intSize = layout.sampleSize;
  const sampleSize = layout.sampleSize;
  const plans = layout.soundfiles.map((binding) => {
    const given = audio.get(binding.label) ?? [];
    const parts: (Float32Array[] | null)[] = [];
    for (let part = 0; part < MAX_SOUNDFILE_PARTS; part++) {
      const source = given[part];
      parts.push(source === undefined ? null : atRate(source, sampleRate));
    }
    let channels = 1;
    let total = 0;
    for (const part of parts) {
      channels = Math.max(channels, part?.length ?? 1);
      total += part === null ? SOUNDFILE_EMPTY_FRAMES : (part[0]?.length ?? 0);
    }
    return { parts, channels, total };
  });
  const structs: number[] = [];
  let at = start;
  for (const plan of plans) {
    const struct = align(at);
    structs.push(struct);
    const data = align(struct + 16 + 3 * MAX_SOUNDFILE_PARTS * intSize + SOUNDFILE_MAX_CHANNELS * 4);
    at = data + plan.channels * plan.total * sampleSize;
  }
  heap.ensure(at);
  const { i32, f32, f64 } = heap;
  const view = sampleSize === 8 ? f64 : f32;
  plans.forEach(({ parts, channels, total }, index) => {
    const struct = structs[index] as number;
    const lengths = struct + 16;
    const rates = lengths + MAX_SOUNDFILE_PARTS * intSize;
    const offsets = rates + MAX_SOUNDFILE_PARTS * intSize;
    const buffers = offsets + MAX_SOUNDFILE_PARTS * intSize;
    const data = align(buffers + SOUNDFILE_MAX_CHANNELS * 4);
    i32[struct >> 2] = buffers;
    i32[(struct >> 2) + 1] = lengths;
    i32[(struct >> 2) + 2] = rates;
    i32[(struct >> 2) + 3] = offsets;
    for (let c = 0; c < SOUNDFILE_MAX_CHANNELS; c++) {
      i32[(buffers >> 2) + c] = data + (c % channels) * total * sampleSize;
    }
    // -double code reads these as 64-bit integers (little-endian: low word first).
    const writeInt = (base: number, part: number, value: number) => {
      const word = (base >> 2) + (intSize === 8 ? part * 2 : part);
      i32[word] = value;
      if (intSize === 8) i32[word + 1] = 0;
    };
    let offset = 0;
    parts.forEach((part, partIndex) => {
      const frames = part === null ? SOUNDFILE_EMPTY_FRAMES : (part[0]?.length ?? 0);
      writeInt(lengths, partIndex, frames);
      writeInt(rates, partIndex, part === null ? SOUNDFILE_EMPTY_RATE : sampleRate);
      writeInt(offsets, partIndex, offset);
      for (let c = 0; c < channels; c++) {
        const first = (data + c * total * sampleSize) / sampleSize + offset;
        const channel = part?.[c];
        if (channel === undefined) view.fill(0, first, first + frames);
        else view.set(channel, first);
      }
      offset += frames;
    });
  });
  return structs;
}

/** remap as faustwasm's FaustBaseWebAudioDsp.remap. */
function remap(value: number, min0: number, max0: number, min1: number, max1: number): number {
  return ((value - min0) / (max0 - min0)) * (max1 - min1) + min1;
}

/** A hosted Faust DSP. */
export interface FaustNode extends ExternalProcessor {
  readonly layout: FaustLayout;
  /** The current value of meter `index` (FaustLayout.meters) — a bargraph, read after a block. */
  meterValue(index: number): number;
}

/**
 * Instantiates a compiled DSP for one graph node (control thread: it instantiates WebAssembly).
 * @example
 * const node = createFaustNode(compiled);
 * engine.addExternalNode(node, compiled.layout.numOutputs, compiled.layout.params);
 */
export function createFaustNode(code: FaustDspCode, soundfiles: SoundfileAudio = new Map()): FaustNode {
  return code.layout.voices > 0 ? new FaustPolyNode(code, soundfiles) : new FaustMonoNode(code, soundfiles);
}

/** What mono and poly share: parameters, MIDI mappings and meters written to zones. */
abstract class FaustNodeBase implements FaustNode {
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

  constructor(code: FaustDspCode, soundfiles: SoundfileAudio) {
    this.layout = code.layout;
    this.soundfiles = soundfiles;
    this.ctrlBindings = code.layout.midi.filter((b) => b.kind === "ctrl");
    this.pitchwheelBindings = code.layout.midi.filter((b) => b.kind === "pitchwheel");
    this.keyBindings = code.layout.midi.filter(
      (b) => b.kind === "key" || b.kind === "keyon" || b.kind === "keyoff",
    );
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
    const values = binding.values;
    this.writeZone(binding.target, binding.zone, values === null ? value : (values[value] ?? value));
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

/** A mono DSP (also an effect: any number of inputs). */
class FaustMonoNode extends FaustNodeBase {
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
    const instance = new WebAssembly.Instance(code.dsp.module, faustImports(imported));
    this.dsp = instance.exports as unknown as FaustDspExports;
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

/** A polyphonic DSP: voices, faustwasm's mixer, and the optional `effect` in place on the mix. */
class FaustPolyNode extends FaustNodeBase {
  private readonly voice: FaustDspExports;
  private readonly effect: FaustDspExports | null;
  private readonly mixer: FaustMixerExports;
  private readonly voices: number;
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
  // Voice state, as faustwasm's FaustWebAudioDspVoice.
  private readonly note: Int32Array;
  private readonly nextNote: Int32Array;
  private readonly nextVelocity: Int32Array;
  private readonly date: Float64Array;
  private date0 = 0;
  /** Sum of squares mixed by each voice in the current period (times 1 / channels). */
  private readonly energy: Float64Array;
  /** Frames of its hand-over a stolen voice has played, or -1. */
  private readonly handover: Int32Array;
  private readonly mixedByHandover: Uint8Array;
  private periodPosition = 0;

  constructor(code: FaustDspCode, soundfiles: SoundfileAudio) {
    super(code, soundfiles);
    const { layout } = code;
    this.voices = layout.voices;
    this.channels = layout.numOutputs;
    this.effectDsp = layout.dspSize * this.voices;
    const memory = new WebAssembly.Memory({ initial: initialPages(this.memoryBytes()) });
    this.heap = new FaustHeap(memory);
    this.voice = new WebAssembly.Instance(code.dsp.module, faustImports(memory))
      .exports as unknown as FaustDspExports;
    this.effect =
      code.effect === null
        ? null
        : (new WebAssembly.Instance(code.effect.module, faustImports(memory))
            .exports as unknown as FaustDspExports);
    if (code.mixer === null) throw new Error("a polyphonic Faust DSP needs faustwasm's mixer module");
    this.mixer = new WebAssembly.Instance(code.mixer, {
      imports: { print: () => {} },
      memory: { memory },
    }).exports as unknown as FaustMixerExports;
    this.inputBase = new Int32Array(layout.numInputs);
    this.outputBase = new Int32Array(this.channels);
    this.handoverBase = new Int32Array(this.voices * this.channels);
    this.note = new Int32Array(this.voices).fill(FREE_VOICE);
    this.nextNote = new Int32Array(this.voices).fill(-1);
    this.nextVelocity = new Int32Array(this.voices).fill(-1);
    this.date = new Float64Array(this.voices);
    this.energy = new Float64Array(this.voices);
    this.handover = new Int32Array(this.voices).fill(-1);
    this.mixedByHandover = new Uint8Array(this.voices);
    this.layOut();
  }

  /** Bytes of structs, tables and buffers (soundfiles come after). */
  private memoryBytes(): number {
    const { numInputs, sampleSize, effectSize } = this.layout;
    const tables = align(this.effectDsp + effectSize) + (numInputs + 3 * this.channels) * 4;
    const buffers = (numInputs + this.channels * (2 + this.voices)) * VOICE_PERIOD_FRAMES * sampleSize;
    return align(tables) + buffers;
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
    this.heap.ensure(this.memoryBytes());
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
    for (let v = 0; v < this.voices; v++) this.voice.init(v * this.layout.dspSize, sampleRate);
    this.effect?.init(this.effectDsp, sampleRate);
  }

  reset(): void {
    const size = this.layout.dspSize;
    for (let v = 0; v < this.voices; v++) {
      this.voice.instanceClear(v * size);
      this.note[v] = FREE_VOICE;
      this.nextNote[v] = -1;
      this.handover[v] = -1;
      this.energy[v] = 0;
      this.date[v] = 0;
    }
    for (const zone of this.layout.voiceControls.gate) {
      for (let v = 0; v < this.voices; v++) this.voice.setParamValue(v * size, zone, 0);
    }
    this.effect?.instanceClear(this.effectDsp);
    this.date0 = 0;
    this.periodPosition = 0;
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

  private releaseVoice(voice: number, hard: boolean): void {
    const dsp = voice * this.layout.dspSize;
    const gate = this.layout.voiceControls.gate;
    for (let i = 0; i < gate.length; i++) this.voice.setParamValue(dsp, gate[i] as number, 0);
    this.note[voice] = hard ? FREE_VOICE : RELEASE_VOICE;
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
      if (this.note[v] === FREE_VOICE) continue;
      this.voice.compute(v * size, n, this.inputTable, this.mixTable);
      const level = mixer.mixCheckVoice(n, channels, this.mixTable, this.outputTable);
      this.energy[v] = (this.energy[v] as number) + level * level * n;
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
    this.startNote(voice, this.nextNote[voice] as number, this.nextVelocity[voice] as number);
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

  /** faustwasm frees, after each quantum, the releasing voices that fell below -90 dB in it. */
  private endPeriod(): void {
    for (let v = 0; v < this.voices; v++) {
      if (
        this.note[v] === RELEASE_VOICE &&
        Math.sqrt((this.energy[v] as number) / VOICE_PERIOD_FRAMES) < VOICE_STOP_LEVEL
      ) {
        this.note[v] = FREE_VOICE;
      }
      this.energy[v] = 0;
    }
    this.periodPosition = 0;
  }
}
