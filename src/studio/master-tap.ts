/**
 * MasterTap: one AnalyserNode on the engine's output (the AudioWorkletNode: what the speakers get),
 * shared by the master's spectrum (its frequency data) and scope (its time-domain data). The analyser
 * is a tap: it outputs nothing. It follows the engine: a new engine's output gets a new analyser. Works
 * with and without cross-origin isolation (it is Web Audio, not the engine's data plane).
 */
import type { RealtimeEngineClient } from "../api/realtime-client";

/** FFT size: 1024 bins, 23 Hz apart at 48 kHz; 2048 frames (42.7 ms at 48 kHz) of time-domain data. */
export const SPECTRUM_FFT_SIZE = 2048;

export class MasterTap {
  private analyser: AnalyserNode | null = null;
  private source: AudioNode | null = null;

  /** The analyser on `engine`'s output (tapped afresh when the engine changed), or null without one. */
  analyserOf(engine: RealtimeEngineClient | null): AnalyserNode | null {
    const output = engine && "node" in engine ? (engine.node as AudioNode) : null;
    if (output !== this.source) this.tap(engine, output);
    return this.analyser;
  }

  /** The analyser, once an engine plays (a test reads its bins). */
  get node(): AnalyserNode | null {
    return this.analyser;
  }

  /** The element left the page: let go of the analyser. */
  disconnect(): void {
    this.tap(null, null);
  }

  private tap(engine: RealtimeEngineClient | null, output: AudioNode | null): void {
    if (this.source && this.analyser) this.source.disconnect(this.analyser);
    this.source = output;
    this.analyser = null;
    if (!engine || !output) return;
    const analyser = engine.context.createAnalyser();
    analyser.fftSize = SPECTRUM_FFT_SIZE;
    analyser.smoothingTimeConstant = 0.6;
    output.connect(analyser);
    this.analyser = analyser;
  }
}
