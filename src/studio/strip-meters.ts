/**
 * StripMeters: each mixer strip's meter (peak and RMS, left and right, the player's LevelMeter) and
 * its level in numbers, from the engine's node meter block (readNodeMeters: the track outputs the
 * studio's graph names in extensions.meters, track k on channels 2k and 2k + 1; docs/realtime.md,
 * "Node meters"). Read once per animation frame, without a message. The numbers (window peak and
 * RMS, the louder side, in dBFS) change at most STRIP_TEXT_HZ times a second so they can be read.
 */
import type { RealtimeEngineClient } from "../api/realtime-client";
import { createMeterReading, type MeterReading } from "../api/realtime-readings";
import { LevelMeter, METER_FLOOR_DB, type MeterColors } from "../components/level-meter";

/** How often a strip's numbers change. */
export const STRIP_TEXT_HZ = 4;
/**
 * How often the strips repaint, at most: 30 a second is smooth for a meter and halves the canvas work
 * of a 16-track mixer on a 60 Hz screen (the main thread's long-task budget, studio-platform.spec.ts).
 */
export const STRIP_PAINT_HZ = 30;

/**
 * A linear level in dBFS, to one decimal: "-6.0", or "-∞" below the meter's floor.
 * @example
 * formatLevelDb(0.5); // "-6.0"
 */
export function formatLevelDb(level: number): string {
  if (!(level > 0)) return "-∞";
  const db = 20 * Math.log10(level);
  return db < METER_FLOOR_DB ? "-∞" : db.toFixed(1);
}

interface StripMeter {
  canvas: HTMLCanvasElement;
  meter: LevelMeter;
  reading: MeterReading;
  text: HTMLOutputElement | null;
  textAt: number;
}

export class StripMeters {
  private nodeReading: MeterReading | null = null;
  private paintedAt = Number.NEGATIVE_INFINITY;
  private readonly strips: StripMeter[] = [];
  private readonly resizeObserver = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const strip = this.strips.find((candidate) => candidate.canvas === entry.target);
      const canvas = strip?.canvas;
      if (strip && canvas) strip.meter.resize(canvas.clientWidth, canvas.clientHeight, devicePixelRatio);
    }
  });

  private readonly colorScheme = matchMedia("(prefers-color-scheme: light)");
  private readonly onSchemeChange = (): void => this.refreshColors();

  /** `colors` reads the meter colours (the element's CSS custom properties). */
  constructor(private readonly colors: () => MeterColors) {}

  /**
   * After each render: the strips' canvases in track order (`canvas[data-strip-meter]`), each with
   * its `output.strip-level`. A canvas already known keeps its meter.
   */
  bind(root: ParentNode): void {
    // addEventListener ignores a listener already added: after a reconnect it listens again.
    this.colorScheme.addEventListener("change", this.onSchemeChange);
    const canvases = [...root.querySelectorAll<HTMLCanvasElement>("canvas[data-strip-meter]")];
    const kept = new Map(this.strips.map((strip) => [strip.canvas, strip]));
    this.strips.length = 0;
    for (const canvas of canvases) {
      let strip = kept.get(canvas);
      kept.delete(canvas);
      if (!strip) {
        strip = {
          canvas,
          meter: new LevelMeter(canvas, 2, this.colors()),
          reading: createMeterReading(2),
          text: null,
          textAt: -1,
        };
        this.resizeObserver.observe(canvas);
      }
      strip.text = canvas.parentElement?.querySelector<HTMLOutputElement>("output.strip-level") ?? null;
      this.strips.push(strip);
    }
    for (const gone of kept.values()) this.resizeObserver.unobserve(gone.canvas);
  }

  /** Once per animation frame: each strip's meter from the engine's node meters (silence without). */
  show(engine: RealtimeEngineClient | null, now: number): void {
    if (now - this.paintedAt < 1000 / STRIP_PAINT_HZ - 1) return;
    this.paintedAt = now;
    let reading: MeterReading | null = null;
    if (engine?.readNodeMeters && engine.createNodeMeterReading) {
      this.nodeReading ??= engine.createNodeMeterReading();
      if (engine.readNodeMeters(this.nodeReading)) reading = this.nodeReading;
    }
    for (let k = 0; k < this.strips.length; k++) {
      const strip = this.strips[k] as StripMeter;
      const own = strip.reading;
      for (let c = 0; c < 2; c++) {
        const from = 2 * k + c;
        own.peak[c] = reading?.peak[from] ?? 0;
        own.rms[c] = reading?.rms[from] ?? 0;
        own.windowPeak[c] = reading?.windowPeak[from] ?? 0;
        own.windowRms[c] = reading?.windowRms[from] ?? 0;
      }
      if (strip.meter.update(reading ? own : null, now)) strip.meter.paint();
      if (strip.text && now - strip.textAt >= 1000 / STRIP_TEXT_HZ) {
        strip.textAt = now;
        showLevelText(strip.text, own);
      }
    }
  }

  /** New colours (a theme change). */
  refreshColors(): void {
    const colors = this.colors();
    for (const strip of this.strips) strip.meter.setColors(colors);
  }

  /** The element left the page. */
  disconnect(): void {
    this.colorScheme.removeEventListener("change", this.onSchemeChange);
    this.resizeObserver.disconnect();
    this.strips.length = 0;
    this.nodeReading = null;
  }
}

/** "pk -6.0 · rms -9.0" and the same figures in data-peak-db and data-rms-db (the louder side). */
function showLevelText(text: HTMLOutputElement, reading: MeterReading): void {
  const peak = formatLevelDb(Math.max(reading.windowPeak[0] ?? 0, reading.windowPeak[1] ?? 0));
  const rms = formatLevelDb(Math.max(reading.windowRms[0] ?? 0, reading.windowRms[1] ?? 0));
  if (text.dataset.peakDb === peak && text.dataset.rmsDb === rms) return;
  text.dataset.peakDb = peak;
  text.dataset.rmsDb = rms;
  text.textContent = `pk ${peak} · rms ${rms}`;
}
