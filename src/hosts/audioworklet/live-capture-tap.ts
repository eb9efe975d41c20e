/**
 * LiveCaptureTap (audio thread): what a live render (RenderRequest options.offline = false) records
 * while the worklet plays it: the graph's output and every node it was asked to capture, each with up
 * to the request's channel count of its own channels, into one ring, frame-interleaved (frame 0 of
 * every source's channels, then frame 1, ...). The engine Worker lays them out again
 * (live-capture-reader.ts) and maps them onto the request's channels as an offline render does.
 *
 * Why per piece: the engine's staging buffers hold only its last render call, and a quantum is split
 * where a command lands (RealtimeEngine.renderPiece), so the tap copies each piece as it is rendered
 * (RealtimeEngine.pieceTap) into one quantum's frames, and pushes them once at the quantum's end,
 * whole or not at all (a frame is never half in the ring). What the node plays after the engine (a
 * WAM graph's return, source PLAYED_OUTPUT) is read from the node's output at the quantum's end.
 *
 * Audio-path rules: constructed in a message handler (it allocates there, once); piece() and
 * endQuantum() allocate nothing, take no lock and never wait.
 */
import type { RingBell } from "../../dataplane/doorbell";
import type { DataRing } from "../../dataplane/spsc-ring";
import type { PieceTap } from "../../engine/realtime-engine";
import type { WasmEngine } from "../../engine/wasm-engine";

/** Source: the engine's output (its output node). */
export const ENGINE_OUTPUT = -1;
/** Source: what the AudioWorkletNode plays, engine and WAM return together (a real-time WAM graph). */
export const PLAYED_OUTPUT = -2;
/** Frames of one quantum the tap holds; frames a larger quantum renders beyond it count as lost. */
const QUANTUM_FRAMES = 128;

export interface LiveCaptureSpec {
  /** Program node indices, ENGINE_OUTPUT or PLAYED_OUTPUT, in the order the ring carries them. */
  sources: readonly number[];
  /** Frames to keep. */
  frames: number;
  /** Frames played and not kept first (the request's preroll). */
  skipFrames: number;
  /** The request's channel count: a source's channels beyond it are not carried. */
  maxChannels: number;
  /** Channels of PLAYED_OUTPUT (the node's output count). */
  playedChannels: number;
  /**
   * Recorded parameters carried after the sources' channels (a render's record_automation): each
   * node (its engine parameter record, WasmEngine.parameterRecord) with its parameter count.
   */
  parameterSources?: readonly { node: number; params: number; stage?: number }[];
  /**
   * A real-time WAM graph: the quantum buffers of a stage's recorded node (StageMember.recordParameters,
   * filled before the primary renders), for parameter sources with a stage; null: none (zeros).
   */
  stageParameters?: (stage: number, node: number, params: number) => Float32Array[] | null;
}

export class LiveCaptureTap implements PieceTap {
  /** Each source's channels in the ring's frames (0 for a node with no output). */
  readonly ownChannels: number[];
  /** Each source's engine node for its counts (the output's counts are node -1's). */
  readonly sourceNodes: number[];
  /** Frames kept so far; frames not kept because the ring was full (the capture then ends). */
  kept = 0;
  lost = 0;
  private readonly floatsPerFrame: number;
  /** Where each source's first channel sits in a frame. */
  private readonly slotBase: number[];
  private readonly quantum: Float32Array;
  /** Sources read at the quantum's end from quantum buffers (a stage's parameters), by first slot. */
  private readonly quantumSources: { base: number; buffers: Float32Array[] }[] = [];
  /** Staging views of each source's channels (empty for PLAYED_OUTPUT), and the memory they view. */
  private views: Float32Array[][] = [];
  private memory: ArrayBufferLike | null = null;
  private skipLeft: number;
  private left: number;
  /** Frames of the current quantum copied so far, and the quantum offset of the first. */
  private pending = 0;
  private firstOffset = -1;

  /** Control: sizes everything from the prepared graph of `engine`. */
  constructor(
    private readonly engine: WasmEngine,
    private readonly ring: DataRing<Float32Array>,
    private readonly bell: RingBell | null,
    private readonly spec: LiveCaptureSpec,
  ) {
    this.ownChannels = spec.sources.map((source) => {
      const channels =
        source === PLAYED_OUTPUT
          ? spec.playedChannels
          : source === ENGINE_OUTPUT
            ? engine.outputChannels
            : Math.max(0, engine.nodeOutputChannels(source));
      return Math.min(channels, spec.maxChannels);
    });
    this.sourceNodes = spec.sources.map((source) => Math.max(ENGINE_OUTPUT, source));
    // A recorded node's parameters ride as its "channels", whatever the request's channel count.
    for (const recorded of spec.parameterSources ?? []) this.ownChannels.push(recorded.params);
    this.slotBase = [];
    let slots = 0;
    for (const own of this.ownChannels) {
      this.slotBase.push(slots);
      slots += own;
    }
    this.floatsPerFrame = slots;
    const first = spec.sources.length;
    (spec.parameterSources ?? []).forEach((recorded, k) => {
      if (recorded.stage === undefined) return;
      const buffers =
        spec.stageParameters?.(recorded.stage, recorded.node, recorded.params) ??
        Array.from({ length: recorded.params }, () => new Float32Array(QUANTUM_FRAMES));
      this.quantumSources.push({ base: this.slotBase[first + k] as number, buffers });
    });
    this.quantum = new Float32Array(QUANTUM_FRAMES * Math.max(1, slots));
    this.skipLeft = spec.skipFrames;
    this.left = spec.frames;
    this.refreshViews();
  }

