/**
 * MasterSpectrum: the master's spectrum under its strip, from an AnalyserNode on the engine's output
 * (the AudioWorkletNode: what the speakers get), drawn once per animation frame with the geometry of
 * spectrum-math.ts. The analyser is a tap: it outputs nothing. Works with and without cross-origin
 * isolation (it is Web Audio, not the engine's data plane). Per frame it allocates nothing.
 */
import type { RealtimeEngineClient } from "../api/realtime-client";
import { binToX, dbToY } from "./spectrum-math";

/** FFT size: 1024 bins, 23 Hz apart at 48 kHz. */
export const SPECTRUM_FFT_SIZE = 2048;

export class MasterSpectrum {
  private analyser: AnalyserNode | null = null;
  private source: AudioNode | null = null;
  private bins = new Float32Array(SPECTRUM_FFT_SIZE / 2);
  private canvas: HTMLCanvasElement | null = null;
  private color = "";
  private drawnAt = Number.NEGATIVE_INFINITY;
  private colorOf: () => string = () => "#5ad1a4";
  private readonly colorScheme = matchMedia("(prefers-color-scheme: light)");
  private readonly staleColor = (): void => {
    this.color = "";
  };

  /**
   * The canvas to draw on (after each render; the same canvas is kept) and where the line colour
   * comes from (read again after a render and when the page's colour scheme changes).
   */
  bind(canvas: HTMLCanvasElement | null, colorOf: () => string): void {
    this.canvas = canvas;
    this.colorOf = colorOf;
    this.color = "";
    this.colorScheme.addEventListener("change", this.staleColor);
  }

  /** The analyser, once an engine plays (a test reads its bins). */
  get node(): AnalyserNode | null {
    return this.analyser;
  }

  /** Once per animation frame: taps a new engine's output, then draws what the analyser hears. */
  show(engine: RealtimeEngineClient | null, now: number): void {
    // 30 draws a second at most, as the strips' meters (strip-meters.ts).
    if (now - this.drawnAt < 1000 / 30 - 1) return;
    this.drawnAt = now;
    const output = engine && "node" in engine ? (engine.node as AudioNode) : null;
    if (output !== this.source) this.tap(engine, output);
    const canvas = this.canvas;
    const analyser = this.analyser;
    if (!canvas || !analyser || !engine) return;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    const g = canvas.getContext("2d");
    if (!g || width === 0) return;
    analyser.getFloatFrequencyData(this.bins);
    if (this.color === "") this.color = this.colorOf();
    g.clearRect(0, 0, width, height);
    g.strokeStyle = this.color;
    g.lineWidth = 1;
    g.beginPath();
    const rate = engine.context.sampleRate;
    let started = false;
    for (let bin = 1; bin < this.bins.length; bin++) {
      const x = binToX(bin, rate, SPECTRUM_FFT_SIZE, width);
      if (x < 0 || x > width) continue;
      const y = dbToY(this.bins[bin] as number, height);
      if (started) g.lineTo(x, y);
      else g.moveTo(x, y);
      started = true;
    }
    g.stroke();
  }

  /** The element left the page: let go of the analyser. */
  disconnect(): void {
    this.colorScheme.removeEventListener("change", this.staleColor);
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
    this.bins = new Float32Array(analyser.frequencyBinCount);
    output.connect(analyser);
    this.analyser = analyser;
  }
}
