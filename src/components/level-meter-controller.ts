/**
 * LevelMeterController: keeps the player's LevelMeter fitted to its canvas and in the player's
 * colours, as a Lit ReactiveController. The canvas is sized by CSS, so a ResizeObserver tells the
 * meter its pixel size; the colours are the element's CSS custom properties, re-read when the page's
 * colour scheme or the element's theme changes.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { MeterReading } from "../api/realtime-readings";
import { LevelMeter, type MeterColors } from "./level-meter";

export class LevelMeterController implements ReactiveController {
  private levelMeter: LevelMeter | null = null;
  private canvas: HTMLCanvasElement | null = null;
  private resizeObserver: ResizeObserver | null = null;
  private readonly colorScheme = matchMedia("(prefers-color-scheme: light)");

  /**
   * @example
   * import { LitElement } from "lit";
   * class MyMeter extends LitElement {
   *   private readonly meterView = new LevelMeterController(this);
   * }
   */
  constructor(private readonly host: ReactiveControllerHost & Element) {
    host.addController(this);
  }

  /**
   * The meter, once attach() gave it a canvas.
   * @example
   * const loudest = Math.max(...(meterView.meter?.peak ?? [0]));
   */
  get meter(): LevelMeter | null {
    return this.levelMeter;
  }

  hostConnected(): void {
    this.colorScheme.addEventListener("change", this.refreshColors);
    if (this.levelMeter) {
      // Back on a page after a removal: watch the canvas again and start from silence.
      this.observeCanvas();
      this.levelMeter.reset();
    }
  }

  hostDisconnected(): void {
    this.colorScheme.removeEventListener("change", this.refreshColors);
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
  }

  /**
   * Makes the meter on the rendered canvas (call it once, after the first render).
   * @example
   * // in the host's firstUpdated()
   * const canvas = host.renderRoot.querySelector("canvas");
   * if (canvas) meterView.attach(canvas);
   */
  attach(canvas: HTMLCanvasElement): void {
    this.canvas = canvas;
    this.levelMeter = new LevelMeter(canvas, 2, this.readColors());
    this.observeCanvas();
  }

  /**
   * Once per animation frame: takes the reading and repaints when the drawn levels moved. Allocates nothing.
   * @example
   * meterView.show(reading, now); // in RealtimeEngineHooks.frame
   */
  show(reading: MeterReading, now: number): void {
    if (this.levelMeter?.update(reading, now)) this.levelMeter.paint();
  }

  /** Re-reads the colours from the element's CSS custom properties (after a theme change). */
  readonly refreshColors = (): void => {
    this.levelMeter?.setColors(this.readColors());
  };

  private observeCanvas(): void {
    const canvas = this.canvas;
    const meter = this.levelMeter;
    if (!canvas || !meter || this.resizeObserver) return;
    this.resizeObserver = new ResizeObserver(() =>
      meter.resize(canvas.clientWidth, canvas.clientHeight, devicePixelRatio),
    );
    this.resizeObserver.observe(canvas);
  }

  private readColors(): MeterColors {
    return readMeterColors(this.host);
  }
}

/**
 * The meters' colours: the player's CSS custom properties as `element` sees them, else the dark
 * scheme's.
 * @example
 * const colors = readMeterColors(document.querySelector("webdreamer-player") as Element);
 */
export function readMeterColors(element: Element): MeterColors {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    track: read("--wd-meter-track", "#0a0c10"),
    low: read("--wd-meter-low", "#45c98d"),
    mid: read("--wd-meter-mid", "#e9c46a"),
    high: read("--wd-meter-high", "#ff6b6b"),
    hold: read("--wd-meter-hold", "#e8ecf1"),
  };
}
