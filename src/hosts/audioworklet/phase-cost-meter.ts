/**
 * What some Web Audio nodes (a subject: WAM plugins) cost the audio thread per quantum, in cpu_units
 * (one builtin:gain on a stereo signal at 128 frames, src/engine/node-costs.ts), measured on the
 * audio thread itself, quantum by quantum, against builtin:gain timed in the same quanta.
 *
 * One OfflineAudioContext renders, in this order:
 * - a warm-up with the subject in place (its code and the engine's reach their optimised tiers);
 * - phases of PHASE_SECONDS, alternately without the subject and with a fresh one (0 A 0 A ... 0):
 *   the context suspends at each boundary while the subject is removed or added.
 * Every quantum, three time probes (time-probe-processor.ts) note the audio thread's clock: before an
 * engine running a chain of GAIN_COPIES builtin:gain, between it and an engine running none, and
 * after. So each quantum yields, on one thread and within a millisecond of each other:
 * - the unit: (gains engine - empty engine) / GAIN_COPIES;
 * - the rest: from probe 2 to probe 0 of the next quantum, a whole quantum's work but the engines',
 *   which holds the subject wherever Web Audio renders its parts (before the probes, after them, or
 *   after the graph, as nodes a plugin leaves unconnected are).
 * rest / unit is the quantum's cost in units, and a slower machine slows both. A phase's figure is its
 * median over the phase's last three quarters (a phase starts with the suspension and new instances
 * warming up; the median drops quanta a preemption hit). Each A phase less the mean of the 0 phases
 * either side (removed instances that linger cost a little more each time: the mean of both sides
 * cancels a steady creep) is one pair; the cost is the median of the pairs, per copy.
 *
 * Why this way: timing whole renders from the main thread, even the fastest of several, moved by up
 * to 3.5 times between two measurements on a loaded 2-core machine (the machine's speed changes from
 * one render to the next, and a render's start and end cross threads); ratios taken within each
 * quantum moved by about 10% (docs/wam.md, "Resource estimates").
 */
import type { GraphProgram, GraphProgramNode } from "../../engine/graph-program";
import { TIME_PROBE_PROCESSOR_NAME, type TimeProbeReport } from "../../protocol/main-to-worklet";
import type { EngineAssets } from "../assets/engine-assets";
import { createEngineWorklet, loadEngineWorklet } from "./engine-worklet";
import { type PhaseCost, phaseCostFromProbes } from "./phase-cost-figures";

export type { PhaseCost };

export const WARM_SECONDS = 1;
export const PHASE_SECONDS = 0.1;
/** A phases; there is one more 0 phase. */
export const PAIRS = 31;
/** 512 gains' buffers (2 KiB each) stay in a core's cache, as the unit's 16 in bench/node-costs.ts. */
export const GAIN_COPIES = 512;
const QUANTUM = 128;

/** What is measured: added to and removed from a suspended context, `copies` at a time. */
export interface CostSubject {
  /** Number of copies add() puts in place: the cost is divided by it. */
  copies: number;
  /** Puts the copies in place (resolves once they are connected). */
  add(): Promise<void>;
  /** Disconnects and destroys them. */
  remove(): void;
}

/**
 * Measures the subject `setup` builds in the context it is given.
 * @example
 * // What a native GainNode costs, in units of builtin:gain.
 * let nodes: GainNode[] = [];
 * const subject = (context: OfflineAudioContext): CostSubject => ({
 *   copies: 8,
 *   async add() {
 *     nodes = Array.from({ length: 8 }, () => new GainNode(context));
 *     for (const node of nodes) node.connect(context.destination);
 *   },
 *   remove() {
 *     for (const node of nodes) node.disconnect();
 *     nodes = [];
 *   },
 * });
 * const cost = await measurePhaseCost(async (context) => subject(context), { sampleRate: 48000 });
 * console.log(cost.cpuUnits);
 */
