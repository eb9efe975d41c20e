/**
 * A Faust node that travelled as data (ClonedFaustNode: compiled modules, layout, soundfile audio)
 * made into the external node an engine builds, on the thread that renders. The AudioWorklet host
 * does the same inside engine-processor.ts; this module has no AudioWorklet dependency, so the
 * processor of an exported WAM (src/wam-export/runtime/) imports it without the host's processor
 * class, which extends AudioWorkletProcessor as its module loads.
 */
import type { ClonedFaustNode, ExternalNodeSpec } from "../engine/graph-program";
import type { FaustDspCode } from "./dsp-code";
import { createFaustNode } from "./faust-node";
import type { SoundfilePart } from "./soundfiles";

/** The external node of a cloned Faust node (EngineSlot's `makeExternal`). */
export function externalFaustNode(faust: ClonedFaustNode): ExternalNodeSpec {
  const soundfiles = new Map(faust.soundfiles as [string, SoundfilePart[]][]);
  return {
    nodeId: faust.nodeId,
    numOutputs: faust.numOutputs,
    params: faust.params,
    create: () => createFaustNode(faust.code as FaustDspCode, soundfiles),
  };
}
