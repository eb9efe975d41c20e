/**
 * The reference workloads of docs/benchmarks.md with Chromium's native Web Audio nodes (the reference
 * measured in the same run; webdreamer's own GraphPrograms are in test/support/workloads.ts), and the
 * statistics every benchmark row uses.
 */
import { SAMPLE_RATE, type WorkloadId } from "../test/support/workloads";

/** The same workloads with native nodes, for an OfflineAudioContext (browser only). */
export function buildNative(id: WorkloadId, context: BaseAudioContext): void {
  const bus = new GainNode(context, { gain: 1, channelCount: 1, channelCountMode: "explicit" });
  bus.connect(context.destination);
  if (id === "W1") {
    for (let i = 0; i < 256; i++) {
      const osc = new OscillatorNode(context, { type: "sine", frequency: 100 * (1 + 0.01 * i) });
      const gain = new GainNode(context, { gain: 1 / 256 });
      osc.connect(gain).connect(bus);
      osc.start(0);
    }
    return;
  }
  buildNativeW2(context, 32, bus);
}

/**
 * W2 with `voices` voices (pitches repeating every 32, as w2Program's) into `bus`, with its feedback
 * delay: the native side of W2 and of the live-voices row.
 */
export function buildNativeW2(context: BaseAudioContext, voices: number, bus: GainNode): void {
  for (let v = 0; v < voices; v++) {
    const osc = new OscillatorNode(context, { type: "sawtooth", frequency: 55 * 2 ** ((v % 32) / 12) });
    // Web Audio's biquad takes Q in dB: linear Q 1 is 0 dB.
    const filter = new BiquadFilterNode(context, { type: "lowpass", frequency: 2000, Q: 0 });
    const gain = new GainNode(context, { gain: 1 / 32 });
    osc.connect(filter).connect(gain).connect(bus);
    osc.start(0);
  }
  const delay = new DelayNode(context, { delayTime: 0.25, maxDelayTime: 1 });
  const feedback = new GainNode(context, { gain: 0.4 });
  bus.connect(delay).connect(feedback).connect(bus);
}

/** RMS of a channel from 1 s to the end (the workloads' sanity check). */
export function sanityRms(channel: Float32Array): number {
  let sum = 0;
  for (let i = SAMPLE_RATE; i < channel.length; i++) sum += (channel[i] as number) ** 2;
  return Math.sqrt(sum / Math.max(1, channel.length - SAMPLE_RATE));
}

export interface Timing {
  /** Realtime factors of the recorded renders. */
  factors: number[];
  rms: number;
}

// One median for every row: the pairing helper's.
export { median } from "./pairs";