  /** True once every frame is kept (or counted lost). */
  get done(): boolean {
    return this.left === 0 && this.pending === 0;
  }

  /** Audio: copies the kept part of a piece the engine just rendered at quantum offset `offset`. */
  piece(offset: number, frames: number): void {
    const skipped = Math.min(frames, this.skipLeft);
    this.skipLeft -= skipped;
    const keep = Math.min(frames - skipped, this.left - this.pending, QUANTUM_FRAMES - this.pending);
    if (keep <= 0) return;
    // Rendering never grows the engine's memory; a load between quanta may have (it cannot during a
    // capture, which the Worker holds the graph for), so this is a guard, not a path that runs.
    if (this.engine.exports.memory.buffer !== this.memory) this.refreshViews();
    if (this.firstOffset < 0) this.firstOffset = offset + skipped;
    const stride = this.floatsPerFrame;
    const target = this.quantum;
    for (let s = 0; s < this.views.length; s++) {
      const channels = this.views[s] as Float32Array[];
      const base = this.slotBase[s] as number;
      for (let c = 0; c < channels.length; c++) {
        const source = channels[c] as Float32Array;
        let at = this.pending * stride + base + c;
        for (let i = 0; i < keep; i++, at += stride) target[at] = source[skipped + i] as number;
      }
    }
    this.pending += keep;
  }

  /**
   * Audio, after the quantum (and a WAM graph's return) is in `output`: fills PLAYED_OUTPUT, pushes the
   * quantum's frames and rings the Worker. Returns true when the capture has just completed.
   */
  endQuantum(output: readonly Float32Array[]): boolean {
    if (this.pending === 0) return false;
    const stride = this.floatsPerFrame;
    for (let s = 0; s < this.spec.sources.length; s++) {
      if (this.spec.sources[s] !== PLAYED_OUTPUT) continue;
      const base = this.slotBase[s] as number;
      const own = this.ownChannels[s] as number;
      for (let c = 0; c < own; c++) {
        const source = (output[c] ?? output[0]) as Float32Array;
        let at = base + c;
        for (let i = 0; i < this.pending; i++, at += stride) {
          this.quantum[at] = source[this.firstOffset + i] as number;
        }
      }
    }
    for (let q = 0; q < this.quantumSources.length; q++) {
      const { base, buffers } = this.quantumSources[q] as { base: number; buffers: Float32Array[] };
      for (let c = 0; c < buffers.length; c++) {
        const source = buffers[c] as Float32Array;
        let at = base + c;
        for (let i = 0; i < this.pending; i++, at += stride) {
          this.quantum[at] = source[this.firstOffset + i] as number;
        }
      }
    }
    if (stride > 0 && !this.ring.pushAll(this.quantum, this.pending * stride)) {
      // The Worker fell behind: the capture ends here, so what it kept is a gapless prefix.
      this.lost = this.left;
      this.left = 0;
    } else {
      this.kept += this.pending;
      this.left -= this.pending;
    }
    this.pending = 0;
    this.firstOffset = -1;
    this.bell?.ring();
    if (this.left > 0) return false;
    // Over MessagePorts the last, partly filled chunk goes now (a shared ring has no flush).
    this.ring.flush?.();
    return true;
  }

  /** Control (and the guard above): views of the staging buffers of each source's channels. */
  private refreshViews(): void {
    this.memory = this.engine.exports.memory.buffer;
    this.views = this.spec.sources.map((source, s) => {
      if (source === PLAYED_OUTPUT) return [];
      return Array.from({ length: this.ownChannels[s] as number }, (_, c) =>
        source === ENGINE_OUTPUT ? this.engine.outputChannel(c) : this.engine.captureChannel(source, c),
      );
    });
    for (const { node, params, stage } of this.spec.parameterSources ?? []) {
      // A stage's parameters are read from its quantum buffers at the quantum's end, not per piece.
      this.views.push(
        stage === undefined
          ? Array.from({ length: params }, (_, p) => this.engine.parameterRecord(node, p))
          : [],
      );
    }
  }
}
