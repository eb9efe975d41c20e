/** Small GraphPrograms the tests (Node and browser pages) render directly, without a GraphDescriptor. */
import type { GraphProgram } from "../../src/engine/graph-program";

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
