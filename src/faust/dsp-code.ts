/**
 * The compiled-DSP data shared by the compiler (which makes it) and faust-node (which runs it, in
 * any thread, the AudioWorklet included). Types only, with no dependency on browser or Node APIs,
 * so the worklet's type check does not pull in the compiler.
 */
import type { FaustJson, FaustLayout } from "./layout";

/** One compiled Faust module: the WebAssembly module and libfaust's JSON description. */
export interface FaustFactory {
  module: WebAssembly.Module;
  /**
   * The module's bytes, kept so a compiled DSP can be written to disk (a graph exported as a WAM,
   * src/wam-export/); absent where only the module travelled.
   */
  bytes?: Uint8Array;
  /** libfaust's JSON text (faustwasm's factory `json`). */
  json: string;
  meta: FaustJson;
}

/** What faust-node needs of a compiled DSP (CompiledFaust has it; it survives structured clone). */
export interface FaustDspCode {
  /** The mono DSP, or the poly voice. */
  dsp: FaustFactory;
  /** The poly `effect`, or null. */
  effect: FaustFactory | null;
  /** faustwasm's voice mixer (poly only). */
  mixer: WebAssembly.Module | null;
  layout: FaustLayout;
}
