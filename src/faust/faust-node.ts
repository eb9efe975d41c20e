/**
 * Faust DSP hosted in the engine's graph: an ExternalProcessor (src/engine/external-nodes.ts) around
 * the WebAssembly modules libfaust compiled, instantiated on the thread that renders (AudioWorklet,
 * Worker, Node) beside engine.wasm. The engine calls process() once per (sub-)block, split at every
 * parameter change and MIDI event of the node, so controls and notes land on their exact frame.
 * Each block is copied in from the engine's memory, computed, and copied out, with index loops over
 * views made in prepare(): process(), setParam() and midi() allocate nothing.
 *
 * This module is what the rest of the code imports: createFaustNode, which picks the mono or the
 * polyphonic node, and the types of its inputs and result. The nodes themselves live in
 * - node-base.ts: what both share (parameters, MIDI bindings, meters, prepare());
 * - mono-node.ts: a mono DSP (also an effect, with inputs);
 * - poly-voices.ts / poly-node.ts: a polyphonic DSP's voice allocator, and its rendering (voices,
 *   faustwasm's mixer, steals' hand-overs, the `effect`);
 * - heap.ts: the Faust memory's layout and the views over it;
 * - instance.ts: the imports and exports of libfaust's modules;
 * - soundfiles.ts: soundfile audio written in faustwasm's Soundfile layout.
 */
import type { FaustDspCode } from "./dsp-code";
import { FaustMonoNode } from "./mono-node";
import type { FaustNode } from "./node-base";
import { FaustPolyNode } from "./poly-node";
import type { SoundfileAudio } from "./soundfiles";

export type { FaustDspCode } from "./dsp-code";
export type { FaustNode } from "./node-base";
export { VOICE_PERIOD_FRAMES } from "./poly-node";
export type { SoundfileAudio, SoundfilePart } from "./soundfiles";

/**
 * Instantiates a compiled DSP for one graph node (control thread: it instantiates WebAssembly).
 * @example
 * const node = createFaustNode(compiled);
 * engine.addExternalNode(node, compiled.layout.numOutputs, compiled.layout.params);
 */
export function createFaustNode(code: FaustDspCode, soundfiles: SoundfileAudio = new Map()): FaustNode {
  return code.layout.voices > 0 ? new FaustPolyNode(code, soundfiles) : new FaustMonoNode(code, soundfiles);
}
