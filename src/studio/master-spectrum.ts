/**
 * MasterSpectrum: the master's spectrum under its strip, from the AnalyserNode on the engine's output
 * (master-tap.ts, shared with the scope), drawn once per animation frame at most with the geometry of
 * spectrum-math.ts. Per frame it allocates nothing.
 */
import type { RealtimeEngineClient } from "../api/realtime-client";
import { type MasterTap, SPECTRUM_FFT_SIZE } from "./master-tap";
import { binToX, dbToY } from "./spectrum-math";

export class MasterSpectrum {
  private bins = new Float32Array(SPECTRUM_FFT_SIZE / 2);
  private canvas: HTMLCanvasElement | null = null;
  private color = "";
  private drawnAt = Number.NEGATIVE_INFINITY;
  private colorOf: () => string = () => "#5ad1a4";
  private readonly colorScheme = matchMedia("(prefers-color-scheme: light)");
  private readonly staleColor = (): void => {
    this.color = "";
  };

  constructor(private readonly masterTap: MasterTap) {}

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

  /** Once per animation frame: taps a new engine's output, then draws what the analyser hears. */
  show(engine: RealtimeEngineClient | null, now: number): void {
    // 30 draws a second at most, as the strips' meters (strip-meters.ts).
    if (now - this.drawnAt < 1000 / 30 - 1) return;
    this.drawnAt = now;
    const analyser = this.masterTap.analyserOf(engine);
    const canvas = this.canvas;
    if (!canvas || !analyser || !engine) return;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    const g = canvas.getContext("2d");
    if (!g || width === 0) return;
    if (this.bins.length !== analyser.frequencyBinCount)
      this.bins = new Float32Array(analyser.frequencyBinCount);
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

  /** The element left the page: stop following the colour scheme (the tap is let go by its owner). */
  disconnect(): void {
    this.colorScheme.removeEventListener("change", this.staleColor);
  }
}
