/**
 * Graphs and engine states for the memory tests (Node and browser pages): the issue's
 * out-of-memory graph, delay chains of a known size, and a way to fill an engine.wasm instance's
 * memory without filling the machine's (blocks taken with wd_alloc are never written, so their pages
 * are never committed; scatterMemoryForTesting in src/engine/graph-memory.ts scatters it).
 */
import type { GraphDescriptorInput } from "../../src/contracts/graph-descriptor";
import type { EngineWasmExports } from "../../src/engine/engine-module";
import type { GraphProgram } from "../../src/engine/graph-program";

/** Frames of one delay line at `sampleRate` (wasm/src/processors/delay.cpp: 10 s and two more). */
export function delayLineFrames(sampleRate: number): number {
  return Math.floor(10 * sampleRate) + 2;
}

/**
 * The request graph: a `channels`-channel oscillator into `delays` chained delays. With 64
 * channels and 20 delays it needs about 2.46 GB at 48 kHz, more than engine.wasm can ever hold.
 */
export function delayChainGraph(channels = 64, delays = 20): GraphDescriptorInput {
  const nodes: GraphDescriptorInput["nodes"] = [
    { name: "osc", node_id: "builtin:oscillator", params: { channels } },
  ];
  for (let i = 0; i < delays; i++) {
    nodes.push({ name: `delay${i}`, node_id: "builtin:delay", inputs: [i === 0 ? "osc" : `delay${i - 1}`] });
  }
  return { version: "v1alpha", nodes, output: `delay${delays - 1}` };
}

/** The same chain as a GraphProgram (program node i is the graph's node i). */
export function delayChainProgram(channels: number, delays: number): GraphProgram {
  const nodes: GraphProgram["nodes"] = [{ kind: "oscillator", inputs: [], params: { channels } }];
  for (let i = 0; i < delays; i++) nodes.push({ kind: "delay", inputs: [i], params: {} });
  return { nodes, output: delays };
}

/** A sine at `frequency` Hz, the valid graph every memory test plays after a failure. */
export function sineGraph(frequency = 440): GraphDescriptorInput {
  return {
    version: "v1alpha",
    nodes: [{ name: "osc", node_id: "builtin:oscillator", params: { frequency } }],
    output: "osc",
  };
}

/** Takes `bytes` of the instance's heap in blocks of at most 256 MiB, never written; returns them. */
export function holdMemory(exports: EngineWasmExports, bytes: number): number[] {
  const blocks: number[] = [];
  for (let left = bytes; left > 0; left -= 256 * 2 ** 20) {
    blocks.push(exports.wd_alloc(Math.min(left, 256 * 2 ** 20)));
  }
  return blocks;
}
