/**
 * The behaviour every built-in effect shares (Tone.js style suite): passes audio, stays finite at
 * the extremes of every parameter, reset() clears its state, its parameter table reaches
 * TypeScript unchanged, and block size does not change a single sample. The test input is played
 * by playback nodes, one per input.
 */
import { describe, expect, it } from "vitest";

import { applyGraphProgram, type GraphProgram } from "../../../src/engine/graph-program";
import type { ProcessorParamInfo } from "../../../src/engine/processor-types";
import { newEngine, renderProgram } from "../../support/render";
import { maxAbsDifference, rms, sineWave, whiteNoise } from "../../support/signal";

export interface ProcessorUnderTest {
  kind: string;
  /** The parameter table the processor must declare, exactly as engine.types reports it. */
  table: ProcessorParamInfo[];
  /** Input nodes, each a list of channels. */
  inputs: Float32Array[][];
  /** Channels the node must write for these inputs. */
  outputChannels: number;
  /** Parameter values for the audio, reset and block-size checks (the rest stay at default). */
  params?: Record<string, number>;
  /** Extra parameter sets for the finiteness check; every parameter's min and max are always tried. */
  extremes?: Record<string, number>[];
  /**
   * The parameters probed one at a time at their extremes (default: every one). Besides these, every
   * parameter at its minimum at once and at its maximum at once is always rendered.
   */
  probeOneByOne?: string[];
  /** The node keeps state (a filter, an envelope): reset() must matter. */
  stateful: boolean;
  /** Input channels the type accepts (-1: any, 0: a source). Default -1. */
  maxInputs?: number;
  /**
   * A graph of its own instead of playback nodes feeding the node (for sources that need MIDI or a
   * sample): the node under test is its output node, and `inputs` are its buffers.
   */
  program?: GraphProgram;
}

/** `program` with `params` merged into the output node's parameters. */
function withOutputParams(program: GraphProgram, params: Record<string, number> | undefined): GraphProgram {
  if (!params) return program;
  return {
    ...program,
    nodes: program.nodes.map((node, i) =>
      i === program.output ? { ...node, params: { ...node.params, ...params } } : node,
    ),
  };
}

/** Playback nodes 0..k-1 (buffer i each) into one `kind` node, which is the output. */
export function effectProgram(
  kind: string,
  numInputs: number,
  params: Record<string, number> = {},
): GraphProgram {
  const sources = Array.from({ length: numInputs }, (_, i) => ({
    kind: "playback",
    inputs: [],
    params: {},
    buffers: { 0: i },
  }));
  return {
    nodes: [...sources, { kind, inputs: sources.map((_, i) => i), params }],
    output: numInputs,
  };
}

/** A test signal with loud, quiet and tonal sections, so envelopes and filters both move. */
export function testSignal(frames: number, seed: number): Float32Array {
  const noise = whiteNoise(frames, seed);
  const tone = sineWave(frames, 440 + seed, 48000, 0.5);
  return noise.map((x, i) => {
    const section = Math.floor((4 * i) / frames);
    return section === 0 ? x : section === 1 ? 0.02 * x : section === 2 ? (tone[i] as number) : 0.3 * x;
  });
}

function allFinite(channels: Float32Array[]): boolean {
  return channels.every((channel) => channel.every((x) => Number.isFinite(x)));
}

export function describeSharedBehaviour(p: ProcessorUnderTest): void {
  const frames = 6000;
  const build = (params: Record<string, number> | undefined) =>
    p.program ? withOutputParams(p.program, params) : effectProgram(p.kind, p.inputs.length, params);
  const program = build(p.params);
  const render = (options: { blockSize?: number; chunk?: number; params?: Record<string, number> } = {}) =>
    renderProgram(options.params ? build(options.params) : program, frames, {
      buffers: p.inputs,
      ...(options.blockSize ? { blockSize: options.blockSize } : {}),
      ...(options.chunk ? { chunk: options.chunk } : {}),
    });

  describe(`${p.kind}: shared behaviour`, () => {
    it("declares its parameter table", async () => {
      const engine = await newEngine();
      const type = engine.types.find((t) => t.kind === p.kind);
      expect(type?.maxInputs).toBe(p.maxInputs ?? -1);
      expect(type?.params).toEqual(p.table);
    });

    it("passes audio", async () => {
      const out = await render();
      expect(out).toHaveLength(p.outputChannels);
      for (const channel of out) expect(rms(channel)).toBeGreaterThan(1e-3);
    });

    it("stays finite at the extremes of every parameter", async () => {
      const sets: Record<string, number>[] = [...(p.extremes ?? [])];
      sets.push(Object.fromEntries(p.table.map((spec) => [spec.id, spec.min])));
      sets.push(Object.fromEntries(p.table.map((spec) => [spec.id, spec.max])));
      const probed = p.probeOneByOne ? new Set(p.probeOneByOne) : null;
      for (const spec of p.table) {
        if (probed === null || probed.has(spec.id))
          sets.push({ [spec.id]: spec.min }, { [spec.id]: spec.max });
      }
      for (const params of sets) {
        const out = await render({ params: { ...p.params, ...params } });
        expect(allFinite(out), JSON.stringify(params)).toBe(true);
      }
    });

    it("reset() clears its state", async () => {
      const engine = await newEngine();
      p.inputs.forEach((input) => {
        engine.createBuffer(input, 48000);
      });
      applyGraphProgram(engine, program);
      const take = () => {
        const n = engine.render(4000);
        return Array.from({ length: engine.outputChannels }, (_, c) => engine.outputChannel(c).slice(0, n));
      };
      const first = take();
      engine.reset();
      const afterReset = take();
      engine.seek(0); // rewinds the input but keeps processor state
      const afterSeek = take();
      first.forEach((channel, c) => {
        expect(maxAbsDifference(channel, afterReset[c] as Float32Array)).toBe(0);
        const kept = maxAbsDifference(channel, afterSeek[c] as Float32Array);
        if (p.stateful) expect(kept).toBeGreaterThan(0);
        else expect(kept).toBe(0);
      });
      engine.destroy();
    });

    it("renders the same samples for block sizes 1, 64, 128 and 1000", async () => {
      const reference = await render({ blockSize: 128, chunk: 128 });
      for (const [blockSize, chunk] of [
        [1, 500],
        [64, 4096],
        [1000, 333],
      ] as const) {
        const other = await render({ blockSize, chunk });
        reference.forEach((channel, c) => {
          expect(maxAbsDifference(channel, other[c] as Float32Array), `block ${blockSize}`).toBe(0);
        });
      }
    });
  });
}

/**
 * One row of a literal parameter table, as the engine reports it: a plain number unless `extra` says
 * otherwise; min and default in float32, as the engine's table holds them.
 */
export function paramRow(
  id: string,
  name: string,
  units: string,
  [min, max]: [number, number],
  defaultValue: number,
  extra: Partial<ProcessorParamInfo> = {},
): ProcessorParamInfo {
  return {
    id,
    name,
    units,
    min: Math.fround(min),
    max,
    default: Math.fround(defaultValue),
    discrete: false,
    choices: null,
    choiceAliases: null,
    ...extra,
  };
}
