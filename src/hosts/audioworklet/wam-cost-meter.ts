/**
 * NodeDescriptor.resource_estimate of a WAM plugin, measured at discovery by the AudioWorklet host
 * (docs/wam.md, "Resource estimates").
 *
 * cpu_units, in the contract's unit (one builtin:gain on a stereo signal at the engine's block size,
 * src/engine/node-costs.ts): each round renders, one after the other, four kinds of
 * OfflineAudioContext at the host's rate, each for SHORT_SECONDS and LONG_SECONDS, and times them
 * with the main thread's clock; a kind's per-block work is its long render less its short one (what
 * a context costs to start, and a plugin to set up, cancels), from the fastest of ROUNDS rounds (load
 * only ever adds time):
 * - WAM_COPIES instances of the plugin fed by an oscillator, against the oscillator alone: the
 *   plugin's time per block;
 * - the engine (an EngineProcessor, as every graph plays) running a chain of GAIN_COPIES builtin:gain
 *   nodes on a stereo oscillator, against the oscillator alone: the unit's time per block, measured in
 *   the same run, on the same kind of audio thread, so the machine's speed cancels.
 * The estimate is the ratio of the two. One measurement runs at a time (two at once would time each
 * other). It is an estimate: the machine's load moves it.
 *
 * memory_mb is null: a plugin's memory is its own WebAssembly and JavaScript heaps, which the page
 * cannot see (performance.measureUserAgentSpecificMemory reports the whole page, needs cross-origin
 * isolation and answers after a garbage collection, seconds later). extensions.resource_notes says so.
 */
import type { GraphProgram, GraphProgramNode } from "../../engine/graph-program";
import type { WamConstructor } from "../../wam/load-wam";
import { createWamHostGroup } from "../../wam/wam-host-group";
import type { EngineAssets } from "../assets/engine-assets";
import { createEngineWorklet } from "./engine-worklet";

/** Two windows: the difference of their render times is the per-block cost, without per-context costs. */
const SHORT_SECONDS = 0.25;
const LONG_SECONDS = 1;
const ROUNDS = 4;
const WARM_ROUNDS = 2;
const WAM_COPIES = 4;
const GAIN_COPIES = 1024;

/** A WAM's resource estimate and how it was measured. */
export interface WamCost {
  estimate: { memory_mb: null; cpu_units: number };
  notes: string;
}

let running: Promise<unknown> = Promise.resolve();

/**
 * Measures `Plugin` (its instances fed audio when `takesInput`) against builtin:gain.
 * @example
 * const Plugin = await loadWamModule("/build/wam/fixture/index.js");
 * const { estimate } = await measureWamCost(Plugin, { sampleRate: 48000, takesInput: true });
 */
export function measureWamCost(
  Plugin: WamConstructor,
  options: { sampleRate: number; takesInput: boolean; assets?: EngineAssets },
): Promise<WamCost> {
  const next = running.then(() => measure(Plugin, options));
  running = next.catch(() => undefined);
  return next;
}

async function measure(
  Plugin: WamConstructor,
  options: { sampleRate: number; takesInput: boolean; assets?: EngineAssets },
): Promise<WamCost> {
  // Each timing's least disturbed value (the machine's load only ever adds time), by render.
  const renders = {
    wams: (seconds: number) => renderWams(Plugin, WAM_COPIES, seconds, options),
    noWams: (seconds: number) => renderWams(Plugin, 0, seconds, options),
    gains: (seconds: number) => renderGains(GAIN_COPIES, seconds, options),
    noGains: (seconds: number) => renderGains(0, seconds, options),
  };
  // Untimed rounds first: WebAssembly code (the engine's, a plugin's) starts in a baseline tier and
  // is optimised once hot; timing the baseline tier made early estimates up to 40% off later ones.
  for (let warm = 0; warm < WARM_ROUNDS; warm++) {
    for (const render of Object.values(renders)) await render(LONG_SECONDS);
  }
  const best = new Map<string, number>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, render] of Object.entries(renders)) {
      for (const seconds of [SHORT_SECONDS, LONG_SECONDS]) {
        const key = `${name}@${seconds}`;
        best.set(key, Math.min(best.get(key) ?? Number.POSITIVE_INFINITY, await render(seconds)));
      }
    }
  }
  // The long window less the short one: per-block work only (context start, plugin set-up cancel).
  const slope = (name: string) =>
    (best.get(`${name}@${LONG_SECONDS}`) as number) - (best.get(`${name}@${SHORT_SECONDS}`) as number);
  const perWam = Math.max(0, slope("wams") - slope("noWams")) / WAM_COPIES;
  const perGain = Math.max(1e-6, slope("gains") - slope("noGains")) / GAIN_COPIES;
  const cpu = Math.round((perWam / perGain) * 100) / 100;
  return {
    estimate: { memory_mb: null, cpu_units: cpu },
    notes:
      `cpu_units: ${WAM_COPIES} instances rendered in OfflineAudioContexts at ${options.sampleRate} Hz against a chain of ${GAIN_COPIES} builtin:gain in the engine, timed in the same run (${LONG_SECONDS} s less ${SHORT_SECONDS} s windows, the fastest of ${ROUNDS} rounds). ` +
      "memory_mb: unknown, a plugin's WebAssembly and JavaScript heaps are its own and the page cannot measure them.",
  };
}

function windowContext(seconds: number, sampleRate: number): OfflineAudioContext {
  return new OfflineAudioContext(2, Math.round(seconds * sampleRate), sampleRate);
}

/** Milliseconds to render `copies` instances fed by an oscillator (0: the oscillator alone). */
async function renderWams(
  Plugin: WamConstructor,
  copies: number,
  seconds: number,
  options: { sampleRate: number; takesInput: boolean },
): Promise<number> {
  const context = windowContext(seconds, options.sampleRate);
  const source = context.createOscillator();
  source.start();
  const [groupId] = await createWamHostGroup(context);
  const plugins = await Promise.all(
    Array.from({ length: copies }, () => Plugin.createInstance(groupId, context)),
  );
  if (copies === 0) source.connect(context.destination);
  for (const plugin of plugins) {
    if (options.takesInput) source.connect(plugin.audioNode);
    plugin.audioNode.connect(context.destination);
  }
  try {
    return await timed(context);
  } finally {
    for (const plugin of plugins) {
      try {
        plugin.audioNode.disconnect();
        plugin.audioNode.destroy();
      } catch {
        // A plugin that cannot be destroyed goes with its context.
      }
    }
  }
}

/** Milliseconds to render a chain of `copies` builtin:gain on a stereo oscillator in the engine. */
async function renderGains(
  copies: number,
  seconds: number,
  options: { sampleRate: number; assets?: EngineAssets },
): Promise<number> {
  const context = windowContext(seconds, options.sampleRate);
  const nodes: GraphProgramNode[] = [{ kind: "oscillator", inputs: [], params: { channels: 2 } }];
  for (let i = 0; i < copies; i++) nodes.push({ kind: "gain", inputs: [i], params: {} });
  const program: GraphProgram = { nodes, output: nodes.length - 1 };
  const { node } = await createEngineWorklet(context, {
    program,
    ...(options.assets ? { assets: options.assets } : {}),
  });
  node.connect(context.destination);
  return timed(context);
}

async function timed(context: OfflineAudioContext): Promise<number> {
  const started = performance.now();
  await context.startRendering();
  return performance.now() - started;
}