export async function measurePhaseCost(
  setup: (context: OfflineAudioContext) => Promise<CostSubject>,
  options: { sampleRate: number; assets?: EngineAssets },
): Promise<PhaseCost> {
  if (!globalThis.crossOriginIsolated) {
    throw new Error(
      "the page is not cross-origin isolated: the audio thread's clock then moves in 100 µs steps, too coarse to time a quantum",
    );
  }
  const { sampleRate } = options;
  const phaseQuanta = Math.round((PHASE_SECONDS * sampleRate) / QUANTUM);
  const warmQuanta = Math.round((WARM_SECONDS * sampleRate) / QUANTUM);
  const phases = 2 * PAIRS + 1;
  const quanta = warmQuanta + phases * phaseQuanta;
  const context = new OfflineAudioContext(2, quanta * QUANTUM, sampleRate);
  const engineOptions = options.assets ? { assets: options.assets } : {};
  await loadEngineWorklet(context, options.assets?.worklet);
  // probe 0 -> (gains) -> probe 1 -> (empty engine) -> probe 2 -> destination.
  const probes = [0, 1, 2].map(() => createTimeProbe(context, quanta));
  probes.forEach((probe, i) => {
    const next = probes[i + 1];
    probe.node.connect(next ? next.node : context.destination, 0, 0);
  });
  const gains = await createEngineWorklet(context, { program: gainChain(GAIN_COPIES), ...engineOptions });
  const empty = await createEngineWorklet(context, { program: gainChain(0), ...engineOptions });
  gains.node.connect((probes[1] as TimeProbe).node, 0, 1);
  empty.node.connect((probes[2] as TimeProbe).node, 0, 1);

  const subject = await setup(context);
  await subject.add();
  // A subject that fails to change while suspended would leave the render suspended for ever.
  let failed: (error: unknown) => void = () => {};
  const failure = new Promise<never>((_, reject) => {
    failed = reject;
  });
  for (let phase = 0; phase < phases; phase++) {
    const withSubject = phase % 2 === 1;
    context.suspend(((warmQuanta + phase * phaseQuanta) * QUANTUM) / sampleRate).then(async () => {
      try {
        if (withSubject) await subject.add();
        else subject.remove();
        await context.resume();
      } catch (error) {
        failed(error);
      }
    });
  }
  try {
    await Promise.race([context.startRendering(), failure]);
  } finally {
    subject.remove();
  }
  const [t0, t1, t2] = (await Promise.race([Promise.all(probes.map((probe) => probe.times)), failure])) as [
    Float64Array,
    Float64Array,
    Float64Array,
  ];

  return phaseCostFromProbes([t0, t1, t2], {
    warmQuanta,
    phaseQuanta,
    phases,
    gainCopies: GAIN_COPIES,
    copies: subject.copies,
  });
}

/** A stereo oscillator and `copies` builtin:gain after it, in series. */
function gainChain(copies: number): GraphProgram {
  const nodes: GraphProgramNode[] = [{ kind: "oscillator", inputs: [], params: { channels: 2 } }];
  for (let i = 0; i < copies; i++) nodes.push({ kind: "gain", inputs: [i], params: {} });
  return { nodes, output: nodes.length - 1 };
}

export interface TimeProbe {
  node: AudioWorkletNode;
  /** When each quantum reached the probe, in µs. */
  times: Promise<Float64Array>;
}

/** A time probe: input 0 orders it after the probe before it, input 1 takes what it times. */
export function createTimeProbe(context: BaseAudioContext, quanta: number): TimeProbe {
  const node = new AudioWorkletNode(context, TIME_PROBE_PROCESSOR_NAME, {
    numberOfInputs: 2,
    numberOfOutputs: 1,
    outputChannelCount: [1],
    processorOptions: { quanta },
  });
  const times = new Promise<Float64Array>((resolve, reject) => {
    node.port.onmessage = (event: MessageEvent<TimeProbeReport>) => {
      if (event.data.clock) resolve(event.data.times);
      else
        reject(new Error("the audio thread has no clock to time a quantum with (no Temporal in its scope)"));
    };
  });
  return { node, times };
}
