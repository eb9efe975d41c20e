/**
 * Faust nodes: DSP compiled at run time with libfaust (@grame/faustwasm) and hosted in the engine's
 * graph as external nodes, rendering the same samples as faustwasm's own processors.
 *
 * - compiler.ts: compileFaust(loader, source, options) -> CompiledFaust (cached by node id
 *   "faust:<hash>"), FaustCompileError with Faust's message and line.
 * - layout.ts / descriptor.ts: the host layout (zones, parameters, MIDI, meters, soundfiles) and the
 *   v1alpha NodeDescriptor, from Faust's JSON.
 * - faust-node.ts: createFaustNode(compiled, soundfiles) -> an ExternalProcessor for
 *   WasmEngine.addExternalNode, mono or polyphonic; runs in an AudioWorklet, a Worker or Node. The
 *   nodes live in mono-node.ts, poly-voices.ts and poly-node.ts, on node-base.ts, heap.ts,
 *   instance.ts and soundfiles.ts.
 * - registry.ts: FaustRegistry, what an EngineClient uses so that graphs name "faust:<hash>" nodes
 *   (and carry their source in extensions.faust).
 *
 * libfaust's loaders depend on the host and are imported from their own modules:
 * `./libfaust-nodejs` (loadLibFaustFromDisk) in Node, `./libfaust-vite` (loadLibFaustWithVite) in a
 * page or Worker built by Vite; loadLibFaustFromUrls elsewhere.
 */
export {
  type CompiledFaust,
  cachedFaustNodeIds,
  compileFaust,
  FaustCompileError,
  type FaustCompileOptions,
  type FaustFactory,
  faustNodeId,
  type ResolvedFaustOptions,
} from "./compiler";
export { type FaustDescriptorIdentity, faustNodeDescriptor } from "./descriptor";
export {
  createFaustNode,
  type FaustDspCode,
  type FaustNode,
  type SoundfileAudio,
  type SoundfilePart,
  VOICE_PERIOD_FRAMES,
} from "./faust-node";
export { type FaustPolicy, faustPolicyPrefixes } from "./faust-policy";
export {
  buildFaustLayout,
  type FaustJson,
  type FaustLayout,
  type FaustMeterBinding,
  type FaustMidiBinding,
  type FaustParamBinding,
  type FaustSoundfileBinding,
  soundfileSlotNames,
} from "./layout";
export { instantiateLibFaust, type LibFaustLoader, libFaustCompiler, loadLibFaustFromUrls } from "./libfaust";
export {
  compileOptionsOf,
  FAUST_PREFIX,
  type FaustGraphNode,
  type FaustNodeSource,
  FaustNodeSourceSchema,
  FaustRegistry,
  faustNodeSource,
} from "./registry";
