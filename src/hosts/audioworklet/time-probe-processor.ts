/**
 * TimeProbeProcessor (audio thread): times the Web Audio nodes rendered before it in each quantum,
 * for the WAM cost meter (wam-cost-meter.ts). It never runs in a playing graph.
 *
 * Web Audio renders a node after everything its inputs pull, input by input, so a probe whose input
 * 0 comes from the previous probe and input 1 from the nodes under test runs right after those nodes:
 * the difference of two probes' times in one quantum is what the nodes between them took. Each probe
 * notes the audio thread's clock once per quantum and posts its notes once, after `quanta` quanta.
 *
 * The clock is Temporal.Now (the worklet scope has no `performance`): 5 µs steps in a
 * cross-origin-isolated page, 100 µs otherwise (Chromium 156). Reading it allocates a little, which
 * a meter may do; the engine's own processor never does.
 */
import type { TimeProbeOptions, TimeProbeReport } from "../../protocol/main-to-worklet";

interface TemporalNow {
  Now: { instant(): { epochNanoseconds: bigint } };
}

const temporal = (globalThis as { Temporal?: TemporalNow }).Temporal;
/** All probes of a scope measure from one origin, so their times compare. */
const origin = temporal ? temporal.Now.instant().epochNanoseconds : 0n;

export class TimeProbeProcessor extends AudioWorkletProcessor {
  private readonly times: Float64Array;
  private next = 0;

  constructor(options: { processorOptions: TimeProbeOptions }) {
    super();
    const { quanta } = options.processorOptions;
    this.times = new Float64Array(temporal ? quanta : 0);
    if (!temporal) this.report({ clock: false });
  }

  process(): boolean {
    if (!temporal || this.next >= this.times.length) return true;
    this.times[this.next++] = Number(temporal.Now.instant().epochNanoseconds - origin) / 1000;
    if (this.next === this.times.length) this.report({ clock: true, times: this.times });
    return true;
  }

  private report(report: TimeProbeReport): void {
    this.port.postMessage(report);
  }
}
