/**
 * A Faust node's WebAssembly memory: its layout, its sizing, and the typed views the node reads and
 * writes it through. Apart so that the mono and poly nodes and the soundfile writer share one notion
 * of where things live and when views go stale.
 *
 * Faust memory (one WebAssembly.Memory per node; offsets in bytes):
 *   mono:  [DSP struct @0][input ptr table][output ptr table][input buffers][output buffers][soundfiles]
 *   poly:  [voice 0 .. voice V-1][effect][ptr tables: in, out, mix, handover][buffers: in, out, mix,
 *          handover per voice][soundfiles]
 * The mono module owns and exports its memory, except with soundfiles (it then imports one, as in
 * faustwasm); poly voices, the effect and faustwasm's mixer share one imported memory. Pointer tables
 * hold Int32 byte addresses, one per channel, as the Faust wasm backend reads them.
 */

import type { FaustLayout } from "./layout";
import type { SoundfilePart } from "./soundfiles";

export const PAGE = 65536;

/** Pages for a Faust memory of `bytes`: at least 2, the minimum faustwasm's mixer module declares. */
export function initialPages(bytes: number): number {
  return Math.max(2, Math.ceil(bytes / PAGE));
}

export function align(bytes: number, to = 16): number {
  return Math.ceil(bytes / to) * to;
}

/** Views of a Faust memory, rebuilt when it grows. */
export class FaustHeap {
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

/** The widest run of frames a Faust node lays out a buffer for (a mono node's largest chunk). */
const WIDEST_BUFFER_FRAMES = 4096;

/**
 * About how many bytes a Faust node's memory holds: its DSP structs (every voice, and the effect),
 * a buffer for each channel it reads, writes and mixes, at the widest a node lays out, and its
 * soundfile audio. That memory lives outside engine.wasm; a graph's memory estimate counts it
 * (ExternalNodeSpec.memoryBytes).
 * @example
 * const memoryBytes = faustMemoryBytes(layout, new Map()); // a DSP without soundfiles
 */
export function faustMemoryBytes(
  layout: FaustLayout,
  soundfiles: ReadonlyMap<string, readonly (SoundfilePart | undefined)[]>,
): number {
  const structs = layout.dspSize * Math.max(1, layout.voices) + layout.effectSize;
  const channels = layout.numInputs + layout.numOutputs * (layout.voices > 0 ? 2 + layout.voices : 1);
  let audio = 0;
  for (const parts of soundfiles.values()) {
    for (const part of parts) {
      for (const channel of part?.channels ?? []) audio += channel.length * layout.sampleSize;
    }
  }
  return align(structs) + channels * (4 + WIDEST_BUFFER_FRAMES * layout.sampleSize) + audio;
}
