// An AudioWorklet processor that hosts a compiled Faust DSP in engine.wasm, as the real-time host does:
// both WebAssembly modules arrive compiled in processorOptions and are instantiated synchronously here
// (the AudioWorkletGlobalScope has no fetch), then the engine renders one 128-frame quantum per call.

import { instantiateEngine } from "../../src/engine/engine-module";
import { WasmEngine } from "../../src/engine/wasm-engine";
import type { FaustDspCode } from "../../src/faust/faust-node";
import { buildFaustScenario, FAUST_SCENARIOS } from "./faust-scenarios";

// The AudioWorkletGlobalScope names this file uses (the project's TypeScript config has DOM types).
declare const sampleRate: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(
  name: string,
  processor: new (options: AudioWorkletNodeOptions) => AudioWorkletProcessor,
): void;

interface Options {
  engineModule: WebAssembly.Module;
  compiled: FaustDspCode;
  name: string;
}

class FaustScenarioProcessor extends AudioWorkletProcessor {
  private readonly engine: WasmEngine;

  constructor(options: AudioWorkletNodeOptions) {
    super();
    const { engineModule, compiled, name } = options.processorOptions as Options;
    const scenario = FAUST_SCENARIOS[name];
    if (scenario === undefined) throw new Error(`no scenario "${name}"`);
    this.engine = new WasmEngine(instantiateEngine(engineModule), sampleRate, scenario.blockSize);
    buildFaustScenario(this.engine, compiled, scenario);
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const output = outputs[0] as Float32Array[];
    const frames = this.engine.render(output[0]?.length ?? 128);
    for (let c = 0; c < output.length; c++)
      (output[c] as Float32Array).set(this.engine.outputQuantum(c, frames));
    return true;
  }
}

registerProcessor("faust-scenario", FaustScenarioProcessor);
