/**
 * An external node that is a parameterless source (no inputs, no parameters, no buffers) as the
 * graph compiler sees it: the live audio input, a WAM export's audio input port.
 */
import type { ExternalProcessor } from "./external-nodes";
import type { ExternalNodeResolution } from "./graph-compiler";

/**
 * The resolution of a source node named `nodeId` writing `numOutputs` channels, each applyGraphProgram
 * making its processor with `create`.
 * @example
 * sourceNodeResolution("webdreamer:audio-input", 2, () => processor);
 */
export function sourceNodeResolution(
  nodeId: string,
  numOutputs: number,
  create: () => ExternalProcessor,
): ExternalNodeResolution {
  return {
    type: {
      index: -1,
      kind: nodeId,
      name: nodeId,
      maxInputs: 0,
      params: [],
      instrument: false,
      bufferSlots: [],
      presets: [],
    },
    spec: { nodeId, numOutputs, params: [], create },
  };
}
