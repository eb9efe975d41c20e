/**
 * MasterScope: the master's oscilloscope beside its spectrum, from the time-domain data of the same
 * AnalyserNode (master-tap.ts). Each draw (30 a second at most, as the spectrum and the strips' meters)
 * reads the analyser's last SPECTRUM_FFT_SIZE frames, finds the first rising edge through 0 in the
 * first half (scope-math.ts) and draws SCOPE_WINDOW frames from there, so a steady tone stands still;
 * without an edge (silence, a tone below the window) it draws from the start, untriggered. It keeps
 * what it drew (`reading`: the trace, the measured period) for tests and scripts, and says the measured
 * frequency in words four times a second. Per frame it allocates nothing.
 */
import type { RealtimeEngineClient } from "../api/realtime-client";
import { type MasterTap, SPECTRUM_FFT_SIZE } from "./master-tap";
import { measurePeriod, risingEdge, sampleToY } from "./scope-math";

/** The frames one trace shows: half the analyser's buffer (21.3 ms at 48 kHz), so an edge has half to be found in. */
export const SCOPE_WINDOW = SPECTRUM_FFT_SIZE / 2;
/** The level the trace triggers on, rising. */
export const SCOPE_TRIGGER_LEVEL = 0;
/** How often the frequency in words changes. */
const SCOPE_TEXT_HZ = 4;

/** What the scope last drew. */
export interface ScopeReading {
  /** The trace: SCOPE_WINDOW samples from the trigger: (left + right) / 2, the analyser's down-mix of the master. */
  trace: number[];
  /** Whether the trace starts at a rising edge (false: free-running, no edge found). */
  triggered: boolean;
  /** The mean period over the analyser's whole buffer, in frames (NaN without two edges). */
  periodFrames: number;
  sampleRate: number;
}

/**
 * A frequency in words for the scope's readout.
 * @example
 * formatScopeHz(Number.NaN); // "no periodic signal"
 */
export function formatScopeHz(hz: number): string {
  if (!Number.isFinite(hz)) return "no periodic signal";
  return hz >= 1000 ? `${(hz / 1000).toFixed(2)} kHz` : `${hz.toFixed(1)} Hz`;
}

export class MasterScope {
  private buffer = new Float32Array(SPECTRUM_FFT_SIZE);
  private readonly trace = new Float32Array(SCOPE_WINDOW);
  private triggered = false;
  private periodFrames = Number.NaN;
  private sampleRate = 0;
  private canvas: HTMLCanvasElement | null = null;
  private text: HTMLOutputElement | null = null;
  private textAt = Number.NEGATIVE_INFINITY;
  private color = "";
  private drawnAt = Number.NEGATIVE_INFINITY;
  private colorOf: () => string = () => "#5ad1a4";
  private readonly colorScheme = matchMedia("(prefers-color-scheme: light)");
  private readonly staleColor = (): void => {
    this.color = "";
  };

  constructor(private readonly masterTap: MasterTap) {}

  /**
   * The canvas to draw on and the output saying the frequency (after each render; the same ones are
   * kept), and where the line colour comes from (read again after a render and when the page's colour
   * scheme changes).
   */
  bind(canvas: HTMLCanvasElement | null, text: HTMLOutputElement | null, colorOf: () => string): void {
    this.canvas = canvas;
    this.text = text;
    this.colorOf = colorOf;
    this.color = "";
    this.colorScheme.addEventListener("change", this.staleColor);
  }

  /** A copy of what the scope last drew, or null before its first trace. */
  get reading(): ScopeReading | null {
    if (this.sampleRate === 0) return null;
    return {
      trace: Array.from(this.trace),
      triggered: this.triggered,
      periodFrames: this.periodFrames,
      sampleRate: this.sampleRate,
    };
  }

  /** Once per animation frame: reads the analyser, triggers and draws. */
  show(engine: RealtimeEngineClient | null, now: number): void {
    if (now - this.drawnAt < 1000 / 30 - 1) return;
    this.drawnAt = now;
    const analyser = this.masterTap.analyserOf(engine);
    const canvas = this.canvas;
    if (!canvas || !analyser || !engine) return;
    if (this.buffer.length !== analyser.fftSize) this.buffer = new Float32Array(analyser.fftSize);
    const buffer = this.buffer;
    analyser.getFloatTimeDomainData(buffer);
    const edge = risingEdge(buffer, SCOPE_TRIGGER_LEVEL, 0, buffer.length - SCOPE_WINDOW);
    this.triggered = edge >= 0;
    // The trace starts at the sample at or just after the edge (within a frame of the crossing).
    const start = this.triggered ? Math.ceil(edge) : 0;
    this.trace.set(buffer.subarray(start, start + SCOPE_WINDOW));
    this.periodFrames = measurePeriod(buffer, SCOPE_TRIGGER_LEVEL);
    this.sampleRate = engine.context.sampleRate;
    this.say(now);
    this.draw(canvas);
  }

  /** The element left the page: stop following the colour scheme (the tap is let go by its owner). */
  disconnect(): void {
    this.colorScheme.removeEventListener("change", this.staleColor);
  }

  private say(now: number): void {
    if (!this.text || now - this.textAt < 1000 / SCOPE_TEXT_HZ) return;
    this.textAt = now;
    const words = formatScopeHz(this.sampleRate / this.periodFrames);
    if (this.text.value !== words) this.text.value = words;
  }

  private draw(canvas: HTMLCanvasElement): void {
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    const g = canvas.getContext("2d");
    if (!g || width === 0) return;
    if (this.color === "") this.color = this.colorOf();
    g.clearRect(0, 0, width, height);
    g.strokeStyle = this.color;
    g.lineWidth = 1;
    // The zero line, faint.
    g.globalAlpha = 0.3;
    g.beginPath();
    g.moveTo(0, height / 2);
    g.lineTo(width, height / 2);
    g.stroke();
    g.globalAlpha = 1;
    g.beginPath();
    const trace = this.trace;
    for (let i = 0; i < trace.length; i++) {
      const x = (i * width) / (trace.length - 1);
      const y = sampleToY(trace[i] as number, height);
      if (i === 0) g.moveTo(x, y);
      else g.lineTo(x, y);
    }
    g.stroke();
  }
}
