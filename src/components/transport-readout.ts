/**
 * TransportReadout: writes a TransportSnapshot into the player's readout, once per animation frame.
 *
 * The readout's text nodes are written here, not by Lit's render: a template per frame would
 * allocate, and most frames change nothing a person can see. Each field keeps the number it shows
 * (quantised to its display resolution) and is rewritten only when that number changes, so a
 * playing transport formats a few strings a second and a stopped one none.
 */
import type { TransportSnapshot } from "../api/realtime-readings";
import { formatBarsBeats, formatClock, formatSecondsRange, formatTempo } from "./transport-format";

/** The elements the readout writes into (each holds one text value). */
export interface ReadoutFields {
  barsBeats: HTMLElement;
  clock: HTMLElement;
  tempo: HTMLElement;
  loop: HTMLElement;
  ringOverflows: HTMLElement;
  lateCommands: HTMLElement;
  badCommands: HTMLElement;
  underruns: HTMLElement;
  /** Output samples that were NaN or ±Infinity, played as silence. */
  nonFiniteSamples: HTMLElement;
}

/** The loop region as the player asked for it, in beats (the snapshot holds it in frames). */
export interface LoopBeats {
  startBeats: number;
  endBeats: number;
}

export class TransportReadout {
  private beat = Number.NaN;
  private tenth = Number.NaN;
  private tempoTenth = Number.NaN;
  private loopKey = Number.NaN;
  private readonly counts = new Float64Array(5).fill(Number.NaN);

  /**
   * @example
   * const readout = new TransportReadout(fields, 4);
   */
  constructor(
    private readonly fields: ReadoutFields,
    private beatsPerBar: number,
    private loopBeats: LoopBeats = { startBeats: 0, endBeats: 0 },
  ) {}

  /**
   * New bar length or loop region: the next show() rewrites the fields that depend on them.
   * @example
   * readout.configure(3, { startBeats: 0, endBeats: 12 });
   */
  configure(beatsPerBar: number, loopBeats: LoopBeats): void {
    this.beatsPerBar = beatsPerBar;
    this.loopBeats = loopBeats;
    this.beat = Number.NaN;
    this.loopKey = Number.NaN;
  }

  /**
   * Shows `state`; writes only the fields whose shown value changed.
   * @example
   * readout.show(engine.readTransport());
   */
  show(state: TransportSnapshot): void {
    const fields = this.fields;
    const beat = Math.floor(state.positionBeats + 1e-9);
    if (beat !== this.beat) {
      this.beat = beat;
      fields.barsBeats.textContent = formatBarsBeats(beat, this.beatsPerBar);
    }
    const tenth = Math.floor(state.positionSeconds * 10 + 1e-6);
    if (tenth !== this.tenth) {
      this.tenth = tenth;
      fields.clock.textContent = formatClock(state.positionSeconds);
    }
    const tempoTenth = Math.round(state.tempoBpm * 10);
    if (tempoTenth !== this.tempoTenth) {
      this.tempoTenth = tempoTenth;
      fields.tempo.textContent = formatTempo(tempoTenth / 10);
    }
    // One number that changes whenever the loop's visible text would: on/off and both ends.
    const loopKey = state.loopEnabled ? state.loopStartFrames * 1e9 + state.loopEndFrames + 1 : 0;
    if (loopKey !== this.loopKey) {
      this.loopKey = loopKey;
      fields.loop.textContent = state.loopEnabled ? this.loopText(state) : "off";
    }
    this.count(0, fields.ringOverflows, state.ringOverflows);
    this.count(1, fields.lateCommands, state.lateCommands);
    this.count(2, fields.badCommands, state.badCommands);
    this.count(3, fields.underruns, state.underruns);
    this.count(4, fields.nonFiniteSamples, state.nonFiniteSamples);
  }

  private loopText(state: TransportSnapshot): string {
    const { startBeats, endBeats } = this.loopBeats;
    const rate = state.sampleRate > 0 ? state.sampleRate : 1;
    const bars = `${formatBarsBeats(startBeats, this.beatsPerBar)} → ${formatBarsBeats(endBeats, this.beatsPerBar)}`;
    return `${bars} (${formatSecondsRange(state.loopStartFrames / rate, state.loopEndFrames / rate)})`;
  }

  private count(slot: number, field: HTMLElement, value: number): void {
    if (this.counts[slot] === value) return;
    this.counts[slot] = value;
    field.textContent = String(value);
    // A dropout is worth noticing: the field's style turns it to the warning colour.
    field.classList.toggle("nonzero", value > 0);
  }
}
