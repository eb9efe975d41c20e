/**
 * LevelMeter: peak and RMS bars per channel, with peak hold, painted on a canvas from the engine's
 * meter block once per animation frame.
 *
 * Ballistics (what a reader of a meter expects): a bar rises at once to a new level and falls at
 * FALL_DB_PER_SECOND, so a short transient stays visible for a few frames; the hold tick stays at
 * the highest recent peak for HOLD_MS, then falls at the same rate. The scale runs from
 * METER_FLOOR_DB to 0 dBFS; the tick turns to the "high" colour when a peak reaches full scale.
 *
 * Per frame, update() and paint() allocate nothing: levels live in typed arrays, colours and the
 * gradient are built on resize or theme change only.
 */
import type { MeterReading } from "../api/realtime-readings";

/** Bottom of the scale; quieter levels show as an empty bar. */
export const METER_FLOOR_DB = -60;
const FALL_DB_PER_SECOND = 24;
const HOLD_MS = 1200;
/** Where the bar colour passes from "low" to "mid" and from "mid" to "high" (dBFS). */
const MID_DB = -18;
const HIGH_DB = -6;
/** LED segments: width and gap in CSS pixels. */
const SEGMENT = 4;
const SEGMENT_GAP = 1;
/** Space between channel rows in CSS pixels. */
const ROW_GAP = 4;

/** The meter's colours, usually read from the element's CSS custom properties. */
export interface MeterColors {
  track: string;
  low: string;
  mid: string;
  high: string;
  hold: string;
}

/**
 * Where a linear level sits on the meter, 0 (floor or silence) to 1 (0 dBFS or more).
 * @example
 * meterFraction(0.5); // about 0.9 (-6 dBFS on a -60..0 scale)
 */
export function meterFraction(level: number): number {
  if (!(level > 0)) return 0;
  const fraction = (20 * Math.log10(level) - METER_FLOOR_DB) / -METER_FLOOR_DB;
  return Math.min(1, Math.max(0, fraction));
}

export class LevelMeter {
  /** Displayed peak per channel (linear): the bar's outer, lighter part. */
  readonly peak: Float32Array;
  /** Displayed RMS per channel (linear): the bar's solid part. */
  readonly rms: Float32Array;
  /** Peak-hold level per channel (linear): the tick. */
  readonly hold: Float32Array;
  private readonly holdUntil: Float64Array;
  private readonly context: CanvasRenderingContext2D | null;
  private gradient: CanvasGradient | null = null;
  private lastTime = -1;
  private pixelRatio = 1;

  /**
   * @example
   * const meter = new LevelMeter(canvas, 2, { track: "#000", low: "#4c8", mid: "#ec5", high: "#e66", hold: "#fff" });
   */
  constructor(
    private readonly canvas: HTMLCanvasElement,
    readonly channels: number,
    private colors: MeterColors,
  ) {
    this.peak = new Float32Array(channels);
    this.rms = new Float32Array(channels);
    this.hold = new Float32Array(channels);
    this.holdUntil = new Float64Array(channels);
    this.context = canvas.getContext("2d");
  }

  /**
   * New colours (theme change); repaints.
   * @example
   * meter.setColors({ track: "#e3e7ed", low: "#1fa971", mid: "#d9a520", high: "#e5484d", hold: "#101828" }); // light
   */
  setColors(colors: MeterColors): void {
    this.colors = colors;
    this.gradient = null;
    this.paint();
  }

  /**
   * Sizes the canvas backing store for its CSS size and the device pixel ratio; repaints.
   * @example
   * new ResizeObserver(() => meter.resize(canvas.clientWidth, canvas.clientHeight, devicePixelRatio)).observe(canvas);
   */
  resize(cssWidth: number, cssHeight: number, pixelRatio: number): void {
    this.pixelRatio = pixelRatio > 0 ? pixelRatio : 1;
    this.canvas.width = Math.max(1, Math.round(cssWidth * this.pixelRatio));
    this.canvas.height = Math.max(1, Math.round(cssHeight * this.pixelRatio));
    this.gradient = null;
    this.paint();
  }

  /**
   * Drops every level and hold to silence at once (a new engine); repaints.
   * @example
   * meter.reset();
   */
  reset(): void {
    this.peak.fill(0);
    this.rms.fill(0);
    this.hold.fill(0);
    this.lastTime = -1;
    this.paint();
  }

