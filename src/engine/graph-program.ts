/**
 * GraphProgram: a graph resolved to engine indices, small enough to send to a worklet in
 * processorOptions and applied with plain engine calls in any host.
 */
import type { WasmEngine } from "./wasm-engine.ts";

export interface GraphProgramNode {
  /** Built-in processor kind, e.g. "oscillator". */
  kind: string;
  /** Indices (into GraphProgram.nodes) of this node's inputs, in order. */
  inputs: number[];
  /** Initial parameter values by parameter id. */
  params: Record<string, number>;
}

export interface GraphProgram {
  nodes: GraphProgramNode[];
  /** Index of the node whose output is the engine's output. */
  output: number;
}

/** Control: replaces the engine's graph with `program` and prepares it. */
export function applyGraphProgram(engine: WasmEngine, program: GraphProgram): void {
  engine.clear();
  const indices = program.nodes.map((node) => engine.addNode(node.kind));
  program.nodes.forEach((node, i) => {
    const index = indices[i] as number;
    for (const input of node.inputs) engine.addInput(index, indices[input] ?? -1);
    for (const [id, value] of Object.entries(node.params)) engine.setParam(index, id, value);
  });
  engine.prepare(indices[program.output] ?? -1);
}

/** The platform smoke graph: a sine at `frequency` Hz through a gain of `gain`. */
export function sineThroughGain(frequency: number, gain: number): GraphProgram {
  return {
    nodes: [
      { kind: "oscillator", inputs: [], params: { frequency, waveform: 0 } },
      { kind: "gain", inputs: [0], params: { gain } },
    ],
    output: 1,
  };
}
