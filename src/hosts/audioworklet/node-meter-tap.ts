/**
 * NodeMeterTap (audio thread): peak and RMS of chosen nodes' outputs (a DAW's track strips), measured
 * every quantum into one MeterBlock, two channels a node: node k is channels 2k (left) and 2k + 1
 * (right; a mono node's one channel is metered on both). The UI reads the block once per animation
 * frame, as it reads the output's meters: no message per quantum, shared memory when the page is
 * cross-origin isolated, the MessagePort block's batched snapshot otherwise (data-plane.ts).
 *
 * Which nodes: the program's `meters` (the graph's `extensions.meters`, by name; worklet-program.ts),
 * each compiled with `capture: true` so the engine keeps its output. Why per piece: a quantum split
 * where a command lands leaves only its last piece in the staging buffers (as for a live render's
 * capture, live-capture-tap.ts), so each piece is copied into the quantum's frames and the block
 * measures the whole quantum at its end. A quantum with no piece (a stopped transport) measures silence.
 *
 * Audio-path rules: built in a message handler (it allocates there, once per graph); piece() and
 * endQuantum() allocate nothing, take no lock and never wait.
 */
import type { MeterBlock } from "../../dataplane/meter-block";
import type { PieceTap } from "../../engine/realtime-engine";
import type { WasmEngine } from "../../engine/wasm-engine";

/** Frames of one quantum the tap holds (the Web Audio render quantum). */
const QUANTUM_FRAMES = 128;
/** Channels the block gives each node. */
export const METER_CHANNELS_PER_NODE = 2;
/** The most nodes a graph may meter (graph extensions.meters). */
export const MAX_METERED_NODES = 32;
/** Channels of the node meter block the real-time client makes: two for each node. */
export const NODE_METER_CHANNELS = METER_CHANNELS_PER_NODE * MAX_METERED_NODES;

/**
 * The most nodes a node meter block of `channels` channels meters.
 * @example
 * meteredNodeCapacity(64); // 32
 */
export function meteredNodeCapacity(channels: number): number {
  return Math.floor(channels / METER_CHANNELS_PER_NODE);
}

export class NodeMeterTap implements PieceTap {
  /** One quantum of each metered channel: node k's left is [2k], its right [2k + 1]. */
  private readonly quantum: Float32Array[];
  /** Staging views of each node's first one or two channels, and the memory they view. */
  private views: Float32Array[][] = [];
  private memory: ArrayBufferLike | null = null;

  /** Control: meters `nodes` (program indices, at most the block's capacity) of `engine`'s graph. */
  constructor(
    private readonly engine: WasmEngine,
    private readonly block: MeterBlock,
    private readonly nodes: readonly number[],
  ) {
    const capacity = meteredNodeCapacity(block.channels);
    if (nodes.length > capacity) {
      throw new Error(`the node meter block holds ${capacity} nodes; the graph meters ${nodes.length}`);
    }
    this.quantum = Array.from({ length: block.channels }, () => new Float32Array(QUANTUM_FRAMES));
    this.refreshViews();
  }

  /** Audio: copies the piece the engine just rendered at quantum offset `offset`. */
  piece(offset: number, frames: number): void {
    if (this.engine.exports.memory.buffer !== this.memory) this.refreshViews();
    const n = Math.min(frames, QUANTUM_FRAMES - offset);
    if (n <= 0) return;
    for (let k = 0; k < this.views.length; k++) {
      const channels = this.views[k] as Float32Array[];
      if (channels.length === 0) continue;
      const left = channels[0] as Float32Array;
      const right = (channels[1] ?? left) as Float32Array;
      (this.quantum[2 * k] as Float32Array).set(left.subarray(0, n), offset);
      (this.quantum[2 * k + 1] as Float32Array).set(right.subarray(0, n), offset);
    }
  }

  /** Audio, once per quantum after rendering: measures the quantum's `frames` frames, then clears them. */
  endQuantum(frames: number): void {
    this.block.measure(this.quantum, frames);
    for (let c = 0; c < this.nodes.length * METER_CHANNELS_PER_NODE; c++) {
      (this.quantum[c] as Float32Array).fill(0);
    }
  }

  /** Control (and the guard in piece): views of the staging buffers of each node's channels. */
  private refreshViews(): void {
    this.memory = this.engine.exports.memory.buffer;
    this.views = this.nodes.map((node) => {
      const channels = Math.min(METER_CHANNELS_PER_NODE, Math.max(0, this.engine.nodeOutputChannels(node)));
      return Array.from({ length: channels }, (_, c) => this.engine.captureChannel(node, c));
    });
  }
}