  /**
   * Applies the ballistics to a new reading (null: silence, e.g. before the engine starts).
   * Returns true when something visible changed, so an idle meter costs no painting.
   * @example
   * if (engine.readMeters(reading) && meter.update(reading, now)) meter.paint();
   */
  update(reading: MeterReading | null, now: number): boolean {
    const seconds = this.lastTime < 0 ? 0 : Math.min(0.25, (now - this.lastTime) / 1000);
    this.lastTime = now;
    const fall = 10 ** ((-FALL_DB_PER_SECOND * seconds) / 20);
    const floor = 10 ** (METER_FLOOR_DB / 20);
    let changed = false;
    for (let c = 0; c < this.channels; c++) {
      const peakIn = reading ? (reading.windowPeak[c] ?? 0) : 0;
      const rmsIn = reading ? (reading.windowRms[c] ?? 0) : 0;
      const peak = fallTo(this.peak[c] as number, peakIn, fall, floor);
      const rms = fallTo(this.rms[c] as number, rmsIn, fall, floor);
      let hold = this.hold[c] as number;
      if (peak >= hold) {
        hold = peak;
        this.holdUntil[c] = now + HOLD_MS;
      } else if (now > (this.holdUntil[c] as number)) hold = fallTo(hold, peak, fall, floor);
      if (peak !== this.peak[c] || rms !== this.rms[c] || hold !== this.hold[c]) changed = true;
      this.peak[c] = peak;
      this.rms[c] = rms;
      this.hold[c] = hold;
    }
    return changed;
  }

  /**
   * Draws the current levels.
   * @example
   * meter.paint();
   */
  paint(): void {
    const g = this.context;
    if (!g) return;
    const { width, height } = this.canvas;
    const ratio = this.pixelRatio;
    const colors = this.colors;
    this.gradient ??= this.createGradient(g, width);
    const rowGap = ROW_GAP * ratio;
    const rowHeight = (height - rowGap * (this.channels - 1)) / this.channels;
    g.clearRect(0, 0, width, height);
    for (let c = 0; c < this.channels; c++) {
      const y = c * (rowHeight + rowGap);
      g.globalAlpha = 1;
      g.fillStyle = colors.track;
      g.fillRect(0, y, width, rowHeight);
      g.fillStyle = this.gradient;
      g.globalAlpha = 0.45;
      g.fillRect(0, y, meterFraction(this.peak[c] as number) * width, rowHeight);
      g.globalAlpha = 1;
      g.fillRect(0, y, meterFraction(this.rms[c] as number) * width, rowHeight);
      const hold = this.hold[c] as number;
      if (hold > 0) {
        g.fillStyle = hold >= 1 ? colors.high : colors.hold;
        const x = Math.min(width - 2 * ratio, meterFraction(hold) * width);
        g.fillRect(x, y, 2 * ratio, rowHeight);
      }
    }
    // LED segments: cut thin gaps through each row (not the space between rows) in the track colour.
    g.globalAlpha = 0.9;
    g.fillStyle = colors.track;
    const pitch = (SEGMENT + SEGMENT_GAP) * ratio;
    for (let c = 0; c < this.channels; c++) {
      const y = c * (rowHeight + rowGap);
      for (let x = SEGMENT * ratio; x < width; x += pitch) g.fillRect(x, y, SEGMENT_GAP * ratio, rowHeight);
    }
    g.globalAlpha = 1;
  }

  private createGradient(g: CanvasRenderingContext2D, width: number): CanvasGradient {
    const gradient = g.createLinearGradient(0, 0, width, 0);
    const { low, mid, high } = this.colors;
    gradient.addColorStop(0, low);
    gradient.addColorStop(meterFraction(10 ** (MID_DB / 20)), low);
    gradient.addColorStop(meterFraction(10 ** (HIGH_DB / 20)), mid);
    gradient.addColorStop(1, high);
    return gradient;
  }
}

/** A level that jumps up to `target` and otherwise falls by the factor `fall`, to 0 below `floor`. */
function fallTo(current: number, target: number, fall: number, floor: number): number {
  if (target >= current) return target;
  const fallen = current * fall;
  if (fallen > target) return fallen < floor ? 0 : fallen;
  return target;
}
