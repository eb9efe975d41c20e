/**
 * Everything the studio meters, drawn once per frame while the live engine runs: the master's level
 * meter (the player's LevelMeterController), each mixer strip's meter (the engine's node meters), and
 * the master's spectrum and scope (one analyser on the master, MasterTap). All in the element's
 * colours, re-read when its theme changes.
 */
import type { ReactiveControllerHost } from "lit";

import type { RealtimeEngineClient } from "../api/realtime-client";
import type { MeterReading } from "../api/realtime-readings";
import { LevelMeterController, readMeterColors } from "../components/level-meter-controller";
import { MasterScope, type ScopeReading } from "./master-scope";
import { MasterSpectrum } from "./master-spectrum";
import { MasterTap } from "./master-tap";
import { StripMeters } from "./strip-meters";

export class StudioMeters {
  private readonly master: LevelMeterController;
  private readonly strips: StripMeters;
  private readonly tap = new MasterTap();
  private readonly spectrum = new MasterSpectrum(this.tap);
  private readonly scope = new MasterScope(this.tap);

  constructor(private readonly element: ReactiveControllerHost & HTMLElement) {
    this.master = new LevelMeterController(element);
    this.strips = new StripMeters(() => readMeterColors(element));
  }

  /** What the scope last drew, or null before it drew. */
  get scopeReading(): ScopeReading | null {
    return this.scope.reading;
  }

  /** After the first render: the master meter gets its canvas. */
  attach(root: ParentNode): void {
    this.master.attach(root.querySelector("canvas[data-meter=master]") as HTMLCanvasElement);
  }

  /** After each render: the meters find their (maybe new) canvases; a new theme, its colours. */
  bind(root: ParentNode, themeChanged: boolean): void {
    if (themeChanged) {
      this.master.refreshColors();
      this.strips.refreshColors();
    }
    this.strips.bind(root);
    const element = this.element;
    const accent = () => getComputedStyle(element).getPropertyValue("--wd-accent").trim() || "#5ad1a4";
    this.spectrum.bind(root.querySelector("canvas[data-spectrum=master]"), accent);
    this.scope.bind(
      root.querySelector("canvas[data-scope=master]"),
      root.querySelector("output[data-scope-frequency=master]"),
      accent,
    );
  }

  /** Once per frame. Allocates nothing. */
  show(meters: MeterReading, engine: RealtimeEngineClient | null, now: number): void {
    this.master.show(meters, now);
    this.strips.show(engine, now);
    this.spectrum.show(engine, now);
    this.scope.show(engine, now);
  }

  disconnect(): void {
    this.strips.disconnect();
    this.spectrum.disconnect();
    this.scope.disconnect();
    this.tap.disconnect();
  }
}
