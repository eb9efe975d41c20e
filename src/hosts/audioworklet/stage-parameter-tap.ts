/**
 * StageParameterTap (audio thread): the recorded parameters of a real-time WAM graph's stage, for a
 * live render's record_automation (live-render.ts). A stage's engine records the value each parameter
 * of a recorded node is handed on every frame it renders (its program's recordParams), but only for
 * its last render call, and a stage splits its quantum where its own commands land. So, as the
 * capture tap does for the primary (live-capture-tap.ts), this tap copies each piece as it is rendered
 * (RealtimeEngine.pieceTap) into one quantum's frames, at the piece's quantum offsets; the primary's
 * capture tap reads them at its quantum's end, after the stage rendered (the stages feed the primary,
 * so Web Audio renders them first in each quantum).
 *
 * Audio-path rules: buffers are made in message handlers (record()); piece() allocates nothing.
 */
import type { PieceTap } from "../../engine/realtime-engine";
import type { WasmEngine } from "../../engine/wasm-engine";

/** Frames of one quantum a buffer holds (frames of a larger quantum beyond it are not kept). */
const QUANTUM_FRAMES = 128;

interface RecordedStageNode {
  node: number;
  /** The quantum's values of each parameter, by quantum offset. */
  buffers: Float32Array[];
  /** The engine's parameter records (its last render call), refreshed when its memory moves. */
  views: Float32Array[];
}

export class StageParameterTap implements PieceTap {
  private readonly nodes: RecordedStageNode[] = [];
  private memory: ArrayBufferLike | null = null;

  constructor(readonly engine: WasmEngine) {}

  /**
   * Control: the quantum buffers of node `node`'s first `params` parameters (made once, then shared);
   * the node must record its parameters (its program's recordParams).
   */
  record(node: number, params: number): Float32Array[] {
    // Views first: a node the engine does not record throws here, before the tap keeps it.
    const views = Array.from({ length: params }, (_, p) => this.engine.parameterRecord(node, p));
    let entry = this.nodes.find((candidate) => candidate.node === node);
    if (entry === undefined) {
      entry = { node, buffers: [], views };
      this.nodes.push(entry);
    }
    while (entry.buffers.length < params) entry.buffers.push(new Float32Array(QUANTUM_FRAMES));
    this.refreshViews();
    return entry.buffers.slice(0, params);
  }

  /** Audio: copies the piece's parameter values to quantum offsets [offset, offset + frames). */
  piece(offset: number, frames: number): void {
    if (this.engine.exports.memory.buffer !== this.memory) this.refreshViews();
    const n = Math.min(frames, QUANTUM_FRAMES - offset);
    for (let e = 0; e < this.nodes.length; e++) {
      const entry = this.nodes[e] as RecordedStageNode;
      for (let p = 0; p < entry.views.length; p++) {
        const view = entry.views[p] as Float32Array;
        const buffer = entry.buffers[p] as Float32Array;
        for (let i = 0; i < n; i++) buffer[offset + i] = view[i] as number;
      }
    }
  }

  /** Control (and the guard above): views of the engine's parameter records. */
  private refreshViews(): void {
    this.memory = this.engine.exports.memory.buffer;
    for (const entry of this.nodes) {
      entry.views = entry.buffers.map((_, p) => this.engine.parameterRecord(entry.node, p));
    }
  }
}
